package io.atalaya.codec.otlp;

import io.atalaya.codec.otlp.OtlpMetrics.Attribute;
import io.atalaya.codec.otlp.OtlpMetrics.HistogramPoint;
import io.atalaya.codec.otlp.OtlpMetrics.Kind;
import io.atalaya.codec.otlp.OtlpMetrics.Metric;
import io.atalaya.codec.otlp.OtlpMetrics.NumberPoint;
import io.atalaya.codec.otlp.OtlpMetrics.ResourceMetrics;
import io.atalaya.codec.otlp.OtlpMetrics.ScopeMetrics;
import io.atalaya.codec.otlp.OtlpMetrics.SummaryPoint;
import io.atalaya.common.proto.ProtoWireReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Hand-written protobuf decoder for {@code opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest}.
 *
 * <p>Wire rules applied: varints of at most 10 bytes; every length checked against the bytes left in the enclosing
 * message before anything is allocated for it (so a hostile length can never allocate more than the input holds);
 * repeated scalars accepted packed and unpacked, with packed element counts derived from the checked length; known
 * fields with the wrong wire type rejected; unknown fields of wire types 0, 1, 2 and 5 skipped; groups rejected;
 * nested {@code AnyValue} arrays and lists limited to {@value #MAX_VALUE_DEPTH} levels. For a oneof given twice the
 * last one wins, as in protobuf. Strings are decoded as UTF-8 (invalid bytes become U+FFFD).
 *
 * <p>Errors are {@link OtlpDecodeException}s naming the field path (e.g.
 * {@code resource_metrics[0].scope_metrics[1].metrics[3].sum.data_points[2]}) and byte offset. Not thread-safe; one
 * instance per thread, reusable.
 */
public final class OtlpProtobufDecoder extends ProtoWireReader {
    static final int MAX_VALUE_DEPTH = 16;

    private final String[] path = new String[16];
    private final int[] pathIndex = new int[16];
    private int depth;
    private long elements;
    private long maxElements;

    /** Decodes {@code data[offset, offset + length)} with {@link OtlpMetrics#DEFAULT_MAX_ELEMENTS}. */
    public OtlpMetrics.Request decode(byte[] data, int offset, int length) {
        return decode(data, offset, length, OtlpMetrics.DEFAULT_MAX_ELEMENTS);
    }

    /**
     * Decodes {@code data[offset, offset + length)}, refusing (with {@link OtlpDecodeException#limitExceeded()})
     * requests of more than {@code maxElements} resources, scopes, metrics, data points, attributes and quantiles.
     */
    public OtlpMetrics.Request decode(byte[] data, int offset, int length, long maxElements) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") outside array of " + data.length);
        }
        start(data, offset);
        depth = 0;
        elements = 0;
        this.maxElements = maxElements;
        int end = offset + length;
        List<ResourceMetrics> out = new ArrayList<>();
        while (pos < end) {
            int tag = readTag(end);
            if (tag >>> 3 == 1) {
                out.add(nested("resource_metrics", out.size(), tag & 7, end, this::resourceMetrics));
            } else {
                skip(tag & 7, end);
            }
        }
        buf = null;
        return new OtlpMetrics.Request(out);
    }

    private ResourceMetrics resourceMetrics(int end) {
        countElement();
        List<Attribute> resource = new ArrayList<>();
        List<ScopeMetrics> scopes = new ArrayList<>();
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            switch (tag >>> 3) {
                case 1 -> nested("resource", -1, wt, end, e -> resource(e, resource));
                case 2 -> scopes.add(nested("scope_metrics", scopes.size(), wt, end, this::scopeMetrics));
                default -> skip(wt, end);
            }
        }
        return new ResourceMetrics(resource, scopes);
    }

    /** {@code Resource}; a second resource field merges into the first, as protobuf merges messages. */
    private List<Attribute> resource(int end, List<Attribute> into) {
        while (pos < end) {
            int tag = readTag(end);
            if (tag >>> 3 == 1) {
                attribute(tag & 7, end, into);
            } else {
                skip(tag & 7, end);
            }
        }
        return into;
    }

    /** {@code InstrumentationScope}'s name and version; its attributes go to {@code attrs}. */
    private record Scope(String name, String version) {
    }

    /** A second scope field merges into the first ({@code before}), as protobuf merges messages. */
    private Scope scope(int end, Scope before, List<Attribute> attrs) {
        String name = before.name();
        String version = before.version();
        while (pos < end) {
            int t = readTag(end);
            switch (t >>> 3) {
                case 1 -> name = readString(t & 7, end);
                case 2 -> version = readString(t & 7, end);
                case 3 -> attribute(t & 7, end, attrs);
                default -> skip(t & 7, end);
            }
        }
        return new Scope(name, version);
    }

    private ScopeMetrics scopeMetrics(int end) {
        countElement();
        Scope scope = new Scope("", "");
        List<Attribute> attrs = new ArrayList<>();
        List<Metric> metrics = new ArrayList<>();
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            switch (tag >>> 3) {
                case 1 -> {
                    Scope before = scope;
                    scope = nested("scope", -1, wt, end, e -> scope(e, before, attrs));
                }
                case 2 -> metrics.add(nested("metrics", metrics.size(), wt, end, this::metric));
                default -> skip(wt, end);
            }
        }
        return new ScopeMetrics(scope.name(), scope.version(), attrs, metrics);
    }

    private Metric metric(int end) {
        countElement();
        String name = "";
        String description = "";
        String unit = "";
        Kind kind = Kind.NONE;
        int temporality = 0;
        boolean monotonic = false;
        List<NumberPoint> numbers = List.of();
        List<HistogramPoint> histograms = List.of();
        List<SummaryPoint> summaries = List.of();
        int exponential = 0;
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            int field = tag >>> 3;
            switch (field) {
                case 1 -> name = readString(wt, end);
                case 2 -> description = readString(wt, end);
                case 3 -> unit = readString(wt, end);
                case 5, 7, 9, 10, 11 -> {
                    kind = switch (field) {
                        case 5 -> Kind.GAUGE;
                        case 7 -> Kind.SUM;
                        case 9 -> Kind.HISTOGRAM;
                        case 10 -> Kind.EXPONENTIAL_HISTOGRAM;
                        default -> Kind.SUMMARY;
                    };
                    enter(kind == Kind.EXPONENTIAL_HISTOGRAM ? "exponential_histogram" : kindName(kind), -1);
                    int len = lengthOf(wt, end);
                    int dataEnd = pos + len;
                    // A oneof set again replaces the earlier value.
                    numbers = List.of();
                    histograms = List.of();
                    summaries = List.of();
                    exponential = 0;
                    temporality = 0;
                    monotonic = false;
                    List<NumberPoint> np = kind == Kind.GAUGE || kind == Kind.SUM ? new ArrayList<>() : null;
                    List<HistogramPoint> hp = kind == Kind.HISTOGRAM ? new ArrayList<>() : null;
                    List<SummaryPoint> sp = kind == Kind.SUMMARY ? new ArrayList<>() : null;
                    int count = 0;
                    while (pos < dataEnd) {
                        int t = readTag(dataEnd);
                        int f = t >>> 3;
                        if (f == 1) {
                            int index = count++;
                            if (np != null) {
                                np.add(nested("data_points", index, t & 7, dataEnd, this::numberPoint));
                            } else if (hp != null) {
                                hp.add(nested("data_points", index, t & 7, dataEnd, this::histogramPoint));
                            } else if (sp != null) {
                                sp.add(nested("data_points", index, t & 7, dataEnd, this::summaryPoint));
                            } else {
                                nested("data_points", index, t & 7, dataEnd, this::skipTo); // exponential: counted only
                            }
                        } else if (f == 2 && kind != Kind.GAUGE && kind != Kind.SUMMARY) {
                            expectWireType(t & 7, WT_VARINT, "aggregation_temporality");
                            temporality = (int) readVarint(dataEnd);
                        } else if (f == 3 && kind == Kind.SUM) {
                            expectWireType(t & 7, WT_VARINT, "is_monotonic");
                            monotonic = readVarint(dataEnd) != 0;
                        } else {
                            skip(t & 7, dataEnd);
                        }
                    }
                    if (np != null) {
                        numbers = np;
                    } else if (hp != null) {
                        histograms = hp;
                    } else if (sp != null) {
                        summaries = sp;
                    } else {
                        exponential = count;
                    }
                    leave();
                }
                default -> skip(wt, end);
            }
        }
        return new Metric(name, description, unit, kind, temporality, monotonic, numbers, histograms, summaries,
                exponential);
    }

    private static String kindName(Kind k) {
        return switch (k) {
            case GAUGE -> "gauge";
            case SUM -> "sum";
            case HISTOGRAM -> "histogram";
            case SUMMARY -> "summary";
            default -> "data";
        };
    }

    private NumberPoint numberPoint(int end) {
        countElement();
        List<Attribute> attrs = new ArrayList<>();
        long start = 0;
        long time = 0;
        double value = 0;
        boolean isInt = false;
        int flags = 0;
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            switch (tag >>> 3) {
                case 2 -> start = fixed64(wt, end, "start_time_unix_nano");
                case 3 -> time = fixed64(wt, end, "time_unix_nano");
                case 4 -> {
                    value = Double.longBitsToDouble(fixed64(wt, end, "as_double"));
                    isInt = false;
                }
                case 6 -> {
                    value = (double) fixed64(wt, end, "as_int");
                    isInt = true;
                }
                case 7 -> attribute(wt, end, attrs);
                case 8 -> flags = uint32(wt, end, "flags");
                default -> skip(wt, end);
            }
        }
        return new NumberPoint(attrs, start, time, value, isInt, flags);
    }

    private HistogramPoint histogramPoint(int end) {
        countElement();
        List<Attribute> attrs = new ArrayList<>();
        long start = 0;
        long time = 0;
        long count = 0;
        boolean hasSum = false;
        double sum = 0;
        LongList counts = new LongList();
        LongList bounds = new LongList();
        boolean hasMin = false;
        double min = 0;
        boolean hasMax = false;
        double max = 0;
        int flags = 0;
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            switch (tag >>> 3) {
                case 2 -> start = fixed64(wt, end, "start_time_unix_nano");
                case 3 -> time = fixed64(wt, end, "time_unix_nano");
                case 4 -> count = fixed64(wt, end, "count");
                case 5 -> {
                    sum = Double.longBitsToDouble(fixed64(wt, end, "sum"));
                    hasSum = true;
                }
                case 6 -> repeatedFixed64(wt, end, counts, "bucket_counts");
                case 7 -> repeatedFixed64(wt, end, bounds, "explicit_bounds");
                case 9 -> attribute(wt, end, attrs);
                case 10 -> flags = uint32(wt, end, "flags");
                case 11 -> {
                    min = Double.longBitsToDouble(fixed64(wt, end, "min"));
                    hasMin = true;
                }
                case 12 -> {
                    max = Double.longBitsToDouble(fixed64(wt, end, "max"));
                    hasMax = true;
                }
                default -> skip(wt, end);
            }
        }
        double[] b = new double[bounds.size];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.longBitsToDouble(bounds.values[i]);
        }
        return new HistogramPoint(attrs, start, time, count, hasSum, sum, counts.toArray(), b, hasMin, min, hasMax,
                max, flags);
    }

    private SummaryPoint summaryPoint(int end) {
        countElement();
        List<Attribute> attrs = new ArrayList<>();
        long start = 0;
        long time = 0;
        long count = 0;
        double sum = 0;
        LongList q = new LongList();
        LongList v = new LongList();
        int flags = 0;
        int quantiles = 0;
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            switch (tag >>> 3) {
                case 2 -> start = fixed64(wt, end, "start_time_unix_nano");
                case 3 -> time = fixed64(wt, end, "time_unix_nano");
                case 4 -> count = fixed64(wt, end, "count");
                case 5 -> sum = Double.longBitsToDouble(fixed64(wt, end, "sum"));
                case 6 -> {
                    enter("quantile_values", quantiles++);
                    countElement();
                    int len = lengthOf(wt, end);
                    int qEnd = pos + len;
                    long qb = 0;
                    long vb = 0;
                    while (pos < qEnd) {
                        int t = readTag(qEnd);
                        switch (t >>> 3) {
                            case 1 -> qb = fixed64(t & 7, qEnd, "quantile");
                            case 2 -> vb = fixed64(t & 7, qEnd, "value");
                            default -> skip(t & 7, qEnd);
                        }
                    }
                    q.add(qb);
                    v.add(vb);
                    leave();
                }
                case 7 -> attribute(wt, end, attrs);
                case 8 -> flags = uint32(wt, end, "flags");
                default -> skip(wt, end);
            }
        }
        double[] qs = new double[q.size];
        double[] vs = new double[v.size];
        for (int i = 0; i < qs.length; i++) {
            qs[i] = Double.longBitsToDouble(q.values[i]);
            vs[i] = Double.longBitsToDouble(v.values[i]);
        }
        return new SummaryPoint(attrs, start, time, count, sum, qs, vs, flags);
    }

    private void attribute(int wt, int end, List<Attribute> into) {
        into.add(nested("attributes", into.size(), wt, end, this::keyValue));
    }

    /** {@code KeyValue {string key = 1; AnyValue value = 2;}}. */
    private Attribute keyValue(int end) {
        countElement();
        String key = "";
        String value = "";
        while (pos < end) {
            int tag = readTag(end);
            switch (tag >>> 3) {
                case 1 -> key = readString(tag & 7, end);
                case 2 -> {
                    int len = lengthOf(tag & 7, end);
                    StringBuilder sb = new StringBuilder();
                    int kind = anyValue(pos + len, sb, 0);
                    value = kind == 0 ? "" : sb.toString();
                }
                default -> skip(tag & 7, end);
            }
        }
        return new Attribute(key, value);
    }

    /**
     * Appends the string form of an {@code AnyValue} (scalars plain, arrays and lists as JSON when {@code nested}
     * &gt; 0 or as the top value). Returns the oneof field number that was set, or 0.
     */
    private int anyValue(int end, StringBuilder sb, int nested) {
        if (nested > MAX_VALUE_DEPTH) {
            throw error("attribute values nested deeper than " + MAX_VALUE_DEPTH + " levels");
        }
        int start = sb.length();
        int kind = 0;
        while (pos < end) {
            int tag = readTag(end);
            int wt = tag & 7;
            int field = tag >>> 3;
            if (field >= 1 && field <= 7) {
                sb.setLength(start); // last oneof wins
                kind = field;
            }
            switch (field) {
                case 1 -> {
                    String s = readString(wt, end);
                    AttributeValues.appendString(sb, s, nested);
                }
                case 2 -> {
                    expectWireType(wt, WT_VARINT, "bool_value");
                    sb.append(readVarint(end) != 0);
                }
                case 3 -> {
                    expectWireType(wt, WT_VARINT, "int_value");
                    sb.append(readVarint(end));
                }
                case 4 -> {
                    double d = Double.longBitsToDouble(fixed64(wt, end, "double_value"));
                    AttributeValues.appendDouble(sb, d, nested);
                }
                case 5 -> {
                    int len = lengthOf(wt, end);
                    int arrEnd = pos + len;
                    sb.append('[');
                    boolean first = true;
                    while (pos < arrEnd) {
                        int t = readTag(arrEnd);
                        if (t >>> 3 == 1) {
                            int l = lengthOf(t & 7, arrEnd);
                            if (!first) {
                                sb.append(',');
                            }
                            first = false;
                            int at = sb.length();
                            if (anyValue(pos + l, sb, nested + 1) == 0) {
                                sb.setLength(at);
                                sb.append("null");
                            }
                        } else {
                            skip(t & 7, arrEnd);
                        }
                    }
                    sb.append(']');
                }
                case 6 -> {
                    int len = lengthOf(wt, end);
                    int listEnd = pos + len;
                    sb.append('{');
                    boolean first = true;
                    while (pos < listEnd) {
                        int t = readTag(listEnd);
                        if (t >>> 3 == 1) {
                            int l = lengthOf(t & 7, listEnd);
                            int kvEnd = pos + l;
                            String key = "";
                            StringBuilder v = new StringBuilder();
                            int vk = 0;
                            while (pos < kvEnd) {
                                int kt = readTag(kvEnd);
                                if (kt >>> 3 == 1) {
                                    key = readString(kt & 7, kvEnd);
                                } else if (kt >>> 3 == 2) {
                                    int vl = lengthOf(kt & 7, kvEnd);
                                    v.setLength(0);
                                    vk = anyValue(pos + vl, v, nested + 1);
                                } else {
                                    skip(kt & 7, kvEnd);
                                }
                            }
                            if (!first) {
                                sb.append(',');
                            }
                            first = false;
                            AttributeValues.appendJsonString(sb, key);
                            sb.append(':').append(vk == 0 ? "null" : v);
                        } else {
                            skip(t & 7, listEnd);
                        }
                    }
                    sb.append('}');
                }
                case 7 -> {
                    int len = lengthOf(wt, end);
                    String b64 = Base64.getEncoder().encodeToString(Arrays.copyOfRange(buf, pos, pos + len));
                    pos += len;
                    AttributeValues.appendString(sb, b64, nested);
                }
                default -> skip(wt, end);
            }
        }
        return kind;
    }

    // ------------------------------------------------------------------------------------------------- wire level

    private void countElement() {
        if (++elements > maxElements) {
            OtlpDecodeException e = error("more than " + maxElements
                    + " resources, scopes, metrics, data points, attributes and quantiles");
            throw new OtlpDecodeException(e.getMessage(), true);
        }
    }

    private long fixed64(int wt, int end, String what) {
        expectWireType(wt, WT_I64, what);
        return readFixed64(end);
    }

    private int uint32(int wt, int end, String what) {
        expectWireType(wt, WT_VARINT, what);
        return (int) readVarint(end);
    }

    private void repeatedFixed64(int wt, int end, LongList into, String what) {
        if (wt == WT_I64) {
            into.add(readFixed64(end));
            return;
        }
        expectWireType(wt, WT_LEN, what + " (packed)");
        long len = readVarint(end);
        if (len < 0 || len > end - pos) {
            throw error(what + ": length " + len + " exceeds the " + (end - pos) + " bytes left");
        }
        if (len % 8 != 0) {
            throw error(what + ": packed length " + len + " is not a multiple of 8");
        }
        int n = (int) (len / 8);
        into.ensure(n);
        int stop = pos + (int) len;
        while (pos < stop) {
            into.add(readFixed64(stop));
        }
    }

    /**
     * Reads the length-delimited sub-message at the current position with {@code parse}, which is given the
     * sub-message's end; while it runs, errors name it as {@code field[index]} ({@code index} -1: not repeated).
     */
    private <T> T nested(String field, int index, int wt, int end, IntFunction<T> parse) {
        enter(field, index);
        int len = lengthOf(wt, end);
        T value = parse.apply(pos + len);
        leave();
        return value;
    }

    private Void skipTo(int end) {
        pos = end;
        return null;
    }

    private void enter(String name, int index) {
        if (depth < path.length) {
            path[depth] = name;
            pathIndex[depth] = index;
        }
        depth++;
    }

    private void leave() {
        depth--;
    }

    @Override
    protected OtlpDecodeException error(String reason) {
        StringBuilder sb = new StringBuilder("invalid OTLP protobuf at ");
        int n = Math.min(depth, path.length);
        if (n == 0) {
            sb.append("request");
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(path[i]);
            if (pathIndex[i] >= 0) {
                sb.append('[').append(pathIndex[i]).append(']');
            }
        }
        sb.append(" (byte ").append(pos - base).append("): ").append(reason);
        return new OtlpDecodeException(sb.toString());
    }

    /** A growable long array; growth is bounded by the checked input length. */
    private static final class LongList {
        long[] values = new long[8];
        int size;

        void ensure(int extra) {
            if (size + extra > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + extra));
            }
        }

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
