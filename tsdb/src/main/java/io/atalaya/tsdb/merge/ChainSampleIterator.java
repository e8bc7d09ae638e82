package io.atalaya.tsdb.merge;

import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.Series;

/**
 * Reads series whose time spans do not overlap one after the other, in time order: no per-sample comparison, and a
 * segment's iterator is only created when the reader gets to it, so a seek past a segment's {@code maxTime} skips it
 * without decoding anything. Segment {@code i} MUST only hold samples in {@code [minTimes[i], maxTimes[i]]}, and
 * {@code maxTimes[i] < minTimes[i + 1]}. The current segment is read in batches through a
 * {@link BufferedSampleIterator}. Reusable through {@link #reset}; not thread-safe.
 */
final class ChainSampleIterator implements SampleIterator {
    private final BufferedSampleIterator buf = new BufferedSampleIterator();
    private Series[] segments;
    private long[] maxTimes;
    /** Per segment: the iterator once opened, or (before that) an iterator to recycle from a previous use. */
    private SampleIterator[] its = new SampleIterator[0];
    private int seg;
    private boolean done;

    ChainSampleIterator reset(Series[] segments, long[] maxTimes) {
        this.segments = segments;
        this.maxTimes = maxTimes;
        if (its.length != segments.length) {
            its = new SampleIterator[segments.length];
        }
        seg = -1;
        done = false;
        return this;
    }

    private void open(int i) {
        seg = i;
        SampleIterator it = segments[i].iterator(its[i]);
        its[i] = it;
        buf.reset(it);
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (seg < 0) {
            open(0);
        }
        while (!buf.next()) {
            if (seg + 1 >= segments.length) {
                done = true;
                return false;
            }
            open(seg + 1);
        }
        return true;
    }

    /** Batches of the current segment, going on with the next segments while the batch is not full. */
    @Override
    public int nextBatch(long[] ts, double[] vs, int off, int max) {
        if (done || max <= 0) {
            return 0;
        }
        if (seg < 0) {
            open(0);
        }
        int got = buf.nextBatch(ts, vs, off, max);
        while (got < max) {
            if (seg + 1 >= segments.length) {
                done = true;
                break;
            }
            open(seg + 1);
            got += buf.nextBatch(ts, vs, off + got, max - got);
        }
        return got;
    }

    @Override
    public boolean seek(long t) {
        if (done) {
            return false;
        }
        int i = Math.max(seg, 0);
        while (i < segments.length && maxTimes[i] < t) {
            i++; // ends before t: skipped unopened
        }
        while (i < segments.length) {
            if (i != seg) {
                open(i);
            }
            if (buf.seek(t)) {
                return true;
            }
            i++;
        }
        done = true;
        return false;
    }

    @Override
    public long timestamp() {
        return buf.timestamp();
    }

    @Override
    public double value() {
        return buf.value();
    }
}
