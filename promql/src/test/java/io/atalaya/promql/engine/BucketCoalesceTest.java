package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * histogram_quantile's bucket preparation (sort by bound, stable, then add the counts of equal bounds) against a
 * plain stable sort of (bound, count) pairs: the same bounds and the same counts bit for bit, for sorted, shuffled and
 * reversed buckets with repeated bounds, -0.0, +Inf and NaN, on both sides of the insertion-sort limit.
 */
class BucketCoalesceTest {
    private static final double[] BOUNDS = {-1, -0.0, 0.0, 0.005, 0.01, 0.1, 0.25, 1, 2.5, 10, Double.POSITIVE_INFINITY,
        Double.NaN};

    @Property(tries = 500)
    void sameAsAStableSortThenCoalesce(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
                                       @ForAll @IntRange(min = 1, max = 150) int n,
                                       @ForAll @IntRange(min = 0, max = 2) int order) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] upper = new double[n];
        double[] counts = new double[n];
        for (int i = 0; i < n; i++) {
            upper[i] = rnd.nextInt(4) == 0 ? BOUNDS[rnd.nextInt(BOUNDS.length)] : rnd.nextInt(40) / 4.0;
            counts[i] = rnd.nextInt(10) == 0 ? 0.1 * rnd.nextInt(1000) : rnd.nextInt(1000);
        }
        if (order < 2) { // sorted (as buckets arrive) or reversed
            List<double[]> pairs = pairs(upper, counts);
            pairs.sort(Comparator.comparingDouble(p -> p[0]));
            if (order == 1) {
                pairs = pairs.reversed();
            }
            for (int i = 0; i < n; i++) {
                upper[i] = pairs.get(i)[0];
                counts[i] = pairs.get(i)[1];
            }
        }
        List<double[]> expected = stableSortThenCoalesce(pairs(upper, counts));

        int m = ClassicHistograms.sortAndCoalesce(upper, counts, n);

        assertThat(m).isEqualTo(expected.size());
        for (int i = 0; i < m; i++) {
            assertThat(Double.doubleToRawLongBits(upper[i])).as("bound %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(expected.get(i)[0]));
            assertThat(Double.doubleToRawLongBits(counts[i])).as("count %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(expected.get(i)[1]));
        }
    }

    private static List<double[]> pairs(double[] upper, double[] counts) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < upper.length; i++) {
            pairs.add(new double[] {upper[i], counts[i]});
        }
        return pairs;
    }

    private static List<double[]> stableSortThenCoalesce(List<double[]> pairs) {
        List<double[]> sorted = new ArrayList<>(pairs);
        sorted.sort((a, b) -> Double.compare(a[0], b[0])); // List.sort is stable
        List<double[]> out = new ArrayList<>();
        for (double[] p : sorted) {
            if (!out.isEmpty() && out.getLast()[0] == p[0]) {
                out.getLast()[1] += p[1];
            } else {
                out.add(new double[] {p[0], p[1]});
            }
        }
        return out;
    }
}
