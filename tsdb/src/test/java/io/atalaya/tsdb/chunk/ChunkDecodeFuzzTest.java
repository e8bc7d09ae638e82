package io.atalaya.tsdb.chunk;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/** Chunks come from disk: arbitrary bytes may only decode to samples or fail with CorruptChunkException. */
class ChunkDecodeFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void decodingArbitraryBytesFailsOnlyCleanly(FuzzedDataProvider data) {
        long target = data.consumeLong();
        byte[] bytes = data.consumeRemainingAsBytes();
        ChunkIterator it = new ChunkIterator();
        try {
            it.reset(MemorySegment.ofArray(bytes));
            int n = 0;
            while (it.next()) {
                n++;
            }
            if (n > it.total()) {
                throw new AssertionError("decoded " + n + " samples from a chunk of " + it.total());
            }
            it.reset(bytes, 0, bytes.length);
            long[] ts = new long[64];
            double[] vs = new double[64];
            int batched = 0;
            int got;
            while ((got = it.nextBatch(ts, vs, 0, 64)) > 0) {
                batched += got;
            }
            if (batched != n) {
                throw new AssertionError("batches decoded " + batched + " samples, next() " + n);
            }
            it.reset(bytes, 0, bytes.length);
            it.seek(target);
        } catch (CorruptChunkException expected) {
            // damage is reported as such
        }
    }
}
