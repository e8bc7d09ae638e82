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

    void ensure(int n) {
        if (ts.length < n) {
            ts = new long[n];
            vs = new double[n];
        }
    }
}
