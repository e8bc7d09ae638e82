package io.atalaya.promql.engine;

import io.atalaya.model.Labels;
import io.atalaya.promql.parser.Call;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile and histogram_fraction over classic histograms: series with an {@code le} label, grouped by
 * their labels without {@code le}. Follows Prometheus' bucket handling: sort by bound, merge equal bounds, force
 * monotonicity (with an info annotation) and ignore float noise below 1e-12 relative.
 */
final class ClassicHistograms {
    private static final double SMALL_DELTA_TOLERANCE = 1e-12;

    private ClassicHistograms() {
    }

    private static final class Group {
        final Labels output;
        final String metricName;
        final List<StepSeries> members = new ArrayList<>();
        final List<Double> bounds = new ArrayList<>();

        Group(Labels output, String metricName) {
            this.output = output;
            this.metricName = metricName;
        }
    }

    private static Map<Labels, Group> group(Evaluator ev, List<StepSeries> in, int position) {
        Map<Labels, Group> groups = new LinkedHashMap<>();
        List<String> le = List.of("le");
        for (StepSeries s : in) {
            String leValue = s.labels.get("le");
            double bound;
            try {
                bound = GoMath.parseFloat(leValue);
            } catch (NumberFormatException e) {
                ev.ctx.annotate(Annotation.warning("bucket label \"le\" is missing or has a malformed value of \""
                        + leValue + "\" for metric name \"" + s.labels.metricName() + "\"", position));
                continue;
            }
            Labels key = s.labels.without(le);
            Group g = groups.get(key);
            if (g == null) {
                g = new Group(Evaluator.withoutName(key), s.labels.metricName());
                groups.put(key, g);
            }
            g.members.add(s);
            g.bounds.add(bound);
        }
        return groups;
    }

    static Val quantile(Evaluator ev, Call c) {
        double[] q = ev.evalScalar(c.args().get(0)).v();
        List<StepSeries> in = ev.evalVector(c.args().get(1));
        int pos = c.args().get(1).position().start();
        for (double v : q) {
            if (Double.isNaN(v) || v < 0 || v > 1) {
                ev.ctx.annotate(Annotation.warning("quantile value should be between 0 and 1, got " + GoMath.formatG(v), c.args().get(0).position().start()));
            }
        }
        Map<Labels, Group> groups = group(ev, in, pos);
        List<StepSeries> out = new ArrayList<>();
        double[] upper = new double[16];
        double[] counts = new double[16];
        for (Group g : groups.values()) {
            StepSeries res = new StepSeries(g.output, ev.steps);
            int m = g.members.size();
            if (upper.length < m) {
                upper = new double[m];
                counts = new double[m];
            }
            for (int i = 0; i < ev.steps; i++) {
                int n = 0;
                for (int k = 0; k < m; k++) {
                    StepSeries s = g.members.get(k);
                    if (s.has[i]) {
                        upper[n] = g.bounds.get(k);
                        counts[n] = s.v[i];
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                Result r = bucketQuantile(q[i], upper, counts, n);
                if (r.forcedMonotonic) {
                    ev.ctx.annotate(Annotation.info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"" + g.metricName + "\"", pos));
                }
                res.set(i, r.value);
            }
            if (res.points() > 0) {
                out.add(res);
            }
        }
        return new Val.VectorVal(SeriesMerger.merge(out));
    }

    /** histogram_quantiles(v, "label", q1, q2, ...): one output series per quantile, labelled with it. */
    static Val quantiles(Evaluator ev, Call c) {
        List<StepSeries> in = ev.evalVector(c.args().get(0));
        String label = ev.evalString(c.args().get(1));
        if (!FunctionCalls.validLabelName(label)) {
            throw QueryException.execution("invalid label name \"" + label + "\"");
        }
        int pos = c.args().get(0).position().start();
        Map<Labels, Group> groups = group(ev, in, pos);
        List<StepSeries> out = new ArrayList<>();
        for (int a = 2; a < c.args().size(); a++) {
            double[] q = ev.evalScalar(c.args().get(a)).v();
            for (double v : q) {
                if (Double.isNaN(v) || v < 0 || v > 1) {
                    ev.ctx.annotate(Annotation.warning("quantile value should be between 0 and 1, got " + GoMath.formatG(v), c.args().get(a).position().start()));
                }
            }
            String qText = GoMath.formatPlain(q[0]);
            if (qText.indexOf('.') < 0 && !qText.contains("Inf") && !qText.equals("NaN")) {
                qText = qText + ".0";
            }
            for (Group g : groups.values()) {
                StepSeries res = new StepSeries(g.output.toBuilder().set(label, qText).build(), ev.steps);
                int m = g.members.size();
                double[] upper = new double[m];
                double[] counts = new double[m];
                for (int i = 0; i < ev.steps; i++) {
                    int n = 0;
                    for (int k = 0; k < m; k++) {
                        StepSeries s = g.members.get(k);
                        if (s.has[i]) {
                            upper[n] = g.bounds.get(k);
                            counts[n] = s.v[i];
                            n++;
                        }
                    }
                    if (n == 0) {
                        continue;
                    }
                    Result r = bucketQuantile(q[i], upper, counts, n);
                    if (r.forcedMonotonic) {
                        ev.ctx.annotate(Annotation.info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"" + g.metricName + "\"", pos));
                    }
                    res.set(i, r.value);
                }
                if (res.points() > 0) {
                    out.add(res);
                }
            }
        }
        return new Val.VectorVal(SeriesMerger.merge(out));
    }

    static Val fraction(Evaluator ev, Call c) {
        double[] lower = ev.evalScalar(c.args().get(0)).v();
        double[] upperArg = ev.evalScalar(c.args().get(1)).v();
        List<StepSeries> in = ev.evalVector(c.args().get(2));
        Map<Labels, Group> groups = group(ev, in, c.args().get(2).position().start());
        List<StepSeries> out = new ArrayList<>();
        for (Group g : groups.values()) {
            StepSeries res = new StepSeries(g.output, ev.steps);
            int m = g.members.size();
            double[] upper = new double[m];
            double[] counts = new double[m];
            for (int i = 0; i < ev.steps; i++) {
                int n = 0;
                for (int k = 0; k < m; k++) {
                    StepSeries s = g.members.get(k);
                    if (s.has[i]) {
                        upper[n] = g.bounds.get(k);
                        counts[n] = s.v[i];
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                res.set(i, bucketFraction(lower[i], upperArg[i], upper, counts, n));
            }
            if (res.points() > 0) {
                out.add(res);
            }
        }
        return new Val.VectorVal(SeriesMerger.merge(out));
    }

    record Result(double value, boolean forcedMonotonic) {
    }

    /** Buckets up to which {@link #sortAndCoalesce} sorts by insertion; more go through a general sort. */
    private static final int INSERTION_SORT_MAX = 64;

    /**
     * Sorts the first n buckets by bound and merges equal bounds; returns the new count. The sort is stable, so the
     * counts of equal bounds are added in their input order. Buckets nearly always arrive sorted and number a dozen
     * or so: an insertion sort in place is then one comparison per bucket and allocates nothing, where sorting boxed
     * indexes cost 14 % of a {@code histogram_quantile} over 1 000 hosts' buckets (it runs per group and step).
     */
    static int sortAndCoalesce(double[] upper, double[] counts, int n) {
        if (n <= INSERTION_SORT_MAX) {
            for (int i = 1; i < n; i++) {
                double u = upper[i];
                double c = counts[i];
                int j = i - 1;
                while (j >= 0 && Double.compare(upper[j], u) > 0) {
                    upper[j + 1] = upper[j];
                    counts[j + 1] = counts[j];
                    j--;
                }
                upper[j + 1] = u;
                counts[j + 1] = c;
            }
        } else {
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            double[] u0 = Arrays.copyOf(upper, n);
            double[] c0 = Arrays.copyOf(counts, n);
            Arrays.sort(idx, (a, b) -> Double.compare(u0[a], u0[b]));
            for (int i = 0; i < n; i++) {
                upper[i] = u0[idx[i]];
                counts[i] = c0[idx[i]];
            }
        }
        int w = 0;
        for (int i = 0; i < n; i++) {
            double u = upper[i];
            double cnt = counts[i];
            if (w > 0 && upper[w - 1] == u) {
                counts[w - 1] += cnt;
            } else {
                upper[w] = u;
                counts[w] = cnt;
                w++;
            }
        }
        return w;
    }

    static Result bucketQuantile(double q, double[] upper, double[] counts, int n) {
        if (Double.isNaN(q)) {
            return new Result(Double.NaN, false);
        }
        if (q < 0) {
            return new Result(Double.NEGATIVE_INFINITY, false);
        }
        if (q > 1) {
            return new Result(Double.POSITIVE_INFINITY, false);
        }
        n = sortAndCoalesce(upper, counts, n);
        if (upper[n - 1] != Double.POSITIVE_INFINITY) {
            return new Result(Double.NaN, false);
        }
        boolean forced = false;
        double prev = counts[0];
        for (int i = 1; i < n; i++) {
            double curr = counts[i];
            if (curr == prev) {
                continue;
            }
            if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
                counts[i] = prev;
                continue;
            }
            if (curr < prev) {
                counts[i] = prev;
                forced = true;
                continue;
            }
            prev = curr;
        }
        if (n < 2) {
            return new Result(Double.NaN, forced);
        }
        double observations = counts[n - 1];
        if (observations == 0) {
            return new Result(Double.NaN, forced);
        }
        double rank = q * observations;
        int b = 0;
        while (b < n - 1 && !(counts[b] >= rank)) {
            b++;
        }
        if (b == n - 1) {
            return new Result(upper[n - 2], forced);
        }
        if (b == 0 && upper[0] <= 0) {
            return new Result(upper[0], forced);
        }
        double bucketStart = 0;
        double bucketEnd = upper[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upper[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return new Result(bucketStart + (bucketEnd - bucketStart) * (rank / count), forced);
    }

    static double bucketFraction(double lower, double upperLimit, double[] upper, double[] counts, int n) {
        n = sortAndCoalesce(upper, counts, n);
        if (upper[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double count = counts[n - 1];
        if (count == 0 || Double.isNaN(lower) || Double.isNaN(upperLimit)) {
            return Double.NaN;
        }
        if (lower >= upperLimit) {
            return 0;
        }
        double rank = 0;
        double lowerRank = 0;
        double upperRank = 0;
        boolean lowerSet = false;
        boolean upperSet = false;
        for (int i = 0; i < n; i++) {
            double lowerBound = i > 0 ? upper[i - 1] : (upper[0] > 0 ? 0 : Double.NEGATIVE_INFINITY);
            double upperBound = upper[i];
            double bc = counts[i];
            if (!lowerSet && lowerBound >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && lowerBound >= upperLimit) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            if (!lowerSet && lowerBound < lower && upperBound > lower) {
                lowerRank = interpolate(rank, bc, lower, lowerBound, upperBound);
                lowerSet = true;
            }
            if (!upperSet && lowerBound < upperLimit && upperBound > upperLimit) {
                upperRank = interpolate(rank, bc, upperLimit, lowerBound, upperBound);
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            rank = bc;
        }
        if (!lowerSet || lowerRank > count) {
            lowerRank = count;
        }
        if (!upperSet || upperRank > count) {
            upperRank = count;
        }
        return (upperRank - lowerRank) / count;
    }

    private static double interpolate(double rank, double bucketCount, double v, double lowerBound, double upperBound) {
        // A bucket of infinite width contributes nothing: no interpolation, the bound counts as its far edge.
        if (Double.isInfinite(lowerBound)) {
            return bucketCount;
        }
        if (Double.isInfinite(upperBound)) {
            return rank;
        }
        return rank + (bucketCount - rank) * (v - lowerBound) / (upperBound - lowerBound);
    }

    static boolean almostEqual(double a, double b, double epsilon) {
        if (a == b) {
            return true;
        }
        double min = 2.2250738585072014e-308;
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || Math.abs(a) + Math.abs(b) < min) {
            return diff < epsilon * min;
        }
        return diff / Math.min(Math.abs(a) + Math.abs(b), Double.MAX_VALUE) < epsilon;
    }
}
