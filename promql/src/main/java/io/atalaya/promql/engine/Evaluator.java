package io.atalaya.promql.engine;

import io.atalaya.model.Labels;
import io.atalaya.model.StaleMarker;
import io.atalaya.promql.parser.AggregateExpr;
import io.atalaya.promql.parser.AtModifier;
import io.atalaya.promql.parser.BinaryExpr;
import io.atalaya.promql.parser.Call;
import io.atalaya.promql.parser.DurationExpr;
import io.atalaya.promql.parser.Expr;
import io.atalaya.promql.parser.MatrixSelector;
import io.atalaya.promql.parser.NumberLiteral;
import io.atalaya.promql.parser.ParenExpr;
import io.atalaya.promql.parser.StringLiteral;
import io.atalaya.promql.parser.SubqueryExpr;
import io.atalaya.promql.parser.UnaryExpr;
import io.atalaya.promql.parser.VectorSelector;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Evaluates an expression tree at the steps {@code start, start+interval, ..., end}, node by node: every node yields
 * all its steps at once ({@link Val}). Selectors stream storage series one at a time through a reused sample buffer,
 * so raw samples of only one series are held at once; intermediate results are accounted against max samples.
 * One evaluator per query (and per subquery level); not thread-safe.
 */
final class Evaluator {
    final QueryContext ctx;
    final long start;
    final long end;
    final long interval;
    final int steps;
    /** The outermost query's range, for {@code @ start()} / {@code @ end()} and duration expressions. */
    final long queryStart;
    final long queryEnd;
    final long queryStep;
    final boolean rangeQuery;

    /** Decodes series for the sequential path (and for this thread's share of the parallel one). */
    private final SeriesReader ownReader = new SeriesReader();

    Evaluator(QueryContext ctx, long start, long end, long interval, long queryStart, long queryEnd, long queryStep,
              boolean rangeQuery) {
        this.ctx = ctx;
        this.start = start;
        this.end = end;
        this.interval = interval <= 0 ? 1 : interval;
        long n = (end - start) / this.interval + 1;
        if (n > ctx.options.maxSamples() || n > Integer.MAX_VALUE - 8) {
            // every series holds one slot per step: refuse before allocating rather than after
            throw new QueryException(QueryException.Kind.TOO_MANY_SAMPLES,
                    "query processing would load too many samples into memory in query execution");
        }
        this.steps = (int) n;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.queryStep = queryStep;
        this.rangeQuery = rangeQuery;
    }

    long time(int i) {
        return start + i * interval;
    }

    boolean delayedNameRemoval() {
        return ctx.options.delayedNameRemoval();
    }

    Val eval(Expr e) {
        ctx.checkInterrupted();
        return switch (e) {
            case NumberLiteral n -> scalar(n.value());
            case StringLiteral s -> new Val.StringVal(s.value());
            case ParenExpr p -> eval(p.expr());
            case UnaryExpr u -> unary(u);
            case VectorSelector vs -> new Val.VectorVal(selectVector(vs));
            case MatrixSelector ms -> matrixValue(ms);
            case SubqueryExpr sq -> matrixValue(sq);
            case Call c -> FunctionCalls.call(this, c);
            case AggregateExpr a -> Aggregations.aggregate(this, a);
            case BinaryExpr b -> BinaryOps.eval(this, b);
        };
    }

    Val.ScalarVal scalar(double v) {
        double[] a = new double[steps];
        Arrays.fill(a, v);
        return new Val.ScalarVal(a);
    }

    private Val unary(UnaryExpr u) {
        Val v = eval(u.expr());
        if (u.op() == UnaryExpr.Op.PLUS) {
            return v;
        }
        return switch (v) {
            case Val.ScalarVal s -> {
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = -s.v()[i];
                }
                yield new Val.ScalarVal(out);
            }
            case Val.VectorVal vec -> {
                for (StepSeries s : vec.series()) {
                    for (int i = 0; i < steps; i++) {
                        s.v[i] = -s.v[i];
                    }
                    dropName(s);
                    s.ts = null;
                }
                yield new Val.VectorVal(SeriesMerger.merge(vec.series()));
            }
            default -> throw new QueryException(QueryException.Kind.BAD_DATA, "unary expression only allowed on expressions of type scalar or instant vector");
        };
    }

    /** Drops {@code __name__} now, or marks the series when names are removed at the end. */
    void dropName(StepSeries s) {
        if (delayedNameRemoval()) {
            s.dropName = true;
        } else {
            s.labels = withoutName(s.labels);
        }
    }

    private static final List<String> NAME_LABELS = List.of(Labels.METRIC_NAME, "__type__", "__unit__");

    /** Drops the metric name and, with it, the {@code __type__} and {@code __unit__} labels that describe it. */
    static Labels withoutName(Labels l) {
        return l.without(NAME_LABELS);
    }

    // ---- evaluation of scalars as vectors and vice versa ---------------------------------------------------

    Val.ScalarVal evalScalar(Expr e) {
        Val v = eval(e);
        if (v instanceof Val.ScalarVal s) {
            return s;
        }
        throw new QueryException(QueryException.Kind.BAD_DATA, "expected scalar expression, got " + v.getClass().getSimpleName());
    }

    List<StepSeries> evalVector(Expr e) {
        Val v = eval(e);
        if (v instanceof Val.VectorVal vec) {
            return vec.series();
        }
        throw new QueryException(QueryException.Kind.BAD_DATA, "expected instant vector expression");
    }

    String evalString(Expr e) {
        Val v = eval(e);
        if (v instanceof Val.StringVal s) {
            return s.s();
        }
        throw new QueryException(QueryException.Kind.BAD_DATA, "expected string expression");
    }

    // ---- times, offsets, ranges ------------------------------------------------------------------------------

    long resolveDuration(long plain, DurationExpr expr) {
        if (expr == null) {
            return plain;
        }
        try {
            return expr.evaluateMillis(queryStep, queryEnd - queryStart);
        } catch (ArithmeticException e) {
            throw new QueryException(QueryException.Kind.BAD_DATA, e.getMessage(), e);
        }
    }

    long offsetOf(VectorSelector vs) {
        return resolveDuration(vs.offsetMillis(), vs.offsetExpr());
    }

    long rangeOf(MatrixSelector ms) {
        return resolveDuration(ms.rangeMillis(), ms.rangeExpr());
    }

    /** The time each step reads at: {@code @} (or the step time) minus the offset. */
    long[] readTimes(AtModifier at, long offset) {
        long[] t = new long[steps];
        for (int i = 0; i < steps; i++) {
            long base = at != null ? at.resolve(queryStart, queryEnd) : time(i);
            t[i] = base - offset;
        }
        return t;
    }

    // ---- storage access ----------------------------------------------------------------------------------

    /** Receives one storage series' float samples (stale markers included or not, as requested). */
    interface SampleConsumer {
        void accept(Labels labels, long[] ts, double[] vs, int n);
    }

    /** Streams every series matching {@code vs} with its samples in {@code [mint, maxt]}. */
    void forEachSeries(VectorSelector vs, long mint, long maxt, boolean keepStale, String function, long rangeMs,
                       SampleConsumer consumer) {
        SeriesSet set = select(vs, mint, maxt, function, rangeMs);
        while (set.next()) {
            ctx.checkInterrupted();
            Series s = set.at();
            ctx.seriesFetched++;
            int n = ownReader.read(s, mint, maxt, keepStale);
            ctx.samplesLoaded += n;
            ctx.addSamples(n);
            try {
                consumer.accept(s.labels(), ownReader.t, ownReader.v, n);
            } finally {
                ctx.releaseSamples(n);
            }
        }
        warn(set, vs);
    }

    private SeriesSet select(VectorSelector vs, long mint, long maxt, String function, long rangeMs) {
        Querier q = ctx.querier(mint, maxt);
        SelectHints hints = new SelectHints(mint, maxt, rangeQuery ? queryStep : 0, function, rangeMs, List.of(), false);
        return q.select(false, hints, vs.matchers());
    }

    private void warn(SeriesSet set, VectorSelector vs) {
        for (String w : set.warnings()) {
            ctx.annotate(Annotation.warning(w, vs.position().start()));
        }
    }

    /** Computes something from one series' samples. One instance per thread, so it may keep scratch state. */
    interface SeriesFunction<R> {
        R apply(Labels labels, long[] ts, double[] vs, int n);
    }

    /** Receives, on the query's thread and in storage order, what a {@link SeriesFunction} computed (may be null). */
    interface ResultConsumer<R> {
        void accept(Labels labels, R result);
    }

    /** Series read from storage before their samples are decoded on all cores: bounds what is held at once. */
    private static final int PARALLEL_BATCH = 1024;

    /**
     * Like {@link #forEachSeries}, but decodes the series and applies {@code functions} to them on all cores
     * ({@link SeriesWorkers}); {@code consumer} then gets the results one by one, in storage order, on this thread,
     * with the same sample accounting, at the same points, as the sequential path: results, limit errors and
     * annotations do not depend on the number of threads. Errors of a series are rethrown in series order too.
     */
    <R> void forEachSeriesComputed(VectorSelector vs, long mint, long maxt, boolean keepStale, String function,
                                   long rangeMs, Supplier<SeriesFunction<R>> functions, ResultConsumer<R> consumer) {
        SeriesSet set = select(vs, mint, maxt, function, rangeMs);
        SeriesFunction<R> own = functions.get();
        List<Series> batch = new ArrayList<>();
        ConcurrentLinkedQueue<SeriesReader> readers = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<SeriesFunction<R>> spare = new ConcurrentLinkedQueue<>();
        boolean more = true;
        while (more) {
            batch.clear();
            while (batch.size() < PARALLEL_BATCH && (more = set.next())) {
                ctx.checkInterrupted();
                batch.add(set.at());
            }
            int m = batch.size();
            if (!SeriesWorkers.worthSplitting(m)) {
                for (Series s : batch) {
                    ctx.checkInterrupted();
                    ctx.seriesFetched++;
                    int n = ownReader.read(s, mint, maxt, keepStale);
                    ctx.samplesLoaded += n;
                    ctx.addSamples(n);
                    try {
                        consumer.accept(s.labels(), own.apply(s.labels(), ownReader.t, ownReader.v, n));
                    } finally {
                        ctx.releaseSamples(n);
                    }
                }
                continue;
            }
            int[] loaded = new int[m];
            Object[] results = new Object[m];
            RuntimeException[] errors = new RuntimeException[m];
            SeriesWorkers.run(m, (from, to) -> {
                SeriesReader r = readers.poll();
                if (r == null) {
                    r = new SeriesReader();
                }
                SeriesFunction<R> f = spare.poll();
                if (f == null) {
                    f = functions.get();
                }
                try {
                    for (int i = from; i < to; i++) {
                        QueryException stop = ctx.interruption();
                        if (stop != null) {
                            errors[i] = stop;
                            return;
                        }
                        Series s = batch.get(i);
                        try {
                            int n = r.read(s, mint, maxt, keepStale);
                            loaded[i] = n;
                            results[i] = f.apply(s.labels(), r.t, r.v, n);
                        } catch (RuntimeException e) {
                            errors[i] = e;
                            return;
                        }
                    }
                } finally {
                    readers.add(r);
                    spare.add(f);
                }
            });
            for (int i = 0; i < m; i++) {
                ctx.checkInterrupted();
                if (errors[i] != null) {
                    throw errors[i];
                }
                ctx.seriesFetched++;
                int n = loaded[i];
                ctx.samplesLoaded += n;
                ctx.addSamples(n);
                try {
                    @SuppressWarnings("unchecked")
                    R r = (R) results[i];
                    consumer.accept(batch.get(i).labels(), r);
                } finally {
                    ctx.releaseSamples(n);
                }
                results[i] = null;
            }
        }
        warn(set, vs);
    }

    /** An instant vector selector: the newest sample in (t - lookback, t] per step, unless it is a stale marker. */
    List<StepSeries> selectVector(VectorSelector vs) {
        long[] reads = readTimes(vs.at(), offsetOf(vs));
        long lookback = ctx.options.lookbackDeltaMs();
        long minRead = Long.MAX_VALUE;
        long maxRead = Long.MIN_VALUE;
        for (long r : reads) {
            minRead = Math.min(minRead, r);
            maxRead = Math.max(maxRead, r);
        }
        List<StepSeries> out = new ArrayList<>();
        boolean smoothed = vs.smoothed();
        forEachSeries(vs, minRead - lookback + 1, smoothed ? maxRead + lookback : maxRead, !smoothed, "", 0, (labels, ts, vals, n) -> {
            StepSeries ss = null;
            int p = -1;
            for (int i = 0; i < steps; i++) {
                long t = reads[i];
                if (p >= 0 && ts[p] > t) {
                    p = -1; // times went backwards (cannot happen with increasing steps); restart the scan
                }
                while (p + 1 < n && ts[p + 1] <= t) {
                    p++;
                }
                if (p >= 0 && ts[p] > t - lookback && !StaleMarker.is(vals[p])) {
                    if (ss == null) {
                        ss = new StepSeries(labels, steps);
                        ss.ts = new long[steps];
                    }
                    double v = vals[p];
                    if (smoothed && ts[p] < t && p + 1 < n && ts[p + 1] - t < lookback) {
                        // smoothed: linear interpolation between the samples around t
                        v = vals[p] + (vals[p + 1] - vals[p]) * (t - ts[p]) / (double) (ts[p + 1] - ts[p]);
                    }
                    ss.set(i, v);
                    ss.ts[i] = ts[p];
                }
            }
            if (ss != null) {
                ctx.addSamples(ss.points());
                out.add(ss);
            }
        });
        return out;
    }

    // ---- range vectors ---------------------------------------------------------------------------------------

    /**
     * Receives one series of a range-vector argument: all its points needed by the windows of all steps, and the
     * window per step, {@code (windowEnd[i] - range, windowEnd[i]]}.
     */
    interface RangeConsumer {
        void accept(Labels labels, long[] ts, double[] vs, int n);
    }

    /** What a range-vector argument looks like to a function. */
    record RangeShape(long rangeMs, long[] windowEnds, VectorSelector selector) {
    }

    static Expr unwrapParens(Expr e) {
        while (e instanceof ParenExpr p) {
            e = p.expr();
        }
        return e;
    }

    RangeShape rangeShape(Expr arg) {
        arg = unwrapParens(arg);
        if (arg instanceof MatrixSelector ms) {
            VectorSelector vs = ms.selector();
            return new RangeShape(rangeOf(ms), readTimes(vs.at(), offsetOf(vs)), vs);
        }
        if (arg instanceof SubqueryExpr sq) {
            long offset = resolveDuration(sq.offsetMillis(), sq.offsetExpr());
            return new RangeShape(resolveDuration(sq.rangeMillis(), sq.rangeExpr()), readTimes(sq.at(), offset), null);
        }
        throw new QueryException(QueryException.Kind.BAD_DATA, "expected a range vector argument, got " + arg);
    }

    /** Streams the series of a range-vector argument (matrix selector or subquery); stale markers are dropped. */
    void forEachRangeSeries(Expr arg, RangeShape shape, String function, RangeConsumer consumer) {
        arg = unwrapParens(arg);
        long minEnd = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (long t : shape.windowEnds()) {
            minEnd = Math.min(minEnd, t);
            maxEnd = Math.max(maxEnd, t);
        }
        if (arg instanceof MatrixSelector ms) {
            long[] span = windowSpan(ms, shape);
            forEachSeries(ms.selector(), span[0], span[1], false, function, shape.rangeMs(), consumer::accept);
            return;
        }
        SubqueryExpr sq = (SubqueryExpr) arg;
        long subStep = resolveDuration(sq.stepMillis(), sq.stepExpr());
        if (subStep <= 0) {
            subStep = ctx.options.defaultSubqueryStepMs();
        }
        long from = minEnd - shape.rangeMs();
        long innerStart = subStep * (from / subStep);
        if (innerStart <= from) {
            innerStart += subStep;
        }
        if (innerStart > maxEnd) {
            return;
        }
        Evaluator inner = new Evaluator(ctx, innerStart, maxEnd, subStep, queryStart, queryEnd, queryStep, rangeQuery);
        Val v = inner.eval(sq.expr());
        List<StepSeries> series;
        if (v instanceof Val.ScalarVal s) {
            StepSeries one = new StepSeries(Labels.EMPTY, s.v(), filled(inner.steps), false);
            series = List.of(one);
        } else if (v instanceof Val.VectorVal vec) {
            series = finish(vec.series());
        } else {
            throw new QueryException(QueryException.Kind.BAD_DATA, "subquery is only allowed on instant vector or scalar expressions");
        }
        long[] ts = new long[inner.steps];
        double[] vs = new double[inner.steps];
        for (StepSeries s : series) {
            int n = 0;
            for (int i = 0; i < inner.steps; i++) {
                if (s.has[i]) {
                    ts[n] = inner.time(i);
                    vs[n] = s.v[i];
                    n++;
                }
            }
            consumer.accept(s.labels, ts, vs, n);
        }
    }

    /**
     * Applies a function to every series of a range-vector argument, then passes its results in series order to
     * {@code consumer}. Matrix selectors are decoded and computed on all cores; subqueries (already evaluated
     * series) and {@code parallel == false} use one thread.
     */
    <R> void forEachRangeSeries(Expr arg, RangeShape shape, String function, boolean parallel,
                                Supplier<SeriesFunction<R>> functions, ResultConsumer<R> consumer) {
        Expr plain = unwrapParens(arg);
        if (parallel && plain instanceof MatrixSelector ms) {
            long[] span = windowSpan(ms, shape);
            forEachSeriesComputed(ms.selector(), span[0], span[1], false, function, shape.rangeMs(), functions, consumer);
            return;
        }
        SeriesFunction<R> f = functions.get();
        forEachRangeSeries(arg, shape, function, (labels, ts, vs, n) -> consumer.accept(labels, f.apply(labels, ts, vs, n)));
    }

    /** The samples a matrix selector reads for all windows: {@code [mint, maxt]}. */
    private long[] windowSpan(MatrixSelector ms, RangeShape shape) {
        long minEnd = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (long t : shape.windowEnds()) {
            minEnd = Math.min(minEnd, t);
            maxEnd = Math.max(maxEnd, t);
        }
        // anchored/smoothed also need the samples just around the window, up to one lookback away
        VectorSelector sel = ms.selector();
        long around = sel.anchored() || sel.smoothed() ? ctx.options.lookbackDeltaMs() : 0;
        long after = sel.smoothed() ? around : 0;
        return new long[] {minEnd - shape.rangeMs() + 1 - around, maxEnd + after};
    }

    /** Gives back the accounting of input series a node has consumed (the node accounts its own output). */
    void release(List<StepSeries> consumed) {
        long n = 0;
        for (StepSeries s : consumed) {
            n += s.points();
        }
        ctx.releaseSamples(n);
    }

    static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    /** Applies delayed name removal to inner results (a subquery's series are final results of their own). */
    List<StepSeries> finish(List<StepSeries> series) {
        if (!delayedNameRemoval()) {
            return series;
        }
        boolean any = false;
        for (StepSeries s : series) {
            if (s.dropName) {
                s.labels = withoutName(s.labels);
                s.dropName = false;
                any = true;
            }
        }
        return any ? SeriesMerger.merge(series) : series;
    }

    /** A matrix selector or subquery as the result of an instant query. */
    private Val matrixValue(Expr e) {
        if (steps != 1) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
        }
        RangeShape shape = rangeShape(e);
        long wEnd = shape.windowEnds()[0];
        long wStart = wEnd - shape.rangeMs();
        List<SeriesPoints> out = new ArrayList<>();
        forEachRangeSeries(e, shape, "", (labels, ts, vs, n) -> {
            int lo = 0;
            while (lo < n && ts[lo] <= wStart) {
                lo++;
            }
            int hi = lo;
            while (hi < n && ts[hi] <= wEnd) {
                hi++;
            }
            if (hi > lo) {
                ctx.addSamples(hi - lo);
                out.add(new SeriesPoints(labels, Arrays.copyOfRange(ts, lo, hi), Arrays.copyOfRange(vs, lo, hi)));
            }
        });
        return new Val.MatrixVal(out);
    }
}
