package io.atalaya.tsdb;

import io.atalaya.model.MetricMetadata;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import io.atalaya.storage.Storage;
import io.atalaya.storage.StorageException;
import io.atalaya.tsdb.block.BlockMeta;
import io.atalaya.tsdb.block.BlockStore;
import io.atalaya.tsdb.block.BlockWriter;
import io.atalaya.tsdb.head.CardinalityStats;
import io.atalaya.tsdb.head.Head;
import io.atalaya.tsdb.head.HeadOptions;
import io.atalaya.tsdb.merge.MergeQuerier;
import io.atalaya.tsdb.wal.RecordBuffer;
import io.atalaya.tsdb.wal.WalRecords;
import io.atalaya.wal.RecordSink;
import io.atalaya.wal.WalException;
import io.atalaya.wal.WalOptions;
import io.atalaya.wal.WalReader;
import io.atalaya.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded storage engine: a head in memory behind a write-ahead log, and immutable blocks on disk.
 *
 * <p>Layout of {@code dir}: {@code wal/} (the wal module's segments and checkpoints) and {@code blocks/} (the
 * {@link BlockStore}). {@link #open} replays the WAL into the head. A commit is acknowledged only once its WAL
 * records are durable under {@link TsdbOptions#walSyncPolicy()} (see {@link io.atalaya.tsdb.head.Head}).
 *
 * <p>Maintenance ({@link #maintain}, also run by a background thread every
 * {@link TsdbOptions#maintenanceInterval()}): when the head spans more than 1.5 block ranges, its oldest block range
 * is written as a block, the head is truncated, a WAL checkpoint keeps what the head still holds, and the older WAL
 * segments are deleted; then blocks are compacted, retention applied and rollups written. Between those runs the
 * thread checks the head's span every second, so a backfill cannot pile hours of data into memory.
 *
 * <p>{@link #close} persists the whole head into blocks and empties the WAL, so the next open replays nothing; it
 * starts with an empty head whose lower bound is one out-of-order window before the newest persisted sample, and
 * checks late samples in that window against the blocks for duplicates ({@link PersistedOverlap}).
 *
 * <p>Thread-safe. Appenders and queriers are single-threaded, one per transaction/query.
 */
public final class Tsdb implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(Tsdb.class);
    /** Checkpoint records are cut at about this size. */
    private static final int CHECKPOINT_RECORD_BYTES = 256 << 10;
    /** How often the maintenance thread checks, between its full runs, whether the head spans too much time. */
    private static final long HEAD_CHECK_MS = 1000;

    private final Path dir;
    private final TsdbOptions options;
    private final Head head;
    private final BlockStore blocks;
    private final WriteAheadLog wal;
    private final WalCommitLog commitLog;
    private final Object maintenanceLock = new Object();
    private final ScheduledExecutorService maintenance;
    private final long replayedSamples;
    private final long replayMillis;
    private volatile boolean closed;
    /** Samples of the blocks where the head still accepts writes after a restart; null once that zone is closed. */
    private volatile PersistedOverlap overlap;

    private Tsdb(Path dir, TsdbOptions options, Head head, BlockStore blocks, WriteAheadLog wal, long replayedSamples,
                 long replayMillis, PersistedOverlap overlap) {
        this.overlap = overlap;
        this.dir = dir;
        this.options = options;
        this.head = head;
        this.blocks = blocks;
        this.wal = wal;
        this.commitLog = new WalCommitLog(wal);
        this.replayedSamples = replayedSamples;
        this.replayMillis = replayMillis;
        if (options.maintenanceInterval().isZero()) {
            maintenance = null;
        } else {
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tsdb-maintenance");
                t.setDaemon(true);
                return t;
            });
            long ms = options.maintenanceInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::maintainQuietly, ms, ms, TimeUnit.MILLISECONDS);
            // A backfill or a sender catching up can add hours of data time per minute: between two maintenance runs
            // the head would hold all of it in memory. Checking its span often bounds it to about 1.5 ranges.
            long check = Math.min(ms, HEAD_CHECK_MS);
            maintenance.scheduleWithFixedDelay(this::persistHeadIfDue, check, check, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens (creating if needed) the store in {@code dir} and replays its WAL into the head.
     *
     * @throws StorageException when the directory cannot be used or the WAL is damaged beyond its torn tail
     */
    public static Tsdb open(Path dir, TsdbOptions options) {
        options.validate();
        BlockStore blocks = null;
        Head head = null;
        WriteAheadLog wal = null;
        try {
            Files.createDirectories(dir);
            blocks = BlockStore.open(dir.resolve("blocks"), options.blockStoreOptions());
            head = new Head(new HeadOptions(options.outOfOrderWindowMs(), options.blockRangeMs(),
                    options.maxSeries(), options.nameScheme(), 1 << 20));
            long blocksMaxT = Long.MIN_VALUE;
            for (BlockMeta m : blocks.blocks()) {
                blocksMaxT = Math.max(blocksMaxT, m.maxt());
            }
            PersistedOverlap overlap = null;
            if (blocksMaxT != Long.MIN_VALUE) {
                // The last out-of-order window before the newest persisted sample stays writable (as it was before
                // a clean close emptied the head); a WAL checkpoint's bound, when there is one, raises this.
                long zoneStart = blocksMaxT - options.outOfOrderWindowMs();
                head.setMinValidTime(zoneStart);
                overlap = new PersistedOverlap(blocks, zoneStart, blocksMaxT);
            }
            WalOptions wo = WalOptions.defaults().withSyncPolicy(options.walSyncPolicy())
                    .withGroupCommitDelay(options.groupCommitDelay()).withSegmentSize(options.walSegmentBytes())
                    .withIo(options.walFileIO());
            wal = WriteAheadLog.open(dir.resolve("wal"), wo);
            long start = System.nanoTime();
            Head.ReplayContext rc = head.newReplay();
            WalRecords.Visitor visitor = overlap == null ? rc : new OverlapReplay(rc, head, overlap);
            try (WalReader r = wal.reader()) {
                while (r.next()) {
                    byte[] rec = r.recordBytes();
                    WalRecords.decode(rec, 0, rec.length, visitor);
                }
            }
            head.finishReplay(rc);
            long ms = (System.nanoTime() - start) / 1_000_000;
            long persistedSkipped = visitor instanceof OverlapReplay o ? o.persisted() : 0;
            LOG.info("opened {}: {} blocks, replayed {} samples of {} series from the WAL in {} ms ({} skipped, {} "
                            + "already in blocks)", dir, blocks.blocks().size(), rc.samples(), head.numSeries(), ms,
                    rc.skipped(), persistedSkipped);
            if (overlap != null && head.minValidTime() > overlap.zoneEnd()) {
                overlap = null; // the WAL's bound says everything up to the newest block is final
            }
            return new Tsdb(dir, options, head, blocks, wal, rc.samples(), ms, overlap);
        } catch (IOException | RuntimeException e) {
            closeQuietly(wal);
            closeQuietly(head);
            closeQuietly(blocks);
            throw new StorageException("cannot open the TSDB in " + dir + ": " + e.getMessage(), e, false);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public TsdbOptions options() {
        return options;
    }

    /** The in-memory head (for statistics and tests). */
    public Head head() {
        return head;
    }

    /** The persisted blocks. */
    public BlockStore blocks() {
        return blocks;
    }

    @Override
    public Appender appender() {
        ensureOpen();
        PersistedOverlap o = overlap;
        if (o != null) {
            if (head.minValidTime() <= o.zoneEnd()) {
                return new OverlapCheckingAppender(head.appender(commitLog), head, o);
            }
            overlap = null; // maintenance moved the head's bound past the zone: drop the cache
        }
        return head.appender(commitLog);
    }

    /** Blocks and head over {@code [mint, maxt]}, merged; duplicates between them are removed. */
    @Override
    public Querier querier(long mintMs, long maxtMs) {
        ensureOpen();
        Querier h = head.querier(mintMs, maxtMs);
        boolean anyBlock = false;
        for (BlockMeta m : blocks.blocks()) {
            if (m.maxt() >= mintMs && m.mint() <= maxtMs) {
                anyBlock = true;
                break;
            }
        }
        if (!anyBlock) {
            return h;
        }
        return MergeQuerier.of(List.of(blocks.querier(mintMs, maxtMs), h));
    }

    @Override
    public Map<String, MetricMetadata> metadata() {
        ensureOpen();
        Map<String, MetricMetadata> m = new HashMap<>(blocks.metadata());
        m.putAll(head.metadata());
        return m;
    }

    /** Cardinality statistics of the head (what /api/v1/status/tsdb shows), top {@code n} per list. */
    public CardinalityStats cardinality(int n) {
        ensureOpen();
        return head.cardinality(n);
    }

    public TsdbStats stats() {
        ensureOpen();
        var c = head.counters();
        return new TsdbStats(head.numSeries(), head.minTime(), head.maxTime(), head.numChunks(), head.offHeapBytes(),
                head.heapBytesEstimate(), c.appended(), c.outOfOrderAppended(), c.duplicatesIgnored(),
                c.rejectedByReason(), c.commitFailures(), replayedSamples, replayMillis, blocks.blocks().size(),
                blocks.sizeBytes());
    }

    // ---- maintenance -------------------------------------------------------------------------------------------

    private void maintainQuietly() {
        try {
            maintain(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("TSDB maintenance failed, will retry: {}", e.toString(), e);
        }
    }

    /**
     * Persists the head's oldest block ranges while it spans more than 1.5 block ranges, then compacts blocks,
     * applies retention and writes rollups as of {@code nowMs}. Safe to call at any time; runs one at a time.
     */
    public void maintain(long nowMs) {
        synchronized (maintenanceLock) {
            ensureOpen();
            persistHead();
            blocks.compact();
            // Roll up before retention: raw blocks older than the raw retention must be summarised before they go.
            blocks.downsample(nowMs);
            blocks.applyRetention(nowMs);
        }
    }

    private void persistHeadIfDue() {
        if (closed || !headSpansTooMuch()) {
            return;
        }
        try {
            persistHead();
        } catch (RuntimeException e) {
            LOG.warn("persisting the head of {} failed, will retry: {}", dir, e.toString(), e);
        }
    }

    /** Whether the head holds more than 1.5 block ranges, counted from the start of its oldest range. */
    private boolean headSpansTooMuch() {
        long hmin = head.minTime();
        long hmax = head.maxTime();
        if (hmin == Long.MAX_VALUE || hmax == Long.MIN_VALUE) {
            return false;
        }
        long range = options.blockRangeMs();
        return hmax - Math.floorDiv(hmin, range) * range > range + range / 2;
    }

    /** Writes head block ranges to blocks while the head spans more than 1.5 ranges; returns blocks written. */
    public int persistHead() {
        synchronized (maintenanceLock) {
            int written = 0;
            long range = options.blockRangeMs();
            while (headSpansTooMuch()) {
                long start = Math.floorDiv(head.minTime(), range) * range;
                long end = start + range - 1;
                // From now on samples for the range being persisted are out of bounds (a lagging series could
                // otherwise still append there, in order, and be lost by the truncation). Waiting on the commit
                // barrier lets commits that validated against the old bound finish before the snapshot.
                head.setMinValidTime(start + range);
                head.commitBarrier().writeLock().lock();
                head.commitBarrier().writeLock().unlock();
                try (Querier q = head.querier(start, end)) {
                    SeriesSet set = q.select(true, SelectHints.range(start, end), List.of());
                    if (set.next()) {
                        blocks.writeBlock(start, end, new PeekedSeriesSet(set), head.metadata());
                        written++;
                    }
                }
                truncateHead(start + range);
            }
            return written;
        }
    }

    /**
     * Drops head data before {@code mint} (which MUST be persisted already), writes a WAL checkpoint of what the head
     * still holds, and deletes the WAL segments it replaces.
     */
    public void truncateHead(long mint) {
        synchronized (maintenanceLock) {
            int seg;
            head.commitBarrier().writeLock().lock();
            try {
                // Every commit that wrote to earlier segments has been applied to the head by now.
                seg = wal.cut();
            } finally {
                head.commitBarrier().writeLock().unlock();
            }
            head.truncate(mint);
            try {
                wal.writeCheckpoint(seg - 1, sink -> writeCheckpointRecords(sink, mint));
                wal.truncateBefore(seg);
            } catch (WalException e) {
                throw WalCommitLog.translate("checkpoint", e);
            }
        }
    }

    private void writeCheckpointRecords(RecordSink sink, long mint) {
        RecordBuffer b = new RecordBuffer(CHECKPOINT_RECORD_BYTES + 4096);
        WalRecords.minValidTime(b, mint);
        sink.accept(b.array(), 0, b.length());
        b.clear();
        WalRecords.beginSeries(b);
        int[] count = {0};
        long[] prev = {0};
        long[] base = {0};
        boolean[] samplesStarted = {false};
        head.forEachSeriesAndSample(mint, (ref, labels) -> {
            WalRecords.addSeries(b, ref, labels);
            count[0]++;
            if (b.length() >= CHECKPOINT_RECORD_BYTES) {
                sink.accept(b.array(), 0, b.length());
                b.clear();
                WalRecords.beginSeries(b);
                count[0] = 0;
            }
        }, (ref, t, v) -> {
            if (!samplesStarted[0]) {
                if (count[0] > 0) {
                    sink.accept(b.array(), 0, b.length());
                }
                samplesStarted[0] = true;
                count[0] = 0;
            }
            if (count[0] == 0) {
                b.clear();
                WalRecords.beginSamples(b, t);
                base[0] = t;
                prev[0] = 0;
            }
            WalRecords.addSample(b, prev[0], base[0], ref, t, v);
            prev[0] = ref;
            count[0]++;
            if (b.length() >= CHECKPOINT_RECORD_BYTES) {
                sink.accept(b.array(), 0, b.length());
                count[0] = 0;
            }
        });
        if (count[0] > 0) {
            sink.accept(b.array(), 0, b.length());
        }
        writeMetadataRecord(sink, b, head.metadata());
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("TSDB " + dir + " is closed");
        }
    }

    /**
     * Stops the store: persists everything the head holds as blocks (see {@link #persistOnClose}), then empties the
     * WAL, so the next {@link #open} starts from blocks alone and replays nothing; then closes the WAL, frees the head
     * and closes the blocks. If the head cannot be persisted (disk full, ...), the WAL is kept as it is and the next
     * open replays it, as after a crash. Commits still in flight finish first; later ones fail (not acknowledged).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                maintenance.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (maintenanceLock) {
            RuntimeException first = null;
            // Held to the end: commits in flight are applied before the snapshot, later ones wait and then fail on
            // the closed WAL, so every acknowledged sample is in the blocks written here or still in the WAL.
            head.commitBarrier().writeLock().lock();
            try {
                persistOnClose();
            } catch (RuntimeException e) {
                LOG.error("could not persist the head of {} on close; the WAL keeps it and is replayed on the next "
                        + "open: {}", dir, e.toString(), e);
            }
            try {
                wal.close();
            } catch (RuntimeException e) {
                first = e;
            } finally {
                head.commitBarrier().writeLock().unlock();
            }
            head.close();
            try {
                blocks.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
            if (first != null) {
                throw new StorageException("closing the TSDB in " + dir + " failed: " + first.getMessage(), first,
                        false);
            }
        }
    }

    /**
     * Writes the whole head as blocks, one per block range it touches, each bounded by the data (so the last one is
     * usually shorter than a range and not aligned; compaction merges it into the aligned ranges later), then replaces
     * the WAL by a checkpoint that holds only the lower bound for samples of the next start and the metric metadata. Order matters for crash safety: the
     * WAL is cut only once every block is durable; a crash before that leaves the WAL whole, and its replay skips what
     * the blocks hold because the head's lower bound is derived from the newest block on open. Caller holds the
     * maintenance lock and the commit barrier.
     */
    private void persistOnClose() {
        long startNs = System.nanoTime();
        long hmin = head.minTime();
        long hmax = head.maxTime();
        boolean empty = hmin == Long.MAX_VALUE || hmax == Long.MIN_VALUE;
        int written = empty ? 0 : persistRange(hmin, hmax);
        // The next open accepts samples from one out-of-order window before the newest persisted sample, but never
        // below what this session already refused as out of bounds.
        long bound = empty ? head.minValidTime()
                : Math.max(hmax - options.outOfOrderWindowMs(), head.minValidTime());
        Map<String, MetricMetadata> md = head.metadata();
        int seg;
        try {
            seg = wal.cut();
            wal.writeCheckpoint(seg - 1, sink -> {
                RecordBuffer b = new RecordBuffer(4096);
                if (bound != Long.MIN_VALUE) {
                    WalRecords.minValidTime(b, bound);
                    sink.accept(b.array(), 0, b.length());
                }
                writeMetadataRecord(sink, b, md);
            });
            wal.truncateBefore(seg);
        } catch (WalException e) {
            throw WalCommitLog.translate("checkpoint", e);
        }
        LOG.info("persisted the head of {} on close: {} blocks for [{}, {}] in {} ms; WAL emptied", dir, written,
                empty ? "-" : hmin, empty ? "-" : hmax, (System.nanoTime() - startNs) / 1_000_000);
    }

    /** Writes TYPE/HELP/UNIT of every metric in {@code md} as one WAL record (none when empty). */
    private static void writeMetadataRecord(RecordSink sink, RecordBuffer b, Map<String, MetricMetadata> md) {
        if (!md.isEmpty()) {
            b.clear();
            WalRecords.beginMetadata(b);
            md.forEach((k, m) -> WalRecords.addMetadata(b, k, m));
            sink.accept(b.array(), 0, b.length());
        }
    }

    /**
     * Writes the head's samples in {@code [mint, maxt]} as blocks split on the block range grid, one thread per range
     * (up to the number of processors: a close should stop a service quickly); returns how many blocks were written.
     * The blocks appear on disk oldest first, each only after the older ones, and not at all after an older one
     * failed: the next start derives its lower bound from the newest block, so a newer block without the older ones
     * (after an error, or a kill -9 in the middle) would hide the older samples the WAL still holds from replay.
     */
    private int persistRange(long mint, long maxt) {
        long range = options.blockRangeMs();
        List<long[]> ranges = new ArrayList<>();
        long start = Math.floorDiv(mint, range) * range;
        while (true) {
            boolean last = maxt - start < range; // no overflow: start <= maxt, both sample timestamps
            ranges.add(new long[] {Math.max(start, mint), last ? maxt : start + range - 1});
            if (last) {
                break;
            }
            start += range;
        }
        AtomicInteger written = new AtomicInteger();
        int threads = Math.min(ranges.size(), Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            for (long[] r : ranges) {
                persistOneRange(r[0], r[1], () -> { }, written);
            }
            return written.get();
        }
        List<CompletableFuture<Void>> published = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            published.add(new CompletableFuture<>());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "tsdb-close-persist");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < ranges.size(); i++) {
                long[] r = ranges.get(i);
                CompletableFuture<Void> older = i == 0 ? CompletableFuture.completedFuture(null) : published.get(i - 1);
                CompletableFuture<Void> mine = published.get(i);
                pool.execute(() -> {
                    try {
                        persistOneRange(r[0], r[1], older::join, written); // join throws if an older range failed
                        older.join(); // an empty range publishes nothing but must not overtake either
                        mine.complete(null);
                    } catch (Throwable e) {
                        mine.completeExceptionally(e);
                    }
                });
            }
            try {
                CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                Throwable first = e.getCause();
                for (CompletableFuture<Void> f : published) { // the oldest failure is the cause of the others
                    if (f.isCompletedExceptionally()) {
                        try {
                            f.join();
                        } catch (CompletionException c) {
                            first = c.getCause() instanceof CompletionException cc ? cc.getCause() : c.getCause();
                        }
                        break;
                    }
                }
                throw first instanceof RuntimeException re ? re
                        : new StorageException("persisting the head failed: " + first, first, false);
            }
            return written.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private void persistOneRange(long lo, long hi, Runnable beforePublish, AtomicInteger written) {
        try (Querier q = head.querier(lo, hi)) {
            SeriesSet set = q.select(true, SelectHints.range(lo, hi), List.of());
            if (set.next()) {
                blocks.writeBlock(lo, hi, new PeekedSeriesSet(set), head.metadata(), beforePublish);
                written.incrementAndGet();
            }
        }
    }

    /**
     * Writes a consistent, self-contained copy of the store into {@code target}: the blocks, hard-linked (they are
     * immutable), and the head's data as one more block, so the copy needs no WAL. {@code target} must be on the
     * same file system as the store (hard links) and must not exist yet. The copy opens with
     * {@link #open(Path, TsdbOptions)}; the store keeps accepting writes meanwhile (a sample committed during the
     * snapshot may or may not be in it). Maintenance (head persistence, compaction) waits until the copy is done.
     *
     * @return the number of blocks in the copy
     */
    public int snapshot(Path target) {
        if (Files.exists(target)) {
            throw new StorageException("snapshot target " + target + " already exists", null, false);
        }
        synchronized (maintenanceLock) {
            Path blocksDir = target.resolve("blocks");
            int n = blocks.snapshot(blocksDir).size();
            long hmin = head.minTime();
            long hmax = head.maxTime();
            if (hmin != Long.MAX_VALUE && hmax != Long.MIN_VALUE) {
                try (Querier q = head.querier(hmin, hmax)) {
                    SeriesSet set = q.select(true, SelectHints.range(hmin, hmax), List.of());
                    if (set.next()) {
                        new BlockWriter(options.blockStoreOptions().writer()).write(blocksDir, hmin, hmax,
                                new PeekedSeriesSet(set), head.metadata(), BlockWriter.Lineage.fresh());
                        n++;
                    }
                }
            }
            LOG.info("snapshot of {} written to {}: {} blocks", dir, target, n);
            return n;
        }
    }

    /** A series set whose first {@code next()} was already called by the caller (to skip empty blocks). */
    private static final class PeekedSeriesSet implements SeriesSet {
        private final SeriesSet inner;
        private boolean first = true;

        PeekedSeriesSet(SeriesSet inner) {
            this.inner = inner;
        }

        @Override
        public boolean next() {
            if (first) {
                first = false;
                return true;
            }
            return inner.next();
        }

        @Override
        public Series at() {
            return inner.at();
        }
    }
}
