package io.atalaya.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.model.StaleMarker;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading series spread over several blocks and the head (which keeps a chunk straddling the last block's end, so
 * its first samples duplicate the block's): every range and every seek returns each written sample exactly once.
 */
class TsdbReadPathTest {
    static final long HOUR = TsdbTest.HOUR;
    static final long T0 = TsdbTest.T0;

    @TempDir
    Path dir;

    @Test
    void rangesAndSeeksAcrossBlocksAndHeadReturnEverySampleOnce() {
        Random r = new Random(7);
        Map<Labels, TreeMap<Long, Long>> expected = new TreeMap<>();
        try (Tsdb db = Tsdb.open(dir, TsdbTest.fast().withOutOfOrderWindowMs(10 * 60_000L))) {
            long[] refs = new long[12];
            long t = T0;
            while (t < T0 + 7 * HOUR) {
                Appender a = db.appender();
                for (int i = 0; i < refs.length; i++) {
                    if (i % 4 == 3 && r.nextInt(3) == 0) {
                        continue; // gaps in some series
                    }
                    double v = switch (r.nextInt(20)) {
                        case 0 -> StaleMarker.VALUE;
                        case 1 -> Double.NaN;
                        default -> i % 2 == 0 ? (t - T0) / 1000.0 : r.nextInt(1000) / 10.0;
                    };
                    refs[i] = a.append(refs[i], TsdbTest.series(i), t, v);
                    expected.computeIfAbsent(TsdbTest.series(i), k -> new TreeMap<>())
                            .put(t, Double.doubleToRawLongBits(v));
                }
                a.commit();
                if (r.nextInt(50) == 0) {
                    // An out-of-order sample a few minutes back, between two in-order ones.
                    long back = t - 1000 - 10_000L * (1 + r.nextInt(20));
                    Appender o = db.appender();
                    o.append(0, TsdbTest.series(0), back, -1);
                    o.commit();
                    expected.get(TsdbTest.series(0)).putIfAbsent(back, Double.doubleToRawLongBits(-1));
                }
                t += 10_000L + (r.nextInt(10) == 0 ? r.nextInt(30_000) : 0);
            }
            assertThat(db.persistHead()).isEqualTo(2);
            assertThat(db.blocks().blocks()).hasSize(2);

            long end = T0 + 7 * HOUR;
            for (int q = 0; q < 40; q++) {
                long mint = T0 - HOUR + (long) (r.nextDouble() * 8 * HOUR);
                long maxt = q % 4 == 0 ? Long.MAX_VALUE : mint + (long) (r.nextDouble() * (end - mint + HOUR));
                assertThat(read(db, mint, maxt)).as("[%d, %d]", mint, maxt).isEqualTo(filter(expected, mint, maxt));
                assertThat(readInBatches(db, mint, maxt, r)).as("batches [%d, %d]", mint, maxt)
                        .isEqualTo(filter(expected, mint, maxt));
                seekRandomly(db, mint, maxt, expected, r);
            }
        }
    }

    private static Map<Labels, TreeMap<Long, Long>> read(Tsdb db, long mint, long maxt) {
        return read(db, mint, maxt, false, TsdbReadPathTest::drainOneByOne);
    }

    /**
     * Like {@link #read}, as the query engine reads: the series of the set collected first (they must stay valid
     * after {@code next()}), then each read in batches of random sizes written at random offsets.
     */
    private static Map<Labels, TreeMap<Long, Long>> readInBatches(Tsdb db, long mint, long maxt, Random r) {
        long[] ts = new long[400];
        double[] vs = new double[400];
        return read(db, mint, maxt, true, (it, samples) -> {
            long prev = Long.MIN_VALUE;
            while (true) {
                int max = 1 + r.nextInt(300);
                int off = r.nextInt(100);
                int got = it.nextBatch(ts, vs, off, max);
                for (int k = off; k < off + got; k++) {
                    assertThat(ts[k]).isGreaterThan(prev);
                    prev = ts[k];
                    samples.put(ts[k], Double.doubleToRawLongBits(vs[k]));
                }
                if (got < max) {
                    return;
                }
                assertThat(it.timestamp()).as("positioned at the batch's last sample").isEqualTo(prev);
            }
        });
    }

    private static void drainOneByOne(SampleIterator it, TreeMap<Long, Long> samples) {
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            assertThat(it.timestamp()).isGreaterThan(prev);
            prev = it.timestamp();
            samples.put(it.timestamp(), Double.doubleToRawLongBits(it.value()));
        }
    }

    private static Map<Labels, TreeMap<Long, Long>> read(Tsdb db, long mint, long maxt, boolean collectFirst,
                                                          BiConsumer<SampleIterator, TreeMap<Long, Long>> drain) {
        Map<Labels, TreeMap<Long, Long>> out = new TreeMap<>();
        try (Querier q = db.querier(mint, maxt)) {
            SeriesSet set = q.select(false, SelectHints.range(mint, maxt), List.of(Matcher.regex("__name__", ".+")));
            List<Series> collected = new ArrayList<>();
            SampleIterator it = null;
            while (set.next()) {
                if (collectFirst) {
                    collected.add(set.at());
                } else {
                    it = drainInto(out, set.at(), it, drain);
                }
            }
            for (Series series : collected) {
                it = drainInto(out, series, it, drain);
            }
        }
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    private static SampleIterator drainInto(Map<Labels, TreeMap<Long, Long>> out, Series series, SampleIterator reuse,
                                            BiConsumer<SampleIterator, TreeMap<Long, Long>> drain) {
        SampleIterator it = series.iterator(reuse);
        TreeMap<Long, Long> samples = new TreeMap<>();
        drain.accept(it, samples);
        assertThat(out.put(series.labels(), samples)).isNull();
        return it;
    }

    private static Map<Labels, TreeMap<Long, Long>> filter(Map<Labels, TreeMap<Long, Long>> all, long mint, long maxt) {
        Map<Labels, TreeMap<Long, Long>> out = new TreeMap<>();
        all.forEach((l, s) -> {
            NavigableMap<Long, Long> sub = s.subMap(mint, true, maxt, true);
            if (!sub.isEmpty()) {
                out.put(l, new TreeMap<>(sub));
            }
        });
        return out;
    }

    /** Seeks forward in steps of random size, as range functions do, checking each landing sample. */
    private static void seekRandomly(Tsdb db, long mint, long maxt, Map<Labels, TreeMap<Long, Long>> all, Random r) {
        try (Querier q = db.querier(mint, maxt)) {
            SeriesSet set = q.select(true, SelectHints.range(mint, maxt), List.of(Matcher.regex("__name__", ".+")));
            SampleIterator it = null;
            while (set.next()) {
                NavigableMap<Long, Long> want = all.get(set.at().labels()).subMap(mint, true, maxt, true);
                it = set.at().iterator(it);
                long target = mint - 60_000;
                long landed = Long.MIN_VALUE;
                while (true) {
                    target += r.nextInt(4) == 0 ? -5_000 : r.nextInt(3 * 60_000);
                    Map.Entry<Long, Long> e = want.ceilingEntry(Math.max(target, landed));
                    boolean ok = it.seek(target);
                    assertThat(ok).isEqualTo(e != null);
                    if (!ok) {
                        break;
                    }
                    assertThat(it.timestamp()).isEqualTo(e.getKey());
                    assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(e.getValue());
                    landed = e.getKey();
                    if (r.nextInt(3) == 0) {
                        // A batch: the samples after the current one, as many as asked or up to the end.
                        int max = 1 + r.nextInt(300);
                        long[] ts = new long[max];
                        double[] vs = new double[max];
                        int got = it.nextBatch(ts, vs, max);
                        List<Map.Entry<Long, Long>> next = new java.util.ArrayList<>();
                        for (Map.Entry<Long, Long> x : want.tailMap(landed, false).entrySet()) {
                            if (next.size() == max) {
                                break;
                            }
                            next.add(x);
                        }
                        assertThat(got).isEqualTo(next.size());
                        for (int k = 0; k < got; k++) {
                            assertThat(ts[k]).isEqualTo(next.get(k).getKey());
                            assertThat(Double.doubleToRawLongBits(vs[k])).isEqualTo(next.get(k).getValue());
                        }
                        if (got < max) {
                            break; // exhausted
                        }
                        landed = ts[got - 1];
                        assertThat(it.timestamp()).isEqualTo(landed);
                    } else if (r.nextBoolean()) {
                        Map.Entry<Long, Long> n = want.higherEntry(landed);
                        assertThat(it.next()).isEqualTo(n != null);
                        if (n == null) {
                            break;
                        }
                        assertThat(it.timestamp()).isEqualTo(n.getKey());
                        landed = n.getKey();
                    }
                }
            }
        }
    }
}
