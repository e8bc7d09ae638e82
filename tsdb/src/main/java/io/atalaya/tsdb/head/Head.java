package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.model.NameValidation;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.tsdb.wal.WalRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory part of the TSDB: recent samples of every active series, an inverted index over their labels, and
 * metric metadata. Samples arrive through {@link #appender}, leave through {@link #querier}, and are dropped by
 * {@link #truncate} once persisted elsewhere (blocks).
 *
 * <p>Memory: open chunks (≤ ~1 KiB, usually ~150 B) stay on the heap, sealed chunks move to off-heap slabs,
 * label strings are interned.
 *
 * <p>Thread-safe. Appenders are not (one per transaction); queriers are not (one per query).
 */
public final class Head implements AutoCloseable {
    final HeadOptions options;
    final SeriesMap series = new SeriesMap();
    final MemPostings postings = new MemPostings();
    final SymbolTable symbols = new SymbolTable();
    final ChunkSlabs slabs;
    final RejectionCounters counters = new RejectionCounters();
    final ConcurrentHashMap<String, MetricMetadata> metadata = new ConcurrentHashMap<>();
    /** Commits hold the read side from WAL write to memory apply; a checkpoint takes the write side to cut. */
    final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();

    private final AtomicLong nextRef = new AtomicLong(1);
    private final AtomicLong seriesCount = new AtomicLong();
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger readers = new AtomicInteger();
    private final ConcurrentLinkedQueue<AppendContext> contexts = new ConcurrentLinkedQueue<>();
    private final Map<Long, MemSeries> replayAliases = new HashMap<>();
    private volatile long minValidTime = Long.MIN_VALUE;
    /** Every sample older than this that the head still holds is persisted already (see {@link #truncate}). */
    private volatile long persistedBefore = Long.MIN_VALUE;
    private volatile boolean closed;

    public Head(HeadOptions options) {
        this.options = options;
        this.slabs = new ChunkSlabs(options.slabBytes());
    }

    public HeadOptions options() {
        return options;
    }

    /** A new transaction whose records go to {@code log} on commit. */
    public Appender appender(CommitLog log) {
        ensureOpen();
        return new HeadAppender(this, log);
    }

    /** A querier over {@code [mint, maxt]} of the head. */
    public Querier querier(long mint, long maxt) {
        ensureOpen();
        readers.incrementAndGet();
        return new HeadQuerier(this, mint, maxt);
    }

    void querierClosed() {
        if (readers.decrementAndGet() == 0) {
            slabs.freePending();
        }
    }

    /** Samples older than this are rejected as out of bounds: they belong to data already persisted. */
    public long minValidTime() {
        return minValidTime;
    }

    /** Sets the out-of-bounds limit without truncating (used when opening over existing blocks). */
    public void setMinValidTime(long t) {
        minValidTime = Math.max(minValidTime, t);
    }

    /**
     * Samples older than this that the head still shows are copies of persisted ones: truncation keeps a chunk that
     * straddles its bound whole. Queriers start here, so that a query over blocks and head chains them instead of
     * merging both sample by sample over the whole overlap.
     */
    long persistedBefore() {
        return persistedBefore;
    }

    /** Oldest sample timestamp held (approximate after truncation), or Long.MAX_VALUE when empty. */
    public long minTime() {
        return minTime.get();
    }

    /** Newest sample timestamp held, or Long.MIN_VALUE when empty. */
    public long maxTime() {
        return maxTime.get();
    }

    public long numSeries() {
        return seriesCount.get();
    }

    public RejectionCounters counters() {
        return counters;
    }

    /** Metadata per metric name, as last committed. */
    public Map<String, MetricMetadata> metadata() {
        return Map.copyOf(metadata);
    }

    /** Off-heap bytes reserved by chunk slabs. */
    public long offHeapBytes() {
        return slabs.offHeapBytes();
    }

    /** Off-heap bytes of those holding chunks (the rest is the unfilled part of the slab being filled). */
    public long offHeapUsedBytes() {
        return slabs.usedBytes();
    }

    /** Estimated heap bytes of series state (buffers, chunk lists), excluding shared label strings. */
    public long heapBytesEstimate() {
        long[] sum = {0};
        series.forEach(s -> {
            synchronized (s) {
                sum[0] += s.heapBytes();
            }
        });
        return sum[0];
    }

    /** Cardinality statistics of the head index, top {@code n} per list. */
    public CardinalityStats cardinality(int n) {
        return postings.cardinality(n);
    }

    /** Number of chunks (sealed and open) over all series. */
    public long numChunks() {
        long[] sum = {0};
        series.forEach(s -> {
            synchronized (s) {
                sum[0] += s.chunkCount();
            }
        });
        return sum[0];
    }

    // ---- series ------------------------------------------------------------------------------------------------

    /**
     * Resolves a series for appending: by ref when it is live, else by labels (creating it). Refs are never reused
     * within a store's WAL history, so a live ref names its series; as Prometheus does, the labels are then not
     * compared (only their cached hash, which catches refs passed to the wrong store).
     */
    MemSeries resolve(long ref, Labels labels) {
        if (ref != 0) {
            MemSeries s = series.get(ref);
            if (s != null && s.hash == labels.hashCode()) {
                return s;
            }
        }
        MemSeries s = series.get(labels);
        return s != null && !s.removed ? s : series.getOrCreate(labels, () -> newSeries(labels));
    }

    private MemSeries newSeries(Labels labels) {
        String problem = NameValidation.check(labels, options.nameScheme());
        if (problem != null) {
            counters.reject(SampleRejectedException.Reason.INVALID_LABELS);
            throw new SampleRejectedException(SampleRejectedException.Reason.INVALID_LABELS, problem);
        }
        if (options.maxSeries() > 0 && seriesCount.get() >= options.maxSeries()) {
            counters.reject(SampleRejectedException.Reason.SERIES_LIMIT);
            throw new SampleRejectedException(SampleRejectedException.Reason.SERIES_LIMIT,
                    "the head holds " + seriesCount.get() + " series, its limit; cannot add " + labels);
        }
        long ref = nextRef.getAndIncrement();
        if (ref > Integer.MAX_VALUE) {
            counters.reject(SampleRejectedException.Reason.SERIES_LIMIT);
            throw new SampleRejectedException(SampleRejectedException.Reason.SERIES_LIMIT,
                    "series refs exhausted (2^31 series created since the WAL began); restart to compact refs");
        }
        seriesCount.incrementAndGet();
        return new MemSeries(ref, symbols.adopt(labels), slabs);
    }

    /** Adds a committed series to the index (once). Caller holds the series' monitor. */
    void index(MemSeries s) {
        if (!s.indexed && !s.removed) {
            s.indexed = true;
            postings.add((int) s.ref, s.labels);
        }
    }

    AppendContext takeContext() {
        AppendContext c = contexts.poll();
        return c != null ? c : new AppendContext();
    }

    void returnContext(AppendContext c) {
        if (contexts.size() < 64) {
            contexts.offer(c);
        }
    }

    void observeTimes(long batchMin, long batchMax) {
        minTime.accumulateAndGet(batchMin, Math::min);
        maxTime.accumulateAndGet(batchMax, Math::max);
    }

    // ---- WAL replay --------------------------------------------------------------------------------------------

    /**
     * Re-creates a series from a WAL series record. A second record with the same labels and another ref (the
     * series was dropped and re-created) makes the old ref an alias of the existing series.
     */
    public void replaySeries(long ref, Labels labels) {
        ensureOpen();
        MemSeries existing = series.get(labels);
        if (existing != null) {
            if (existing.ref != ref) {
                replayAliases.put(ref, existing);
            }
            return;
        }
        if (ref <= 0 || ref > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("series ref " + ref + " out of range in WAL");
        }
        MemSeries s = new MemSeries(ref, symbols.intern(labels), slabs);
        s.walLogged = true;
        series.put(s);
        seriesCount.incrementAndGet();
        nextRef.accumulateAndGet(ref + 1, Math::max);
        synchronized (s) {
            index(s);
        }
    }

    /** Re-applies a sample from the WAL; samples of unknown series or no longer valid are skipped. */
    public boolean replaySample(long ref, long t, double v, ReplayContext rc) {
        MemSeries s = series.get(ref);
        if (s == null) {
            s = replayAliases.get(ref);
            if (s == null) {
                return false;
            }
        }
        int c;
        synchronized (s) {
            c = s.commit(t, v, options.outOfOrderWindowMs(), minValidTime, rc.ctx, options.chunkRangeMs());
        }
        if (c >= 0) {
            rc.observe(t);
        }
        return c == MemSeries.IN_ORDER || c == MemSeries.OUT_OF_ORDER_OK;
    }

    /** Decodes one WAL record and applies it (series, samples or metadata). */
    public void replayRecord(byte[] rec, int off, int len, ReplayContext rc) {
        WalRecords.decode(rec, off, len, rc);
    }

    /** Scratch state and counters of one replay; not thread-safe. */
    public final class ReplayContext implements WalRecords.Visitor {
        final AppendContext ctx = new AppendContext();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long samples;
        long skipped;

        @Override
        public void series(long ref, Labels labels) {
            replaySeries(ref, labels);
        }

        @Override
        public void sample(long ref, long t, double v) {
            if (replaySample(ref, t, v, this)) {
                samples++;
            } else {
                skipped++;
            }
        }

        @Override
        public void metadata(String metricName, MetricMetadata md) {
            replayMetadata(metricName, md);
        }

        @Override
        public void minValidTime(long t) {
            setMinValidTime(t);
        }

        /** Samples applied so far. */
        public long samples() {
            return samples;
        }

        /** Samples skipped (unknown series, out of bounds, already present). */
        public long skipped() {
            return skipped;
        }

        void observe(long t) {
            if (t < min) {
                min = t;
            }
            if (t > max) {
                max = t;
            }
        }
    }

    /** Starts a replay. */
    public ReplayContext newReplay() {
        return new ReplayContext();
    }

    /** Ends a replay: publishes the time range seen and forgets ref aliases. */
    public void finishReplay(ReplayContext rc) {
        if (rc.min <= rc.max) {
            observeTimes(rc.min, rc.max);
        }
        replayAliases.clear();
    }

    public void replayMetadata(String metricName, MetricMetadata md) {
        metadata.put(metricName, md);
    }

    /**
     * Visits the head's state as WAL records would carry it: every live series, then every sample at or after
     * {@code mint}. For checkpoints.
     */
    public void forEachSeriesAndSample(long mint, SeriesVisitor seriesVisitor, SampleVisitor samples) {
        List<MemSeries> all = new ArrayList<>();
        series.forEach(all::add);
        for (MemSeries s : all) {
            seriesVisitor.series(s.ref, s.labels);
        }
        for (MemSeries s : all) {
            synchronized (s) {
                s.forEachSample(mint, samples);
            }
        }
    }

    /** Receives series. */
    public interface SeriesVisitor {
        void series(long ref, Labels labels);
    }

    /** Receives samples. */
    public interface SampleVisitor {
        void sample(long ref, long t, double v);
    }

    /** The commit barrier: take {@code writeLock()} to wait for in-flight commits and hold new ones (briefly). */
    public ReentrantReadWriteLock commitBarrier() {
        return commitLock;
    }

    // ---- truncation --------------------------------------------------------------------------------------------

    /**
     * Drops all data older than {@code mint} (persisted elsewhere), removes series left empty, frees off-heap slabs
     * no longer referenced, and rejects later samples older than {@code mint} as out of bounds.
     */
    public void truncate(long mint) {
        ensureOpen();
        minValidTime = Math.max(minValidTime, mint);
        List<MemSeries> dead = new ArrayList<>();
        List<Labels> live = new ArrayList<>();
        series.forEach(s -> {
            synchronized (s) {
                s.truncate(mint);
                if (s.collectable()) {
                    s.removed = true;
                    if (s.indexed) {
                        postings.remove((int) s.ref, s.labels);
                    }
                    dead.add(s);
                } else {
                    live.add(s.labels);
                }
            }
        });
        for (MemSeries s : dead) {
            series.remove(s);
            seriesCount.decrementAndGet();
        }
        slabs.release(mint);
        if (readers.get() == 0) {
            slabs.freePending();
        }
        symbols.rebuild(live);
        // Only now: a querier reading the new bound must not find older samples missing from both head and blocks,
        // and the caller published the blocks holding them before this call.
        persistedBefore = Math.max(persistedBefore, mint);
        minTime.accumulateAndGet(mint, Math::max);
        if (live.isEmpty()) {
            minTime.set(Long.MAX_VALUE);
            maxTime.set(Long.MIN_VALUE);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("head is closed");
        }
    }

    /** Frees all off-heap memory. Queriers still open become invalid. */
    @Override
    public void close() {
        closed = true;
        slabs.close();
    }
}
