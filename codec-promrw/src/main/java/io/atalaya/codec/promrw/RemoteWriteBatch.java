package io.atalaya.codec.promrw;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.model.MetricType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One decoded remote-write request (1.0 {@code prometheus.WriteRequest} or 2.0 {@code io.prometheus.write.v2.Request})
 * as flat, reusable arrays: series, their labels, samples, exemplars, native-histogram counts and metadata.
 *
 * <p>Zero-copy: label names and values are offsets into the decoded protobuf bytes ({@link #buffer()}); strings are
 * made only when asked ({@link #labels(int)}, {@link #labelName(int, int)}...). {@link #labelsHash(int)} is a cheap
 * 64-bit hash of a series' label bytes, for series caches (collisions are possible: compare before trusting).
 *
 * <p>Lifetime: the batch refers to the buffer it was decoded from and is overwritten by the next decode; callers
 * must copy what they keep and must not change the buffer meanwhile. Not thread-safe. Timestamps are milliseconds
 * since the epoch.
 */
public final class RemoteWriteBatch {
    /** Protocol version of the last decoded request: 1 or 2. */
    int version;
    byte[] buf = new byte[0];

    // Series.
    int seriesCount;
    int[] labelStart = new int[64];
    int[] labelEnd = new int[64];
    int[] sampleStart = new int[64];
    int[] sampleEnd = new int[64];
    int[] exemplarStart = new int[64];
    int[] exemplarEnd = new int[64];
    int[] histograms = new int[64];
    long[] labelsHash = new long[64];
    // Remote write 1.0: where the series' Label sub-messages lie in the buffer, when they are contiguous (else -1).
    int[] rawLabelsOff = new int[64];
    int[] rawLabelsLen = new int[64];
    // Remote write 2.0 per-series metadata and created timestamp.
    byte[] metricType = new byte[64];
    int[] helpOff = new int[64];
    int[] helpLen = new int[64];
    int[] unitOff = new int[64];
    int[] unitLen = new int[64];
    long[] created = new long[64];

    // Series labels (flat).
    int labelCount;
    int[] nameOff = new int[256];
    int[] nameLen = new int[256];
    int[] valueOff = new int[256];
    int[] valueLen = new int[256];

    // Samples (flat).
    int sampleCount;
    long[] ts = new long[256];
    double[] values = new double[256];

    // Exemplars (flat) and their labels (flat, separate from series labels so those stay contiguous).
    int exemplarCount;
    int[] exLabelStart = new int[16];
    int[] exLabelEnd = new int[16];
    double[] exValue = new double[16];
    long[] exTs = new long[16];
    int exLabelCount;
    int[] exNameOff = new int[16];
    int[] exNameLen = new int[16];
    int[] exValueOff = new int[16];
    int[] exValueLen = new int[16];

    // Remote write 1.0 request-level metadata.
    final List<MetadataEntry> metadata = new ArrayList<>();

    /** Remote write 1.0 metadata: one family's type, help and unit. */
    public record MetadataEntry(String familyName, MetricMetadata metadata) {
    }

    void reset(byte[] buffer, int version) {
        this.buf = buffer;
        this.version = version;
        seriesCount = 0;
        labelCount = 0;
        sampleCount = 0;
        exemplarCount = 0;
        exLabelCount = 0;
        metadata.clear();
    }

    // ---------------------------------------------------------------------------------------------------- public API

    /** 1 for remote write 1.0, 2 for 2.0. */
    public int version() {
        return version;
    }

    /** The decoded protobuf bytes that offsets refer to. */
    public byte[] buffer() {
        return buf;
    }

    public int seriesCount() {
        return seriesCount;
    }

    /** Samples of all series together. */
    public int totalSamples() {
        return sampleCount;
    }

    public int labelCount(int series) {
        return labelEnd[series] - labelStart[series];
    }

    public String labelName(int series, int i) {
        int k = labelStart[series] + i;
        return new String(buf, nameOff[k], nameLen[k], StandardCharsets.UTF_8);
    }

    public String labelValue(int series, int i) {
        int k = labelStart[series] + i;
        return new String(buf, valueOff[k], valueLen[k], StandardCharsets.UTF_8);
    }

    /** Offset of label {@code i}'s name in {@link #buffer()}; with {@link #labelNameLength} a zero-copy view. */
    public int labelNameOffset(int series, int i) {
        return nameOff[labelStart[series] + i];
    }

    public int labelNameLength(int series, int i) {
        return nameLen[labelStart[series] + i];
    }

    public int labelValueOffset(int series, int i) {
        return valueOff[labelStart[series] + i];
    }

    public int labelValueLength(int series, int i) {
        return valueLen[labelStart[series] + i];
    }

    /**
     * 64-bit hash of the series' labels (stable within a version of this class). When {@link #rawLabelsOffset} is
     * not -1 it hashes those raw bytes and is odd; otherwise it hashes the label names and values in wire order and
     * is even. So two equal hashes always come from the same kind of key.
     */
    public long labelsHash(int series) {
        return labelsHash[series];
    }

    /**
     * Remote write 1.0: offset in {@link #buffer()} of the series' {@code Label} sub-messages, tags included, when
     * they are contiguous on the wire (as every sender writes them); -1 otherwise (and always for 2.0, whose labels
     * are symbol references that mean nothing outside their request). Equal raw bytes decode to equal labels, so
     * those bytes are a key for the label set that needs one comparison.
     */
    public int rawLabelsOffset(int series) {
        return rawLabelsOff[series];
    }

    /** Length of the range at {@link #rawLabelsOffset}; 0 when there is none. */
    public int rawLabelsLength(int series) {
        return rawLabelsLen[series];
    }

    /**
     * The label set of a series. Allocates. Throws {@link IllegalArgumentException} if the series repeats a label
     * name (the ingest layer turns that into a per-series rejection).
     */
    public Labels labels(int series) {
        int n = labelCount(series);
        String[] nv = new String[2 * n];
        for (int i = 0; i < n; i++) {
            nv[2 * i] = labelName(series, i);
            nv[2 * i + 1] = labelValue(series, i);
        }
        return Labels.of(nv);
    }

    public int sampleCount(int series) {
        return sampleEnd[series] - sampleStart[series];
    }

    public long sampleTimestamp(int series, int i) {
        return ts[sampleStart[series] + i];
    }

    public double sampleValue(int series, int i) {
        return values[sampleStart[series] + i];
    }

    public int exemplarCount(int series) {
        return exemplarEnd[series] - exemplarStart[series];
    }

    public Labels exemplarLabels(int series, int i) {
        int e = exemplarStart[series] + i;
        int n = exLabelEnd[e] - exLabelStart[e];
        String[] nv = new String[2 * n];
        for (int k = 0; k < n; k++) {
            int j = exLabelStart[e] + k;
            nv[2 * k] = new String(buf, exNameOff[j], exNameLen[j], StandardCharsets.UTF_8);
            nv[2 * k + 1] = new String(buf, exValueOff[j], exValueLen[j], StandardCharsets.UTF_8);
        }
        return Labels.of(nv);
    }

    public double exemplarValue(int series, int i) {
        return exValue[exemplarStart[series] + i];
    }

    public long exemplarTimestamp(int series, int i) {
        return exTs[exemplarStart[series] + i];
    }

    /**
     * Number of native histogram samples the series carried. They are decoded for well-formedness but not
     * exposed: Atalaya does not store native histograms yet, so ingest reports them as unsupported for this series.
     */
    public int histogramCount(int series) {
        return histograms[series];
    }

    /** Remote write 1.0: the request's metadata entries (empty for 2.0). */
    public List<MetadataEntry> metadata() {
        return metadata;
    }

    /** Remote write 2.0: the series' metadata (type UNKNOWN and empty strings when not given). Allocates. */
    public MetricMetadata seriesMetadata(int series) {
        if (version != 2) {
            return new MetricMetadata(MetricType.UNKNOWN, "", "");
        }
        return new MetricMetadata(typeOf(metricType[series]),
                new String(buf, helpOff[series], helpLen[series], StandardCharsets.UTF_8),
                new String(buf, unitOff[series], unitLen[series], StandardCharsets.UTF_8));
    }

    /** Remote write 2.0: the series' created timestamp in ms, 0 when not given. */
    public long createdTimestamp(int series) {
        return version == 2 ? created[series] : 0;
    }

    static MetricType typeOf(int wire) {
        return switch (wire) {
            case 1 -> MetricType.COUNTER;
            case 2 -> MetricType.GAUGE;
            case 3 -> MetricType.HISTOGRAM;
            case 4 -> MetricType.GAUGEHISTOGRAM;
            case 5 -> MetricType.SUMMARY;
            case 6 -> MetricType.INFO;
            case 7 -> MetricType.STATESET;
            default -> MetricType.UNKNOWN;
        };
    }

    static int wireOf(MetricType t) {
        return switch (t) {
            case COUNTER -> 1;
            case GAUGE -> 2;
            case HISTOGRAM -> 3;
            case GAUGEHISTOGRAM -> 4;
            case SUMMARY -> 5;
            case INFO -> 6;
            case STATESET -> 7;
            case UNKNOWN -> 0;
        };
    }

    // ------------------------------------------------------------------------------------------- decoder interface

    int beginSeries() {
        int s = seriesCount;
        if (s == labelStart.length) {
            int n = s * 2;
            labelStart = Arrays.copyOf(labelStart, n);
            labelEnd = Arrays.copyOf(labelEnd, n);
            sampleStart = Arrays.copyOf(sampleStart, n);
            sampleEnd = Arrays.copyOf(sampleEnd, n);
            exemplarStart = Arrays.copyOf(exemplarStart, n);
            exemplarEnd = Arrays.copyOf(exemplarEnd, n);
            histograms = Arrays.copyOf(histograms, n);
            labelsHash = Arrays.copyOf(labelsHash, n);
            rawLabelsOff = Arrays.copyOf(rawLabelsOff, n);
            rawLabelsLen = Arrays.copyOf(rawLabelsLen, n);
            metricType = Arrays.copyOf(metricType, n);
            helpOff = Arrays.copyOf(helpOff, n);
            helpLen = Arrays.copyOf(helpLen, n);
            unitOff = Arrays.copyOf(unitOff, n);
            unitLen = Arrays.copyOf(unitLen, n);
            created = Arrays.copyOf(created, n);
        }
        labelStart[s] = labelCount;
        sampleStart[s] = sampleCount;
        exemplarStart[s] = exemplarCount;
        histograms[s] = 0;
        rawLabelsOff[s] = -1;
        rawLabelsLen[s] = 0;
        metricType[s] = 0;
        helpOff[s] = 0;
        helpLen[s] = 0;
        unitOff[s] = 0;
        unitLen[s] = 0;
        created[s] = 0;
        seriesCount = s + 1;
        return s;
    }

    /**
     * Records that the series' labels are exactly the Label sub-messages (with their tags) in
     * {@code buf[off, off+len)}, with nothing else between them. Called by the decoder before {@link #endSeries}.
     */
    void rawLabels(int s, int off, int len) {
        rawLabelsOff[s] = off;
        rawLabelsLen[s] = len;
    }

    void endSeries(int s) {
        labelEnd[s] = labelCount;
        sampleEnd[s] = sampleCount;
        exemplarEnd[s] = exemplarCount;
        long h;
        if (rawLabelsOff[s] >= 0) {
            // One pass over the wire bytes, which decode to the labels: cheaper than a call per name and value.
            h = hash(0x6a09e667f3bcc909L, buf, rawLabelsOff[s], rawLabelsLen[s]) | 1L;
        } else {
            h = 0xcbf29ce484222325L;
            for (int k = labelStart[s]; k < labelCount; k++) {
                h = hash(h, buf, nameOff[k], nameLen[k]);
                h = hash(h, buf, valueOff[k], valueLen[k]);
            }
            h &= ~1L;
        }
        labelsHash[s] = h;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Mixes {@code b[off, off+len)} into {@code h}, eight bytes per step (byte-at-a-time FNV cost about 100 ns per
     * node_exporter series). The length goes in first, so ("ab", "c") and ("a", "bc") differ.
     */
    static long hash(long h, byte[] b, int off, int len) {
        h = (h ^ len) * 0x9E3779B97F4A7C15L;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = (h ^ (long) LONGS.get(b, off + i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        for (; i < len; i++) {
            h = (h ^ b[off + i]) * 0x100000001b3L;
        }
        return h ^ (h >>> 32);
    }

    void addLabel(int no, int nl, int vo, int vl) {
        int k = labelCount;
        if (k == nameOff.length) {
            int n = k * 2;
            nameOff = Arrays.copyOf(nameOff, n);
            nameLen = Arrays.copyOf(nameLen, n);
            valueOff = Arrays.copyOf(valueOff, n);
            valueLen = Arrays.copyOf(valueLen, n);
        }
        nameOff[k] = no;
        nameLen[k] = nl;
        valueOff[k] = vo;
        valueLen[k] = vl;
        labelCount = k + 1;
    }

    void addSample(long timestamp, double value) {
        int k = sampleCount;
        if (k == ts.length) {
            ts = Arrays.copyOf(ts, k * 2);
            values = Arrays.copyOf(values, k * 2);
        }
        ts[k] = timestamp;
        values[k] = value;
        sampleCount = k + 1;
    }

    int beginExemplar() {
        int e = exemplarCount;
        if (e == exValue.length) {
            int n = e * 2;
            exLabelStart = Arrays.copyOf(exLabelStart, n);
            exLabelEnd = Arrays.copyOf(exLabelEnd, n);
            exValue = Arrays.copyOf(exValue, n);
            exTs = Arrays.copyOf(exTs, n);
        }
        exLabelStart[e] = exLabelCount;
        exValue[e] = 0;
        exTs[e] = 0;
        exemplarCount = e + 1;
        return e;
    }

    void endExemplar(int e) {
        exLabelEnd[e] = exLabelCount;
    }

    void addExemplarLabel(int no, int nl, int vo, int vl) {
        int k = exLabelCount;
        if (k == exNameOff.length) {
            int n = k * 2;
            exNameOff = Arrays.copyOf(exNameOff, n);
            exNameLen = Arrays.copyOf(exNameLen, n);
            exValueOff = Arrays.copyOf(exValueOff, n);
            exValueLen = Arrays.copyOf(exValueLen, n);
        }
        exNameOff[k] = no;
        exNameLen[k] = nl;
        exValueOff[k] = vo;
        exValueLen[k] = vl;
        exLabelCount = k + 1;
    }
}
