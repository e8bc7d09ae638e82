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

    /** Samples taken from the iterator at once: one interface call per batch rather than three per sample. */
    private static final int BATCH = 256;
    private final long[] bt = new long[BATCH];
    private final double[] bv = new double[BATCH];

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
            got = it.nextBatch(bt, bv, BATCH);
            int keep = 0;
            while (keep < got && bt[keep] <= maxt) {
                keep++;
            }
            if (n + keep > t.length) {
                int size = Math.max(n + keep, t.length * 2);
                t = Arrays.copyOf(t, size);
                v = Arrays.copyOf(v, size);
            }
            if (keepStale) {
                System.arraycopy(bt, 0, t, n, keep);
                System.arraycopy(bv, 0, v, n, keep);
                n += keep;
            } else {
                for (int i = 0; i < keep; i++) {
                    double val = bv[i];
                    if (!StaleMarker.is(val)) {
                        t[n] = bt[i];
                        v[n] = val;
                        n++;
                    }
                }
            }
            if (keep < got) {
                break; // past maxt
            }
        } while (got == BATCH);
        return n;
    }
}
