package io.atalaya.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import io.atalaya.storage.Appender;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.tsdb.block.BlockMeta;
import io.atalaya.wal.SyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clean close persists the head into blocks and empties the WAL; what the next start accepts and rebuilds. */
class CloseTest {
    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % (2 * HOUR);
    static final long WINDOW = 10 * MIN;

    @TempDir
    Path dir;

    static TsdbOptions opts() {
        return TsdbOptions.defaults().withWalSyncPolicy(SyncPolicy.NONE).withMaintenanceInterval(Duration.ZERO)
                .withWalSegmentBytes(1 << 20).withOutOfOrderWindowMs(WINDOW);
    }

    static Labels series(int i) {
        return Labels.of("__name__", "m", "instance", "host-" + i);
    }

    /** Appends series 0..n-1 every 10 s over [from, to], value = minutes since T0 + series; records the samples. */
    static void load(Tsdb db, int n, long from, long to, Map<Labels, List<String>> expected) {
        long[] refs = new long[n];
        for (long t = from; t <= to; t += 10_000L) {
            Appender a = db.appender();
            for (int i = 0; i < n; i++) {
                double v = (t - T0) / (double) MIN + i;
                refs[i] = a.append(refs[i], series(i), t, v);
                expected.computeIfAbsent(series(i), k -> new ArrayList<>()).add(sample(t, v));
            }
            a.commit();
        }
    }

    static String sample(long t, double v) {
        return t + "=" + Long.toHexString(Double.doubleToRawLongBits(v));
    }

    static long walBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("wal"))) {
            long n = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    n += Files.size(p);
                }
            }
            return n;
        }
    }

    @Test
    void closePersistsEverythingAndEmptiesTheWal() throws Exception {
        Map<Labels, List<String>> expected = new TreeMap<>();
        long newest = T0 + 3 * HOUR + 25 * MIN;
        try (Tsdb db = Tsdb.open(dir, opts())) {
            load(db, 5, T0 + 30 * MIN, newest, expected);
            assertThat(walBytes(dir)).isGreaterThan(50_000);
        }
        assertThat(walBytes(dir)).as("the WAL holds only an empty segment and a tiny checkpoint").isLessThan(200);
        try (Tsdb db = Tsdb.open(dir, opts())) {
            // One block per 2 h range, bounded by the data: [T0+30m, T0+2h) and [T0+2h, newest].
            assertThat(db.blocks().blocks()).extracting(m -> m.mint() + ".." + m.maxt()).containsExactly(
                    (T0 + 30 * MIN) + ".." + (T0 + 2 * HOUR - 1), (T0 + 2 * HOUR) + ".." + newest);
            assertThat(db.stats().replayedSamples()).isZero();
            assertThat(db.head().numSeries()).isZero();
            assertThat(db.head().minValidTime()).isEqualTo(newest - WINDOW);
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
        }
    }

    @Test
    void lateSamplesAfterARestartFollowTheDuplicateRulesAgainstTheBlocks() {
        Map<Labels, List<String>> expected = new TreeMap<>();
        long newest = T0 + HOUR;
        try (Tsdb db = Tsdb.open(dir, opts())) {
            load(db, 3, T0, newest, expected);
        }
        try (Tsdb db = Tsdb.open(dir, opts())) {
            Appender a = db.appender();
            long persisted = newest - 2 * MIN; // a sample every 10 s: present in the block
            double value = (persisted - T0) / (double) MIN;
            a.append(0, series(0), persisted, value); // same value: idempotent
            assertThatThrownBy(() -> a.append(0, series(0), persisted, value + 1))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP));
            assertThat(db.stats().rejectedByReason())
                    .containsEntry(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP.label(), 1L);
            a.append(0, series(0), persisted + 5_000L, -1.0); // between two persisted samples: new
            a.append(0, series(7), newest - 9 * MIN, 7.0); // a series the blocks do not know, late but in the window
            assertThatThrownBy(() -> a.append(0, series(1), newest - WINDOW - 1, 1.0))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.OUT_OF_BOUNDS));
            a.append(0, series(1), newest + 10_000L, 2.0); // in order
            a.commit();
            expected.get(series(0)).add(sample(persisted + 5_000L, -1.0));
            expected.get(series(0)).sort(Comparator.comparingLong(s -> Long.parseLong(s.substring(0, s.indexOf('=')))));
            expected.put(series(7), new ArrayList<>(List.of(sample(newest - 9 * MIN, 7.0))));
            expected.get(series(1)).add(sample(newest + 10_000L, 2.0));
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);

            // Inside one transaction the head's own rule still applies to a late sample it took.
            Appender b = db.appender();
            assertThatThrownBy(() -> b.append(0, series(7), newest - 9 * MIN, 8.0))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP));
            b.rollback();
        }
        // Persisted again on close (overlapping the first block): reads and a third start still see each sample once.
        try (Tsdb db = Tsdb.open(dir, opts())) {
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
            Appender c = db.appender();
            long persisted = newest - 2 * MIN;
            assertThatThrownBy(() -> c.append(0, series(0), persisted + 5_000L, -2.0))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP));
            c.rollback();
            db.blocks().compact();
            assertThat(db.blocks().blocks()).hasSize(1);
            assertThat(db.blocks().blocks().getFirst().stats().numSamples())
                    .isEqualTo(expected.values().stream().mapToLong(List::size).sum());
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
        }
    }

    @Test
    void withoutAnOutOfOrderWindowOnlyTheNewestPersistedTimestampCanBeRepeated() {
        TsdbOptions o = opts().withOutOfOrderWindowMs(0);
        long newest = T0 + HOUR;
        try (Tsdb db = Tsdb.open(dir, o)) {
            load(db, 2, T0, newest, new TreeMap<>());
        }
        try (Tsdb db = Tsdb.open(dir, o)) {
            Appender a = db.appender();
            a.append(0, series(0), newest, (newest - T0) / (double) MIN); // a retried last sample
            assertThatThrownBy(() -> a.append(0, series(1), newest, 0.5))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP));
            assertThatThrownBy(() -> a.append(0, series(1), newest - 1, 0.5))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.OUT_OF_BOUNDS));
            a.commit();
        }
    }

    /**
     * A crash after the close's blocks are durable but before the WAL is emptied: the next start has both. Simulated
     * by putting back the WAL as it was before the close. Replay must add nothing the blocks hold.
     */
    @Test
    void crashBetweenTheBlocksAndTheWalTruncationReplaysNothingTwice() throws Exception {
        Map<Labels, List<String>> expected = new TreeMap<>();
        Path saved = dir.resolveSibling(dir.getFileName() + "-wal");
        try (Tsdb db = Tsdb.open(dir, opts())) {
            load(db, 4, T0 + HOUR, T0 + 4 * HOUR, expected);
            db.persistHead(); // [T0, T0+2h) by maintenance: the WAL now starts with a checkpoint
            load(db, 4, T0 + 4 * HOUR + 10_000L, T0 + 4 * HOUR + 20 * MIN, expected);
            copyTree(dir.resolve("wal"), saved);
        }
        deleteTree(dir.resolve("wal"));
        copyTree(saved, dir.resolve("wal"));
        try (Tsdb db = Tsdb.open(dir, opts())) {
            assertThat(db.stats().replayedSamples()).as("everything replayed is in a block").isZero();
            assertThat(db.head().numSeries()).isEqualTo(4); // series records only
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
            Appender a = db.appender();
            long t = T0 + 4 * HOUR + 15 * MIN;
            assertThatThrownBy(() -> a.append(0, series(0), t, 0.25))
                    .isInstanceOfSatisfying(SampleRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP));
            a.rollback();
        }
        try (Tsdb db = Tsdb.open(dir, opts())) {
            long samples = 0;
            for (BlockMeta m : db.blocks().blocks()) {
                samples += m.stats().numSamples();
            }
            assertThat(samples).as("no sample written twice")
                    .isEqualTo(expected.values().stream().mapToLong(List::size).sum());
        } finally {
            deleteTree(saved);
        }
    }

    @Test
    void unalignedCloseBlocksAreMergedIntoTheAlignedRangeByCompaction() {
        Map<Labels, List<String>> expected = new TreeMap<>();
        try (Tsdb db = Tsdb.open(dir, opts())) {
            load(db, 3, T0, T0 + 30 * MIN, expected);
        }
        try (Tsdb db = Tsdb.open(dir, opts())) {
            load(db, 3, T0 + 30 * MIN + 10_000L, T0 + HOUR, expected);
        }
        try (Tsdb db = Tsdb.open(dir, opts())) {
            assertThat(db.blocks().blocks()).hasSize(2);
            load(db, 3, T0 + HOUR + 10_000L, T0 + 5 * HOUR, expected);
            db.maintain(T0 + 5 * HOUR);
            // The head's first range [T0, T0+2h) overlapped both close blocks: compaction merged the three.
            assertThat(db.blocks().blocks()).extracting(m -> m.mint() + ".." + m.maxt())
                    .contains(T0 + ".." + (T0 + 2 * HOUR - 1));
            assertThat(db.blocks().blocks()).allSatisfy(m -> assertThat(m.mint() % (2 * HOUR)).isZero());
            assertThat(TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(expected);
        }
    }

    @Test
    void retentionDropsCloseBlocksByTheirNewestSample() {
        try (Tsdb db = Tsdb.open(dir, opts().withRetention(2 * HOUR, 0))) {
            load(db, 2, T0 + 10 * MIN, T0 + 50 * MIN, new TreeMap<>());
        }
        try (Tsdb db = Tsdb.open(dir, opts().withRetention(2 * HOUR, 0))) {
            db.maintain(T0 + 2 * HOUR + 49 * MIN);
            assertThat(db.blocks().blocks()).hasSize(1);
            db.maintain(T0 + 2 * HOUR + 51 * MIN);
            assertThat(db.blocks().blocks()).isEmpty();
        }
    }

    /** Close writes ranges in parallel and publishes them oldest first; a block refused before publication vanishes. */
    @Test
    void aBlockAbandonedBeforePublicationLeavesNothing() throws Exception {
        try (Tsdb db = Tsdb.open(dir, opts())) {
            load(db, 2, T0, T0 + 10 * MIN, new TreeMap<>());
            try (var q = db.head().querier(T0, T0 + 10 * MIN)) {
                var set = q.select(true, io.atalaya.storage.SelectHints.range(T0, T0 + 10 * MIN), List.of());
                assertThatThrownBy(() -> db.blocks().writeBlock(T0, T0 + 10 * MIN, set, Map.of(), () -> {
                    throw new IllegalStateException("an older range failed");
                })).hasMessageContaining("an older range failed");
            }
            assertThat(db.blocks().blocks()).isEmpty();
            try (Stream<Path> s = Files.list(dir.resolve("blocks"))) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
