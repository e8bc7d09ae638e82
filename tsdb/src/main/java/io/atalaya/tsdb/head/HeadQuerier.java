package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import io.atalaya.tsdb.chunk.ChunkIterator;
import io.atalaya.tsdb.merge.TimeBoundedSeries;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the head over {@code [mint, maxt]}. Series are looked up in the postings index; each series' chunks are
 * captured (sealed slab slices, a copy of the open chunk, out-of-order samples) when the set reaches it, so the
 * iterator never races with appends. Off-heap slabs stay allocated until this querier is closed.
 * Not thread-safe.
 */
final class HeadQuerier implements Querier {
    private final Head head;
    private final long mint;
    private final long maxt;
    private boolean closed;

    HeadQuerier(Head head, long mint, long maxt) {
        this.head = head;
        this.mint = Math.max(mint, head.persistedBefore());
        this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
        ensureOpen();
        // Empty when the range ends before what the head holds unpersisted (mint was raised to that bound).
        List<MemSeries> list = mint > maxt ? new ArrayList<>() : lookup(matchers);
        if (sorted) {
            list.sort((a, b) -> a.labels.compareTo(b.labels));
        }
        long from = mint;
        long to = maxt;
        return new SeriesSet() {
            private int i;
            private HeadSeries cur;

            @Override
            public boolean next() {
                while (i < list.size()) {
                    MemSeries s = list.get(i++);
                    SeriesSnapshot snap;
                    synchronized (s) {
                        snap = s.snapshot(from, to);
                    }
                    if (snap != null) {
                        cur = new HeadSeries(s.labels, snap, from, to);
                        return true;
                    }
                }
                cur = null;
                return false;
            }

            @Override
            public Series at() {
                if (cur == null) {
                    throw new IllegalStateException("no current series");
                }
                return cur;
            }
        };
    }

    private List<MemSeries> lookup(List<Matcher> matchers) {
        RoaringBitmap ids = head.postings.select(matchers);
        List<MemSeries> list = new ArrayList<>(ids.getCardinality());
        IntIterator it = ids.getIntIterator();
        while (it.hasNext()) {
            MemSeries s = head.series.get(it.next() & 0xFFFFFFFFL);
            if (s != null) {
                list.add(s);
            }
        }
        return list;
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
        ensureOpen();
        return head.postings.labelNames(matchers.isEmpty() ? null : head.postings.select(matchers));
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
        ensureOpen();
        return head.postings.labelValues(name, matchers.isEmpty() ? null : head.postings.select(matchers));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("querier is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            head.querierClosed();
        }
    }

    /** One series of a head querier. */
    private record HeadSeries(Labels labels, SeriesSnapshot snap, long mint, long maxt) implements TimeBoundedSeries {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            HeadSeriesIterator it = reuse instanceof HeadSeriesIterator h ? h : new HeadSeriesIterator();
            return it.reset(snap, mint, maxt);
        }

        /** The first sample of the first non-empty chunk (chunks are in time order) or the first out-of-order one. */
        @Override
        public long minTime() {
            long min = Long.MAX_VALUE;
            for (MemorySegment c : snap.chunks()) {
                long first = ChunkIterator.firstTimestamp(c);
                if (first != Long.MAX_VALUE) {
                    min = first;
                    break;
                }
            }
            if (snap.oooT() != null) {
                min = Math.min(min, snap.oooT()[0]);
            }
            return Math.max(min, mint);
        }

        @Override
        public long maxTime() {
            long max = Long.MIN_VALUE;
            for (long m : snap.chunkMaxT()) {
                max = Math.max(max, m);
            }
            long[] ot = snap.oooT();
            if (ot != null) {
                max = Math.max(max, ot[ot.length - 1]);
            }
            return Math.min(max, maxt);
        }
    }
}
