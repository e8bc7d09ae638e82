package io.atalaya.tsdb.head;

import io.atalaya.storage.SampleIterator;
import io.atalaya.tsdb.chunk.ChunkIterator;

/**
 * Iterates a {@link SeriesSnapshot} within {@code [mint, maxt]}: the in-order chunks one after the other, merged
 * with the sorted out-of-order samples. The head never stores two samples with the same timestamp; should both
 * sides have one, the in-order sample wins. Reusable through {@link #reset}; not thread-safe.
 */
final class HeadSeriesIterator implements SampleIterator {
    private final ChunkIterator cit = new ChunkIterator();
    private SeriesSnapshot snap;
    private long mint;
    private long maxt;
    private int ci;
    private boolean inChunk;
    private boolean aHas;
    private long aT;
    private double aV;
    private int bi;
    private int bn;
    private boolean fromA;
    private boolean started;
    private boolean done;
    private long t;
    private double v;

    HeadSeriesIterator reset(SeriesSnapshot s, long mint, long maxt) {
        this.snap = s;
        this.mint = mint;
        this.maxt = maxt;
        ci = -1;
        inChunk = false;
        aHas = false;
        bi = 0;
        bn = s.oooT() == null ? 0 : s.oooT().length;
        started = false;
        done = false;
        return this;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (!started) {
            return start(mint);
        }
        if (fromA) {
            if (bi >= bn && inChunk && cit.next()) {
                // Fast path, no out-of-order samples left to interleave: the next sample of the current chunk.
                long ts = cit.timestamp();
                if (ts > maxt) {
                    done = true;
                    return false;
                }
                aT = ts;
                aV = cit.value();
                t = ts;
                v = aV;
                return true;
            }
            aHas = advanceA(Long.MIN_VALUE);
        } else {
            bi++;
        }
        return pick();
    }

    @Override
    public boolean seek(long target) {
        if (done) {
            return false;
        }
        if (!started) {
            return start(Math.max(mint, target));
        }
        if (t >= target) {
            return true;
        }
        while (aHas && aT < target) {
            aHas = advanceA(target);
        }
        long[] ot = snap.oooT();
        while (bi < bn && ot[bi] < target) {
            bi++;
        }
        return pick();
    }

    private boolean start(long from) {
        started = true;
        aHas = advanceA(from);
        long[] ot = snap.oooT();
        while (bi < bn && ot[bi] < from) {
            bi++;
        }
        return pick();
    }

    /** Moves the chunk side to its next sample at or after {@code target}, skipping whole chunks that end before. */
    private boolean advanceA(long target) {
        while (true) {
            // The next sample, then (if still before the target) the chunk iterator's batched seek.
            if (inChunk && cit.next() && (cit.timestamp() >= target || cit.seek(target))) {
                aT = cit.timestamp();
                aV = cit.value();
                return true;
            }
            do {
                ci++;
            } while (ci < snap.chunks().length && snap.chunkMaxT()[ci] < target);
            if (ci >= snap.chunks().length) {
                inChunk = false;
                return false;
            }
            cit.reset(snap.chunks()[ci]);
            inChunk = true;
        }
    }

    private boolean pick() {
        long[] ot = snap.oooT();
        boolean bHas = bi < bn;
        if (aHas && bHas && aT == ot[bi]) {
            bi++;
            bHas = bi < bn;
        }
        if (!aHas && !bHas) {
            done = true;
            return false;
        }
        if (aHas && (!bHas || aT < ot[bi])) {
            fromA = true;
            t = aT;
            v = aV;
        } else {
            fromA = false;
            t = ot[bi];
            v = snap.oooV()[bi];
        }
        if (t > maxt) {
            done = true;
            return false;
        }
        return true;
    }

    /** Decodes straight from the chunk iterator while no out-of-order samples remain; {@link #next()} otherwise. */
    @Override
    public int nextBatch(long[] ts, double[] vs, int off, int max) {
        int n = 0;
        boolean lastFromChunk = false;
        while (n < max) {
            if (started && !done && fromA && bi >= bn && inChunk) {
                int got = cit.nextBatch(ts, vs, off + n, max - n);
                if (got > 0) {
                    int end = off + n + got;
                    if (ts[end - 1] > maxt) {
                        done = true;
                        return ChunkIterator.endAtOrBefore(ts, off + n, end, maxt) - off; // exhausted
                    }
                    n += got;
                    lastFromChunk = true;
                    if (n == max) {
                        break;
                    }
                }
                // the chunk is exhausted: next() goes on with the following one
            }
            if (!next()) {
                return n;
            }
            ts[off + n] = t;
            vs[off + n] = v;
            n++;
            lastFromChunk = false;
        }
        if (lastFromChunk) {
            // Positioned at the last sample, as next() would have left it.
            t = ts[off + n - 1];
            v = vs[off + n - 1];
            aT = t;
            aV = v;
        }
        return n;
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        return v;
    }
}
