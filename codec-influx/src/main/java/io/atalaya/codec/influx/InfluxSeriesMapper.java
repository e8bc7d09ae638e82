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
 * <p>Allocation: the {@link Labels} of a series are cached (bounded, direct-mapped, shared by all threads) under the
 * raw bytes that name it in the body ({@code measurement,tags} as written, the field key and the extra label value),
 * so a series seen before costs a hash and a byte compare, allocates nothing and is given to the sink as the same
 * {@code Labels} instance, whichever thread maps it. Metric names are cached per (measurement, field).
 *
 * <p>Thread-safe: {@link #map} may be called from many threads at once; the series cache is lock-free (see
 * {@link SeriesLabelsCache}) and each call borrows its buffers and name cache from a small pool (at most a few per
 * core are kept).
 */
public final class InfluxSeriesMapper {
    private static final int MAX_CACHED_NAMES = 16_384;
    /** Slots of the shared series cache: a few MB of references at most, room for ~100k series without thrashing. */
    private static final int SERIES_SLOTS = 1 << 18;

    private final InfluxMappingOptions options;
    // The name template split around its placeholders: prefix {first} middle {second} suffix.
    private final String prefix;
    private final boolean measurementFirst;
    private final String middle;
    private final String suffix;
    private final boolean hasMeasurement;
    private final boolean hasField;

    private static final byte[] NO_BYTES = new byte[0];
    private final ObjectPool<Worker> workers = new ObjectPool<>(Worker::new);
    private final SeriesLabelsCache cache = new SeriesLabelsCache(SERIES_SLOTS);

    public InfluxSeriesMapper(InfluxMappingOptions options) {
        this.options = options;
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
        private byte[] key = new byte[256];
        private String[] pairs = new String[32];
        private final Labels.Builder builder = Labels.builder();

        int map(InfluxBatch batch, String extraLabelValue, SampleSink sink, List<LineError> rejected) {
            boolean extra = !options.extraLabelName().isEmpty() && !extraLabelValue.isEmpty();
            // Cache key: [length of the extra value][extra value][measurement,tags as written] 0 [field key]
            byte[] extraBytes = extra ? extraLabelValue.getBytes(StandardCharsets.UTF_8) : NO_BYTES;
            int prefix = 4 + extraBytes.length;
            if (key.length < prefix + 64) {
                key = Arrays.copyOf(key, prefix + 256);
            }
            key[0] = (byte) (extraBytes.length >>> 24);
            key[1] = (byte) (extraBytes.length >>> 16);
            key[2] = (byte) (extraBytes.length >>> 8);
            key[3] = (byte) extraBytes.length;
            System.arraycopy(extraBytes, 0, key, 4, extraBytes.length);
            int emitted = 0;
            for (int p = 0; p < batch.size(); p++) {
                key = batch.appendSeriesKey(p, key, prefix);
                int fieldAt = prefix + batch.seriesKeyLength(p) + 1;
                if (key.length <= fieldAt) {
                    key = Arrays.copyOf(key, fieldAt + 64);
                }
                key[fieldAt - 1] = 0;
                int seriesHash = SeriesLabelsCache.mix(SeriesLabelsCache.SEED, key, 0, fieldAt);
                long ts = batch.timestampMillis(p);
                int pairsEnd = -1; // label pairs of this point, built on the first cache miss
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
                    key = batch.appendFieldKey(p, f, key, fieldAt);
                    int keyLen = fieldAt + batch.fieldKeyLength(p, f);
                    int h = SeriesLabelsCache.finish(SeriesLabelsCache.mix(seriesHash, key, fieldAt, keyLen - fieldAt));
                    Labels labels = cache.get(key, keyLen, h);
                    if (labels == null) {
                        if (pairsEnd < 0) {
                            pairsEnd = pointLabels(batch, p, extra, extraLabelValue, rejected);
                            if (pairsEnd == 0) {
                                break; // line rejected
                            }
                        }
                        builder.reset().set(Labels.METRIC_NAME, metricName(batch.measurement(p), batch.fieldKey(p, f)));
                        for (int i = 2; i < pairsEnd; i += 2) {
                            builder.set(pairs[i], pairs[i + 1]);
                        }
                        labels = builder.build();
                        cache.put(key, keyLen, h, labels);
                    }
                    sink.accept(labels, ts, batch.fieldAsDouble(p, f));
                    emitted++;
                }
                if (pairsEnd != 0 && firstString != null) {
                    rejected.add(new LineError(batch.lineNumber(p), 1, "string field \"" + firstString + "\""
                            + (strings > 1 ? " and " + (strings - 1) + " more" : "")
                            + " skipped: only float, integer, unsigned and boolean fields become samples"));
                }
            }
            return emitted;
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
