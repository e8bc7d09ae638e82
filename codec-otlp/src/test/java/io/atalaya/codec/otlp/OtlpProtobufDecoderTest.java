package io.atalaya.codec.otlp;

import static io.atalaya.codec.otlp.OtlpTranslatorTest.gauge;
import static io.atalaya.codec.otlp.OtlpTranslatorTest.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wire-level behaviours of the protobuf decoder that the reference round trip does not reach. */
class OtlpProtobufDecoderTest {

    /** A field with a known number but another wire type than the schema's, added as an unknown field. */
    private static UnknownFieldSet wrongWireType(int field) {
        return UnknownFieldSet.newBuilder()
                .addField(field, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build();
    }

    @Test
    void errorsNameTheFieldPathAndByteOffset() {
        Metric bad = Metric.newBuilder().setName("bad").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(2).setUnknownFields(wrongWireType(3))))
                .build();
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()))
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge("ok", "", 1)).addMetrics(bad)))
                .build();
        byte[] wire = req.toByteArray();
        assertThatThrownBy(() -> new OtlpProtobufDecoder().decode(wire, 0, wire.length))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid OTLP protobuf at "
                        + "resource_metrics[1].scope_metrics[0].metrics[1].gauge.data_points[1] (byte ")
                .hasMessageContaining("time_unix_nano");
    }

    @Test
    void aSecondScopeFieldMergesIntoTheFirst() {
        ScopeMetrics scope = ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("lib").addAttributes(kv("a", "1")))
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(1, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(InstrumentationScope.newBuilder().setVersion("2.0")
                                .addAttributes(kv("b", "2")).build().toByteString())
                        .build()).build())
                .addMetrics(gauge("g", "", 1)).build();
        byte[] wire = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope)).build().toByteArray();

        OtlpMetrics.ScopeMetrics decoded = new OtlpProtobufDecoder().decode(wire, 0, wire.length)
                .resourceMetrics().get(0).scopeMetrics().get(0);

        assertThat(decoded.scopeName()).isEqualTo("lib");
        assertThat(decoded.scopeVersion()).isEqualTo("2.0");
        assertThat(decoded.scopeAttributes()).containsExactly(new OtlpMetrics.Attribute("a", "1"),
                new OtlpMetrics.Attribute("b", "2"));
        assertThat(decoded.metrics()).extracting(OtlpMetrics.Metric::name).isEqualTo(List.of("g"));
    }
}
