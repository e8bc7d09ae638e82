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
    private static final byte[] NO_FIELDS = new byte[0];
    private static final int[] NO_ENDS = new int[0];
    private static final Labels[] NO_LABELS = new Labels[0];
    private static final long[] NO_HANDLES = new long[0];

    final int hash;
    private final byte[] extra;
    private final byte[] key;
    /** Sanitised label name/value pairs of the tags and the extra label, without {@code __name__}. */
    final String[] pairs;
    final String measurement;
    // The field keys, unescaped and concatenated: key i is fieldBytes[fieldEnds[i-1], fieldEnds[i]).
    private final byte[] fieldBytes;
    private final int[] fieldEnds;
    private final Labels[] labels;
    private final long[] handles;

    LineSeries(int hash, byte[] extra, byte[] key, String[] pairs, String measurement) {
        this(hash, extra, key, pairs, measurement, NO_FIELDS, NO_ENDS, NO_LABELS, NO_HANDLES);
    }

    private LineSeries(int hash, byte[] extra, byte[] key, String[] pairs, String measurement, byte[] fieldBytes,
                       int[] fieldEnds, Labels[] labels, long[] handles) {
        this.hash = hash;
        this.extra = extra;
        this.key = key;
        this.pairs = pairs;
        this.measurement = measurement;
        this.fieldBytes = fieldBytes;
        this.fieldEnds = fieldEnds;
        this.labels = labels;
        this.handles = handles;
    }

    /** True when this is the series of {@code src[from, to)} written with extra label value {@code extra}. */
    boolean matches(int hash, byte[] extra, byte[] src, int from, int to) {
        return this.hash == hash && key.length == to - from && Arrays.equals(key, 0, key.length, src, from, to)
                && Arrays.equals(this.extra, extra);
    }

    /** True when both stand for the same series key (whatever fields they know). */
    boolean sameKey(LineSeries o) {
        return hash == o.hash && Arrays.equals(key, o.key) && Arrays.equals(extra, o.extra);
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
        int from = i == 0 ? 0 : fieldEnds[i - 1];
        int to = fieldEnds[i];
        return to - from == len && Arrays.equals(fieldBytes, from, to, b, off, off + len);
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
        int used = n == 0 ? 0 : fieldEnds[n - 1];
        byte[] fb = Arrays.copyOf(fieldBytes, used + len);
        System.arraycopy(b, off, fb, used, len);
        int[] ends = Arrays.copyOf(fieldEnds, n + 1);
        ends[n] = used + len;
        Labels[] ls = Arrays.copyOf(labels, n + 1);
        ls[n] = fieldLabels;
        return new LineSeries(hash, extra, key, pairs, measurement, fb, ends, ls, Arrays.copyOf(handles, n + 1));
    }
}
