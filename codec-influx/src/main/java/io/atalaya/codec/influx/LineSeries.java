package io.atalaya.codec.influx;

import io.atalaya.model.Labels;

import java.util.Arrays;

/**
 * What the mapper knows about one line-protocol series key ({@code measurement,tags} as written, plus the request's
 * extra label value): the sanitised label pairs of its tags and, for each field key seen with it so far, the
 * {@link Labels} of that field's series and the sink's handle for it.
 *
 * <p>Everything but the handles is immutable: a new field gives a new instance ({@link #withField}) that replaces
 * this one in the {@link LineSeriesCache}, so a reader on another thread sees either the old or the new set of fields,
 * never a half-built one. Handles are plain {@code long} writes, racy on purpose: every thread that writes one writes
 * a handle the sink gave for this very series, so any value a reader sees is a valid one (or 0, "unknown").
 */
final class LineSeries {
    private static final int[] NO_ENDS = new int[0];
    private static final Labels[] NO_LABELS = new Labels[0];
    private static final long[] NO_HANDLES = new long[0];

    final int hash;
    // One array, so that a lookup reads one object: the extra label value, the series key, then the field keys
    // (unescaped, concatenated): field key i is bytes[fieldEnds[i-1], fieldEnds[i]) (the first starts at keyEnd).
    private final byte[] bytes;
    private final int extraLen;
    private final int keyEnd;
    /** Sanitised label name/value pairs of the tags and the extra label, without {@code __name__}. */
    final String[] pairs;
    final String measurement;
    private final int[] fieldEnds;
    private final Labels[] labels;
    private final long[] handles;

    /** A series key {@code src[from, to)} with extra label value {@code extra}, with no field yet. */
    LineSeries(int hash, byte[] extra, byte[] src, int from, int to, String[] pairs, String measurement) {
        this(hash, concat(extra, src, from, to), extra.length, extra.length + to - from, pairs, measurement, NO_ENDS,
                NO_LABELS, NO_HANDLES);
    }

    private LineSeries(int hash, byte[] bytes, int extraLen, int keyEnd, String[] pairs, String measurement,
                       int[] fieldEnds, Labels[] labels, long[] handles) {
        this.hash = hash;
        this.bytes = bytes;
        this.extraLen = extraLen;
        this.keyEnd = keyEnd;
        this.pairs = pairs;
        this.measurement = measurement;
        this.fieldEnds = fieldEnds;
        this.labels = labels;
        this.handles = handles;
    }

    private static byte[] concat(byte[] extra, byte[] src, int from, int to) {
        byte[] b = Arrays.copyOf(extra, extra.length + to - from);
        System.arraycopy(src, from, b, extra.length, to - from);
        return b;
    }

    /** True when this is the series of {@code src[from, to)} written with extra label value {@code extra}. */
    boolean matches(int hash, byte[] extra, byte[] src, int from, int to) {
        return this.hash == hash && extraLen == extra.length && keyEnd - extraLen == to - from
                && Arrays.equals(bytes, extraLen, keyEnd, src, from, to)
                && Arrays.equals(bytes, 0, extraLen, extra, 0, extra.length);
    }

    /** True when both stand for the same series key (whatever fields they know). */
    boolean sameKey(LineSeries o) {
        return hash == o.hash && extraLen == o.extraLen && Arrays.equals(bytes, 0, keyEnd, o.bytes, 0, o.keyEnd);
    }

    int fieldCount() {
        return fieldEnds.length;
    }

    /**
     * Index of the field key {@code b[off, off + len)}, or -1. Fields usually come in the same order on every line of
     * a series, so position {@code hint} (the field's position in the line) is tried first.
     */
    int indexOf(byte[] b, int off, int len, int hint) {
        int n = fieldEnds.length;
        if (hint < n && sameField(hint, b, off, len)) {
            return hint;
        }
        for (int i = 0; i < n; i++) {
            if (i != hint && sameField(i, b, off, len)) {
                return i;
            }
        }
        return -1;
    }

    private boolean sameField(int i, byte[] b, int off, int len) {
        int from = i == 0 ? keyEnd : fieldEnds[i - 1];
        int to = fieldEnds[i];
        return to - from == len && Arrays.equals(bytes, from, to, b, off, off + len);
    }

    Labels labels(int field) {
        return labels[field];
    }

    long handle(int field) {
        return handles[field];
    }

    void handle(int field, long handle) {
        handles[field] = handle;
    }

    /** A copy that also knows field key {@code b[off, off + len)} (the last index), with its labels. */
    LineSeries withField(byte[] b, int off, int len, Labels fieldLabels) {
        int n = fieldEnds.length;
        int used = n == 0 ? keyEnd : fieldEnds[n - 1];
        byte[] fb = Arrays.copyOf(bytes, used + len);
        System.arraycopy(b, off, fb, used, len);
        int[] ends = Arrays.copyOf(fieldEnds, n + 1);
        ends[n] = used + len;
        Labels[] ls = Arrays.copyOf(labels, n + 1);
        ls[n] = fieldLabels;
        return new LineSeries(hash, fb, extraLen, keyEnd, pairs, measurement, ends, ls, Arrays.copyOf(handles, n + 1));
    }
}
