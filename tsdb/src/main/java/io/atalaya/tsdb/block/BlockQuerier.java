package io.atalaya.tsdb.block;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import io.atalaya.tsdb.chunk.ChunkIterator;
import io.atalaya.tsdb.index.IndexReader;
import io.atalaya.tsdb.index.PostingsForMatchers;
import io.atalaya.tsdb.index.SeriesEntry;
import io.atalaya.tsdb.merge.TimeBoundedSeries;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * Reads one block over a closed time range. Series come out in label order (series ids are assigned in that order),
 * whatever {@code sorted} says. The querier itself is not thread-safe, but the sample iterators of its series may be
 * read on different threads (each has its own frame cache); holds a block reference until closed.
 */
final class BlockQuerier implements Querier {
    private final Block block;
    private final IndexReader index;
    private final long mint;
    private final long maxt;
    private boolean closed;

    BlockQuerier(Block block, long mint, long maxt) {
        this.block = block;
        this.index = block.index();
        this.mint = mint;
        this.maxt = maxt;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("querier of block " + block.meta().id() + " is closed");
        }
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
        checkOpen();
        if (!block.meta().overlaps(mint, maxt)) {
            return SeriesSet.EMPTY;
        }
        ImmutableRoaringBitmap ids = PostingsForMatchers.select(index, matchers);
        return new BlockSeriesSet(ids.getIntIterator());
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
        checkOpen();
        if (matchers.isEmpty()) {
            return index.labelNames();
        }
        ImmutableRoaringBitmap ids = PostingsForMatchers.select(index, matchers);
        TreeSet<String> names = new TreeSet<>();
        SeriesEntry e = new SeriesEntry();
        PeekableIntIterator it = ids.getIntIterator();
        while (it.hasNext()) {
            Labels l = index.series(it.next(), e).labels();
            for (int i = 0; i < l.size(); i++) {
                names.add(l.name(i));
            }
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
        checkOpen();
        List<String> all = index.labelValues(name);
        if (matchers.isEmpty()) {
            return all;
        }
        ImmutableRoaringBitmap ids = PostingsForMatchers.select(index, matchers);
        List<String> out = new ArrayList<>();
        for (String v : all) {
            if (ImmutableRoaringBitmap.intersects(ids, index.postings(name, v))) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            block.release();
        }
    }

    private final class BlockSeriesSet implements SeriesSet {
        private final PeekableIntIterator ids;
        private final SeriesEntry entry = new SeriesEntry();
        private BlockSeries current;

        BlockSeriesSet(PeekableIntIterator ids) {
            this.ids = ids;
        }

        @Override
        public boolean next() {
            checkOpen();
            while (ids.hasNext()) {
                index.series(ids.next(), entry);
                // Keep only chunks overlapping [mint, maxt].
                int first = -1, last = -1;
                for (int c = 0; c < entry.numChunks(); c++) {
                    if (entry.chunkMaxt(c) >= mint && entry.chunkMint(c) <= maxt) {
                        if (first < 0) {
                            first = c;
                        }
                        last = c;
                    }
                }
                if (first >= 0) {
                    int n = last - first + 1;
                    long[] refs = new long[n];
                    long[] mints = new long[n];
                    long[] maxts = new long[n];
                    for (int i = 0; i < n; i++) {
                        refs[i] = entry.chunkRef(first + i);
                        mints[i] = entry.chunkMint(first + i);
                        maxts[i] = entry.chunkMaxt(first + i);
                    }
                    BlockSeries candidate = new BlockSeries(entry.labels(), refs, mints, maxts);
                    if (hasSampleInRange(mints, maxts) || candidate.iterator(null).next()) {
                        current = candidate;
                        return true;
                    }
                }
            }
            current = null;
            return false;
        }

        /**
         * Whether a chunk's first or last sample lies in range: then the series certainly has a sample there. Only
         * when every overlapping chunk straddles the range (sparse data) must the caller decode to find out.
         */
        private boolean hasSampleInRange(long[] mints, long[] maxts) {
            for (int i = 0; i < mints.length; i++) {
                if ((mints[i] >= mint && mints[i] <= maxt) || (maxts[i] >= mint && maxts[i] <= maxt)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Series at() {
            if (current == null) {
                throw new IllegalStateException("no current series");
            }
            return current;
        }
    }

    private final class BlockSeries implements TimeBoundedSeries {
        private final Labels labels;
        private final long[] refs;
        private final long[] mints;
        private final long[] maxts;

        BlockSeries(Labels labels, long[] refs, long[] mints, long[] maxts) {
            this.labels = labels;
            this.refs = refs;
            this.mints = mints;
            this.maxts = maxts;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public long minTime() {
            long min = Long.MAX_VALUE;
            for (long m : mints) {
                min = Math.min(min, m);
            }
            return Math.max(min, mint);
        }

        @Override
        public long maxTime() {
            long max = Long.MIN_VALUE;
            for (long m : maxts) {
                max = Math.max(max, m);
            }
            return Math.min(max, maxt);
        }

        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            BlockSampleIterator it = reuse instanceof BlockSampleIterator b && b.owner() == BlockQuerier.this
                    ? b : new BlockSampleIterator();
            it.reset(refs, mints, maxts);
            return it;
        }
    }

    /**
     * Iterates the samples of one series across its chunks, clipped to {@code [mint, maxt]}. Each chunk's bytes are
     * copied out of the (shared, possibly decompressed) frame into this iterator's own buffer, so iterators of
     * different series never disturb each other. Allocates only when a chunk is larger than any seen before.
     */
    private final class BlockSampleIterator implements SampleIterator {
        private final ChunkIterator chunk = new ChunkIterator();
        /** Own cursor (it caches a frame), so iterators of one querier can be read on different threads. */
        private final ChunkSegmentReader.Cursor cursor = block.chunks().cursor();
        private byte[] buf = new byte[1024];
        private long[] refs;
        private long[] mints;
        private long[] maxts;
        private int ci;
        private boolean inChunk;
        private boolean done;
        private boolean started;

        BlockQuerier owner() {
            return BlockQuerier.this;
        }

        void reset(long[] refs, long[] mints, long[] maxts) {
            this.refs = refs;
            this.mints = mints;
            this.maxts = maxts;
            this.ci = -1;
            this.inChunk = false;
            this.done = false;
            this.started = false;
        }

        private boolean openChunk(int i) {
            checkOpen();
            cursor.locate(refs[i]);
            int len = cursor.length;
            if (buf.length < len) {
                buf = new byte[Math.max(len, buf.length * 2)];
            }
            MemorySegment.copy(cursor.data, ValueLayout.JAVA_BYTE, cursor.offset, buf, 0, len);
            chunk.reset(buf, 0, len);
            ci = i;
            inChunk = true;
            return true;
        }

        @Override
        public boolean next() {
            if (done) {
                return false;
            }
            if (!started) {
                started = true;
                return seekInternal(mint);
            }
            while (true) {
                if (inChunk && chunk.next()) {
                    if (chunk.timestamp() > maxt) {
                        done = true;
                        return false;
                    }
                    return true;
                }
                if (ci + 1 >= refs.length) {
                    done = true;
                    return false;
                }
                openChunk(ci + 1);
            }
        }

        @Override
        public boolean seek(long t) {
            if (done) {
                return false;
            }
            if (started && inChunk && chunk.timestamp() >= t) {
                return true;
            }
            started = true;
            return seekInternal(Math.max(t, mint));
        }

        private boolean seekInternal(long t) {
            int i = Math.max(ci, 0);
            while (i < refs.length && maxts[i] < t) {
                i++;
            }
            if (i >= refs.length || mints[i] > maxt) {
                done = true;
                return false;
            }
            if (i != ci || !inChunk) {
                openChunk(i);
            }
            while (true) {
                if (chunk.seek(t)) {
                    if (chunk.timestamp() > maxt) {
                        done = true;
                        return false;
                    }
                    return true;
                }
                if (ci + 1 >= refs.length) {
                    done = true;
                    return false;
                }
                openChunk(ci + 1);
            }
        }

        /** Decodes straight from the chunk iterator; {@link #next()} only to start and to cross chunk boundaries. */
        @Override
        public int nextBatch(long[] ts, double[] vs, int off, int max) {
            int n = 0;
            while (n < max) {
                if (started && inChunk && !done) {
                    int got = chunk.nextBatch(ts, vs, off + n, max - n);
                    if (got > 0) {
                        int end = off + n + got;
                        if (ts[end - 1] > maxt) {
                            done = true;
                            return ChunkIterator.endAtOrBefore(ts, off + n, end, maxt) - off;
                        }
                        n += got;
                        if (n == max) {
                            break;
                        }
                    }
                    // the chunk is exhausted: next() opens the following one
                }
                if (!next()) {
                    break;
                }
                ts[off + n] = chunk.timestamp();
                vs[off + n] = chunk.value();
                n++;
            }
            return n;
        }

        @Override
        public long timestamp() {
            return chunk.timestamp();
        }

        @Override
        public double value() {
            return chunk.value();
        }
    }
}
