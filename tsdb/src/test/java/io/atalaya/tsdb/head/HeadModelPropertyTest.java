package io.atalaya.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.model.StaleMarker;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.SeriesSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random transactions against the head and against a plain model of Prometheus' rules: in-order samples, out of
 * order within the window, too old, duplicates (same value idempotent, different value rejected), NaN, ±Inf and
 * staleness markers. What the head returns, what it rejects and what a WAL replay rebuilds must equal the model.
 */
class HeadModelPropertyTest {
    static final Labels[] SERIES = {
        Labels.of("__name__", "a", "job", "x"),
        Labels.of("__name__", "a", "job", "y"),
        Labels.of("__name__", "b", "job", "x", "cpu", "0"),
    };

    record Op(int series, long dt, boolean reuseTime, int valueKind, long intValue, boolean endBatch,
              boolean rollback) {
    }

    @Property(tries = 150)
    void headMatchesTheModelBeforeAndAfterReplay(@ForAll("ops") List<Op> ops,
                                                 @ForAll("windows") long window) {
        HeadOptions opts = HeadOptions.defaults().withOutOfOrderWindowMs(window).withChunkRangeMs(5_000);
        opts = new HeadOptions(opts.outOfOrderWindowMs(), opts.chunkRangeMs(), 0, opts.nameScheme(), 4096);
        MemoryCommitLog log = new MemoryCommitLog();
        List<TreeMap<Long, Long>> committed = new ArrayList<>();
        for (int i = 0; i < SERIES.length; i++) {
            committed.add(new TreeMap<>());
        }
        List<String> expectedRejections = new ArrayList<>();
        List<String> actualRejections = new ArrayList<>();
        try (Head head = new Head(opts)) {
            Appender app = head.appender(log);
            List<long[]> pending = new ArrayList<>(); // series, t, bits
            long[] clock = new long[SERIES.length];
            for (Op op : ops) {
                int s = op.series();
                long t;
                if (op.reuseTime() && !committed.get(s).isEmpty()) {
                    t = pickExisting(committed.get(s), op.dt());
                } else {
                    clock[s] += op.dt();
                    t = clock[s];
                }
                double v = value(op);
                long bits = Double.doubleToRawLongBits(v);
                String expected = classify(committed.get(s), pending, s, t, bits, window);
                try {
                    app.append(0, SERIES[s], t, v);
                    actualRejections.add("ok");
                } catch (SampleRejectedException e) {
                    actualRejections.add(e.reason().name());
                }
                expectedRejections.add(expected.startsWith("ok") ? "ok" : expected);
                if (expected.equals("ok")) {
                    pending.add(new long[] {s, t, bits});
                }
                if (op.endBatch()) {
                    if (op.rollback()) {
                        app.rollback();
                    } else {
                        app.commit();
                        for (long[] p : pending) {
                            committed.get((int) p[0]).putIfAbsent(p[1], p[2]);
                        }
                    }
                    pending.clear();
                    app = head.appender(log);
                }
            }
            app.commit();
            for (long[] p : pending) {
                committed.get((int) p[0]).putIfAbsent(p[1], p[2]);
            }
            assertThat(actualRejections).isEqualTo(expectedRejections);
            assertThat(readAll(head)).isEqualTo(expected(committed));
        }
        try (Head replayed = new Head(opts)) {
            log.replayInto(replayed);
            assertThat(readAll(replayed)).isEqualTo(expected(committed));
        }
    }

    /**
     * The same through the full store with its real WAL (NONE policy for speed), over close → reopen → append cycles:
     * a clean close persists the head into blocks and empties the WAL, so after a reopen the head is empty, samples
     * older than one out-of-order window before the newest persisted sample are out of bounds, and in that window a
     * sample whose timestamp a block holds with another value is a duplicate (checked before the head's own rules).
     * After every reopen the store holds exactly the committed samples.
     */
    @Property(tries = 25)
    void tsdbMatchesTheModelAcrossCloseAndReopen(@ForAll("ops") List<Op> ops, @ForAll("windows") long window)
            throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tsdb-prop");
        try {
            io.atalaya.tsdb.TsdbOptions opts = io.atalaya.tsdb.TsdbOptions.defaults()
                    .withWalSyncPolicy(io.atalaya.wal.SyncPolicy.NONE)
                    .withMaintenanceInterval(java.time.Duration.ZERO).withWalSegmentBytes(1 << 16)
                    .withOutOfOrderWindowMs(window);
            List<TreeMap<Long, Long>> committed = new ArrayList<>();
            for (int i = 0; i < SERIES.length; i++) {
                committed.add(new TreeMap<>());
            }
            long[] clock = new long[SERIES.length];
            int rounds = 3;
            for (int round = 0; round < rounds; round++) {
                try (io.atalaya.tsdb.Tsdb db = io.atalaya.tsdb.Tsdb.open(dir, opts)) {
                    assertThat(io.atalaya.tsdb.TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE))
                            .isEqualTo(new TreeMap<>(expected(committed)));
                    long newestPersisted = Long.MIN_VALUE;
                    List<TreeMap<Long, Long>> persisted = new ArrayList<>();
                    for (TreeMap<Long, Long> c : committed) {
                        persisted.add(new TreeMap<>(c));
                        if (!c.isEmpty()) {
                            newestPersisted = Math.max(newestPersisted, c.lastKey());
                        }
                    }
                    if (newestPersisted != Long.MIN_VALUE) {
                        assertThat(db.head().numSeries()).as("the head starts empty after a clean close").isZero();
                        assertThat(db.head().minValidTime()).isEqualTo(newestPersisted - window);
                    }
                    List<Op> part = ops.subList(round * ops.size() / rounds, (round + 1) * ops.size() / rounds);
                    Appender app = db.appender();
                    List<long[]> pending = new ArrayList<>();
                    for (Op op : part) {
                        int s = op.series();
                        long t;
                        if (op.reuseTime() && !committed.get(s).isEmpty()) {
                            t = pickExisting(committed.get(s), op.dt());
                        } else {
                            clock[s] += op.dt();
                            t = clock[s];
                        }
                        double v = value(op);
                        long bits = Double.doubleToRawLongBits(v);
                        String expected = classifyAfterReopen(persisted.get(s), newestPersisted, window,
                                committed.get(s), pending, s, t, bits);
                        try {
                            app.append(0, SERIES[s], t, v);
                            assertThat(expected).startsWith("ok");
                        } catch (SampleRejectedException e) {
                            assertThat(e.reason().name()).isEqualTo(expected);
                        }
                        if (expected.equals("ok")) {
                            pending.add(new long[] {s, t, bits});
                        }
                        if (op.endBatch()) {
                            if (op.rollback()) {
                                app.rollback();
                            } else {
                                app.commit();
                                for (long[] p : pending) {
                                    committed.get((int) p[0]).putIfAbsent(p[1], p[2]);
                                }
                            }
                            pending.clear();
                            app = db.appender();
                        }
                    }
                    app.commit();
                    for (long[] p : pending) {
                        committed.get((int) p[0]).putIfAbsent(p[1], p[2]);
                    }
                }
            }
            try (io.atalaya.tsdb.Tsdb db = io.atalaya.tsdb.Tsdb.open(dir, opts)) {
                assertThat(io.atalaya.tsdb.TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE))
                        .isEqualTo(new TreeMap<>(expected(committed)));
            }
        } finally {
            try (var walk = java.nio.file.Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The model of the append rules after a clean close and reopen: {@code persisted} went to blocks, the newest
     * persisted sample (of any series) is at {@code newestPersisted} (Long.MIN_VALUE: nothing persisted).
     */
    static String classifyAfterReopen(TreeMap<Long, Long> persisted, long newestPersisted, long window,
                                      TreeMap<Long, Long> c, List<long[]> pending, int s, long t, long bits) {
        if (newestPersisted != Long.MIN_VALUE) {
            if (t < newestPersisted - window) {
                return "OUT_OF_BOUNDS";
            }
            Long p = persisted.get(t);
            if (p != null && p != bits) {
                return "DUPLICATE_TIMESTAMP";
            }
        }
        return classify(c, pending, s, t, bits, window);
    }

    /** The model of the append rules. */
    static String classify(TreeMap<Long, Long> c, List<long[]> pending, int s, long t, long bits, long window) {
        TreeMap<Long, Long> all = new TreeMap<>(c);
        for (long[] p : pending) {
            if (p[0] == s) {
                all.putIfAbsent(p[1], p[2]);
            }
        }
        if (all.isEmpty() || t > all.lastKey()) {
            return "ok";
        }
        long max = all.lastKey();
        if (t == max) {
            return all.get(t) == bits ? "ok-idempotent" : "DUPLICATE_TIMESTAMP";
        }
        if (window == 0) {
            return "OUT_OF_ORDER";
        }
        if (t < max - window) {
            return "TOO_OLD";
        }
        if (all.containsKey(t)) {
            return all.get(t) == bits ? "ok-idempotent" : "DUPLICATE_TIMESTAMP";
        }
        return "ok";
    }

    static long pickExisting(TreeMap<Long, Long> m, long salt) {
        List<Long> keys = new ArrayList<>(m.keySet());
        return keys.get((int) (Math.abs(salt) % keys.size()));
    }

    static double value(Op op) {
        return switch (op.valueKind()) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> StaleMarker.VALUE;
            case 4 -> op.intValue() / 100.0;
            case 5 -> -0.0;
            default -> op.intValue();
        };
    }

    static Map<Labels, List<String>> expected(List<TreeMap<Long, Long>> committed) {
        Map<Labels, List<String>> out = new HashMap<>();
        for (int s = 0; s < SERIES.length; s++) {
            if (committed.get(s).isEmpty()) {
                continue;
            }
            List<String> l = new ArrayList<>();
            committed.get(s).forEach((t, b) -> l.add(t + "=" + Long.toHexString(b)));
            out.put(SERIES[s], l);
        }
        return out;
    }

    static Map<Labels, List<String>> readAll(Head head) {
        Map<Labels, List<String>> out = new HashMap<>();
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
                    List.of(Matcher.regex("__name__", ".+")));
            SampleIterator it = null;
            Labels prev = null;
            while (set.next()) {
                Labels l = set.at().labels();
                if (prev != null) {
                    assertThat(l.compareTo(prev)).as("sorted").isPositive();
                }
                prev = l;
                it = set.at().iterator(it);
                List<String> samples = new ArrayList<>();
                while (it.next()) {
                    samples.add(it.timestamp() + "=" + Long.toHexString(Double.doubleToRawLongBits(it.value())));
                }
                out.put(l, samples);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Long> windows() {
        return Arbitraries.of(0L, 50L, 400L, 3_600_000L);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> dt = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(10L)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, 100)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-120, 0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 20_000)));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, SERIES.length - 1), dt,
                Arbitraries.integers().between(0, 9).map(i -> i == 0),
                Arbitraries.integers().between(0, 12),
                Arbitraries.longs().between(-1000, 1000),
                Arbitraries.integers().between(0, 19).map(i -> i == 0),
                Arbitraries.integers().between(0, 3).map(i -> i == 0)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(700);
    }
}
