package io.atalaya.bench.tsdb;

import io.atalaya.bench.workload.NodeExporterWorkload;
import io.atalaya.bench.workload.SeriesColumns;
import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkEncoding;
import io.atalaya.tsdb.chunk.ChunkIterator;
import io.atalaya.tsdb.chunk.ChunkOptimizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Chunk encode/decode over 120-sample chunks of every series of 5 node_exporter hosts (815 series, fixed seed).
 * Scores are per sample. {@code -p metric=node_load1 -p perChunk=1080} measures one metric's series in chunks as
 * long as a compacted 6 h block holds at a 10 s interval (scores stay per sample).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkBenchmark {
    static final int PER_CHUNK = 120;
    static final int SERIES = 815;
    static final int SAMPLES = SERIES * PER_CHUNK;

    /** Only the series of this metric, or all when empty; the decode scores are then scaled to per sample. */
    @Param("")
    public String metric;
    /** Samples per sealed chunk in the decode benchmarks. */
    @Param("120")
    public int perChunk;

    long[][] ts;
    double[][] vs;
    ChunkEncoder encoder;
    ChunkOptimizer optimizer;
    ChunkEncoder optimized;
    ChunkIterator iterator;
    final long[] batchT = new long[256];
    final double[] batchV = new double[256];
    MemorySegment[] sealed;
    Arena arena;

    @Setup
    public void setup() {
        NodeExporterWorkload w = NodeExporterWorkload.of(5, 42);
        int n = w.seriesCount();
        SeriesColumns columns = SeriesColumns.next(w, PER_CHUNK);
        ts = columns.ts();
        vs = columns.vs();
        encoder = new ChunkEncoder();
        optimizer = new ChunkOptimizer();
        optimized = new ChunkEncoder(0xFFFF, 0xFFFF, 1024);
        iterator = new ChunkIterator();
        arena = Arena.ofConfined();
        sealed = sealedChunks(w, n);
    }

    /**
     * Sealed chunks of {@link #perChunk} samples of the selected series (the last one shorter), {@link #SAMPLES}
     * samples in all, so that the per-sample scaling of the decode benchmarks holds.
     */
    private MemorySegment[] sealedChunks(NodeExporterWorkload w, int n) {
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (metric.isEmpty() || metric.equals(w.labels(i).get("__name__"))) {
                picked.add(i);
            }
        }
        if (picked.isEmpty()) {
            throw new IllegalArgumentException("no series named " + metric);
        }
        NodeExporterWorkload again = NodeExporterWorkload.of(5, 42);
        MemorySegment[] out = new MemorySegment[(SAMPLES + perChunk - 1) / perChunk];
        for (int c = 0; c < out.length; ) {
            SeriesColumns round = SeriesColumns.next(again, perChunk);
            for (int p = 0; p < picked.size() && c < out.length; p++, c++) {
                int series = picked.get(p);
                optimizer.encode(round.ts()[series], round.vs()[series], Math.min(perChunk, SAMPLES - c * perChunk),
                        optimized);
                out[c] = arena.allocate(optimized.sizeBytes());
                optimized.copyTo(out[c], 0);
            }
        }
        return out;
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** Online append as the head does it (INT or XOR by first value). */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int encodeOnline() {
        int bytes = 0;
        for (int i = 0; i < SERIES; i++) {
            long[] t = ts[i];
            double[] v = vs[i];
            encoder.reset(ChunkEncoding.preferredFor(v[0]));
            for (int s = 0; s < PER_CHUNK; s++) {
                encoder.append(t[s], v[s]);
            }
            bytes += encoder.sizeBytes();
        }
        return bytes;
    }

    /** Sealing: choosing the best encoding and writing it. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int encodeOptimized() {
        int bytes = 0;
        for (int i = 0; i < SERIES; i++) {
            optimizer.encode(ts[i], vs[i], PER_CHUNK, optimized);
            bytes += optimized.sizeBytes();
        }
        return bytes;
    }

    /** Decoding sealed (mostly DECIMAL) chunks from off-heap memory. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decodeOffHeap() {
        double sum = 0;
        for (MemorySegment c : sealed) {
            ChunkIterator it = iterator.reset(c);
            while (it.next()) {
                sum += it.value();
            }
        }
        return sum;
    }

    /** The same chunks in batches, as the block and head iterators read them. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decodeOffHeapBatched() {
        double sum = 0;
        for (MemorySegment c : sealed) {
            ChunkIterator it = iterator.reset(c);
            int n;
            while ((n = it.nextBatch(batchT, batchV, 0, batchT.length)) > 0) {
                for (int i = 0; i < n; i++) {
                    sum += batchV[i];
                }
            }
        }
        return sum;
    }
}
