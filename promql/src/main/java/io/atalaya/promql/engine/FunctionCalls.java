package io.atalaya.promql.engine;

import io.atalaya.model.Labels;
import io.atalaya.model.MatchType;
import io.atalaya.model.Matcher;
import io.atalaya.promql.parser.Call;
import io.atalaya.promql.parser.Expr;
import io.atalaya.promql.parser.MatrixSelector;
import io.atalaya.promql.parser.VectorSelector;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** Evaluation of PromQL function calls (Prometheus 3.x semantics). Stateless; works on an {@link Evaluator}. */
final class FunctionCalls {
    private FunctionCalls() {
    }

    /** One series' output of a range function and how many steps it has a value at. */
    private record RangeResult(StepSeries series, int points) {
    }

    static Val call(Evaluator ev, Call c) {
        String name = c.function().name();
        if (c.function().experimental() && !ev.ctx.options.experimentalFunctions()) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "function \"" + name + "\" is not enabled");
        }
        RangeFunctions.Kind rk = RangeFunctions.kindOf(name);
        if (rk != null) {
            return rangeFunction(ev, c, rk);
        }
        List<Expr> args = c.args();
        return switch (name) {
            case "abs" -> math(ev, args, Math::abs);
            case "ceil" -> math(ev, args, Math::ceil);
            case "floor" -> math(ev, args, Math::floor);
            case "exp" -> math(ev, args, Math::exp);
            case "sqrt" -> math(ev, args, Math::sqrt);
            case "ln" -> math(ev, args, GoMath::log);
            case "log2" -> math(ev, args, GoMath::log2);
            case "log10" -> math(ev, args, GoMath::log10);
            case "sgn" -> math(ev, args, v -> v > 0 ? 1 : v < 0 ? -1 : v);
            case "acos" -> math(ev, args, Math::acos);
            case "asin" -> math(ev, args, Math::asin);
            case "atan" -> math(ev, args, Math::atan);
            case "cos" -> math(ev, args, Math::cos);
            case "sin" -> math(ev, args, Math::sin);
            case "tan" -> math(ev, args, Math::tan);
            case "cosh" -> math(ev, args, Math::cosh);
            case "sinh" -> math(ev, args, Math::sinh);
            case "tanh" -> math(ev, args, Math::tanh);
            case "acosh" -> math(ev, args, FunctionCalls::acosh);
            case "asinh" -> math(ev, args, FunctionCalls::asinh);
            case "atanh" -> math(ev, args, v -> 0.5 * Math.log((1 + v) / (1 - v)));
            case "deg" -> math(ev, args, v -> v * 180 / Math.PI);
            case "rad" -> math(ev, args, v -> v * Math.PI / 180);
            case "round" -> round(ev, args);
            case "clamp" -> clamp(ev, args, true, true);
            case "clamp_min" -> clamp(ev, args, true, false);
            case "clamp_max" -> clamp(ev, args, false, true);
            case "pi" -> ev.scalar(Math.PI);
            case "time" -> {
                double[] v = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) {
                    v[i] = ev.time(i) / 1000.0;
                }
                yield new Val.ScalarVal(v);
            }
            case "start" -> ev.scalar(ev.queryStart / 1000.0);
            case "end" -> ev.scalar(ev.queryEnd / 1000.0);
            case "range" -> ev.scalar((ev.queryEnd - ev.queryStart) / 1000.0);
            case "step" -> ev.scalar(ev.queryStep / 1000.0);
            case "vector" -> {
                Val.ScalarVal s = ev.evalScalar(args.getFirst());
                StepSeries out = new StepSeries(Labels.EMPTY, s.v(), Evaluator.filled(ev.steps), false);
                yield new Val.VectorVal(new ArrayList<>(List.of(out)));
            }
            case "scalar" -> scalar(ev, args.getFirst());
            case "timestamp" -> timestamp(ev, args.getFirst());
            case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year" ->
                    dateFunction(ev, name, args);
            case "label_replace" -> labelReplace(ev, args);
            case "label_join" -> labelJoin(ev, args);
            case "sort", "sort_desc" -> sort(ev, c, name.equals("sort_desc"));
            case "sort_by_label", "sort_by_label_desc" -> sortByLabel(ev, c, name.endsWith("_desc"));
            case "absent" -> absent(ev, args.getFirst());
            case "histogram_quantile" -> ClassicHistograms.quantile(ev, c);
            case "histogram_quantiles" -> ClassicHistograms.quantiles(ev, c);
            case "min_of", "max_of" -> {
                double[] a = ev.evalScalar(args.get(0)).v();
                double[] b = ev.evalScalar(args.get(1)).v();
                double[] out = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) {
                    out[i] = name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
                }
                yield new Val.ScalarVal(out);
            }
            case "histogram_fraction" -> ClassicHistograms.fraction(ev, c);
            case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar" -> {
                ev.evalVector(args.getFirst()); // native histograms only; float samples are ignored
                yield new Val.VectorVal(new ArrayList<>());
            }
            case "info" -> InfoFunction.eval(ev, c);
            case "start_timestamp" -> throw new QueryException(QueryException.Kind.BAD_DATA,
                    "function \"start_timestamp\" needs start timestamps, which the storage does not keep");
            default -> throw new QueryException(QueryException.Kind.BAD_DATA, "function \"" + name + "\" is not supported by this engine");
        };
    }

    private static final double LN2 = 0.693147180559945309417232121458176568;
    private static final double LARGE = 1 << 28;
    private static final double NEAR_ZERO = 1.0 / (1 << 28);

    /**
     * Inverse hyperbolic sine by the same case split as Go's math.Asinh (which Prometheus uses): the textbook
     * log(x + sqrt(x² + 1)) overflows to infinity for |x| above about 1e154, and loses precision near zero.
     */
    static double asinh(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double x = Math.abs(v);
        double r;
        if (x > LARGE) {
            r = GoMath.log(x) + LN2;
        } else if (x > 2) {
            r = GoMath.log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
        } else if (x < NEAR_ZERO) {
            r = x;
        } else {
            r = Math.log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
        }
        return v < 0 ? -r : r;
    }

    /** Inverse hyperbolic cosine, with Go's math.Acosh case split (no overflow for large x). */
    static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return 0;
        }
        if (x >= LARGE) {
            return GoMath.log(x) + LN2;
        }
        if (x > 2) {
            return GoMath.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
        }
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    // ---- element-wise -----------------------------------------------------------------------------------------

    private static Val math(Evaluator ev, List<Expr> args, DoubleUnaryOperator f) {
        List<StepSeries> in = ev.evalVector(args.getFirst());
        for (StepSeries s : in) {
            for (int i = 0; i < s.v.length; i++) {
                if (s.has[i]) {
                    s.v[i] = f.applyAsDouble(s.v[i]);
                }
            }
            s.ts = null;
            ev.dropName(s);
        }
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    private static Val round(Evaluator ev, List<Expr> args) {
        List<StepSeries> in = ev.evalVector(args.getFirst());
        double[] nearest = args.size() > 1 ? ev.evalScalar(args.get(1)).v() : null;
        for (StepSeries s : in) {
            for (int i = 0; i < s.v.length; i++) {
                if (s.has[i]) {
                    double inv = 1.0 / (nearest == null ? 1 : nearest[i]);
                    s.v[i] = Math.floor(s.v[i] * inv + 0.5) / inv;
                }
            }
            s.ts = null;
            ev.dropName(s);
        }
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    private static Val clamp(Evaluator ev, List<Expr> args, boolean hasMin, boolean hasMax) {
        List<StepSeries> in = ev.evalVector(args.getFirst());
        double[] min = hasMin ? ev.evalScalar(args.get(1)).v() : null;
        double[] max = hasMax ? ev.evalScalar(args.get(hasMin ? 2 : 1)).v() : null;
        for (StepSeries s : in) {
            for (int i = 0; i < s.v.length; i++) {
                if (!s.has[i]) {
                    continue;
                }
                if (hasMin && hasMax && max[i] < min[i]) {
                    s.has[i] = false;
                    continue;
                }
                double v = s.v[i];
                if (hasMax) {
                    v = Math.min(max[i], v);
                }
                if (hasMin) {
                    v = Math.max(min[i], v);
                }
                s.v[i] = v;
            }
            s.ts = null;
            ev.dropName(s);
        }
        in.removeIf(s -> s.points() == 0);
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    private static Val scalar(Evaluator ev, Expr arg) {
        List<StepSeries> in = ev.evalVector(arg);
        double[] out = new double[ev.steps];
        for (int i = 0; i < ev.steps; i++) {
            int count = 0;
            double v = Double.NaN;
            for (StepSeries s : in) {
                if (s.has[i]) {
                    count++;
                    v = s.v[i];
                }
            }
            out[i] = count == 1 ? v : Double.NaN;
        }
        return new Val.ScalarVal(out);
    }

    private static Val timestamp(Evaluator ev, Expr arg) {
        List<StepSeries> in = ev.evalVector(arg);
        for (StepSeries s : in) {
            for (int i = 0; i < s.v.length; i++) {
                if (s.has[i]) {
                    s.v[i] = (s.ts != null ? s.ts[i] : ev.time(i)) / 1000.0;
                }
            }
            s.ts = null;
            ev.dropName(s);
        }
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    private static Val dateFunction(Evaluator ev, String name, List<Expr> args) {
        List<StepSeries> in;
        if (args.isEmpty()) {
            double[] v = new double[ev.steps];
            for (int i = 0; i < ev.steps; i++) {
                v[i] = ev.time(i) / 1000.0;
            }
            in = new ArrayList<>(List.of(new StepSeries(Labels.EMPTY, v, Evaluator.filled(ev.steps), false)));
        } else {
            in = ev.evalVector(args.getFirst());
        }
        for (StepSeries s : in) {
            for (int i = 0; i < s.v.length; i++) {
                if (s.has[i]) {
                    s.v[i] = dateValue(name, s.v[i]);
                }
            }
            s.ts = null;
            ev.dropName(s);
        }
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    private static double dateValue(String name, double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return Double.NaN;
        }
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond((long) seconds), ZoneOffset.UTC);
        return switch (name) {
            case "day_of_month" -> t.getDayOfMonth();
            case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
            case "day_of_year" -> t.getDayOfYear();
            case "days_in_month" -> t.toLocalDate().lengthOfMonth();
            case "hour" -> t.getHour();
            case "minute" -> t.getMinute();
            case "month" -> t.getMonthValue();
            case "year" -> t.getYear();
            default -> throw new IllegalStateException(name);
        };
    }

    // ---- labels -----------------------------------------------------------------------------------------------

    private static Val labelReplace(Evaluator ev, List<Expr> args) {
        List<StepSeries> in = ev.evalVector(args.get(0));
        String dst = ev.evalString(args.get(1));
        String replacement = ev.evalString(args.get(2));
        String src = ev.evalString(args.get(3));
        String regex = ev.evalString(args.get(4));
        java.util.regex.Pattern pattern;
        try {
            pattern = java.util.regex.Pattern.compile("^(?s:" + GoRegex.toJava(regex) + ")$");
        } catch (java.util.regex.PatternSyntaxException e) {
            throw QueryException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!validLabelName(dst)) {
            throw QueryException.execution("invalid destination label name in label_replace(): " + dst);
        }
        for (StepSeries s : in) {
            java.util.regex.Matcher m = pattern.matcher(s.labels.get(src));
            if (m.matches()) {
                String value = GoRegex.expand(m, replacement);
                s.labels = s.labels.toBuilder().set(dst, value).build();
                if (dst.equals(Labels.METRIC_NAME)) {
                    s.dropName = false;
                }
            }
        }
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    private static Val labelJoin(Evaluator ev, List<Expr> args) {
        List<StepSeries> in = ev.evalVector(args.get(0));
        String dst = ev.evalString(args.get(1));
        String sep = ev.evalString(args.get(2));
        List<String> srcs = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) {
            String src = ev.evalString(args.get(i));
            if (!validLabelName(src)) {
                throw QueryException.execution("invalid source label name in label_join(): " + src);
            }
            srcs.add(src);
        }
        if (!validLabelName(dst)) {
            throw QueryException.execution("invalid destination label name in label_join(): " + dst);
        }
        for (StepSeries s : in) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < srcs.size(); i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(s.labels.get(srcs.get(i)));
            }
            s.labels = s.labels.toBuilder().set(dst, sb.toString()).build();
            if (dst.equals(Labels.METRIC_NAME)) {
                s.dropName = false;
            }
        }
        return new Val.VectorVal(SeriesMerger.merge(in));
    }

    static boolean validLabelName(String name) {
        return !name.isEmpty() && name.indexOf('\uFFFD') < 0;
    }

    // ---- ordering -----------------------------------------------------------------------------------------

    private static Val sort(Evaluator ev, Call c, boolean desc) {
        List<StepSeries> in = ev.evalVector(c.args().getFirst());
        if (ev.rangeQuery) {
            ev.ctx.annotate(Annotation.warning("sort is ineffective for range queries since results are always ordered by labels", c.position().start()));
        }
        if (ev.steps == 1) {
            Comparator<StepSeries> byValue = (a, b) -> {
                double x = a.v[0];
                double y = b.v[0];
                boolean xn = Double.isNaN(x);
                boolean yn = Double.isNaN(y);
                if (xn || yn) {
                    return Boolean.compare(xn, yn); // NaN last either way
                }
                return desc ? Double.compare(y, x) : Double.compare(x, y);
            };
            in.sort(byValue);
        }
        return new Val.VectorVal(in);
    }

    private static Val sortByLabel(Evaluator ev, Call c, boolean desc) {
        List<StepSeries> in = ev.evalVector(c.args().getFirst());
        if (ev.rangeQuery) {
            ev.ctx.annotate(Annotation.warning("sort is ineffective for range queries since results are always ordered by labels", c.position().start()));
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i < c.args().size(); i++) {
            names.add(ev.evalString(c.args().get(i)));
        }
        Comparator<StepSeries> cmp = (a, b) -> {
            for (String n : names) {
                int r = NaturalOrder.compare(a.labels.get(n), b.labels.get(n));
                if (r != 0) {
                    return r;
                }
            }
            return a.labels.compareTo(b.labels);
        };
        in.sort(desc ? cmp.reversed() : cmp);
        return new Val.VectorVal(in);
    }

    // ---- absent -----------------------------------------------------------------------------------------------

    /** The labels absent() and absent_over_time() give their output: the selector's equality matchers. */
    static Labels absentLabels(Expr arg) {
        Expr e = Evaluator.unwrapParens(arg);
        VectorSelector vs = null;
        if (e instanceof VectorSelector v) {
            vs = v;
        } else if (e instanceof MatrixSelector m) {
            vs = m.selector();
        }
        if (vs == null) {
            return Labels.EMPTY;
        }
        Labels.Builder b = Labels.builder();
        Set<String> seen = new HashSet<>();
        Set<String> dup = new HashSet<>();
        for (Matcher m : vs.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (!seen.add(m.name())) {
                dup.add(m.name());
            }
            if (m.type() == MatchType.EQUAL) {
                b.set(m.name(), m.value());
            }
        }
        for (String d : dup) {
            b.delete(d);
        }
        return b.build();
    }

    private static Val absent(Evaluator ev, Expr arg) {
        List<StepSeries> in = ev.evalVector(arg);
        StepSeries out = new StepSeries(absentLabels(arg), ev.steps);
        for (int i = 0; i < ev.steps; i++) {
            boolean any = false;
            for (StepSeries s : in) {
                any |= s.has[i];
            }
            if (!any) {
                out.set(i, 1);
            }
        }
        List<StepSeries> res = new ArrayList<>();
        if (out.points() > 0) {
            res.add(out);
        }
        return new Val.VectorVal(res);
    }

    // ---- range functions -----------------------------------------------------------------------------------

    private static Val rangeFunction(Evaluator ev, Call c, RangeFunctions.Kind k) {
        List<Expr> args = c.args();
        int matrixArg = k == RangeFunctions.Kind.QUANTILE ? 1 : 0;
        Expr m = args.get(matrixArg);
        double[] p0 = null;
        double[] p1 = null;
        switch (k) {
            case QUANTILE -> p0 = ev.evalScalar(args.get(0)).v();
            case PREDICT_LINEAR -> p0 = ev.evalScalar(args.get(1)).v();
            case DOUBLE_EXP_SMOOTHING -> {
                p0 = ev.evalScalar(args.get(1)).v();
                p1 = ev.evalScalar(args.get(2)).v();
            }
            default -> {
            }
        }
        if (k == RangeFunctions.Kind.QUANTILE) {
            for (double q : p0) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    ev.ctx.annotate(Annotation.warning("quantile value should be between 0 and 1, got " + GoMath.formatG(q), args.get(0).position().start()));
                }
            }
        }
        if (k == RangeFunctions.Kind.DOUBLE_EXP_SMOOTHING) {
            for (int i = 0; i < ev.steps; i++) {
                if (p0[i] <= 0 || p0[i] >= 1 || Double.isNaN(p0[i])) {
                    throw QueryException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format(java.util.Locale.ROOT, "%f", p0[i]));
                }
                if (p1[i] <= 0 || p1[i] >= 1 || Double.isNaN(p1[i])) {
                    throw QueryException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + String.format(java.util.Locale.ROOT, "%f", p1[i]));
                }
            }
        }
        Evaluator.RangeShape shape = ev.rangeShape(m);
        VectorSelector sel = shape.selector();
        boolean anchored = sel != null && sel.anchored();
        boolean smoothed = sel != null && sel.smoothed();
        String fname = c.function().name();
        if (anchored && !List.of("changes", "delta", "increase", "rate", "resets").contains(fname)) {
            throw QueryException.execution("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + fname);
        }
        if (smoothed && !List.of("delta", "increase", "rate").contains(fname)) {
            throw QueryException.execution("smoothed modifier can only be used with: delta, increase, rate - not with " + fname);
        }
        long lookback = ev.ctx.options.lookbackDeltaMs();
        long[] ends = shape.windowEnds();
        long range = shape.rangeMs();
        boolean isAbsent = k == RangeFunctions.Kind.ABSENT;
        boolean[] anyAt = isAbsent ? new boolean[ev.steps] : null;
        boolean checkCounter = k == RangeFunctions.Kind.RATE || k == RangeFunctions.Kind.INCREASE;
        boolean keepName = RangeFunctions.keepsName(k);
        List<StepSeries> out = new ArrayList<>();
        final double[] fp0 = p0;
        final double[] fp1 = p1;
        boolean plainWindows = !anchored && !smoothed;
        boolean prefixResets = plainWindows && (checkCounter || k == RangeFunctions.Kind.RESETS);
        // One per thread: the window and the sliding sums are scratch state.
        java.util.function.Supplier<Evaluator.SeriesFunction<RangeResult>> perThread = () -> {
            RangeFunctions.Window w = new RangeFunctions.Window();
            w.rangeMs = range;
            w.rangeSeconds = range / 1000.0;
            SlidingAggregates sliding = plainWindows && SlidingAggregates.supports(k) ? new SlidingAggregates(k) : null;
            return (labels, ts, vs, n) -> {
                w.ts = ts;
                w.vs = vs;
                if (prefixResets) {
                    RangeFunctions.countResets(w, n);
                }
                if (sliding != null) {
                    sliding.reset();
                }
                int lo = 0;
                int hi = 0;
                int points = 0;
                StepSeries ss = null;
                for (int i = 0; i < ev.steps; i++) {
                    long wEnd = ends[i];
                    long wStart = wEnd - range;
                    if (hi > 0 && hi <= n && hi - 1 >= 0 && ts[hi - 1] > wEnd) {
                        lo = 0;
                        hi = 0;
                    }
                    while (lo < n && ts[lo] <= wStart) {
                        lo++;
                    }
                    if (hi < lo) {
                        hi = lo;
                    }
                    while (hi < n && ts[hi] <= wEnd) {
                        hi++;
                    }
                    if (anchored || smoothed) {
                        int before = lo - 1 >= 0 && ts[lo - 1] > wStart - lookback ? lo - 1 : -1;
                        int after = hi < n && ts[hi] - wEnd < lookback ? hi : -1;
                        double v;
                        if (anchored) {
                            if (hi == lo) {
                                continue;
                            }
                            v = ExtendedRange.anchored(k, ts, vs, before >= 0 ? before : lo, hi, range, w);
                        } else {
                            if (hi == lo && (before < 0 || after < 0)) {
                                continue;
                            }
                            v = ExtendedRange.smoothed(k, ts, vs, lo, hi, before, after, wStart, wEnd, range);
                        }
                        if (ss == null) {
                            ss = new StepSeries(labels, ev.steps);
                        }
                        ss.set(i, v);
                        points++;
                        continue;
                    }
                    if (hi == lo) {
                        continue;
                    }
                    if (isAbsent) {
                        anyAt[i] = true;
                        continue;
                    }
                    w.lo = lo;
                    w.hi = hi;
                    w.rangeStart = wStart;
                    w.rangeEnd = wEnd;
                    w.evalTime = ev.time(i);
                    if (fp0 != null) {
                        w.p0 = fp0[i];
                    }
                    if (fp1 != null) {
                        w.p1 = fp1[i];
                    }
                    double v = sliding != null ? sliding.compute(w) : RangeFunctions.compute(k, w);
                    if (!w.emit) {
                        continue;
                    }
                    if (ss == null) {
                        ss = new StepSeries(labels, ev.steps);
                    }
                    ss.set(i, v);
                    points++;
                }
                return ss == null ? null : new RangeResult(ss, points);
            };
        };
        // absent() marks one shared array per step: it stays on one thread.
        ev.forEachRangeSeries(m, shape, c.function().name(), !isAbsent, perThread, (labels, r) -> {
            if (r == null) {
                return;
            }
            StepSeries ss = r.series();
            if (checkCounter) {
                String metric = labels.metricName();
                if (!metric.isEmpty() && !metric.endsWith("_total") && !metric.endsWith("_sum")
                        && !metric.endsWith("_count") && !metric.endsWith("_bucket")) {
                    ev.ctx.annotate(Annotation.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"" + metric + "\"", m.position().start()));
                }
            }
            if (!keepName) {
                ev.dropName(ss);
            }
            ev.ctx.addSamples(r.points());
            out.add(ss);
        });
        if (isAbsent) {
            StepSeries res = new StepSeries(absentLabels(m), ev.steps);
            for (int i = 0; i < ev.steps; i++) {
                if (!anyAt[i]) {
                    res.set(i, 1);
                }
            }
            List<StepSeries> list = new ArrayList<>();
            if (res.points() > 0) {
                list.add(res);
            }
            return new Val.VectorVal(list);
        }
        return new Val.VectorVal(SeriesMerger.merge(out));
    }
}
