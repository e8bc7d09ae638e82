package io.atalaya.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import io.atalaya.model.StaleMarker;
import io.atalaya.storage.Appender;
import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkEncoding;
import io.atalaya.tsdb.chunk.ChunkOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The head's chunk layout: off-heap chunk lists, headers without a first timestamp, open chunks re-using encodings. */
class HeadChunkLayoutTest {
    private static final Labels SERIES = Labels.of("__name__", "s");

    private static String sample(long t, double v) {
        return t + "=" + Long.toHexString(Double.doubleToRawLongBits(v));
    }

    @Test
    void slabEntriesDecodeTheFirstTimestampOfEveryEncodingAndLinkChunks() {
        ChunkOptimizer optimizer = new ChunkOptimizer();
        try (ChunkSlabs slabs = new ChunkSlabs(4096)) {
            long prev = ChunkSlabs.NONE;
            List<Long> refs = new ArrayList<>();
            List<long[]> bounds = new ArrayList<>();
            long[][] firsts = {{-5_000_000_000L}, {0}, {1_700_000_000_000L}, {Long.MIN_VALUE / 4}};
            for (int c = 0; c < 12; c++) {
                long first = firsts[c % firsts.length][0] + c;
                long[] ts = new long[50];
                double[] vs = new double[50];
                for (int i = 0; i < 50; i++) {
                    ts[i] = first + i * 15_000L;
                    vs[i] = switch (c % 3) {
                        case 0 -> i * 0.25;        // DECIMAL
                        case 1 -> Math.sqrt(i + c); // XOR
                        default -> i % 7;           // DECIMAL, k = 0
                    };
                }
                ChunkEncoder enc = new ChunkEncoder(0xFFFF, 0xFFFF, 64);
                if (c % 4 == 3) {
                    enc.reset(ChunkEncoding.INT);
                    for (int i = 0; i < 50; i++) {
                        assertThat(enc.append(ts[i], Math.rint(vs[i]))).isTrue();
                    }
                } else {
                    optimizer.encode(ts, vs, 50, enc);
                }
                prev = slabs.store(enc, ts[49], prev);
                refs.add(prev);
                bounds.add(new long[] {ts[0], ts[49]});
            }
            for (int c = 0; c < refs.size(); c++) {
                long ref = refs.get(c);
                assertThat(slabs.minTime(ref)).as("chunk %d", c).isEqualTo(bounds.get(c)[0]);
                assertThat(slabs.maxTime(ref)).as("chunk %d", c).isEqualTo(bounds.get(c)[1]);
                assertThat(slabs.prev(ref)).isEqualTo(c == 0 ? ChunkSlabs.NONE : refs.get(c - 1));
            }
            assertThat(slabs.usedBytes()).isPositive().isLessThanOrEqualTo(slabs.offHeapBytes());
            slabs.cutPrev(refs.get(5));
            assertThat(slabs.prev(refs.get(5))).isEqualTo(ChunkSlabs.NONE);
            assertThat(slabs.prev(refs.get(6))).isEqualTo(refs.get(5));
        }
    }

    @Test
    void aChunkSpanningMoreThanTheHeaderHoldsIsRefused() {
        try (ChunkSlabs slabs = new ChunkSlabs(4096)) {
            ChunkEncoder enc = new ChunkEncoder();
            enc.append(0, 1);
            enc.append(ChunkSlabs.MAX_SPAN_MS + 1, 2);
            assertThatThrownBy(() -> slabs.store(enc, ChunkSlabs.MAX_SPAN_MS + 1, ChunkSlabs.NONE))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sparseSeriesAreCutBeforeAChunkSpansTooLong() {
        HeadOptions opts = HeadOptions.defaults().withOutOfOrderWindowMs(0).withChunkRangeMs(Long.MAX_VALUE / 4);
        try (Head head = new Head(opts)) {
            List<String> want = new ArrayList<>();
            long day = 86_400_000L;
            for (int i = 0; i < 12; i++) {
                Appender app = head.appender(CommitLog.NONE);
                long t = i * 20 * day;
                app.append(0, SERIES, t, i);
                app.commit();
                want.add(sample(t, i));
            }
            assertThat(head.numChunks()).as("a chunk spans at most ~49.7 days: 3 samples here").isEqualTo(4);
            assertThat(HeadModelPropertyTest.readAll(head).get(SERIES)).isEqualTo(want);
        }
    }

    @Test
    void truncationCutsTheChunkListAndLaterChunksStillLink() {
        HeadOptions opts = new HeadOptions(0, 600_000, 0, HeadOptions.defaults().nameScheme(), 4096);
        try (Head head = new Head(opts)) {
            List<String> want = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < 3000; i++) {
                Appender app = head.appender(CommitLog.NONE);
                long t = i * 1000L;
                double v = i % 500 == 0 ? Double.longBitsToDouble(StaleMarker.BITS) : rnd.nextDouble();
                app.append(0, SERIES, t, v);
                app.commit();
                want.add(sample(t, v));
            }
            long chunksBefore = head.numChunks();
            head.truncate(1_500_000);
            assertThat(head.numChunks()).isLessThan(chunksBefore);
            assertKeepsASuffixFrom(HeadModelPropertyTest.readAll(head).get(SERIES), want, 1_500_000);
            for (int i = 3000; i < 4000; i++) {
                Appender app = head.appender(CommitLog.NONE);
                app.append(0, SERIES, i * 1000L, i);
                app.commit();
                want.add(sample(i * 1000L, i));
            }
            head.truncate(3_200_000);
            assertKeepsASuffixFrom(HeadModelPropertyTest.readAll(head).get(SERIES), want, 3_200_000);
        }
    }

    /** Truncation keeps whole chunks: every sample from {@code mint} on, and maybe some before it. */
    private static void assertKeepsASuffixFrom(List<String> got, List<String> want, long mint) {
        assertThat(got).isEqualTo(want.subList(want.size() - got.size(), want.size()));
        assertThat(Long.parseLong(got.getFirst().substring(0, got.getFirst().indexOf('=')))).isLessThanOrEqualTo(mint);
        assertThat(got.size()).isLessThan(want.size());
    }

    @Test
    void openChunksStartWithTheSealedEncodingAndRecoverWhenValuesChange() {
        HeadOptions opts = HeadOptions.defaults().withOutOfOrderWindowMs(0);
        try (Head head = new Head(opts)) {
            List<String> want = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(11);
            for (int i = 0; i < 2500; i++) {
                double v;
                if (i < 1000) {
                    v = i * 0.01; // decimal: sealed chunks go DECIMAL, open chunks follow
                } else if (i < 1010) {
                    v = i % 2 == 0 ? Double.NaN : Double.longBitsToDouble(StaleMarker.BITS);
                } else if (i < 1800) {
                    v = rnd.nextDouble() * 1e6; // no longer decimal: the open chunk is cut and re-optimized
                } else {
                    v = -0.0;
                }
                Appender app = head.appender(CommitLog.NONE);
                app.append(0, SERIES, i * 10_000L, v);
                app.commit();
                want.add(sample(i * 10_000L, v));
            }
            assertThat(HeadModelPropertyTest.readAll(head).get(SERIES)).isEqualTo(want);
            long sealedHeap = head.heapBytesEstimate();
            assertThat(sealedHeap).as("one series: object, encoder, buffer of at most the byte cap")
                    .isLessThan(104 + 112 + MemSeries.CHUNK_MAX_BYTES + 64);
        }
    }

    @Test
    void outOfOrderSamplesMergeWithLinkedChunks() {
        try (Head head = new Head(HeadOptions.defaults())) {
            List<String> want = new ArrayList<>();
            for (int i = 0; i < 1500; i += 2) {
                Appender app = head.appender(CommitLog.NONE);
                app.append(0, SERIES, 3_600_000L + i * 1000L, i);
                app.commit();
            }
            Appender app = head.appender(CommitLog.NONE);
            for (int i = 1; i < 1500; i += 2) {
                app.append(0, SERIES, 3_600_000L + i * 1000L, i);
            }
            app.commit();
            for (int i = 0; i < 1500; i++) {
                want.add(sample(3_600_000L + i * 1000L, i));
            }
            assertThat(HeadModelPropertyTest.readAll(head).get(SERIES)).isEqualTo(want);
            Appender dup = head.appender(CommitLog.NONE);
            assertThatThrownBy(() -> dup.append(0, SERIES, 3_600_000L + 10_000L, 99))
                    .isInstanceOf(io.atalaya.storage.SampleRejectedException.class);
            dup.append(0, SERIES, 3_600_000L + 10_000L, 10); // the same sample again: idempotent
            dup.commit();
            head.truncate(3_600_000L + 1_000_000L);
            assertThat(HeadModelPropertyTest.readAll(head).get(SERIES).getLast()).isEqualTo(want.getLast());
        }
    }

    @Test
    void pooledBatchArraysCarryNothingFromOneTransactionToTheNext() {
        MemoryCommitLog log = new MemoryCommitLog();
        try (Head head = new Head(HeadOptions.defaults())) {
            int big = AppendContext.MAX_KEPT_BATCH + 10; // past the pooled size once, then back to small batches
            Appender first = head.appender(log);
            for (int i = 0; i < big; i++) {
                first.append(0, Labels.of("__name__", "big", "i", Integer.toString(i)), 1000, i);
            }
            first.commit();
            log.failing = true;
            Appender failed = head.appender(log);
            failed.append(0, Labels.of("__name__", "new"), 1000, 1);
            failed.append(0, SERIES, 1000, 2);
            assertThatThrownBy(failed::commit).hasMessageContaining("cannot commit 2 samples");
            log.failing = false;
            Appender rolledBack = head.appender(log);
            rolledBack.append(0, SERIES, 2000, 3);
            rolledBack.rollback();
            Appender again = head.appender(log);
            again.append(0, Labels.of("__name__", "new"), 3000, 4);
            again.append(0, SERIES, 3000, 5);
            again.commit();
            assertThat(HeadModelPropertyTest.readAll(head).get(SERIES)).containsExactly(sample(3000, 5));
            // The series whose first commit failed are logged again: a replay knows them.
            try (Head replayed = new Head(HeadOptions.defaults())) {
                log.replayInto(replayed);
                assertThat(HeadModelPropertyTest.readAll(replayed)).hasSize(big + 2);
                assertThat(HeadModelPropertyTest.readAll(replayed).get(Labels.of("__name__", "new")))
                        .containsExactly(sample(3000, 4));
            }
        }
    }
}
