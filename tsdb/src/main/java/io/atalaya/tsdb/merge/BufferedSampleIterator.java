package io.atalaya.tsdb.merge;

import io.atalaya.storage.SampleIterator;

/**
 * Reads another iterator in batches ({@link SampleIterator#nextBatch}) and serves its samples from two arrays. The
 * merge and chain iterators read their inputs through it: their inputs are of several classes (head, block, nested
 * merges), so calling them once per sample would be three megamorphic interface calls per sample; this final class is
 * one monomorphic, inlinable call. Reusable through {@link #reset}; not thread-safe.
 */
final class BufferedSampleIterator implements SampleIterator {
    static final int CAPACITY = 128;

    private final long[] bt = new long[CAPACITY];
    private final double[] bv = new double[CAPACITY];
    private SampleIterator in;
    /** Samples in the buffer. */
    private int n;
    /** Index of the current sample; -1 before the first. */
    private int i = -1;
    /** The inner iterator has no samples after the buffered ones. */
    private boolean exhausted;

    BufferedSampleIterator reset(SampleIterator inner) {
        this.in = inner;
        n = 0;
        i = -1;
        exhausted = false;
        return this;
    }

    /** The wrapped iterator, to recycle. */
    SampleIterator inner() {
        return in;
    }

    @Override
    public boolean next() {
        if (++i < n) {
            return true;
        }
        return refill();
    }

    private boolean refill() {
        if (exhausted) {
            i = n;
            return false;
        }
        n = in.nextBatch(bt, bv, CAPACITY);
        i = 0;
        if (n < CAPACITY) {
            exhausted = true;
        }
        return n > 0;
    }

    /**
     * Hands out what is buffered, and when nothing is, lets the inner iterator fill the caller's arrays directly
     * instead of going through this buffer.
     */
    @Override
    public int nextBatch(long[] ts, double[] vs, int off, int max) {
        int got = 0;
        int buffered = n - (i + 1);
        if (buffered > 0) {
            got = Math.min(buffered, max);
            System.arraycopy(bt, i + 1, ts, off, got);
            System.arraycopy(bv, i + 1, vs, off, got);
            i += got;
            if (got == max) {
                return got;
            }
        }
        if (exhausted) {
            i = n;
            return got;
        }
        // Nothing (more) buffered: the inner iterator fills the caller's arrays directly.
        int direct = in.nextBatch(ts, vs, off + got, max - got);
        exhausted = direct < max - got;
        got += direct;
        if (got > 0) {
            // positioned at the last sample handed out, as next() would leave it
            bt[0] = ts[off + got - 1];
            bv[0] = vs[off + got - 1];
            n = 1;
        } else {
            n = 0;
        }
        i = 0;
        return got;
    }

    @Override
    public boolean seek(long t) {
        if (i >= 0 && i < n) {
            if (bt[i] >= t) {
                return true;
            }
            if (bt[n - 1] >= t) {
                while (bt[i] < t) {
                    i++;
                }
                return true;
            }
        }
        if (exhausted) {
            i = n;
            return false;
        }
        // Everything buffered lies before t: the inner iterator, positioned at the last of it, seeks on.
        if (!in.seek(t)) {
            exhausted = true;
            n = 0;
            i = 0;
            return false;
        }
        bt[0] = in.timestamp();
        bv[0] = in.value();
        n = 1;
        i = 0;
        return true;
    }

    @Override
    public long timestamp() {
        return bt[i];
    }

    @Override
    public double value() {
        return bv[i];
    }
}
