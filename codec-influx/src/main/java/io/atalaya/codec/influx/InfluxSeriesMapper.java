package io.atalaya.codec.influx;

import io.atalaya.common.ObjectPool;
import io.atalaya.model.Labels;
import io.atalaya.model.NameSanitizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Maps parsed line-protocol points to Prometheus-style series: one sample per numeric field.
 *
 * <ul>
 *   <li>Metric name: {@link InfluxMappingOptions#nameTemplate()} filled with the measurement and the field key
 *       (default {@code measurement_field}), or the measurement alone for the configured value field; then sanitised
 *       with {@link NameSanitizer#metricName} (invalid characters become {@code _}, a leading digit gets a {@code _}
 *       prefix).</li>
 *   <li>Tags become labels, names sanitised with {@link NameSanitizer#labelName}, values unchanged. The optional
 *       extra label (db/bucket) is added and wins over a tag of the same name.</li>
 *   <li>Values: float as is; integer and unsigned converted to double (exact up to 2^53); boolean as 1 or 0.</li>
 *   <li>Timestamps: nanoseconds rounded down to milliseconds.</li>
 * </ul>
 *
 * <p>Rejections are reported per line as {@link LineError} (column 1, since they concern the line's names, not one
 * byte): a string field is skipped with a reason while the numeric fields of the same line are still written; a line
 * whose tags become two labels of the same name after sanitising, or that has a tag named {@code __name__}, is
 * skipped entirely.
 *
 * <p>Allocation: what a line's series key ({@code measurement,tags} as written, with the request's extra label value)
 * maps to is cached (bounded, shared by all threads, see {@link LineSeriesCache}) under its raw bytes, with the
 * {@link Labels} of each of its fields. A line of known series costs one hash and one byte compare of its series key,
 * then a short compare per field key; it allocates nothing, and each series is given to the sink as the same
 * {@code Labels} instance with the handle the sink returned last time ({@link SampleSink#accept(Labels, long, long,
 * double)}), whichever thread maps it. Metric names are cached per (measurement, field).
 *
 * <p>Thread-safe: {@link #map} may be called from many threads at once; the series cache is lock-free and each call
 * borrows its buffers and name cache from a small pool (at most a few per core are kept).
 */
public final class InfluxSeriesMapper {
    private static final int MAX_CACHED_NAMES = 16_384;
    /** Slots of the shared series-key cache: 1 MB of references, room for ~100k series keys without thrashing. */
    private static final int SERIES_SLOTS = 1 << 18;

    private final InfluxMappingOptions options;
    // The name template split around its placeholders: prefix {first} middle {second} suffix.
    private final String prefix;
    private final boolean measurementFirst;
    private final String middle;
    private final String suffix;
    private final boolean hasMeasurement;
    private final boolean hasField;

    /** Field keys remembered per series key; more are mapped uncached (see {@link Worker#map}). */
    static final int MAX_FIELDS_PER_SERIES = 256;

    private static final byte[] NO_BYTES = new byte[0];
    private final ObjectPool<Worker> workers = new ObjectPool<>(Worker::new);
    private final LineSeriesCache cache;

    public InfluxSeriesMapper(InfluxMappingOptions options) {
        this(options, SERIES_SLOTS);
    }

    /** With a series-key cache of {@code seriesSlots} slots (tests use a tiny one to force evictions). */
    InfluxSeriesMapper(InfluxMappingOptions options, int seriesSlots) {
        this.options = options;
        this.cache = new LineSeriesCache(seriesSlots);
        String t = options.nameTemplate();
        int m = t.indexOf(InfluxMappingOptions.MEASUREMENT);
        int f = t.indexOf(InfluxMappingOptions.FIELD);
        hasMeasurement = m >= 0;
        hasField = f >= 0;
        if (hasMeasurement && hasField) {
            measurementFirst = m < f;
            int first = Math.min(m, f);
            int second = Math.max(m, f);
            int firstLen = measurementFirst ? InfluxMappingOptions.MEASUREMENT.length() : InfluxMappingOptions.FIELD.length();
            int secondLen = measurementFirst ? InfluxMappingOptions.FIELD.length() : InfluxMappingOptions.MEASUREMENT.length();
            prefix = t.substring(0, first);
            middle = t.substring(first + firstLen, second);
            suffix = t.substring(second + secondLen);
        } else {
            measurementFirst = true;
            int at = hasMeasurement ? m : f;
            int len = hasMeasurement ? InfluxMappingOptions.MEASUREMENT.length() : InfluxMappingOptions.FIELD.length();
            prefix = t.substring(0, at);
            middle = "";
            suffix = t.substring(at + len);
        }
    }

    public InfluxMappingOptions options() {
        return options;
    }

    /**
     * Emits one sample per numeric field of every point in {@code batch}.
     *
     * @param extraLabelValue value of the configured extra label for this request (e.g. the db); ignored when no extra
     *                        label is configured or when empty
     * @param rejected        receives one entry per line that lost fields or was skipped, in input order
     * @return the number of samples emitted
     */
    public int map(InfluxBatch batch, String extraLabelValue, SampleSink sink, List<LineError> rejected) {
        Worker w = workers.acquire();
        try {
            return w.map(batch, extraLabelValue, sink, rejected);
        } finally {
            workers.release(w);
        }
    }

    /** The per-thread state of a mapping: caches and buffers. Used by one thread at a time (see {@link ObjectPool}). */
    private final class Worker {
        private final HashMap<String, HashMap<String, String>> names = new HashMap<>();
        private int cachedNames;
        private String[] pairs = new String[32];
        private final Labels.Builder builder = Labels.builder();
        // The extra label value of the last request and its UTF-8 bytes: requests of one client repeat it.
        private String lastExtra = "";
        private byte[] lastExtraBytes = NO_BYTES;

        int map(InfluxBatch batch, String extraLabelValue, SampleSink sink, List<LineError> rejected) {
            boolean extra = !options.extraLabelName().isEmpty() && !extraLabelValue.isEmpty();
            byte[] extraBytes = extra ? extraBytes(extraLabelValue) : NO_BYTES;
            int seed = LineSeriesCache.hash(LineSeriesCache.SEED, extraBytes, 0, extraBytes.length);
            byte[] src = batch.source();
            int emitted = 0;
            for (int p = 0; p < batch.size(); p++) {
                long ts = batch.timestampMillis(p);
                LineSeries series = null; // looked up at the first numeric field
                boolean skipped = false;
                String firstString = null;
                int strings = 0;
                for (int f = 0; f < batch.fieldCount(p); f++) {
                    if (batch.fieldType(p, f) == FieldType.STRING) {
                        if (firstString == null) {
                            firstString = batch.fieldKey(p, f);
                        }
                        strings++;
                        continue;
                    }
                    if (series == null) {
                        int from = batch.seriesKeyFrom(p);
                        int to = batch.seriesKeyTo(p);
                        int h = LineSeriesCache.hash(seed, src, from, to - from);
                        series = cache.get(h, extraBytes, src, from, to);
                        if (series == null) {
                            series = newSeries(batch, p, h, extra, extraLabelValue, extraBytes, rejected);
                            if (series == null) {
                                skipped = true;
                                break; // line rejected
                            }
                        }
                    }
                    byte[] keyArray = batch.fieldKeyArray(p, f);
                    int keyOff = batch.fieldKeyOffset(p, f);
                    int keyLen = batch.fieldKeyLength(p, f);
                    int i = series.indexOf(keyArray, keyOff, keyLen, f);
                    double value = batch.fieldAsDouble(p, f);
                    if (i < 0) {
                        Labels labels = fieldLabels(series, batch.fieldKey(p, f));
                        if (series.fieldCount() >= MAX_FIELDS_PER_SERIES) {
                            // Not remembered, so that a line with endless distinct field keys cannot grow an entry
                            // (and every lookup in it) without bound; correct, only slower.
                            sink.accept(labels, 0, ts, value);
                            emitted++;
                            continue;
                        }
                        series = series.withField(keyArray, keyOff, keyLen, labels);
                        cache.put(series);
                        i = series.fieldCount() - 1;
                    }
                    long handle = series.handle(i);
                    long next = sink.accept(series.labels(i), handle, ts, value);
                    if (next != handle) {
                        series.handle(i, next);
                    }
                    emitted++;
                }
                if (!skipped && firstString != null) {
                    rejected.add(new LineError(batch.lineNumber(p), 1, "string field \"" + firstString + "\""
                            + (strings > 1 ? " and " + (strings - 1) + " more" : "")
                            + " skipped: only float, integer, unsigned and boolean fields become samples"));
                }
            }
            return emitted;
        }

        private byte[] extraBytes(String value) {
            if (!value.equals(lastExtra)) {
                lastExtraBytes = value.getBytes(StandardCharsets.UTF_8);
                lastExtra = value;
            }
            return lastExtraBytes;
        }

        /**
         * The entry for the series key of point {@code p}, with its label pairs and no field yet, stored in the cache;
         * or null after recording a rejection when the tags cannot become labels (such lines are never cached).
         */
        private LineSeries newSeries(InfluxBatch batch, int p, int h, boolean extra, String extraLabelValue,
                                     byte[] extraBytes, List<LineError> rejected) {
            int pairsEnd = pointLabels(batch, p, extra, extraLabelValue, rejected);
            if (pairsEnd == 0) {
                return null;
            }
            LineSeries series = new LineSeries(h, extraBytes, batch.source(), batch.seriesKeyFrom(p),
                    batch.seriesKeyTo(p), Arrays.copyOfRange(pairs, 2, pairsEnd), batch.measurement(p));
            cache.put(series);
            return series;
        }

        private Labels fieldLabels(LineSeries series, String field) {
            builder.reset().set(Labels.METRIC_NAME, metricName(series.measurement, field));
            String[] tagPairs = series.pairs;
            for (int i = 0; i < tagPairs.length; i += 2) {
                builder.set(tagPairs[i], tagPairs[i + 1]);
            }
            return builder.build();
        }

        /**
         * Fills {@link #pairs} from index 2 with the point's sanitised tags and the extra label. Returns the end index, or
         * 0 after recording a rejection when the tags cannot become labels.
         */
        private int pointLabels(InfluxBatch batch, int p, boolean extra, String extraLabelValue, List<LineError> rejected) {
            int tags = batch.tagCount(p);
            int need = 2 * (tags + 2);
            if (pairs.length < need) {
                pairs = new String[Math.max(need, pairs.length * 2)];
            }
            int w = 2; // pairs[0..1] is left for __name__
            for (int t = 0; t < tags; t++) {
                String name = NameSanitizer.labelName(batch.tagKey(p, t));
                if (name.equals(Labels.METRIC_NAME)) {
                    rejected.add(new LineError(batch.lineNumber(p), 1,
                            "tag key __name__ is reserved for the metric name; line skipped"));
                    return 0;
                }
                if (extra && name.equals(options.extraLabelName())) {
                    continue;
                }
                pairs[w++] = name;
                pairs[w++] = batch.tagValue(p, t);
            }
            if (extra) {
                pairs[w++] = options.extraLabelName();
                pairs[w++] = extraLabelValue;
            }
            if (hasDuplicateName(w)) {
                rejected.add(new LineError(batch.lineNumber(p), 1, "tag keys of measurement \"" + batch.measurement(p)
                        + "\" collide after sanitising to label names; line skipped"));
                return 0;
            }
            return w;
        }

        private boolean hasDuplicateName(int w) {
            for (int i = 2; i < w; i += 2) {
                for (int j = 2; j < i; j += 2) {
                    if (pairs[i].equals(pairs[j])) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The sanitised metric name for a field of a measurement, cached. */
        String metricName(String measurement, String field) {
            HashMap<String, String> byField = names.get(measurement);
            if (byField != null) {
                String n = byField.get(field);
                if (n != null) {
                    return n;
                }
            }
            if (cachedNames >= MAX_CACHED_NAMES) {
                names.clear();
                cachedNames = 0;
                byField = null;
            }
            if (byField == null) {
                byField = new HashMap<>();
                names.put(measurement, byField);
            }
            String name = NameSanitizer.metricName(render(measurement, field));
            byField.put(field, name);
            cachedNames++;
            return name;
        }

    }

    private String render(String measurement, String field) {
        if (!options.valueField().isEmpty() && options.valueField().equals(field)) {
            return measurement;
        }
        StringBuilder sb = new StringBuilder(prefix.length() + measurement.length() + middle.length()
                + field.length() + suffix.length());
        sb.append(prefix);
        if (hasMeasurement && hasField) {
            sb.append(measurementFirst ? measurement : field).append(middle).append(measurementFirst ? field : measurement);
        } else {
            sb.append(hasMeasurement ? measurement : field);
        }
        return sb.append(suffix).toString();
    }
}
