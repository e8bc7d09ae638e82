package io.atalaya.codec.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.atalaya.codec.otlp.OtlpMetrics.Attribute;
import io.atalaya.codec.otlp.OtlpMetrics.HistogramPoint;
import io.atalaya.codec.otlp.OtlpMetrics.Kind;
import io.atalaya.codec.otlp.OtlpMetrics.Metric;
import io.atalaya.codec.otlp.OtlpMetrics.NumberPoint;
import io.atalaya.codec.otlp.OtlpMetrics.ResourceMetrics;
import io.atalaya.codec.otlp.OtlpMetrics.ScopeMetrics;
import io.atalaya.codec.otlp.OtlpMetrics.SummaryPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Decoder for the OTLP/JSON encoding of {@code ExportMetricsServiceRequest} (the protobuf JSON mapping with the OTLP
 * rules): field names in lowerCamelCase, also accepted in their original snake_case; 64-bit integers as strings or
 * numbers; enums as numbers or names; doubles as numbers or the strings {@code NaN}, {@code Infinity},
 * {@code -Infinity}; bytes in base64; unknown fields ignored; {@code null} means the default value.
 *
 * <p>Built on Jackson's streaming parser only. Nesting of attribute values is limited to
 * {@value OtlpProtobufDecoder#MAX_VALUE_DEPTH} levels and the document to 256, so hostile input cannot exhaust the
 * stack. Errors are {@link OtlpDecodeException}s naming the JSON path and line:column. Thread-safe (the factory is
 * shared; each call has its own parser).
 */
public final class OtlpJsonDecoder {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    /** Decodes {@code data[offset, offset + length)} (UTF-8 JSON) with {@link OtlpMetrics#DEFAULT_MAX_ELEMENTS}. */
    public OtlpMetrics.Request decode(byte[] data, int offset, int length) {
        return decode(data, offset, length, OtlpMetrics.DEFAULT_MAX_ELEMENTS);
    }

    /**
     * Decodes {@code data[offset, offset + length)} (UTF-8 JSON), refusing (with
     * {@link OtlpDecodeException#limitExceeded()}) requests of more than {@code maxElements} resources, scopes,
     * metrics, data points, attributes and quantiles.
     */
    public OtlpMetrics.Request decode(byte[] data, int offset, int length, long maxElements) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") outside array of " + data.length);
        }
        try (JsonParser p = FACTORY.createParser(data, offset, length)) {
            Run r = new Run(p, maxElements);
            OtlpMetrics.Request req = r.request();
            if (p.nextToken() != null) {
                throw r.error("unexpected content after the request object");
            }
            return req;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new OtlpDecodeException("invalid OTLP JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new OtlpDecodeException("cannot read OTLP JSON: " + e.getMessage(), e);
        }
    }

    /** One decoding pass over one parser. */
    private static final class Run {
        private final JsonParser p;
        private final long maxElements;
        private long elements;

        Run(JsonParser p, long maxElements) {
            this.p = p;
            this.maxElements = maxElements;
        }

        private void countElement() {
            if (++elements > maxElements) {
                throw new OtlpDecodeException(error("more than " + maxElements
                        + " resources, scopes, metrics, data points, attributes and quantiles").getMessage(), true);
            }
        }

        OtlpMetrics.Request request() throws IOException {
            List<ResourceMetrics> out = new ArrayList<>();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("the request must be a JSON object");
            }
            while (nextField()) {
                switch (p.currentName()) {
                    case "resourceMetrics", "resource_metrics" -> array(() -> out.add(resourceMetrics()));
                    default -> skipValue();
                }
            }
            return new OtlpMetrics.Request(out);
        }

        private ResourceMetrics resourceMetrics() throws IOException {
            countElement();
            List<Attribute> resource = new ArrayList<>();
            List<ScopeMetrics> scopes = new ArrayList<>();
            object(() -> {
                switch (p.currentName()) {
                    case "resource" -> object(() -> {
                        if (p.currentName().equals("attributes")) {
                            array(() -> resource.add(keyValue()));
                        } else {
                            skipValue();
                        }
                    });
                    case "scopeMetrics", "scope_metrics" -> array(() -> scopes.add(scopeMetrics()));
                    default -> skipValue();
                }
            });
            return new ResourceMetrics(resource, scopes);
        }

        private ScopeMetrics scopeMetrics() throws IOException {
            countElement();
            String[] nameVersion = {"", ""};
            List<Attribute> attrs = new ArrayList<>();
            List<Metric> metrics = new ArrayList<>();
            object(() -> {
                switch (p.currentName()) {
                    case "scope" -> object(() -> {
                        switch (p.currentName()) {
                            case "name" -> nameVersion[0] = string();
                            case "version" -> nameVersion[1] = string();
                            case "attributes" -> array(() -> attrs.add(keyValue()));
                            default -> skipValue();
                        }
                    });
                    case "metrics" -> array(() -> metrics.add(metric()));
                    default -> skipValue();
                }
            });
            return new ScopeMetrics(nameVersion[0], nameVersion[1], attrs, metrics);
        }

        /** Mutable scratch for one metric while its fields arrive in any order. */
        private static final class MetricFields {
            String name = "";
            String description = "";
            String unit = "";
            Kind kind = Kind.NONE;
            int temporality;
            boolean monotonic;
            List<NumberPoint> numbers = List.of();
            List<HistogramPoint> histograms = List.of();
            List<SummaryPoint> summaries = List.of();
            int exponential;
        }

        private Metric metric() throws IOException {
            countElement();
            MetricFields m = new MetricFields();
            object(() -> {
                String f = p.currentName();
                switch (f) {
                    case "name" -> m.name = string();
                    case "description" -> m.description = string();
                    case "unit" -> m.unit = string();
                    case "gauge", "sum", "histogram", "exponentialHistogram", "exponential_histogram", "summary" -> {
                        if (p.currentToken() == JsonToken.VALUE_NULL) {
                            return;
                        }
                        Kind kind = switch (f) {
                            case "gauge" -> Kind.GAUGE;
                            case "sum" -> Kind.SUM;
                            case "histogram" -> Kind.HISTOGRAM;
                            case "summary" -> Kind.SUMMARY;
                            default -> Kind.EXPONENTIAL_HISTOGRAM;
                        };
                        m.kind = kind;
                        m.temporality = 0;
                        m.monotonic = false;
                        m.numbers = List.of();
                        m.histograms = List.of();
                        m.summaries = List.of();
                        m.exponential = 0;
                        List<NumberPoint> np = new ArrayList<>();
                        List<HistogramPoint> hp = new ArrayList<>();
                        List<SummaryPoint> sp = new ArrayList<>();
                        object(() -> {
                            switch (p.currentName()) {
                                case "dataPoints", "data_points" -> array(() -> {
                                    switch (kind) {
                                        case GAUGE, SUM -> np.add(numberPoint());
                                        case HISTOGRAM -> hp.add(histogramPoint());
                                        case SUMMARY -> sp.add(summaryPoint());
                                        default -> {
                                            skipValue();
                                            m.exponential++;
                                        }
                                    }
                                });
                                case "aggregationTemporality", "aggregation_temporality" ->
                                        m.temporality = temporality();
                                case "isMonotonic", "is_monotonic" -> m.monotonic = bool();
                                default -> skipValue();
                            }
                        });
                        if (kind == Kind.SUMMARY || kind == Kind.GAUGE) {
                            m.temporality = 0;
                        }
                        if (kind != Kind.SUM) {
                            m.monotonic = false;
                        }
                        m.numbers = np;
                        m.histograms = hp;
                        m.summaries = sp;
                    }
                    default -> skipValue();
                }
            });
            return new Metric(m.name, m.description, m.unit, m.kind, m.temporality, m.monotonic, m.numbers,
                    m.histograms, m.summaries, m.exponential);
        }

        private NumberPoint numberPoint() throws IOException {
            countElement();
            List<Attribute> attrs = new ArrayList<>();
            long[] times = new long[2];
            double[] value = new double[1];
            boolean[] isInt = new boolean[1];
            int[] flags = new int[1];
            object(() -> {
                switch (p.currentName()) {
                    case "attributes" -> array(() -> attrs.add(keyValue()));
                    case "startTimeUnixNano", "start_time_unix_nano" -> times[0] = int64(true);
                    case "timeUnixNano", "time_unix_nano" -> times[1] = int64(true);
                    case "asDouble", "as_double" -> {
                        value[0] = dbl();
                        isInt[0] = false;
                    }
                    case "asInt", "as_int" -> {
                        value[0] = (double) int64(false);
                        isInt[0] = true;
                    }
                    case "flags" -> flags[0] = (int) int64(true);
                    default -> skipValue();
                }
            });
            return new NumberPoint(attrs, times[0], times[1], value[0], isInt[0], flags[0]);
        }

        private HistogramPoint histogramPoint() throws IOException {
            countElement();
            List<Attribute> attrs = new ArrayList<>();
            long[] l = new long[4]; // start, time, count, flags
            double[] d = new double[3]; // sum, min, max
            boolean[] has = new boolean[3];
            long[][] counts = {new long[0]};
            double[][] bounds = {new double[0]};
            object(() -> {
                switch (p.currentName()) {
                    case "attributes" -> array(() -> attrs.add(keyValue()));
                    case "startTimeUnixNano", "start_time_unix_nano" -> l[0] = int64(true);
                    case "timeUnixNano", "time_unix_nano" -> l[1] = int64(true);
                    case "count" -> l[2] = int64(true);
                    case "flags" -> l[3] = int64(true);
                    case "sum" -> set(d, has, 0);
                    case "min" -> set(d, has, 1);
                    case "max" -> set(d, has, 2);
                    case "bucketCounts", "bucket_counts" -> counts[0] = longs();
                    case "explicitBounds", "explicit_bounds" -> bounds[0] = doubles();
                    default -> skipValue();
                }
            });
            return new HistogramPoint(attrs, l[0], l[1], l[2], has[0], d[0], counts[0], bounds[0], has[1], d[1],
                    has[2], d[2], (int) l[3]);
        }

        private void set(double[] d, boolean[] has, int i) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            d[i] = dbl();
            has[i] = true;
        }

        private SummaryPoint summaryPoint() throws IOException {
            countElement();
            List<Attribute> attrs = new ArrayList<>();
            long[] l = new long[4]; // start, time, count, flags
            double[] sum = new double[1];
            DoubleList qs = new DoubleList();
            DoubleList vs = new DoubleList();
            object(() -> {
                switch (p.currentName()) {
                    case "attributes" -> array(() -> attrs.add(keyValue()));
                    case "startTimeUnixNano", "start_time_unix_nano" -> l[0] = int64(true);
                    case "timeUnixNano", "time_unix_nano" -> l[1] = int64(true);
                    case "count" -> l[2] = int64(true);
                    case "flags" -> l[3] = int64(true);
                    case "sum" -> sum[0] = dbl();
                    case "quantileValues", "quantile_values" -> array(() -> {
                        countElement();
                        double[] qv = new double[2];
                        object(() -> {
                            switch (p.currentName()) {
                                case "quantile" -> qv[0] = dbl();
                                case "value" -> qv[1] = dbl();
                                default -> skipValue();
                            }
                        });
                        qs.add(qv[0]);
                        vs.add(qv[1]);
                    });
                    default -> skipValue();
                }
            });
            return new SummaryPoint(attrs, l[0], l[1], l[2], sum[0], qs.toArray(), vs.toArray(), (int) l[3]);
        }

        private Attribute keyValue() throws IOException {
            countElement();
            String[] key = {""};
            String[] value = {""};
            object(() -> {
                switch (p.currentName()) {
                    case "key" -> key[0] = string();
                    case "value" -> {
                        StringBuilder sb = new StringBuilder();
                        value[0] = anyValue(sb, 0) ? sb.toString() : "";
                    }
                    default -> skipValue();
                }
            });
            return new Attribute(key[0], value[0]);
        }

        /** Appends the Prometheus string form of an {@code AnyValue} object; false when no value was set. */
        private boolean anyValue(StringBuilder sb, int nested) throws IOException {
            if (nested > OtlpProtobufDecoder.MAX_VALUE_DEPTH) {
                throw error("attribute values nested deeper than " + OtlpProtobufDecoder.MAX_VALUE_DEPTH + " levels");
            }
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return false;
            }
            int start = sb.length();
            boolean[] set = {false};
            object(() -> {
                String f = p.currentName();
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    return;
                }
                switch (f) {
                    case "stringValue", "string_value" -> {
                        sb.setLength(start);
                        String s = string();
                        AttributeValues.appendString(sb, s, nested);
                        set[0] = true;
                    }
                    case "boolValue", "bool_value" -> {
                        sb.setLength(start);
                        sb.append(bool());
                        set[0] = true;
                    }
                    case "intValue", "int_value" -> {
                        sb.setLength(start);
                        sb.append(int64(false));
                        set[0] = true;
                    }
                    case "doubleValue", "double_value" -> {
                        sb.setLength(start);
                        double v = dbl();
                        AttributeValues.appendDouble(sb, v, nested);
                        set[0] = true;
                    }
                    case "bytesValue", "bytes_value" -> {
                        sb.setLength(start);
                        String b64 = Base64.getEncoder().encodeToString(bytes());
                        AttributeValues.appendString(sb, b64, nested);
                        set[0] = true;
                    }
                    case "arrayValue", "array_value" -> {
                        sb.setLength(start);
                        sb.append('[');
                        boolean[] first = {true};
                        object(() -> {
                            if (p.currentName().equals("values")) {
                                array(() -> {
                                    if (!first[0]) {
                                        sb.append(',');
                                    }
                                    first[0] = false;
                                    int at = sb.length();
                                    if (!anyValue(sb, nested + 1)) {
                                        sb.setLength(at);
                                        sb.append("null");
                                    }
                                });
                            } else {
                                skipValue();
                            }
                        });
                        sb.append(']');
                        set[0] = true;
                    }
                    case "kvlistValue", "kvlist_value" -> {
                        sb.setLength(start);
                        sb.append('{');
                        boolean[] first = {true};
                        object(() -> {
                            if (p.currentName().equals("values")) {
                                array(() -> {
                                    String[] key = {""};
                                    StringBuilder v = new StringBuilder();
                                    boolean[] has = {false};
                                    object(() -> {
                                        switch (p.currentName()) {
                                            case "key" -> key[0] = string();
                                            case "value" -> {
                                                v.setLength(0);
                                                has[0] = anyValue(v, nested + 1);
                                            }
                                            default -> skipValue();
                                        }
                                    });
                                    if (!first[0]) {
                                        sb.append(',');
                                    }
                                    first[0] = false;
                                    AttributeValues.appendJsonString(sb, key[0]);
                                    sb.append(':').append(has[0] ? v : "null");
                                });
                            } else {
                                skipValue();
                            }
                        });
                        sb.append('}');
                        set[0] = true;
                    }
                    default -> skipValue();
                }
            });
            return set[0];
        }

        // -------------------------------------------------------------------------------------------- primitives

        /** One step of a structure walk; may throw the parser's IOException. */
        private interface Step {
            void run() throws IOException;
        }

        /** Current token must be an object (or null); calls {@code field} with the parser on each field's value. */
        private void object(Step field) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return;
            }
            if (t != JsonToken.START_OBJECT) {
                throw error("expected an object, found " + t);
            }
            while (nextField()) {
                field.run();
            }
        }

        /** Current token must be an array (or null); calls {@code element} with the parser on each element. */
        private void array(Step element) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return;
            }
            if (t != JsonToken.START_ARRAY) {
                throw error("expected an array, found " + t);
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw error("unterminated array");
                }
                element.run();
            }
        }

        /** Moves to the next field's value; false at the end of the object. */
        private boolean nextField() throws IOException {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                return false;
            }
            if (t != JsonToken.FIELD_NAME) {
                throw error("expected a field name, found " + t);
            }
            if (p.nextToken() == null) {
                throw error("truncated object");
            }
            return true;
        }

        private void skipValue() throws IOException {
            p.skipChildren();
        }

        private String string() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return "";
            }
            if (t != JsonToken.VALUE_STRING) {
                throw error("expected a string, found " + t);
            }
            return p.getText();
        }

        private boolean bool() throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE, VALUE_NULL -> false;
                default -> throw error("expected true or false, found " + p.currentToken());
            };
        }

        /** A 64-bit integer given as a number or a decimal string; {@code unsigned} for fixed64/uint fields. */
        private long int64(boolean unsigned) throws IOException {
            JsonToken t = p.currentToken();
            try {
                if (t == JsonToken.VALUE_NULL) {
                    return 0;
                }
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    if (unsigned) {
                        return Long.parseUnsignedLong(p.getText());
                    }
                    return p.getLongValue();
                }
                if (t == JsonToken.VALUE_STRING) {
                    String s = p.getText().trim();
                    return unsigned ? Long.parseUnsignedLong(s) : Long.parseLong(s);
                }
                if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                    double d = p.getDoubleValue();
                    if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                        return (long) d;
                    }
                }
            } catch (NumberFormatException | com.fasterxml.jackson.core.exc.InputCoercionException e) {
                throw error("not a 64-bit integer: " + p.getText());
            }
            throw error("expected an integer, found " + t);
        }

        private double dbl() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return 0;
            }
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                switch (s) {
                    case "NaN" -> {
                        return Double.NaN;
                    }
                    case "Infinity" -> {
                        return Double.POSITIVE_INFINITY;
                    }
                    case "-Infinity" -> {
                        return Double.NEGATIVE_INFINITY;
                    }
                    default -> {
                        try {
                            return Double.parseDouble(s);
                        } catch (NumberFormatException e) {
                            throw error("not a number: \"" + s + "\"");
                        }
                    }
                }
            }
            throw error("expected a number, found " + t);
        }

        private int temporality() throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return switch (p.getText()) {
                    case "AGGREGATION_TEMPORALITY_UNSPECIFIED" -> 0;
                    case "AGGREGATION_TEMPORALITY_DELTA" -> 1;
                    case "AGGREGATION_TEMPORALITY_CUMULATIVE" -> 2;
                    default -> (int) int64(false);
                };
            }
            return (int) int64(false);
        }

        private byte[] bytes() throws IOException {
            String s = string();
            try {
                if (s.indexOf('-') >= 0 || s.indexOf('_') >= 0) {
                    return Base64.getUrlDecoder().decode(s);
                }
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw error("invalid base64 bytes value: " + e.getMessage());
            }
        }

        private long[] longs() throws IOException {
            long[][] out = {new long[8]};
            int[] n = {0};
            array(() -> {
                if (n[0] == out[0].length) {
                    out[0] = Arrays.copyOf(out[0], n[0] * 2);
                }
                out[0][n[0]++] = int64(true);
            });
            return Arrays.copyOf(out[0], n[0]);
        }

        private double[] doubles() throws IOException {
            DoubleList out = new DoubleList();
            array(() -> out.add(dbl()));
            return out.toArray();
        }

        OtlpDecodeException error(String reason) {
            JsonLocation loc = p.currentTokenLocation();
            StringBuilder path = new StringBuilder();
            var ctx = p.getParsingContext();
            List<String> parts = new ArrayList<>();
            while (ctx != null && !ctx.inRoot()) {
                if (ctx.inArray()) {
                    parts.add("[" + ctx.getCurrentIndex() + "]");
                } else if (ctx.getCurrentName() != null) {
                    parts.add("." + ctx.getCurrentName());
                }
                ctx = ctx.getParent();
            }
            for (int i = parts.size() - 1; i >= 0; i--) {
                path.append(parts.get(i));
            }
            return new OtlpDecodeException("invalid OTLP JSON at " + (path.isEmpty() ? "request" : path.substring(
                    path.charAt(0) == '.' ? 1 : 0)) + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                    + "): " + reason);
        }
    }

    /** A growable double array. */
    private static final class DoubleList {
        double[] values = new double[8];
        int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
