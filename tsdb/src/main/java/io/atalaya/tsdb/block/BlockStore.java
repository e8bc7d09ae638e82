package io.atalaya.tsdb.block;

import io.atalaya.model.MetricMetadata;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SeriesSet;
import io.atalaya.storage.StorageException;
import io.atalaya.tsdb.compact.Compactor;
import io.atalaya.tsdb.compact.LeveledPlanner;
import io.atalaya.tsdb.downsample.Aggregate;
import io.atalaya.tsdb.downsample.Downsampler;
import io.atalaya.tsdb.merge.MergeQuerier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent part of the TSDB: the set of blocks in one data directory, and everything that changes it (new
 * blocks from the head, compaction, retention, downsampling, snapshots).
 *
 * <p>Thread-safety: all methods are thread-safe. Queries never wait for maintenance: {@link #querier} takes a
 * reference on every block it reads, and a block removed by compaction or retention is deleted from disk only when
 * its last reader closes. Maintenance operations (compact, applyRetention, downsample, snapshot) are serialized among
 * themselves; {@link #writeBlock} runs concurrently with them.
 *
 * <p>Durability: a block appears only once it is complete and fsynced (see {@link BlockWriter}). A block being
 * removed is first marked with a durable {@code deletable} file, so a crash before the directory is gone is
 * finished by the next {@link #open}, which also removes {@code *.tmp} leftovers of interrupted writes, blocks
 * superseded by a completed compaction (named as parents of another block) and incomplete directories (no
 * meta.json); blocks that have a meta.json but fail to open are moved aside as {@code <id>.corrupt}.
 */
public final class BlockStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlockStore.class);
    static final String DELETABLE = "deletable";
    static final String CORRUPT_SUFFIX = ".corrupt";

    private final Path dir;
    private final BlockStoreOptions options;
    private final BlockWriter writer;
    private final LeveledPlanner planner;
    private final Compactor compactor;
    private final ReentrantLock maintenance = new ReentrantLock();
    private final Object stateLock = new Object();
    private volatile List<Block> blocks; // sorted by (mint, id); replaced, never mutated
    private volatile boolean closed;

    private BlockStore(Path dir, BlockStoreOptions options, List<Block> blocks) {
        this.dir = dir;
        this.options = options;
        this.writer = new BlockWriter(options.writer());
        this.planner = new LeveledPlanner(options.blockRanges());
        this.compactor = new Compactor(writer);
        this.blocks = sorted(blocks);
    }

    /** Opens (creating if needed) the store in {@code dataDir}, cleaning leftovers of interrupted operations. */
    public static BlockStore open(Path dataDir, BlockStoreOptions options) {
        Objects.requireNonNull(options, "options");
        List<Block> opened = new ArrayList<>();
        try {
            Files.createDirectories(dataDir);
            List<Path> entries;
            try (Stream<Path> s = Files.list(dataDir)) {
                entries = s.sorted().toList();
            }
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p)) {
                    continue;
                }
                if (name.endsWith(BlockWriter.TMP_SUFFIX)) {
                    log.info("deleting {}: left over by an interrupted block write or compaction", p);
                    FsUtil.deleteTree(p);
                    continue;
                }
                if (!BlockId.isValid(name)) {
                    continue;
                }
                if (Files.exists(p.resolve(DELETABLE))) {
                    log.info("deleting block {}: marked deletable before a restart", name);
                    FsUtil.deleteTree(p);
                    continue;
                }
                if (!Files.exists(p.resolve(BlockWriter.META))) {
                    log.warn("deleting {}: incomplete block without meta.json", p);
                    FsUtil.deleteTree(p);
                    continue;
                }
                try {
                    opened.add(Block.open(p));
                } catch (StorageException e) {
                    Path aside = dataDir.resolve(name + CORRUPT_SUFFIX);
                    log.error("block {} cannot be opened, moving it to {}: {}", name, aside, e.getMessage());
                    FsUtil.deleteTree(aside);
                    Files.move(p, aside, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            // A compaction that finished writing but crashed before deleting its inputs leaves them behind.
            Set<BlockId> superseded = new HashSet<>();
            for (Block b : opened) {
                superseded.addAll(b.meta().parents());
            }
            List<Block> live = new ArrayList<>();
            for (Block b : opened) {
                if (superseded.contains(b.meta().id())) {
                    log.info("deleting block {}: already merged into a compacted block", b.meta().id());
                    b.close();
                    FsUtil.deleteTree(b.dir());
                } else {
                    live.add(b);
                }
            }
            FsUtil.fsyncDir(dataDir);
            return new BlockStore(dataDir, options, live);
        } catch (IOException | RuntimeException e) {
            for (Block b : opened) {
                if (b.references() > 0) {
                    b.close();
                }
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("open block store " + dataDir + ": " + e.getMessage(), e, false);
        }
    }

    private static List<Block> sorted(List<Block> in) {
        List<Block> l = new ArrayList<>(in);
        l.sort(Comparator.comparingLong((Block b) -> b.meta().mint()).thenComparing(b -> b.meta().id()));
        return List.copyOf(l);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("block store " + dir + " is closed");
        }
    }

    public Path dir() {
        return dir;
    }

    public BlockStoreOptions options() {
        return options;
    }

    /**
     * Writes a level-1 raw block holding the samples of {@code source} (sorted) in {@code [mint, maxt]} (closed,
     * ms) and makes it visible to new queriers once it is durable.
     */
    public BlockMeta writeBlock(long mint, long maxt, SeriesSet source, Map<String, MetricMetadata> metadata) {
        return writeBlock(mint, maxt, source, metadata, () -> { });
    }

    /**
     * As {@link #writeBlock(long, long, SeriesSet, Map)}, running {@code beforePublish} when the block is durable,
     * just before it appears on disk under its name (see {@link BlockWriter#write(Path, long, long, SeriesSet, Map,
     * BlockWriter.Lineage, Runnable)}).
     */
    public BlockMeta writeBlock(long mint, long maxt, SeriesSet source, Map<String, MetricMetadata> metadata,
                                Runnable beforePublish) {
        checkOpen();
        BlockMeta meta = writer.write(dir, mint, maxt, source, metadata, BlockWriter.Lineage.fresh(), beforePublish);
        add(Block.open(dir.resolve(meta.id().value())));
        return meta;
    }

    private void add(Block b) {
        synchronized (stateLock) {
            List<Block> next = new ArrayList<>(blocks);
            next.add(b);
            blocks = sorted(next);
        }
    }

    /** Metadata of the current blocks, sorted by mint. */
    public List<BlockMeta> blocks() {
        List<BlockMeta> out = new ArrayList<>();
        for (Block b : blocks) {
            out.add(b.meta());
        }
        return out;
    }

    /** Summed on-disk size of the current blocks' files. */
    public long sizeBytes() {
        long n = 0;
        for (Block b : blocks) {
            n += b.sizeBytes();
        }
        return n;
    }

    /** TYPE/HELP/UNIT per metric over all blocks (newer blocks win). */
    public Map<String, MetricMetadata> metadata() {
        Map<String, MetricMetadata> m = new TreeMap<>();
        List<Block> bs = new ArrayList<>(blocks);
        bs.sort(Comparator.comparingLong(b -> b.meta().maxt()));
        for (Block b : bs) {
            m.putAll(b.metadata());
        }
        return m;
    }

    /**
     * A querier over the blocks overlapping {@code [mint, maxt]} (closed, ms), merged. {@code select} picks the
     * resolution from {@link io.atalaya.storage.SelectHints#stepMs()} and the rollup aggregate from
     * {@link io.atalaya.storage.SelectHints#function()} (see FORMAT.md).
     */
    public Querier querier(long mint, long maxt) {
        return querier(mint, maxt, null, null);
    }

    /**
     * A querier that reads only blocks of {@code resolution}; for a rollup resolution, series carry
     * {@code aggregate}'s values.
     */
    public Querier querier(long mint, long maxt, Resolution resolution, Aggregate aggregate) {
        checkOpen();
        if (resolution != null && resolution != Resolution.RAW) {
            Objects.requireNonNull(aggregate, "aggregate is required for a rollup resolution");
        }
        while (true) {
            List<Block> snapshot = blocks;
            List<BlockMeta> metas = new ArrayList<>();
            List<Querier> qs = new ArrayList<>();
            boolean raced = false;
            for (Block b : snapshot) {
                if (!b.meta().overlaps(mint, maxt) || (resolution != null && b.meta().resolution() != resolution)) {
                    continue;
                }
                if (!b.tryAcquire()) {
                    raced = true; // removed and released since we read the list: read it again
                    break;
                }
                try {
                    qs.add(b.querier(mint, maxt));
                    metas.add(b.meta());
                } finally {
                    b.release();
                }
            }
            if (!raced) {
                return new StoreQuerier(metas, qs, resolution, resolution == Resolution.RAW ? null : aggregate);
            }
            MergeQuerier.of(qs).close();
        }
    }

    /**
     * Runs the leveled compaction plan until there is nothing left to merge; returns the blocks written. The merged
     * blocks are deleted only after the new one is durable, and only once their last reader has closed.
     */
    public List<BlockMeta> compact() {
        maintenance.lock();
        try {
            checkOpen();
            List<BlockMeta> written = new ArrayList<>();
            while (true) {
                List<BlockMeta> plan = planner.plan(blocks());
                if (plan.isEmpty()) {
                    return written;
                }
                List<Block> group = byIds(plan);
                BlockMeta meta = compactor.compact(dir, group);
                log.info("compacted {} blocks into {} [{}, {}] level {}", group.size(), meta.id(), meta.mint(),
                        meta.maxt(), meta.level());
                replace(group, List.of(Block.open(dir.resolve(meta.id().value()))));
                written.add(meta);
            }
        } finally {
            maintenance.unlock();
        }
    }

    private List<Block> byIds(List<BlockMeta> metas) {
        Map<BlockId, Block> byId = new HashMap<>();
        for (Block b : blocks) {
            byId.put(b.meta().id(), b);
        }
        List<Block> out = new ArrayList<>();
        for (BlockMeta m : metas) {
            out.add(Objects.requireNonNull(byId.get(m.id()), "block vanished: " + m.id()));
        }
        return out;
    }

    /** Swaps {@code old} for {@code added} in the visible set, then retires {@code old}. */
    private void replace(List<Block> old, List<Block> added) {
        synchronized (stateLock) {
            List<Block> next = new ArrayList<>(blocks);
            next.removeAll(old);
            next.addAll(added);
            blocks = sorted(next);
        }
        for (Block b : old) {
            retire(b);
        }
    }

    /** Marks a block deletable (durably), then drops the store's reference; the directory goes with the last reader. */
    private void retire(Block b) {
        Path d = b.dir();
        try {
            BlockWriter.writeDurably(d.resolve(DELETABLE), new byte[0]);
        } catch (IOException e) {
            log.warn("cannot mark block {} deletable ({}); deleting it anyway", b.meta().id(), e.getMessage());
        }
        b.onRelease(() -> {
            try {
                FsUtil.deleteTree(d);
            } catch (IOException e) {
                log.warn("cannot delete block directory {}: {} (removed on next open)", d, e.getMessage());
            }
        });
        b.close();
    }

    /** Drops whole blocks by age and total size (see {@link io.atalaya.tsdb.retention.RetentionPolicy}). */
    public List<BlockMeta> applyRetention(long nowMs) {
        maintenance.lock();
        try {
            checkOpen();
            Map<BlockId, Long> sizes = new HashMap<>();
            for (Block b : blocks) {
                sizes.put(b.meta().id(), b.sizeBytes());
            }
            List<BlockMeta> drop = options.retention().select(blocks(), m -> sizes.getOrDefault(m.id(), 0L), nowMs);
            if (!drop.isEmpty()) {
                for (BlockMeta m : drop) {
                    log.info("retention: dropping block {} [{}, {}] {}", m.id(), m.mint(), m.maxt(),
                            m.resolution().label());
                }
                replace(byIds(drop), List.of());
            }
            return drop;
        } finally {
            maintenance.unlock();
        }
    }

    /**
     * Writes rollups for blocks that are old enough (raw → 5 min, 5 min → 1 h, per {@link BlockStoreOptions#downsampling()})
     * and not rolled up yet. The source blocks stay; retention removes them later. Returns the rollup blocks written.
     */
    public List<BlockMeta> downsample(long nowMs) {
        maintenance.lock();
        try {
            checkOpen();
            List<BlockMeta> written = new ArrayList<>();
            long after5m = options.downsampling().fiveMinuteAfterMs();
            long after1h = options.downsampling().oneHourAfterMs();
            if (after5m > 0) {
                written.addAll(downsampleLevel(Resolution.RAW, Resolution.FIVE_MINUTES, nowMs - after5m));
            }
            if (after1h > 0) {
                written.addAll(downsampleLevel(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR, nowMs - after1h));
            }
            return written;
        } finally {
            maintenance.unlock();
        }
    }

    private List<BlockMeta> downsampleLevel(Resolution from, Resolution to, long olderThan) {
        List<BlockMeta> written = new ArrayList<>();
        Set<BlockId> covered = new HashSet<>();
        for (BlockMeta m : blocks()) {
            if (m.resolution() == to) {
                covered.addAll(m.sources());
            }
        }
        for (BlockMeta src : blocks()) {
            if (src.resolution() != from || src.maxt() >= olderThan || covered.containsAll(src.sources())) {
                continue;
            }
            long w = to.windowMs();
            long start = Math.floorDiv(src.mint(), w) * w;
            long end = (Math.floorDiv(src.maxt(), w) + 1) * w - 1;
            BlockMeta meta;
            Map<String, MetricMetadata> md = new HashMap<>();
            try (Querier q = querier(start - Downsampler.MAX_CARRY_GAP_MS, end, from,
                    from == Resolution.RAW ? null : Aggregate.COUNT)) {
                var rollups = Downsampler.rollup(rawOrStored(q), from, to, start, end);
                for (Block b : byIds(List.of(src))) {
                    md.putAll(b.metadata());
                }
                meta = writer.write(dir, start, end, ArraySeries.setOf(rollups), md,
                        new BlockWriter.Lineage(1, src.sources(), List.of(), to));
            }
            log.info("downsampled block {} to {} as {} [{}, {}]", src.id(), to.label(), meta.id(), start, end);
            add(Block.open(dir.resolve(meta.id().value())));
            covered.addAll(src.sources());
            written.add(meta);
        }
        return written;
    }

    /**
     * The downsampler reads rollup sources with their {@code __rollup__} label, so it must not get the
     * aggregate-presenting view: unwrap to the merged block queriers.
     */
    private static Querier rawOrStored(Querier q) {
        return q instanceof StoreQuerier sq ? sq.storedView() : q;
    }

    /**
     * Hard-links the files of every current block into {@code target} (created; must not contain those blocks).
     * Blocks are immutable, so the snapshot is consistent: it holds exactly the blocks visible when it started.
     * Returns the ids linked.
     */
    public List<BlockId> snapshot(Path target) {
        maintenance.lock();
        List<Block> held = new ArrayList<>();
        try {
            checkOpen();
            for (Block b : blocks) {
                if (b.tryAcquire()) {
                    held.add(b);
                }
            }
            Files.createDirectories(target);
            List<BlockId> ids = new ArrayList<>();
            for (Block b : held) {
                Path dst = target.resolve(b.meta().id().value());
                Files.createDirectories(dst.resolve(BlockWriter.CHUNKS));
                try (Stream<Path> files = Files.walk(b.dir())) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        if (f.getFileName().toString().equals(DELETABLE)) {
                            continue;
                        }
                        Files.createLink(dst.resolve(b.dir().relativize(f)), f);
                    }
                }
                FsUtil.fsyncDir(dst.resolve(BlockWriter.CHUNKS));
                FsUtil.fsyncDir(dst);
                ids.add(b.meta().id());
            }
            FsUtil.fsyncDir(target);
            return ids;
        } catch (IOException e) {
            throw new StorageException("snapshot into " + target + ": " + e.getMessage(), e, false);
        } finally {
            for (Block b : held) {
                b.release();
            }
            maintenance.unlock();
        }
    }

    /**
     * Closes the store: new calls fail; blocks stay mapped until open queriers are closed.
     */
    @Override
    public void close() {
        maintenance.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<Block> bs;
            synchronized (stateLock) {
                bs = blocks;
                blocks = List.of();
            }
            for (Block b : bs) {
                b.close();
            }
        } finally {
            maintenance.unlock();
        }
    }
}
