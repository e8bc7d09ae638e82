package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.promql.parser.AggregateOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The member-by-member fold against a step-by-step reference with Prometheus' formulas: equal bit for bit. */
class MemberMajorFoldTest {
    private static final AggregateOp[] OPS = {
        AggregateOp.SUM, AggregateOp.AVG, AggregateOp.COUNT, AggregateOp.GROUP, AggregateOp.MIN, AggregateOp.MAX};

    @Property(tries = 200)
    void equalsTheStepByStepFold(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
                                 @ForAll @IntRange(min = 1, max = 40) int members,
                                 @ForAll @IntRange(min = 1, max = 60) int steps,
                                 @ForAll @IntRange(min = 0, max = 100) int presentPercent) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<StepSeries> in = new ArrayList<>();
        for (int k = 0; k < members; k++) {
            StepSeries s = new StepSeries(Labels.EMPTY, steps);
            for (int i = 0; i < steps; i++) {
                if (rnd.nextInt(100) < presentPercent) {
                    s.set(i, value(rnd));
                }
            }
            in.add(s);
        }
        MemberMajorFold fold = new MemberMajorFold(steps);
        for (AggregateOp op : OPS) {
            StepSeries got = new StepSeries(Labels.EMPTY, steps);
            fold.fold(op, in, got);
            for (int i = 0; i < steps; i++) {
                double expected = reference(op, in, i);
                assertThat(got.has[i]).as("%s step %d present", op, i).isEqualTo(anyAt(in, i));
                if (got.has[i] && !(Double.isNaN(expected) && Double.isNaN(got.v[i]))) { // NaN payloads may differ
                    assertThat(Double.doubleToRawLongBits(got.v[i])).as("%s step %d: %s vs %s", op, i, got.v[i], expected)
                            .isEqualTo(Double.doubleToRawLongBits(expected));
                }
            }
        }
    }

    private static double value(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> rnd.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE / 2;
            case 3 -> rnd.nextBoolean() ? 0.0 : -0.0;
            case 4 -> rnd.nextDouble() * 1e-300;
            default -> (rnd.nextDouble() - 0.3) * Math.pow(10, rnd.nextInt(-5, 15));
        };
    }

    private static boolean anyAt(List<StepSeries> in, int i) {
        for (StepSeries s : in) {
            if (s.has[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * One step folded the step-major way (members in order, as Prometheus does; the path the engine still takes for
     * the other aggregations); NaN when no member has a value.
     */
    private static double reference(AggregateOp op, List<StepSeries> in, int i) {
        double[] result = new double[1];
        int count = Aggregations.foldStep(op, in, i, Double.NaN, new double[Math.max(1, in.size())], result);
        return count == 0 ? Double.NaN : result[0];
    }
}
