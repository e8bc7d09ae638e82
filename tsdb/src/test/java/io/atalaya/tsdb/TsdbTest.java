package io.atalaya.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.model.MetricMetadata;
import io.atalaya.model.MetricType;
import io.atalaya.model.StaleMarker;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.storage.StorageException;
import io.atalaya.tsdb.head.CardinalityStats;
import io.atalaya.wal.FaultInjectingFileIO;
import io.atalaya.wal.SyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbTest {
    static final long HOUR = 3_600_000L;
    static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % (2 * HOUR);

    @TempDir
    Path dir;

    static TsdbOptions fast() {
        return TsdbOptions.defaults().withWalSyncPolicy(SyncPolicy.NONE).withMaintenanceInterval(Duration.ZERO)
                .withWalSegmentBytes(1 << 20);
    }

    static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 3), "instance", "host-" + i, "job", "node");
    }

    @Test
    void appendQueryReopen() {
        Map<Labels, List<String>> expected;
        try (Tsdb db = Tsdb.open(dir, fast())) {
            Appender a = db.appender();
            long ref = 0;
            for (int t = 0; t < 500; t++) {
                ref = a.append(ref, series(0), T0 + t * 10_000L, t % 7 == 0 ? StaleMarker.VALUE : t * 1.5);
                a.append(0, series(1), T0 + t * 10_000L, t);
            }
            a.updateMetadata("m0", new MetricMetadata(MetricType.GAUGE, "help", "bytes"));
            a.commit();
            expected = TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(expected).hasSize(2);
            assertThat(expected.get(series(0))).hasSize(500);
            assertThat(db.metadata()).containsEntry("m0", new MetricMetadata(MetricType.GAUGE, "help", "bytes"));
            try (Querier q = db.querier(T0, T0 + 100_000)) {
                assertThat(q.labelValues("instance", List.of())).containsExactly("host-0", "host-1");
                assertThat(q.labelNames(List.of(Matcher.equal("__name__", "m1")))).containsExactly("__name__", "instance", "job");
            }
        }
        try (Tsdb db = Tsdb.open(dir, fast())) {
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
            assertThat(db.metadata()).containsKey("m0");
            // The clean close persisted the head: nothing to replay, the data comes from a block.
            assertThat(db.stats().replayedSamples()).isZero();
            assertThat(db.blocks().blocks()).hasSize(1);
            assertThat(db.head().numSeries()).isZero();
        }
    }

    @Test
    void headIsPersistedToBlocksCheckpointedAndStillReadable() throws Exception {
        TsdbOptions opts = fast().withOutOfOrderWindowMs(10 * 60_000L);
        Map<Labels, List<String>> expected = new TreeMap<>();
        try (Tsdb db = Tsdb.open(dir, opts)) {
            long[] refs = new long[20];
            for (int step = 0; step < 5 * 360; step++) { // 5 hours at 10 s
                Appender a = db.appender();
                long t = T0 + step * 10_000L;
                for (int i = 0; i < refs.length; i++) {
                    double v = (i % 2 == 0) ? step * 3 : step * 0.25;
                    refs[i] = a.append(refs[i], series(i), t, v);
                    expected.computeIfAbsent(series(i), k -> new ArrayList<>())
                            .add(t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
                }
                a.commit();
            }
            assertThat(db.persistHead()).isEqualTo(1); // 5 h of data: [0, 2h) goes, 3 h stay (not > 1.5 ranges)
            assertThat(db.blocks().blocks()).hasSize(1);
            assertThat(db.head().minValidTime()).isEqualTo(T0 + 2 * HOUR);
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
            Appender late = db.appender();
            assertThatThrownBy(() -> late.append(0, series(0), T0 + HOUR, 1))
                    .isInstanceOfSatisfying(SampleRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(SampleRejectedException.Reason.OUT_OF_BOUNDS));
            late.rollback();
            try (var files = Files.list(dir.resolve("wal"))) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("checkpoint"));
            }
        }
        try (Tsdb db = Tsdb.open(dir, opts)) {
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
            // [T0, T0+2h) by maintenance, then [T0+2h, T0+4h) and the partial [T0+4h, newest] on close.
            long newest = T0 + (5 * 360 - 1) * 10_000L;
            assertThat(db.blocks().blocks()).extracting(m -> m.mint() + ".." + m.maxt()).containsExactly(
                    T0 + ".." + (T0 + 2 * HOUR - 1), (T0 + 2 * HOUR) + ".." + (T0 + 4 * HOUR - 1),
                    (T0 + 4 * HOUR) + ".." + newest);
            assertThat(db.head().minValidTime()).isEqualTo(newest - 10 * 60_000L);
            assertThat(db.head().numSeries()).isZero();
            assertThat(db.cardinality(2).numSeries()).isZero();
        }
    }

    @Test
    void cardinalityOfTheHead() {
        try (Tsdb db = Tsdb.open(dir, fast())) {
            Appender a = db.appender();
            for (int i = 0; i < 20; i++) {
                a.append(0, series(i), T0, i);
            }
            a.commit();
            CardinalityStats c = db.cardinality(2);
            assertThat(c.numSeries()).isEqualTo(20);
            assertThat(c.seriesCountByMetricName()).hasSize(2);
            assertThat(c.seriesCountByMetricName().get(0).value()).isEqualTo(7);
        }
    }

    @Test
    void diskFullFailsTheCommitClearlyKeepsDataAndRecovers() {
        FaultInjectingFileIO io = new FaultInjectingFileIO();
        TsdbOptions opts = fast().withWalFileIO(io).withWalSyncPolicy(SyncPolicy.ALWAYS);
        Map<Labels, List<String>> before;
        try (Tsdb db = Tsdb.open(dir, opts)) {
            Appender a = db.appender();
            for (int t = 0; t < 100; t++) {
                a.append(0, series(0), T0 + t * 1000L, t);
            }
            a.commit();
            before = TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE);

            io.setWriteBudget(10);
            Appender b = db.appender();
            for (int t = 100; t < 200; t++) {
                b.append(0, series(0), T0 + t * 1000L, t);
                b.append(0, series(5), T0 + t * 1000L, t);
            }
            assertThatThrownBy(b::commit).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.getMessage()).contains("disk is full").contains("intact");
                assertThat(e.retryable()).isTrue();
            });
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(before);
            assertThat(db.stats().commitFailures()).isEqualTo(1);

            io.unlimitedSpace();
            Appender c = db.appender();
            for (int t = 100; t < 150; t++) {
                c.append(0, series(0), T0 + t * 1000L, t);
            }
            c.commit();
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE).get(series(0))).hasSize(150);
        }
        try (Tsdb db = Tsdb.open(dir, fast())) {
            Map<Labels, List<String>> after = TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(after.get(series(0))).hasSize(150);
            assertThat(after).doesNotContainKey(series(5));
        }
    }

    @Test
    void invalidLabelsAndSeriesLimitAreRejectedWithReasons() {
        try (Tsdb db = Tsdb.open(dir, fast().withMaxSeries(2))) {
            Appender a = db.appender();
            assertThatThrownBy(() -> a.append(0, Labels.of("job", "x"), T0, 1))
                    .isInstanceOfSatisfying(SampleRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(SampleRejectedException.Reason.INVALID_LABELS))
                    .hasMessageContaining("no metric name");
            a.append(0, series(0), T0, 1);
            a.append(0, series(1), T0, 1);
            assertThatThrownBy(() -> a.append(0, series(2), T0, 1))
                    .isInstanceOfSatisfying(SampleRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(SampleRejectedException.Reason.SERIES_LIMIT));
            a.commit();
            assertThat(db.stats().rejectedByReason()).containsEntry("invalid_labels", 1L).containsEntry("series_limit", 1L);
        }
    }

    @Test
    void aBackfillIsPersistedWithinSecondsNotAtTheNextMaintenanceRun() throws Exception {
        // Maintenance runs hourly here: only the frequent span check can cut the block within the wait below.
        TsdbOptions opts = fast().withMaintenanceInterval(Duration.ofHours(1));
        Map<Labels, List<String>> written;
        try (Tsdb db = Tsdb.open(dir, opts)) {
            Appender a = db.appender();
            for (long t = T0; t < T0 + 4 * HOUR; t += 30_000) {
                a.append(0, series(0), t, t / 1000.0);
                a.append(0, series(1), t, 1);
            }
            a.commit();
            written = TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (db.blocks().blocks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // 4 h from an aligned start: the first 2 h range goes; the 2 h left are within 1.5 ranges and stay
            assertThat(db.blocks().blocks()).hasSize(1);
            assertThat(db.blocks().blocks().get(0).mint()).isEqualTo(T0);
            assertThat(db.head().minTime()).isGreaterThanOrEqualTo(T0 + 2 * HOUR);
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(written);
        }
    }
}
