package io.atalaya.tsdb.merge;

import io.atalaya.model.Labels;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/**
 * K-way merge of sorted series sets. Series with equal labels become one {@link Series}; the order of the sets
 * decides who wins a timestamp tie (the first).
 *
 * <p>When every part knows its time span ({@link TimeBoundedSeries}), parts are grouped by overlapping spans: the
 * groups are read one after the other ({@link ChainSampleIterator}) and only the parts inside a group are merged
 * sample by sample ({@link MergeSampleIterator}). Head and blocks, and consecutive blocks, mostly do not overlap, so
 * most series are read without any merging. The series returned by {@link #at()} is valid until the next
 * {@link #next()}. Not thread-safe.
 */
public final class MergeSeriesSet implements SeriesSet {
    private final SeriesSet[] sets;
    private final boolean[] has;
    private final Series[] same;
    private boolean initialized;
    private Series current;

    public MergeSeriesSet(List<SeriesSet> sets) {
        this.sets = sets.toArray(new SeriesSet[0]);
        this.has = new boolean[this.sets.length];
        this.same = new Series[this.sets.length];
    }

    @Override
    public boolean next() {
        if (!initialized) {
            initialized = true;
            for (int i = 0; i < sets.length; i++) {
                has[i] = sets[i].next();
            }
        } else if (current != null) {
            Labels done = current.labels();
            for (int i = 0; i < sets.length; i++) {
                if (has[i] && sets[i].at().labels().equals(done)) {
                    has[i] = sets[i].next();
                }
            }
        }
        Labels min = null;
        for (int i = 0; i < sets.length; i++) {
            if (has[i]) {
                Labels l = sets[i].at().labels();
                if (min == null || l.compareTo(min) < 0) {
                    min = l;
                }
            }
        }
        if (min == null) {
            current = null;
            return false;
        }
        int n = 0;
        for (int i = 0; i < sets.length; i++) {
            if (has[i]) {
                Series s = sets[i].at();
                if (s.labels().equals(min)) {
                    same[n++] = s;
                }
            }
        }
        current = n == 1 ? same[0] : combine(min, same, n);
        return true;
    }

    /**
     * One series from {@code parts[0, n)} (in priority order): chained where their time spans are disjoint, merged
     * where they overlap. Spans that merely touch (one ends where the next begins) overlap: both may hold that
     * timestamp.
     */
    static Series combine(Labels labels, Series[] parts, int n) {
        long[] mins = new long[n];
        long[] maxs = new long[n];
        for (int i = 0; i < n; i++) {
            if (!(parts[i] instanceof TimeBoundedSeries b)) {
                return new MergedSeries(labels, java.util.Arrays.copyOf(parts, n), Long.MIN_VALUE, Long.MAX_VALUE);
            }
            mins[i] = b.minTime();
            maxs[i] = b.maxTime();
        }
        // Parts by start time (insertion sort: n is tiny), then sweep into groups of overlapping spans.
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && mins[order[j - 1]] > mins[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        List<Series> groups = new ArrayList<>(n);
        List<Long> groupMax = new ArrayList<>(n);
        int start = 0;
        while (start < n) {
            long gMin = mins[order[start]];
            long gMax = maxs[order[start]];
            int end = start + 1;
            while (end < n && mins[order[end]] <= gMax) {
                gMax = Math.max(gMax, maxs[order[end]]);
                end++;
            }
            if (end - start == 1) {
                groups.add(parts[order[start]]);
            } else {
                // Inside a group the merge decides ties, so its inputs go back to priority order.
                int[] members = java.util.Arrays.copyOfRange(order, start, end);
                java.util.Arrays.sort(members);
                Series[] merged = new Series[members.length];
                for (int k = 0; k < members.length; k++) {
                    merged[k] = parts[members[k]];
                }
                groups.add(new MergedSeries(labels, merged, gMin, gMax));
            }
            groupMax.add(gMax);
            start = end;
        }
        if (groups.size() == 1) {
            return groups.getFirst();
        }
        long[] maxTimes = new long[groups.size()];
        for (int i = 0; i < maxTimes.length; i++) {
            maxTimes[i] = groupMax.get(i);
        }
        return new ChainedSeries(labels, groups.toArray(new Series[0]), mins[order[0]], maxTimes);
    }

    @Override
    public Series at() {
        if (current == null) {
            throw new IllegalStateException("no current series");
        }
        return current;
    }

    @Override
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        for (SeriesSet s : sets) {
            w.addAll(s.warnings());
        }
        return w;
    }

    /** Parts whose spans overlap, merged sample by sample. */
    private record MergedSeries(Labels labels, Series[] parts, long minTime, long maxTime) implements TimeBoundedSeries {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            BufferedSampleIterator[] old = reuse instanceof MergeSampleIterator m && m.width() == parts.length
                    ? m.inputs() : null;
            BufferedSampleIterator[] its = old != null ? old : new BufferedSampleIterator[parts.length];
            for (int i = 0; i < parts.length; i++) {
                SampleIterator recycled = old == null ? null : old[i].inner();
                BufferedSampleIterator b = old == null ? new BufferedSampleIterator() : old[i];
                its[i] = b.reset(parts[i].iterator(recycled));
            }
            return new MergeSampleIterator(its);
        }
    }

    /** Groups with disjoint spans, in time order, read one after the other. */
    private record ChainedSeries(Labels labels, Series[] segments, long minTime, long[] maxTimes)
            implements TimeBoundedSeries {
        @Override
        public long maxTime() {
            return maxTimes[maxTimes.length - 1];
        }

        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            ChainSampleIterator it = reuse instanceof ChainSampleIterator c ? c : new ChainSampleIterator();
            return it.reset(segments, maxTimes);
        }
    }
}
