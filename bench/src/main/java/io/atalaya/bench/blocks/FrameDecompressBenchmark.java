package io.atalaya.bench.blocks;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.atalaya.bench.workload.NodeExporterWorkload;
import io.atalaya.bench.workload.SeriesColumns;
import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkOptimizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decompression of one 64 KiB chunk segment frame, as block reads do it for every frame they touch: aircompressor
 * (pure Java) against zstd-jni (libzstd through JNI, the library that writes the frames). The frame holds sealed
 * 720-sample chunks of node_exporter series (5 hosts, fixed seed), compressed at level 3 as the block writer does.
 * Scores are per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FrameDecompressBenchmark {
    private static final int FRAME_BYTES = 64 * 1024;
    private static final int PER_CHUNK = 720;

    private byte[] compressed;
    private byte[] out;
    private final ZstdDecompressor air = new ZstdDecompressor();
    private ZstdDecompressCtx jni;

    @Setup
    public void setup() {
        byte[] raw = frameOfChunks();
        compressed = Zstd.compress(raw, 3);
        out = new byte[raw.length];
        jni = new ZstdDecompressCtx();
        System.out.println("\nframe: " + raw.length + " bytes raw, " + compressed.length + " compressed");
    }

    /** Sealed chunks of consecutive series, as a block lays them out, up to one frame. */
    private static byte[] frameOfChunks() {
        NodeExporterWorkload w = NodeExporterWorkload.of(5, 42);
        int n = w.seriesCount();
        SeriesColumns columns = SeriesColumns.next(w, PER_CHUNK);
        long[][] ts = columns.ts();
        double[][] vs = columns.vs();
        ChunkOptimizer optimizer = new ChunkOptimizer();
        ChunkEncoder chunk = new ChunkEncoder(0xFFFF, 0xFFFF, 1024);
        byte[] frame = new byte[FRAME_BYTES];
        int used = 0;
        for (int i = 0; i < n; i++) {
            optimizer.encode(ts[i], vs[i], PER_CHUNK, chunk);
            byte[] c = chunk.toByteArray();
            if (used + c.length > FRAME_BYTES) {
                break;
            }
            System.arraycopy(c, 0, frame, used, c.length);
            used += c.length;
        }
        return java.util.Arrays.copyOf(frame, used);
    }

    @TearDown
    public void tearDown() {
        jni.close();
    }

    @Benchmark
    public int aircompressor() {
        return air.decompress(compressed, 0, compressed.length, out, 0, out.length);
    }

    /** zstd-jni without a context kept between frames: libzstd creates and frees one per call. */
    @Benchmark
    public long zstdJniNoContext() {
        return Zstd.decompressByteArray(out, 0, out.length, compressed, 0, compressed.length);
    }

    @Benchmark
    public int zstdJni() {
        return jni.decompressByteArray(out, 0, out.length, compressed, 0, compressed.length);
    }
}
