package io.atalaya.tsdb.merge;

import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.Series;

/**
 * Reads series whose time spans do not overlap one after the other, in time order: no per-sample comparison, and a
 * segment's iterator is only created when the reader gets to it, so a seek past a segment's {@code maxTime} skips it
 * without decoding anything. Segment {@code i} MUST only hold samples in {@code [minTimes[i], maxTimes[i]]}, and
 * {@code maxTimes[i] < minTimes[i + 1]}. Not thread-safe.
 */
final class ChainSampleIterator implements SampleIterator {
    private final Series[] segments;
    private final long[] maxTimes;
    /** Per segment: the iterator once opened, or (before that) an iterator to recycle from a previous use. */
    private final SampleIterator[] its;
    private int seg = -1;
    private SampleIterator cur;
    private boolean done;

    ChainSampleIterator(Series[] segments, long[] maxTimes, SampleIterator[] recycled) {
        this.segments = segments;
        this.maxTimes = maxTimes;
        this.its = recycled != null && recycled.length == segments.length ? recycled : new SampleIterator[segments.length];
    }

    int width() {
        return segments.length;
    }

    SampleIterator[] inputs() {
        return its;
    }

    private void open(int i) {
        seg = i;
        cur = segments[i].iterator(its[i]);
        its[i] = cur;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        if (cur == null) {
            open(0);
        }
        while (!cur.next()) {
            if (seg + 1 >= segments.length) {
                done = true;
                return false;
            }
            open(seg + 1);
        }
        return true;
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
            if (cur.seek(t)) {
                return true;
            }
            i++;
        }
        done = true;
        return false;
    }

    @Override
    public long timestamp() {
        return cur.timestamp();
    }

    @Override
    public double value() {
        return cur.value();
    }
}
