package io.atalaya.tsdb.block;

import io.atalaya.model.MetricMetadata;
import io.atalaya.storage.Querier;
import io.atalaya.storage.StorageException;
import io.atalaya.tsdb.index.IndexReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An open, immutable block: its files are memory-mapped in a shared {@link Arena} and read in place.
 *
 * <p>Lifetime: the block is reference counted. {@link #open} returns it holding one reference (the owner's);
 * every {@link #querier} takes another, released when the querier is closed. {@link #close()} drops the owner's
 * reference; the mappings are released (and the {@code onRelease} action runs, e.g. deleting a compacted block's
 * directory) only when the last reference is gone, so a query running during compaction keeps its data.
 * Thread-safe.
 */
public final class Block implements AutoCloseable {
    private final Path dir;
    private final BlockMeta meta;
    private final Arena arena;
    private final IndexReader index;
    private final ChunkSegmentReader chunks;
    private final Map<String, MetricMetadata> metadata;
    private final long sizeBytes;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile Runnable onRelease = () -> {
    };

    private Block(Path dir, BlockMeta meta, Arena arena, IndexReader index, ChunkSegmentReader chunks,
                  Map<String, MetricMetadata> metadata, long sizeBytes) {
        this.dir = dir;
        this.meta = meta;
        this.arena = arena;
        this.index = index;
        this.chunks = chunks;
        this.metadata = metadata;
        this.sizeBytes = sizeBytes;
    }

    /**
     * Opens the block in {@code dir}: reads meta.json, maps and verifies the index (checksum), maps the chunk
     * segments (checked frame by frame when read) and reads the metadata file.
     *
     * @throws StorageException when a file is missing or corrupt; nothing stays mapped then
     */
    public static Block open(Path dir) {
        Arena arena = Arena.ofShared();
        try {
            BlockMeta meta = BlockMeta.fromJson(Files.readString(dir.resolve(BlockWriter.META), StandardCharsets.UTF_8));
            if (!meta.id().value().equals(dir.getFileName().toString())) {
                throw new IllegalArgumentException("meta.json id " + meta.id() + " differs from the directory name");
            }
            long size = 0;
            MemorySegment ix = map(dir.resolve(BlockWriter.INDEX), arena);
            size += ix.byteSize();
            IndexReader index = new IndexReader(ix, dir.resolve(BlockWriter.INDEX).toString());
            List<MemorySegment> segs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<Path> files;
            try (Stream<Path> s = Files.list(dir.resolve(BlockWriter.CHUNKS))) {
                files = s.sorted().toList();
            }
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                if (!f.getFileName().toString().equals(ChunkSegmentWriter.segmentName(i + 1))) {
                    throw new IllegalArgumentException("unexpected chunk segment " + f.getFileName()
                            + " (expected " + ChunkSegmentWriter.segmentName(i + 1) + ")");
                }
                MemorySegment seg = mapChunkSegment(f, arena);
                size += seg.byteSize();
                segs.add(seg);
                names.add(f.toString());
            }
            ChunkSegmentReader chunks = new ChunkSegmentReader(segs, names, false);
            MemorySegment md = map(dir.resolve(MetadataFile.NAME), arena);
            size += md.byteSize();
            Map<String, MetricMetadata> metadata = MetadataFile.read(md, dir.resolve(MetadataFile.NAME).toString());
            return new Block(dir, meta, arena, index, chunks, metadata, size);
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("open block " + dir + ": " + e.getMessage(), e, false);
        }
    }

    /** Maps a chunk segment file after checking its frame chain with reads that keep it out of the mapping. */
    private static MemorySegment mapChunkSegment(Path f, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ChunkSegmentReader.checkFrameChain(ch, f.toString());
            return map(ch, arena);
        }
    }

    private static MemorySegment map(Path f, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            return map(ch, arena);
        }
    }

    private static MemorySegment map(FileChannel ch, Arena arena) throws IOException {
        long n = ch.size();
        if (n == 0) {
            return MemorySegment.ofArray(new byte[0]);
        }
        return ch.map(FileChannel.MapMode.READ_ONLY, 0, n, arena);
    }

    public Path dir() {
        return dir;
    }

    public BlockMeta meta() {
        return meta;
    }

    /** TYPE/HELP/UNIT per metric name stored with the block; unmodifiable. */
    public Map<String, MetricMetadata> metadata() {
        return metadata;
    }

    /** Bytes of the mapped files (index, chunk segments, metadata). */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The index, for inspection. Valid while the caller holds a reference. */
    public IndexReader index() {
        return index;
    }

    ChunkSegmentReader chunks() {
        return chunks;
    }

    /**
     * A querier over {@code [mint, maxt]} (closed, ms). It holds a reference on the block until closed.
     *
     * @throws IllegalStateException if the block is already fully released
     */
    public Querier querier(long mint, long maxt) {
        if (!tryAcquire()) {
            throw new IllegalStateException("block " + meta.id() + " is closed");
        }
        return new BlockQuerier(this, mint, maxt);
    }

    /** Takes a reference unless the block is already released. */
    public boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference taken by {@link #tryAcquire()} or {@link #open}; the last one unmaps the files. */
    public void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            arena.close();
            onRelease.run();
        } else if (r < 0) {
            throw new IllegalStateException("block " + meta.id() + " released more often than acquired");
        }
    }

    /** Current reference count (for tests and inspection). */
    public int references() {
        return refs.get();
    }

    /** An action to run once the last reference is dropped (after unmapping). */
    public void onRelease(Runnable action) {
        this.onRelease = action;
    }

    /** Drops the owner's reference. Idempotence is the caller's job: call it once. */
    @Override
    public void close() {
        release();
    }
}
