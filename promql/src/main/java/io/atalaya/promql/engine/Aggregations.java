package io.atalaya.promql.engine;

import io.atalaya.model.Labels;
import io.atalaya.promql.parser.AggregateExpr;
import io.atalaya.promql.parser.AggregateOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregation operators. Input series are grouped once by their grouping labels; each step then folds the
 * members present at that step. Float arithmetic follows Prometheus 3 (Kahan-compensated sum and mean, Welford
 * variance, heap-based topk/bottomk selection so that ties pick the same series). Stateless.
 */
final class Aggregations {
    private Aggregations() {
    }

    private static final class Group {
        final Labels labels;
        final List<StepSeries> members = new ArrayList<>();

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    static Labels groupLabels(Labels l, List<String> grouping, boolean without) {
        if (without) {
            List<String> drop = new ArrayList<>(grouping.size() + 1);
            drop.addAll(grouping);
            drop.add(Labels.METRIC_NAME);
            return l.without(drop);
        }
        return l.keep(grouping);
    }

    static Val aggregate(Evaluator ev, AggregateExpr a) {
        AggregateOp op = a.op();
        if (op.experimental() && !ev.ctx.options.experimentalFunctions()) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions");
        }
        double[] param = null;
        String label = null;
        if (op == AggregateOp.COUNT_VALUES) {
            label = ev.evalString(a.param());
            if (!FunctionCalls.validLabelName(label)) {
                throw QueryException.execution("invalid label name \"" + label + "\"");
            }
        } else if (a.param() != null) {
            param = ev.evalScalar(a.param()).v();
        }
        List<StepSeries> in = ev.evalVector(a.expr());
        List<String> grouping = a.grouping();

        if (op == AggregateOp.COUNT_VALUES) {
            return new Val.VectorVal(countValues(ev, in, label, grouping, a.without()));
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (StepSeries s : in) {
            Labels key = groupLabels(s.labels, grouping, a.without());
            groups.computeIfAbsent(key, Group::new).members.add(s);
        }
        int pos = a.position().start();
        List<StepSeries> out = switch (op) {
            case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> selectK(ev, op, groups, param, a.param() == null ? pos : a.param().position().start());
            default -> fold(ev, op, groups, param, a.param() == null ? pos : a.param().position().start());
        };
        ev.release(in);
        return new Val.VectorVal(out);
    }

    private static List<StepSeries> fold(Evaluator ev, AggregateOp op, Map<Labels, Group> groups, double[] param, int paramPos) {
        if (op == AggregateOp.QUANTILE) {
            for (double q : param) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    ev.ctx.annotate(Annotation.warning("quantile value should be between 0 and 1, got " + GoMath.formatG(q), paramPos));
                }
            }
        }
        List<StepSeries> out = new ArrayList<>(groups.size());
        double[] scratch = new double[16];
        double[] stepResult = new double[1];
        MemberMajorFold byMember = null;
        for (Group g : groups.values()) {
            ev.ctx.checkInterrupted();
            StepSeries res = new StepSeries(g.labels, ev.steps);
            List<StepSeries> ms = g.members;
            if (g.labels.has(Labels.METRIC_NAME)) {
                // by (__name__): the name survives grouping, but still goes if an input was due to lose it
                for (StepSeries s : ms) {
                    res.dropName |= s.dropName;
                }
            }
            int m = ms.size();
            if (scratch.length < m) {
                scratch = new double[m];
            }
            if (MemberMajorFold.supports(op)) {
                if (byMember == null) {
                    byMember = new MemberMajorFold(ev.steps);
                }
                byMember.fold(op, ms, res);
                int points = res.points();
                if (points > 0) {
                    ev.ctx.addSamples(points);
                    out.add(res);
                }
                continue;
            }
            for (int i = 0; i < ev.steps; i++) {
                if (foldStep(op, ms, i, param == null ? Double.NaN : param[i], scratch, stepResult) > 0) {
                    res.set(i, stepResult[0]);
                }
            }
            if (res.points() > 0) {
                ev.ctx.addSamples(res.points());
                out.add(res);
            }
        }
        return out;
    }

    /**
     * Folds the members' values at step {@code i} in member order, as Prometheus does (Kahan-compensated sum and
     * mean, Welford variance). Writes the result to {@code result[0]} and returns how many members had a value (0: no
     * result at this step). {@code scratch} holds at least {@code ms.size()} values (quantile); {@code quantile} is the
     * quantile of this step.
     */
    static int foldStep(AggregateOp op, List<StepSeries> ms, int i, double quantile, double[] scratch, double[] result) {
        int count = 0;
        double value = 0;
        double c = 0;
        double mean = 0;
        boolean incremental = false;
        for (int k = 0, m = ms.size(); k < m; k++) {
            StepSeries s = ms.get(k);
            if (!s.has[i]) {
                continue;
            }
            double f = s.v[i];
            count++;
            if (count == 1) {
                switch (op) {
                    case SUM, MIN, MAX -> value = f;
                    case AVG -> {
                        value = f;
                        mean = f;
                    }
                    case STDDEV, STDVAR -> {
                        mean = f;
                        value = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
                    }
                    case QUANTILE -> scratch[0] = f;
                    default -> {
                    }
                }
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
                case STDDEV, STDVAR -> {
                    double delta = f - mean;
                    mean += delta / count;
                    value += delta * (f - mean);
                }
                case QUANTILE -> scratch[count - 1] = f;
                default -> {
                }
            }
        }
        if (count == 0) {
            return 0;
        }
        double result0 = switch (op) {
            case SUM -> Double.isInfinite(value) ? value : value + c;
            case AVG -> incremental ? mean + c : value / count + c / count;
            case COUNT -> count;
            case GROUP -> 1;
            case MIN, MAX -> value;
            case STDVAR -> value / count;
            case STDDEV -> Math.sqrt(value / count);
            case QUANTILE -> RangeFunctions.quantile(quantile, scratch, count);
            default -> throw new IllegalStateException(op.toString());
        };
        result[0] = result0;
        return count;
    }

    private static List<StepSeries> countValues(Evaluator ev, List<StepSeries> in, String label, List<String> grouping, boolean without) {
        List<String> g = grouping;
        if (!without) {
            g = new ArrayList<>(grouping);
            g.add(label);
        }
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        Map<Double, String> formatted = new HashMap<>();
        for (StepSeries s : in) {
            for (int i = 0; i < ev.steps; i++) {
                if (!s.has[i]) {
                    continue;
                }
                String value = formatted.computeIfAbsent(s.v[i], GoMath::formatPlain);
                Labels withValue = s.labels.toBuilder().set(label, value).build();
                Labels key = groupLabels(withValue, g, without);
                StepSeries r = out.computeIfAbsent(key, k -> new StepSeries(k, ev.steps));
                r.v[i] = r.has[i] ? r.v[i] + 1 : 1;
                r.has[i] = true;
            }
        }
        return new ArrayList<>(out.values());
    }

    // ---- topk / bottomk / limitk / limit_ratio ----------------------------------------------------------------

    /** Go's container/heap over member indices with Prometheus' value orderings. */
    private static final class Heap {
        int[] idx = new int[16];
        int size;
        double[] vals;
        boolean reverse;

        /** Empties the heap for up to {@code capacity} members valued by {@code vals}; reused across steps and groups. */
        void reset(int capacity, double[] vals, boolean reverse) {
            if (idx.length < capacity) {
                idx = new int[Math.max(capacity, idx.length * 2)];
            }
            size = 0;
            this.vals = vals;
            this.reverse = reverse;
        }

        boolean less(int i, int j) {
            double a = vals[idx[i]];
            double b = vals[idx[j]];
            if (Double.isNaN(a)) {
                return true;
            }
            return reverse ? a > b : a < b;
        }

        void swap(int i, int j) {
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }

        void push(int member) {
            idx[size++] = member;
            up(size - 1);
        }

        void up(int j) {
            while (true) {
                int i = (j - 1) / 2;
                if (i == j || !less(j, i)) {
                    break;
                }
                swap(i, j);
                j = i;
            }
        }

        boolean down(int i0) {
            int i = i0;
            while (true) {
                int j1 = 2 * i + 1;
                if (j1 >= size) {
                    break;
                }
                int j = j1;
                int j2 = j1 + 1;
                if (j2 < size && less(j2, j1)) {
                    j = j2;
                }
                if (!less(j, i)) {
                    break;
                }
                swap(i, j);
                i = j;
            }
            return i > i0;
        }

        void fix(int i) {
            if (!down(i)) {
                up(i);
            }
        }

        /** sort.Sort(sort.Reverse(heap)) with insertion sort (what Go uses for short inputs). */
        void sortReversed() {
            for (int i = 1; i < size; i++) {
                for (int j = i; j > 0 && less(j - 1, j); j--) {
                    swap(j, j - 1);
                }
            }
        }
    }

    private static List<StepSeries> selectK(Evaluator ev, AggregateOp op, Map<Labels, Group> groups, double[] param, int paramPos) {
        Map<StepSeries, StepSeries> copies = new LinkedHashMap<>();
        List<StepSeries> ordered = new ArrayList<>();
        double[] vals = new double[16];
        int[] chosen = new int[16];
        Heap heap = new Heap();
        for (int i = 0; i < ev.steps; i++) {
            double p = param[i];
            if (Double.isNaN(p)) {
                throw QueryException.execution(op == AggregateOp.LIMIT_RATIO ? "Ratio value is NaN" : "Parameter value is NaN");
            }
            long k = 0;
            double ratio = 0;
            if (op == AggregateOp.LIMIT_RATIO) {
                ratio = p;
                if (ratio < -1 || ratio > 1) {
                    double capped = ratio < -1 ? -1 : 1;
                    ev.ctx.annotate(Annotation.warning("ratio value should be between -1 and 1, got " + GoMath.formatG(ratio) + ", capping to " + GoMath.formatG(capped), paramPos));
                    ratio = capped;
                }
            } else {
                k = p >= 9.2e18 ? Long.MAX_VALUE : p <= -9.2e18 ? Long.MIN_VALUE : (long) p;
                if (k < 1) {
                    continue;
                }
            }
            for (Group g : groups.values()) {
                List<StepSeries> ms = g.members;
                int m = ms.size();
                if (vals.length < m) {
                    vals = new double[m];
                    chosen = new int[m];
                }
                for (int j = 0; j < m; j++) {
                    vals[j] = ms.get(j).v[i];
                }
                int nChosen = 0;
                switch (op) {
                    case TOPK, BOTTOMK -> {
                        boolean bottom = op == AggregateOp.BOTTOMK;
                        Heap h = heap;
                        h.reset((int) Math.min(k, m), vals, bottom);
                        for (int j = 0; j < m; j++) {
                            if (!ms.get(j).has[i]) {
                                continue;
                            }
                            double f = vals[j];
                            if (h.size < k) {
                                h.push(j);
                            } else {
                                double top = vals[h.idx[0]];
                                boolean replace = bottom ? (top > f || (Double.isNaN(top) && !Double.isNaN(f)))
                                        : (top < f || (Double.isNaN(top) && !Double.isNaN(f)));
                                if (replace) {
                                    h.idx[0] = j;
                                    if (k > 1) {
                                        h.fix(0);
                                    }
                                }
                            }
                        }
                        if (h.size > 1) {
                            h.sortReversed();
                        }
                        for (int j = 0; j < h.size; j++) {
                            chosen[nChosen++] = h.idx[j];
                        }
                    }
                    case LIMITK -> {
                        for (int j = 0; j < m && nChosen < k; j++) {
                            if (ms.get(j).has[i]) {
                                chosen[nChosen++] = j;
                            }
                        }
                    }
                    case LIMIT_RATIO -> {
                        for (int j = 0; j < m; j++) {
                            if (!ms.get(j).has[i]) {
                                continue;
                            }
                            double offset = (ms.get(j).labels.stableHash() >>> 1) / (double) Long.MAX_VALUE;
                            if ((ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio)) {
                                chosen[nChosen++] = j;
                            }
                        }
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
                for (int c = 0; c < nChosen; c++) {
                    StepSeries src = ms.get(chosen[c]);
                    StepSeries copy = copies.get(src);
                    if (copy == null) {
                        copy = new StepSeries(src.labels, ev.steps);
                        copy.dropName = src.dropName;
                        copies.put(src, copy);
                        ordered.add(copy);
                    }
                    copy.set(i, src.v[i]);
                }
            }
        }
        long points = 0;
        for (StepSeries s : ordered) {
            points += s.points();
        }
        ev.ctx.addSamples(points);
        return ordered;
    }
}
