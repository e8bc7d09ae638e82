package io.atalaya.tsdb.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.model.StaleMarker;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import io.atalaya.tsdb.block.ArraySeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The merged view of one series held by several sources: chained where their spans are disjoint, merged where they
 * overlap, and in every case equal to the union of the sources with the first source winning a timestamp tie.
 */
class MergeSeriesSetTest {
    private static final Labels L = Labels.of("__name__", "m", "job", "a");

    /** A source's samples with the span it declares (which may be wider than the samples). */
    record Bounded(Labels labels, long[] ts, double[] vs, long minTime, long maxTime) implements TimeBoundedSeries {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            return new ArraySeries(labels, ts, vs, ts.length).iterator(reuse);
        }
    }

    /** A source that does not know its span: forces the sample-by-sample merge. */
    record Unbounded(Labels labels, long[] ts, double[] vs) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            return new ArraySeries(labels, ts, vs, ts.length).iterator(reuse);
        }
    }

    private static SeriesSet setOf(Series s) {
        return ArraySeries.setOf(List.of(s));
    }

    /** Random parts on a coarse grid (ties across parts happen), with NaN, stale markers and empty parts. */
    private static List<Series> randomParts(Random r, Labels labels, TreeMap<Long, Long> expected) {
        int parts = 1 + r.nextInt(5);
        List<Series> out = new ArrayList<>();
        long cursor = r.nextInt(20);
        for (int p = 0; p < parts; p++) {
            // Mostly disjoint spans one after the other; sometimes touching or overlapping the previous ones.
            long start = switch (r.nextInt(4)) {
                case 0 -> Math.max(0, cursor - r.nextInt(30)); // overlaps
                case 1 -> cursor;                               // touches
                default -> cursor + 1 + r.nextInt(10);          // disjoint
            };
            // Empty parts, short ones, and some longer than a batch of the buffered reader.
            int n = switch (r.nextInt(6)) {
                case 0 -> 0;
                case 1 -> BufferedSampleIterator.CAPACITY - 2 + r.nextInt(BufferedSampleIterator.CAPACITY + 4);
                default -> 1 + r.nextInt(25);
            };
            TreeMap<Long, Double> samples = new TreeMap<>();
            long t = start;
            for (int i = 0; i < n; i++) {
                double v = switch (r.nextInt(8)) {
                    case 0 -> Double.NaN;
                    case 1 -> StaleMarker.VALUE;
                    default -> p * 1000 + r.nextInt(100);
                };
                samples.put(t * 1000, v);
                t += 1 + r.nextInt(3);
            }
            long[] ts = new long[samples.size()];
            double[] vs = new double[samples.size()];
            int i = 0;
            for (Map.Entry<Long, Double> e : samples.entrySet()) {
                ts[i] = e.getKey();
                vs[i++] = e.getValue();
                expected.putIfAbsent(e.getKey(), Double.doubleToRawLongBits(e.getValue()));
            }
            long end = Math.max(start, t - 1);
            cursor = Math.max(cursor, end);
            if (r.nextInt(6) == 0) {
                out.add(new Unbounded(labels, ts, vs));
            } else {
                // Declared span: exact, or wider than the samples (as chunk metadata straddling the range is).
                long lo = start * 1000 - (r.nextBoolean() ? 0 : r.nextInt(2) * 1000);
                long hi = end * 1000 + (r.nextBoolean() ? 0 : r.nextInt(2) * 1000);
                out.add(new Bounded(labels, ts, vs, lo, hi));
            }
        }
        return out;
    }

    private static Series merged(List<Series> parts) {
        List<SeriesSet> sets = new ArrayList<>();
        for (Series s : parts) {
            sets.add(setOf(s));
        }
        MergeSeriesSet set = new MergeSeriesSet(sets);
        assertThat(set.next()).isTrue();
        Series s = set.at();
        assertThat(set.next()).isFalse();
        return s;
    }

    private static TreeMap<Long, Long> readAll(SampleIterator it) {
        TreeMap<Long, Long> got = new TreeMap<>();
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            assertThat(it.timestamp()).isGreaterThan(prev);
            prev = it.timestamp();
            got.put(it.timestamp(), Double.doubleToRawLongBits(it.value()));
        }
        assertThat(it.next()).isFalse();
        return got;
    }

    @Property(tries = 400)
    void everySampleOnceWithTheFirstSourceWinningTies(@ForAll long seed) {
        Random r = new Random(seed);
        TreeMap<Long, Long> expected = new TreeMap<>();
        List<Series> parts = randomParts(r, L, expected);
        Series s = merged(parts);
        assertThat(readAll(s.iterator(null))).isEqualTo(expected);
        // The same again through a recycled iterator, and through one of another series' shape.
        SampleIterator first = s.iterator(null);
        assertThat(readAll(s.iterator(first))).isEqualTo(expected);
        TreeMap<Long, Long> other = new TreeMap<>();
        Series s2 = merged(randomParts(r, L, other));
        assertThat(readAll(s2.iterator(s.iterator(null)))).isEqualTo(other);
    }

    @Property(tries = 400)
    void seeksAndNextsAgreeWithTheExpectedSamples(@ForAll long seed) {
        Random r = new Random(seed);
        TreeMap<Long, Long> expected = new TreeMap<>();
        Series s = merged(randomParts(r, L, expected));
        long[] ets = new long[expected.size()];
        long[] evs = new long[expected.size()];
        int k = 0;
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            ets[k] = e.getKey();
            evs[k++] = e.getValue();
        }
        long maxT = expected.isEmpty() ? 10_000 : expected.lastKey() + 5_000;
        long minT = expected.isEmpty() ? 0 : expected.firstKey();
        SampleIterator it = s.iterator(null);
        int pos = -1; // reference cursor over ets; ets.length when exhausted
        for (int step = 0; step < 80; step++) {
            boolean ok;
            boolean want;
            int op = r.nextInt(5);
            if (op == 0 && pos >= 0 && pos < ets.length) {
                int max = 1 + r.nextInt(2 * BufferedSampleIterator.CAPACITY);
                long[] bt = new long[max];
                double[] bv = new double[max];
                int got = it.nextBatch(bt, bv, max);
                int expect = Math.min(max, ets.length - pos - 1);
                assertThat(got).as("batch at step %d", step).isEqualTo(expect);
                for (int j = 0; j < got; j++) {
                    assertThat(bt[j]).isEqualTo(ets[pos + 1 + j]);
                    assertThat(Double.doubleToRawLongBits(bv[j])).isEqualTo(evs[pos + 1 + j]);
                }
                if (got < max) {
                    break; // exhausted
                }
                pos += got;
                assertThat(it.timestamp()).isEqualTo(ets[pos]);
                continue;
            }
            if (op <= 2) {
                // Mostly short hops forward, so that seeks land inside buffered batches too.
                long target = r.nextBoolean() || pos < 0 || pos >= ets.length
                        ? r.nextLong(Math.min(minT, maxT) - 2_000, maxT) : ets[pos] + r.nextInt(20_000);
                ok = it.seek(target);
                if (pos < 0) {
                    pos = 0;
                }
                if (pos < ets.length && ets[pos] < target) {
                    while (pos < ets.length && ets[pos] < target) {
                        pos++;
                    }
                }
                want = pos < ets.length;
            } else {
                ok = it.next();
                if (pos < ets.length) {
                    pos++;
                }
                want = pos < ets.length;
            }
            assertThat(ok).as("step %d", step).isEqualTo(want);
            if (!want) {
                break; // exhausted: nothing more to compare
            }
            assertThat(it.timestamp()).isEqualTo(ets[pos]);
            assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(evs[pos]);
        }
    }

    @Test
    void disjointSourcesAreChainedAndOverlappingOnesMerged() {
        Series block1 = new Bounded(L, new long[] {1000, 2000}, new double[] {1, 2}, 1000, 2000);
        Series block2 = new Bounded(L, new long[] {3000, 4000}, new double[] {3, 4}, 3000, 4000);
        Series head = new Bounded(L, new long[] {5000, 6000}, new double[] {5, 6}, 5000, 6000);
        // Listed head first (priority), read in time order.
        Series chained = merged(List.of(head, block2, block1));
        SampleIterator it = chained.iterator(null);
        assertThat(it).isInstanceOf(ChainSampleIterator.class);
        assertThat(readAll(it)).containsOnlyKeys(1000L, 2000L, 3000L, 4000L, 5000L, 6000L);

        // Head overlapping the second block: one chain of [block1] and [merge of head, block2].
        Series overlapping = new Bounded(L, new long[] {4000, 5000}, new double[] {40, 50}, 4000, 5000);
        Series mixed = merged(List.of(overlapping, block2, block1));
        it = mixed.iterator(null);
        assertThat(it).isInstanceOf(ChainSampleIterator.class);
        TreeMap<Long, Long> got = readAll(it);
        assertThat(got.keySet()).containsExactly(1000L, 2000L, 3000L, 4000L, 5000L);
        assertThat(Double.longBitsToDouble(got.get(4000L))).isEqualTo(40.0); // the first source wins the tie

        // Spans that only touch may share a timestamp: merged, not chained.
        Series touching = new Bounded(L, new long[] {2000, 2500}, new double[] {20, 25}, 2000, 2500);
        it = merged(List.of(block1, touching)).iterator(null);
        assertThat(it).isInstanceOf(MergeSampleIterator.class);
        got = readAll(it);
        assertThat(got.keySet()).containsExactly(1000L, 2000L, 2500L);
        assertThat(Double.longBitsToDouble(got.get(2000L))).isEqualTo(2.0);
    }

    @Test
    void seekSkipsWholeSegmentsWithoutOpeningThem() {
        int[] opened = new int[1];
        Series early = new Bounded(L, new long[] {1000}, new double[] {1}, 1000, 1000);
        Series counting = new TimeBoundedSeries() {
            @Override
            public long minTime() {
                return 1000;
            }

            @Override
            public long maxTime() {
                return 1000;
            }

            @Override
            public Labels labels() {
                return L;
            }

            @Override
            public SampleIterator iterator(SampleIterator reuse) {
                opened[0]++;
                return early.iterator(reuse);
            }
        };
        Series late = new Bounded(L, new long[] {9000, 9500}, new double[] {9, 9.5}, 9000, 9500);
        SampleIterator it = merged(List.of(late, counting)).iterator(null);
        assertThat(it.seek(9200)).isTrue();
        assertThat(it.timestamp()).isEqualTo(9500);
        assertThat(opened[0]).isZero();
        assertThat(it.seek(100)).isTrue(); // never backwards
        assertThat(it.timestamp()).isEqualTo(9500);
        assertThat(it.next()).isFalse();
        assertThat(it.seek(0)).isFalse();
    }

    @Test
    void aSourceThatEndsEarlyLeavesTheOtherReadingAlone() {
        // Overlapping spans, but the samples interleave only at the start: the merge must still return everything.
        Series a = new Unbounded(L, new long[] {1000, 2000, 3000}, new double[] {1, 2, 3});
        Series b = new Unbounded(L, new long[] {1500, 2000, 5000, 6000, 7000},
                new double[] {15, 20, StaleMarker.VALUE, Double.NaN, 70});
        TreeMap<Long, Long> got = readAll(merged(List.of(a, b)).iterator(null));
        assertThat(got.keySet()).containsExactly(1000L, 1500L, 2000L, 3000L, 5000L, 6000L, 7000L);
        assertThat(Double.longBitsToDouble(got.get(2000L))).isEqualTo(2.0);
        assertThat(got.get(5000L)).isEqualTo(StaleMarker.BITS);
        assertThat(Double.isNaN(Double.longBitsToDouble(got.get(6000L)))).isTrue();
    }
}
