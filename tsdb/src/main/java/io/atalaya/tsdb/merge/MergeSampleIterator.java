package io.atalaya.tsdb.merge;

import io.atalaya.storage.SampleIterator;

/**
 * Merges sample iterators of one series by timestamp. At equal timestamps the sample of the input with the lowest
 * index is returned and the others are skipped (de-duplication). Allocates nothing per sample. Not thread-safe.
 *
 * <p>Inputs mostly overlap little or not at all (head and blocks, consecutive blocks), so the iterator keeps
 * {@link #limit}, the smallest current timestamp of the inputs other than the one it is reading from: while the current
 * input's next sample lies strictly before it, no other input can hold that timestamp and the sample is returned
 * without looking at the others (one call to the current input per sample). Only at and after {@code limit} does it
 * compare all inputs, O(k) per sample, which is cheapest for the small k of real queries. Inputs are read in batches
 * through {@link BufferedSampleIterator}s (one final class: no megamorphic call per sample).
 */
public final class MergeSampleIterator implements SampleIterator {
    private final BufferedSampleIterator[] its;
    private final boolean[] has;
    private final long[] ts;
    private boolean started;
    private boolean done;
    private int cur = -1;
    private BufferedSampleIterator curIt;
    /** Smallest current timestamp among the inputs other than {@link #cur}; Long.MAX_VALUE when they are exhausted. */
    private long limit;

    MergeSampleIterator(BufferedSampleIterator[] inputs) {
        this.its = inputs;
        this.has = new boolean[inputs.length];
        this.ts = new long[inputs.length];
    }

    int width() {
        return its.length;
    }

    BufferedSampleIterator[] inputs() {
        return its;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < its.length; i++) {
                advance(i);
            }
            return pick();
        }
        BufferedSampleIterator c = curIt;
        if (c.next()) {
            long t = c.timestamp();
            if (t < limit) {
                ts[cur] = t;
                return true;
            }
            ts[cur] = t;
        } else {
            has[cur] = false;
        }
        // The current input reached another input's timestamp (or ended): drop the duplicates of the sample just
        // returned. Only inputs sitting exactly at the previous timestamp can hold one, and none can, because
        // pick() left every other input strictly after it.
        return pick();
    }

    private void advance(int i) {
        has[i] = its[i].next();
        if (has[i]) {
            ts[i] = its[i].timestamp();
        }
    }

    /**
     * Chooses the input with the smallest timestamp (the lowest index at a tie), advances the inputs that tie with it
     * past that timestamp so they never return a duplicate, and computes {@link #limit}.
     */
    private boolean pick() {
        int best = -1;
        for (int i = 0; i < its.length; i++) {
            if (has[i] && (best < 0 || ts[i] < ts[best])) {
                best = i;
            }
        }
        cur = best;
        if (best < 0) {
            done = true;
            curIt = null;
            return false;
        }
        long t = ts[best];
        long lim = Long.MAX_VALUE;
        for (int i = 0; i < its.length; i++) {
            if (i == best || !has[i]) {
                continue;
            }
            if (ts[i] == t) {
                advance(i); // a duplicate of the chosen sample: the input with the lower index wins
            }
            if (has[i] && ts[i] < lim) {
                lim = ts[i];
            }
        }
        limit = lim;
        curIt = its[best];
        return true;
    }

    @Override
    public boolean seek(long t) {
        if (done) {
            return false;
        }
        if (started && ts[cur] >= t) {
            return true;
        }
        for (int i = 0; i < its.length; i++) {
            if (!started || (has[i] && ts[i] < t)) {
                has[i] = its[i].seek(t);
                if (has[i]) {
                    ts[i] = its[i].timestamp();
                }
            }
        }
        started = true;
        return pick();
    }

    @Override
    public long timestamp() {
        return ts[cur];
    }

    @Override
    public double value() {
        return curIt.value();
    }
}
