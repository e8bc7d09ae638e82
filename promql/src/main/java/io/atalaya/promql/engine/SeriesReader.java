package io.atalaya.promql.engine;

import io.atalaya.model.StaleMarker;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.Series;
import java.util.Arrays;

/**
 * Decodes one series at a time into reused buffers ({@link #t}, {@link #v}), recycling its sample iterator. One per
 * thread: neither the buffers nor the iterator may be shared.
 */
final class SeriesReader {
    long[] t = new long[256];
    double[] v = new double[256];
    private SampleIterator reuse;

    /** Samples asked from the iterator at once: one interface call per batch rather than three per sample. */
    private static final int BATCH = 256;

    /** Reads the samples of {@code s} in {@code [mint, maxt]} (stale markers only if asked); returns how many. */
    int read(Series s, long mint, long maxt, boolean keepStale) {
        SampleIterator it = s.iterator(reuse);
        reuse = it;
        if (!it.seek(mint)) {
            return 0;
        }
        long first = it.timestamp();
        if (first > maxt) {
            return 0;
        }
        int n = 0;
        double firstValue = it.value();
        if (keepStale || !StaleMarker.is(firstValue)) {
            t[0] = first;
            v[0] = firstValue;
            n = 1;
        }
        int got;
        do {
            if (n + BATCH > t.length) {
                int size = Math.max(n + BATCH, t.length * 2);
                t = Arrays.copyOf(t, size);
                v = Arrays.copyOf(v, size);
            }
            // Decoded straight into the result arrays, then clipped at maxt and stripped of stale markers in place.
            got = it.nextBatch(t, v, n, BATCH);
            int end = n + got;
            int keep = end;
            while (keep > n && t[keep - 1] > maxt) {
                keep--;
            }
            n = keepStale ? keep : dropStale(n, keep);
            if (keep < end) {
                break; // past maxt
            }
        } while (got == BATCH);
        return n;
    }

    /**
     * Removes the stale markers from {@code [from, to)} and returns the new end. They are rare: one scan, and samples
     * move only after the first marker.
     */
    private int dropStale(int from, int to) {
        int i = from;
        while (i < to && !StaleMarker.is(v[i])) {
            i++;
        }
        int w = i;
        for (; i < to; i++) {
            if (!StaleMarker.is(v[i])) {
                t[w] = t[i];
                v[w] = v[i];
                w++;
            }
        }
        return w;
    }
}
