package io.atalaya.tsdb.head;

import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkIterator;
import io.atalaya.tsdb.chunk.ChunkOptimizer;

/**
 * Scratch state for sealing chunks and looking samples up, so that the append path allocates nothing. One per
 * thread at a time (the head pools them); not thread-safe.
 */
final class AppendContext {
    final ChunkIterator it = new ChunkIterator();
    final ChunkOptimizer optimizer = new ChunkOptimizer();
    final ChunkEncoder sealed = new ChunkEncoder(0xFFFF, 0xFFFF, 1024);
    long[] ts = new long[MemSeries.CHUNK_MAX_SAMPLES];
    double[] vs = new double[MemSeries.CHUNK_MAX_SAMPLES];
    final io.atalaya.tsdb.wal.RecordBuffer records = new io.atalaya.tsdb.wal.RecordBuffer(4096);
    /** Set by {@link MemSeries#lookup}: raw bits of the sample found. */
    long foundBits;
    /** Batch arrays of a transaction (see HeadAppender), kept between transactions up to {@link #MAX_KEPT_BATCH}. */
    MemSeries[] batchSeries = new MemSeries[32];
    long[] batchT = new long[32];
    double[] batchV = new double[32];
    private MemSeries[] logged = new MemSeries[32];
    /** Larger batch arrays (20 bytes per sample) are dropped after their transaction rather than pooled. */
    static final int MAX_KEPT_BATCH = 1 << 16;

    /** Takes back a transaction's batch arrays (cleared of series) for the next one, unless they grew too large. */
    void keepBatch(MemSeries[] series, long[] t, double[] v) {
        if (series.length <= MAX_KEPT_BATCH) {
            batchSeries = series;
            batchT = t;
            batchV = v;
        } else {
            batchSeries = new MemSeries[32];
            batchT = new long[32];
            batchV = new double[32];
        }
    }

    /** A scratch array of at least {@code n} nulls; the caller nulls what it wrote before the context is reused. */
    MemSeries[] logged(int n) {
        if (logged.length < n) {
            logged = new MemSeries[Math.max(n, Math.min(2 * logged.length, MAX_KEPT_BATCH))];
        } else if (logged.length > MAX_KEPT_BATCH && n <= MAX_KEPT_BATCH) {
            logged = new MemSeries[MAX_KEPT_BATCH];
        }
        return logged;
    }

    void ensure(int n) {
        if (ts.length < n) {
            ts = new long[n];
            vs = new double[n];
        }
    }
}
