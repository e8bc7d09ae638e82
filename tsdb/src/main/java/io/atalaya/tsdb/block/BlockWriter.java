package io.atalaya.tsdb.block;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SeriesSet;
import io.atalaya.storage.StorageException;
import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkEncoding;
import io.atalaya.tsdb.chunk.ChunkOptimizer;
import io.atalaya.tsdb.index.IndexWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one immutable block from a sorted {@link SeriesSet}, re-encoding the samples into chunks of
 * {@link io.atalaya.tsdb.chunk}: each series is cut into equal chunks of at most {@code chunkMaxSamples}, each chunk
 * in the smallest encoding {@link ChunkOptimizer} finds (all values are known at this point). Crash-safe: everything is written into {@code <id>.tmp}, every file and the
 * directories are fsynced, the directory is renamed atomically to {@code <id>} and the parent is fsynced. A crash at
 * any point leaves either no block or a complete one (plus a {@code .tmp} leftover that {@link BlockStore} deletes).
 *
 * <p>Samples outside {@code [mint, maxt]} are dropped; series with no sample inside are left out. Within a series,
 * a sample whose timestamp is not greater than the previous one is dropped (sources are expected to be
 * de-duplicated already, see {@link io.atalaya.tsdb.merge.MergeQuerier}). Thread-safe: each call is independent.
 */
public final class BlockWriter {
    /**
     * @param compression      frame compression of the chunk segment files
     * @param chunkMaxSamples  samples per block chunk (blocks use longer chunks than the head: less per-chunk overhead)
     * @param chunkMaxBytes    encoded bytes per block chunk
     * @param frameTargetBytes raw bytes per chunk frame (the compression unit)
     */
    public record Options(ChunkCompression compression, int chunkMaxSamples, int chunkMaxBytes, int frameTargetBytes) {
        public Options {
            Objects.requireNonNull(compression, "compression");
            if (chunkMaxSamples < 1 || chunkMaxSamples > 65_535) {
                throw new IllegalArgumentException("chunkMaxSamples must be in 1..65535, got " + chunkMaxSamples);
            }
            if (chunkMaxBytes < 64) {
                throw new IllegalArgumentException("chunkMaxBytes must be at least 64, got " + chunkMaxBytes);
            }
            if (frameTargetBytes < 1 || frameTargetBytes > ChunkSegmentWriter.MAX_FRAME_TARGET) {
                throw new IllegalArgumentException("frameTargetBytes must be in 1.." + ChunkSegmentWriter.MAX_FRAME_TARGET);
            }
        }

        /**
         * The measured default (FORMAT.md, "Choice of compression"): zstd frames of up to 64 KiB, chunks of up to
         * 1080 samples (3 h at 10 s). On the node_exporter workload (100 hosts, 10 s) a compacted 6 h block takes
         * 0.71 bytes/sample, against 0.88 without compression and 1.06 with head-sized (120-sample) raw chunks.
         */
        public static Options defaults() {
            return new Options(ChunkCompression.ZSTD, 1080, 16 * 1024, ChunkSegmentWriter.MAX_FRAME_TARGET);
        }
    }

    /**
     * Where a block comes from.
     *
     * @param level      compaction level (1 = cut from the head)
     * @param sources    level-1 ids the data comes from; empty means "this block itself"
     * @param parents    blocks merged into this one
     * @param resolution raw or a rollup
     */
    public record Lineage(int level, List<BlockId> sources, List<BlockId> parents, Resolution resolution) {
        public Lineage {
            sources = List.copyOf(sources);
            parents = List.copyOf(parents);
            Objects.requireNonNull(resolution, "resolution");
        }

        /** A level-1 raw block cut from the head. */
        public static Lineage fresh() {
            return new Lineage(1, List.of(), List.of(), Resolution.RAW);
        }
    }

    static final String INDEX = "index";
    static final String CHUNKS = "chunks";
    static final String META = "meta.json";
    static final String TMP_SUFFIX = ".tmp";

    private final Options options;

    public BlockWriter(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /**
     * Writes a block under {@code parentDir} and returns its metadata once it is durable.
     *
     * @param mint first millisecond covered (inclusive)
     * @param maxt last millisecond covered (inclusive)
     * @throws StorageException for I/O failures (the temporary directory is removed) or an unsorted source
     */
    public BlockMeta write(Path parentDir, long mint, long maxt, SeriesSet source, Map<String, MetricMetadata> metadata,
                           Lineage lineage) {
        return write(parentDir, mint, maxt, source, metadata, lineage, () -> { });
    }

    /**
     * As {@link #write(Path, long, long, SeriesSet, Map, Lineage)}, running {@code beforePublish} once the block is
     * complete and fsynced, just before the rename that makes it a block; an exception from it abandons the block
     * (its temporary directory is removed). Lets blocks written in parallel appear in a chosen order.
     */
    public BlockMeta write(Path parentDir, long mint, long maxt, SeriesSet source, Map<String, MetricMetadata> metadata,
                           Lineage lineage, Runnable beforePublish) {
        BlockId id = BlockId.generate();
        Path tmp = parentDir.resolve(id.value() + TMP_SUFFIX);
        Path dst = parentDir.resolve(id.value());
        try {
            Files.createDirectories(tmp.resolve(CHUNKS));
            BlockMeta meta = writeContents(tmp, id, mint, maxt, source, metadata, lineage);
            FsUtil.fsyncDir(tmp.resolve(CHUNKS));
            FsUtil.fsyncDir(tmp);
            beforePublish.run();
            Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
            FsUtil.fsyncDir(parentDir);
            return meta;
        } catch (IOException | RuntimeException e) {
            try {
                FsUtil.deleteTree(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new StorageException("write block " + id + " in " + parentDir + ": " + e.getMessage(), e, true);
        }
    }

    private BlockMeta writeContents(Path dir, BlockId id, long mint, long maxt, SeriesSet source,
                                    Map<String, MetricMetadata> metadata, Lineage lineage) throws IOException {
        IndexWriter index = new IndexWriter();
        ChunkOptimizer optimizer = new ChunkOptimizer();
        // Caps unused: the optimizer sizes chunks itself (writeChunks splits chunks above chunkMaxBytes).
        ChunkEncoder enc = new ChunkEncoder(65_535, 1 << 21, 1024);
        long samples = 0;
        long chunkBytes;
        long chunks;
        try (ChunkSegmentWriter cw = new ChunkSegmentWriter(dir.resolve(CHUNKS), options.compression,
                options.frameTargetBytes)) {
            ChunkList list = new ChunkList();
            SampleBuffer buf = new SampleBuffer();
            SampleIterator it = null;
            Labels prev = null;
            while (source.next()) {
                var series = source.at();
                Labels labels = series.labels();
                if (prev != null && prev.compareTo(labels) >= 0) {
                    throw new IllegalArgumentException("block source is not sorted or has duplicate series: "
                            + labels + " after " + prev);
                }
                prev = labels;
                list.clear();
                buf.clear();
                it = series.iterator(it);
                long lastT = Long.MIN_VALUE;
                if (it.seek(mint)) {
                    do {
                        long t = it.timestamp();
                        if (t > maxt) {
                            break;
                        }
                        if (t > lastT) {
                            buf.add(t, it.value());
                            lastT = t;
                        }
                    } while (it.next());
                }
                if (buf.n == 0) {
                    continue;
                }
                samples += buf.n;
                // Equal-sized chunks of at most chunkMaxSamples, each in its smallest encoding.
                int parts = (buf.n + options.chunkMaxSamples - 1) / options.chunkMaxSamples;
                int from = 0;
                for (int p = 0; p < parts; p++) {
                    int to = (int) ((long) buf.n * (p + 1) / parts);
                    writeChunks(buf, from, to, optimizer, enc, cw, list);
                    from = to;
                }
                index.addSeries(labels, list.mint, list.maxt, list.ref, list.samples, list.n);
            }
            chunks = cw.chunks();
            chunkBytes = cw.finish();
        }
        long indexBytes = index.write(dir.resolve(INDEX));
        long metaBytes = MetadataFile.write(dir.resolve(MetadataFile.NAME), metadata);
        List<BlockId> sources = lineage.sources().isEmpty() ? List.of(id) : lineage.sources();
        BlockMeta meta = new BlockMeta(id, mint, maxt,
                new BlockMeta.Stats(index.numSeries(), samples, chunks, chunkBytes + indexBytes + metaBytes),
                lineage.level(), sources.stream().sorted().distinct().toList(),
                lineage.parents().stream().sorted().toList(), lineage.resolution());
        writeDurably(dir.resolve(META), meta.toJson().getBytes(StandardCharsets.UTF_8));
        return meta;
    }

    /** Encodes samples [from, to) as one chunk, or splits them in halves while the chunk exceeds chunkMaxBytes. */
    private void writeChunks(SampleBuffer buf, int from, int to, ChunkOptimizer optimizer, ChunkEncoder enc,
                             ChunkSegmentWriter cw, ChunkList list) throws IOException {
        int n = to - from;
        long[] ts = buf.t;
        double[] vs = buf.v;
        if (from > 0) {
            ts = java.util.Arrays.copyOfRange(buf.t, from, to);
            vs = java.util.Arrays.copyOfRange(buf.v, from, to);
        }
        enc.reset(ChunkEncoding.XOR);
        optimizer.encode(ts, vs, n, enc);
        if (enc.sizeBytes() > options.chunkMaxBytes && n > 1) {
            int mid = from + n / 2;
            writeChunks(buf, from, mid, optimizer, enc, cw, list);
            writeChunks(buf, mid, to, optimizer, enc, cw, list);
            return;
        }
        list.add(enc, cw.add(enc.array(), enc.sizeBytes()));
    }

    /** The in-range samples of the series being written; reused across series. */
    private static final class SampleBuffer {
        long[] t = new long[1024];
        double[] v = new double[1024];
        int n;

        void clear() {
            n = 0;
        }

        void add(long ts, double val) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            t[n] = ts;
            v[n++] = val;
        }
    }

    static void writeDurably(Path file, byte[] content) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var bb = java.nio.ByteBuffer.wrap(content);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
    }

    /** Chunk metas of the series being written; reused across series. */
    private static final class ChunkList {
        long[] mint = new long[16];
        long[] maxt = new long[16];
        long[] ref = new long[16];
        int[] samples = new int[16];
        int n;

        void clear() {
            n = 0;
        }

        void add(ChunkEncoder enc, long chunkRef) {
            if (n == mint.length) {
                mint = Arrays.copyOf(mint, n * 2);
                maxt = Arrays.copyOf(maxt, n * 2);
                ref = Arrays.copyOf(ref, n * 2);
                samples = Arrays.copyOf(samples, n * 2);
            }
            mint[n] = enc.minTime();
            maxt[n] = enc.maxTime();
            ref[n] = chunkRef;
            samples[n] = enc.numSamples();
            n++;
        }
    }
}
