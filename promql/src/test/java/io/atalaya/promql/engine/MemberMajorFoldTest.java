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

    /** One step the way Prometheus folds it: members in order; NaN when no member has a value. */
    private static double reference(AggregateOp op, List<StepSeries> in, int i) {
        int count = 0;
        double value = 0;
        double c = 0;
        double mean = 0;
        boolean incremental = false;
        for (StepSeries s : in) {
            if (!s.has[i]) {
                continue;
            }
            double f = s.v[i];
            count++;
            if (count == 1) {
                value = f;
                mean = f;
                continue;
            }
            switch (op) {
                case SUM -> {
                    double t = value + f;
                    if (Double.isInfinite(t)) {
                        c = 0;
                    } else if (Math.abs(value) >= Math.abs(f)) {
                        c += (value - t) + f;
                    } else {
                        c += (f - t) + value;
                    }
                    value = t;
                }
                case AVG -> {
                    if (!incremental) {
                        double t = value + f;
                        if (!Double.isInfinite(t)) {
                            c += Math.abs(value) >= Math.abs(f) ? (value - t) + f : (f - t) + value;
                            value = t;
                            break;
                        }
                        incremental = true;
                        mean = value / (count - 1);
                        c /= (count - 1);
                    }
                    double q = (count - 1) / (double) count;
                    double inc = f / count;
                    double base = q * mean;
                    double kc = q * c;
                    double t = base + inc;
                    if (Double.isInfinite(t)) {
                        kc = 0;
                    } else if (Math.abs(base) >= Math.abs(inc)) {
                        kc += (base - t) + inc;
                    } else {
                        kc += (inc - t) + base;
                    }
                    mean = t;
                    c = kc;
                }
                case MIN -> {
                    if (value > f || Double.isNaN(value)) {
                        value = f;
                    }
                }
                case MAX -> {
                    if (value < f || Double.isNaN(value)) {
                        value = f;
                    }
                }
                default -> {
                }
            }
        }
        if (count == 0) {
            return Double.NaN;
        }
        return switch (op) {
            case SUM -> Double.isInfinite(value) ? value : value + c;
            case AVG -> incremental ? mean + c : value / count + c / count;
            case COUNT -> count;
            case GROUP -> 1;
            default -> value;
        };
    }
}
