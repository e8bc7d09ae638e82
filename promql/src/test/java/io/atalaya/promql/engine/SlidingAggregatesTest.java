package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The sliding window aggregates against the from-scratch computation of every window. */
class SlidingAggregatesTest {
    private static final RangeFunctions.Kind[] KINDS = {
        RangeFunctions.Kind.SUM, RangeFunctions.Kind.AVG, RangeFunctions.Kind.MIN, RangeFunctions.Kind.MAX};

    @Property(tries = 300)
    void equalsFromScratchOnRandomSeries(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
                                         @ForAll @IntRange(min = 1, max = 400) int samples,
                                         @ForAll @IntRange(min = 1, max = 120) int windowLength,
                                         @ForAll @IntRange(min = 1, max = 50) int stride,
                                         @ForAll @IntRange(min = 0, max = 5) int specials) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] vs = new double[samples];
        for (int i = 0; i < samples; i++) {
            vs[i] = value(rnd, specials);
        }
        for (RangeFunctions.Kind kind : KINDS) {
            compareAllWindows(kind, vs, windowLength, stride, rnd);
        }
    }

    @Test
    void nanAndInfinityInTheWindowGiveTheFromScratchResult() {
        double[] vs = {1, 2, Double.NaN, 4, Double.POSITIVE_INFINITY, 6, 7, Double.NEGATIVE_INFINITY, 9, 10, 11, 12};
        for (RangeFunctions.Kind kind : KINDS) {
            compareAllWindows(kind, vs, 3, 1, new SplittableRandom(1));
            compareAllWindows(kind, vs, 5, 2, new SplittableRandom(2));
        }
    }

    @Test
    void minAndMaxKeepTheFirstOfEqualZeros() {
        double[] vs = {0.0, -0.0, 0.0, -0.0, 1, -0.0, 0.0};
        for (RangeFunctions.Kind kind : new RangeFunctions.Kind[] {RangeFunctions.Kind.MIN, RangeFunctions.Kind.MAX}) {
            compareAllWindows(kind, vs, 2, 1, new SplittableRandom(3));
            compareAllWindows(kind, vs, 3, 1, new SplittableRandom(4));
        }
    }

    @Test
    void allNaNWindowsGiveNaN() {
        double[] vs = {Double.NaN, Double.NaN, 3, Double.NaN, Double.NaN, Double.NaN};
        SlidingAggregates min = new SlidingAggregates(RangeFunctions.Kind.MIN);
        RangeFunctions.Window w = window(vs, 0, 2);
        assertThat(min.compute(w)).isNaN();
        w.lo = 1;
        w.hi = 3;
        assertThat(min.compute(w)).isEqualTo(3);
        w.lo = 3;
        w.hi = 6;
        assertThat(min.compute(w)).isNaN();
    }

    @Test
    void sumsStayAccurateOverLongQueries() {
        // values whose sum cancels to a small remainder: drift would show as a relative error far above 1e-12
        int n = 200_000;
        double[] vs = new double[n];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            vs[i] = (i % 2 == 0 ? 1e12 : -1e12) + rnd.nextDouble();
        }
        SlidingAggregates sum = new SlidingAggregates(RangeFunctions.Kind.SUM);
        for (int lo = 0; lo + 240 <= n; lo += 7) {
            RangeFunctions.Window w = window(vs, lo, lo + 240);
            double expected = RangeFunctions.compute(RangeFunctions.Kind.SUM, window(vs, lo, lo + 240));
            assertThat(close(sum.compute(w), expected)).as("window at %d", lo).isTrue();
        }
    }

    @Test
    void hugeValuesFallBackToTheOverflowSafeMean() {
        double[] vs = {Double.MAX_VALUE, Double.MAX_VALUE, 1, Double.MAX_VALUE, 2, 3, 4};
        compareAllWindows(RangeFunctions.Kind.AVG, vs, 3, 1, new SplittableRandom(5));
        compareAllWindows(RangeFunctions.Kind.SUM, vs, 3, 1, new SplittableRandom(6));
    }

    private static double value(SplittableRandom rnd, int specials) {
        int r = rnd.nextInt(100);
        if (r < specials) {
            return switch (rnd.nextInt(5)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> -0.0;
                default -> Double.MAX_VALUE / 3;
            };
        }
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(20) - 10;
            case 1 -> rnd.nextDouble() * 1e9;
            case 2 -> (rnd.nextDouble() - 0.5) * 1e-3;
            default -> Math.round(rnd.nextDouble() * 1000) / 10.0;
        };
    }

    /** Windows of up to {@code length} samples moving by up to {@code stride}, sometimes standing still or jumping back. */
    private static void compareAllWindows(RangeFunctions.Kind kind, double[] vs, int length, int stride, SplittableRandom rnd) {
        SlidingAggregates sliding = new SlidingAggregates(kind);
        int lo = 0;
        int steps = 0;
        while (lo < vs.length && steps < 2_000) {
            int hi = Math.min(vs.length, lo + 1 + rnd.nextInt(length));
            RangeFunctions.Window w = window(vs, lo, hi);
            double expected = RangeFunctions.compute(kind, window(vs, lo, hi));
            double got = sliding.compute(w);
            assertThat(w.emit).isTrue();
            if (kind == RangeFunctions.Kind.MIN || kind == RangeFunctions.Kind.MAX) {
                assertThat(Double.doubleToRawLongBits(got)).as("%s [%d, %d)", kind, lo, hi)
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            } else {
                assertThat(close(got, expected)).as("%s [%d, %d): %s vs %s", kind, lo, hi, got, expected).isTrue();
            }
            int move = rnd.nextInt(20) == 0 ? -rnd.nextInt(lo + 1) : rnd.nextInt(stride + 1);
            lo = Math.max(0, lo + move);
            steps++;
        }
    }

    private static boolean close(double got, double expected) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            return Double.compare(got, expected) == 0;
        }
        if (got == expected) {
            return true;
        }
        return Math.abs(got - expected) <= 1e-12 * Math.max(Math.abs(expected), 1e-300);
    }

    private static RangeFunctions.Window window(double[] vs, int lo, int hi) {
        RangeFunctions.Window w = new RangeFunctions.Window();
        w.vs = vs;
        w.ts = new long[vs.length];
        w.lo = lo;
        w.hi = hi;
        return w;
    }
}
