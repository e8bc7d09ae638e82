package io.atalaya.queryapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.atalaya.model.Labels;
import io.atalaya.promql.engine.InstantVector;
import io.atalaya.promql.engine.Matrix;
import io.atalaya.promql.engine.Sample;
import io.atalaya.promql.engine.Scalar;
import io.atalaya.promql.engine.SeriesPoints;
import io.atalaya.promql.engine.StringResult;
import io.atalaya.promql.engine.Value;
import io.atalaya.promql.engine.ValueFormat;
import java.io.IOException;

/**
 * Writes query results in the Prometheus API's JSON shapes, numbers formatted byte-for-byte as Prometheus does: values
 * by {@link ValueFormat}, timestamps as Prometheus' MarshalTimestamp (three fraction digits when not whole).
 */
final class ResultWriter {
    private ResultWriter() {
    }

    static void write(Value value, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("resultType", value.resultType());
        json.writeFieldName("result");
        switch (value) {
            case Scalar s -> point(json, s.timestampMs(), ValueFormat.value(s.value()));
            case StringResult s -> point(json, s.timestampMs(), s.value());
            case InstantVector v -> {
                json.writeStartArray();
                PointBuffer point = new PointBuffer();
                for (Sample s : v.samples()) {
                    json.writeStartObject();
                    metric(json, s.labels());
                    json.writeFieldName("value");
                    point.write(json, s.timestampMs(), s.value());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            case Matrix m -> {
                json.writeStartArray();
                PointBuffer points = new PointBuffer();
                for (SeriesPoints sp : m.series()) {
                    json.writeStartObject();
                    metric(json, sp.labels());
                    json.writeArrayFieldStart("values");
                    long[] ts = sp.timestamps();
                    double[] vs = sp.values();
                    for (int i = 0; i < ts.length; i++) {
                        points.write(json, ts[i], vs[i]);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
    }

    static void metric(JsonGenerator json, Labels labels) throws IOException {
        json.writeObjectFieldStart("metric");
        for (int i = 0; i < labels.size(); i++) {
            json.writeStringField(labels.name(i), labels.value(i));
        }
        json.writeEndObject();
    }

    /** {@code [1435781451.781, "1"]}. */
    static void point(JsonGenerator json, long tMs, String value) throws IOException {
        json.writeStartArray();
        json.writeRawValue(timestamp(tMs));
        json.writeString(value);
        json.writeEndArray();
    }

    /** Seconds with the millisecond fraction written as three digits when not zero, as Prometheus writes it. */
    static String timestamp(long tMs) {
        StringBuilder sb = new StringBuilder(20);
        long t = tMs;
        if (t < 0) {
            sb.append('-');
            t = -t;
        }
        sb.append(t / 1000);
        long fraction = t % 1000;
        if (fraction != 0) {
            sb.append('.');
            if (fraction < 100) {
                sb.append('0');
            }
            if (fraction < 10) {
                sb.append('0');
            }
            sb.append(fraction);
        }
        return sb.toString();
    }
}
