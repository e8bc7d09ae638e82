package io.atalaya.promql.engine;

import io.atalaya.promql.parser.AggregateOp;
import java.util.Arrays;
import java.util.List;

/**
 * sum, avg, count, group, min and max of one group, folded member by member over all steps (each member's arrays
 * read sequentially once) rather than step by step across all members. Every step still sees the members' values
 * in member order, so the results are bit for bit those of the step-by-step fold: Kahan-compensated sum and
 * Prometheus 3's mean, which turns incremental when the sum would overflow. State arrays are reused for all groups
 * of one aggregation; not thread-safe.
 */
final class MemberMajorFold {
    private final int[] count;
    private final double[] value;
    private final double[] compensation;
    private final double[] mean;
    private final boolean[] incremental;

    MemberMajorFold(int steps) {
        count = new int[steps];
        value = new double[steps];
        compensation = new double[steps];
        mean = new double[steps];
        incremental = new boolean[steps];
    }

    static boolean supports(AggregateOp op) {
        return switch (op) {
            case SUM, AVG, COUNT, GROUP, MIN, MAX -> true;
            default -> false;
        };
    }

    /** Folds {@code members} into {@code res}, setting the steps at which at least one member has a value. */
    void fold(AggregateOp op, List<StepSeries> members, StepSeries res) {
        int steps = count.length;
        Arrays.fill(count, 0);
        Arrays.fill(value, 0);
        Arrays.fill(compensation, 0);
        if (op == AggregateOp.AVG) {
            Arrays.fill(mean, 0);
            Arrays.fill(incremental, false);
        }
        for (int k = 0, m = members.size(); k < m; k++) {
            StepSeries s = members.get(k);
            switch (op) {
                case SUM -> sum(s.v, s.has, steps);
                case AVG -> avg(s.v, s.has, steps);
                case COUNT, GROUP -> {
                    boolean[] has = s.has;
                    for (int i = 0; i < steps; i++) {
                        if (has[i]) {
                            count[i]++;
                        }
                    }
                }
                case MIN -> minMax(s.v, s.has, steps, true);
                case MAX -> minMax(s.v, s.has, steps, false);
                default -> throw new IllegalStateException(op.toString());
            }
        }
        for (int i = 0; i < steps; i++) {
            int n = count[i];
            if (n == 0) {
                continue;
            }
            double result = switch (op) {
                case SUM -> Double.isInfinite(value[i]) ? value[i] : value[i] + compensation[i];
                case AVG -> incremental[i] ? mean[i] + compensation[i] : value[i] / n + compensation[i] / n;
                case COUNT -> n;
                case GROUP -> 1;
                default -> value[i]; // MIN, MAX
            };
            res.set(i, result);
        }
    }

    private void sum(double[] v, boolean[] has, int steps) {
        for (int i = 0; i < steps; i++) {
            if (!has[i]) {
                continue;
            }
            double f = v[i];
            if (count[i]++ == 0) {
                value[i] = f;
                continue;
            }
            double sum = value[i];
            double t = sum + f;
            if (Double.isInfinite(t)) {
                compensation[i] = 0;
            } else if (Math.abs(sum) >= Math.abs(f)) {
                compensation[i] += (sum - t) + f;
            } else {
                compensation[i] += (f - t) + sum;
            }
            value[i] = t;
        }
    }

    private void avg(double[] v, boolean[] has, int steps) {
        for (int i = 0; i < steps; i++) {
            if (!has[i]) {
                continue;
            }
            double f = v[i];
            int n = ++count[i];
            if (n == 1) {
                value[i] = f;
                mean[i] = f;
                continue;
            }
            if (!incremental[i]) {
                double sum = value[i];
                double t = sum + f;
                if (!Double.isInfinite(t)) {
                    compensation[i] += Math.abs(sum) >= Math.abs(f) ? (sum - t) + f : (f - t) + sum;
                    value[i] = t;
                    continue;
                }
                incremental[i] = true;
                mean[i] = sum / (n - 1);
                compensation[i] /= (n - 1);
            }
            double q = (n - 1) / (double) n;
            double inc = f / n;
            double base = q * mean[i];
            double kc = q * compensation[i];
            double t = base + inc;
            if (Double.isInfinite(t)) {
                kc = 0;
            } else if (Math.abs(base) >= Math.abs(inc)) {
                kc += (base - t) + inc;
            } else {
                kc += (inc - t) + base;
            }
            mean[i] = t;
            compensation[i] = kc;
        }
    }

    private void minMax(double[] v, boolean[] has, int steps, boolean min) {
        for (int i = 0; i < steps; i++) {
            if (!has[i]) {
                continue;
            }
            double f = v[i];
            if (count[i]++ == 0) {
                value[i] = f;
                continue;
            }
            double cur = value[i];
            if (min ? (cur > f || Double.isNaN(cur)) : (cur < f || Double.isNaN(cur))) {
                value[i] = f;
            }
        }
    }
}
