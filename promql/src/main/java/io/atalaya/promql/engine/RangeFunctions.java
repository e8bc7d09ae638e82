package io.atalaya.promql.engine;

import java.util.Arrays;

/**
 * The functions over a range-vector window, evaluated on the samples {@code [lo, hi)} of one series' arrays, all
 * inside the left-open window {@code (rangeStart, rangeEnd]}. Each returns NaN with {@link Window#emit} false when
 * Prometheus returns no sample (e.g. rate over fewer than two samples). Allocation-free except for the sorts of
 * quantile and mad; one {@link Window} is reused for all steps of a query node.
 */
final class RangeFunctions {
    private RangeFunctions() {
    }

    enum Kind {
        RATE, INCREASE, DELTA, IRATE, IDELTA, DERIV, PREDICT_LINEAR, RESETS, CHANGES, AVG, MIN, MAX, SUM, COUNT,
        STDDEV, STDVAR, LAST, FIRST, PRESENT, QUANTILE, MAD, DOUBLE_EXP_SMOOTHING, TS_OF_MIN, TS_OF_MAX, TS_OF_LAST,
        TS_OF_FIRST, ABSENT
    }

    static Kind kindOf(String name) {
        return switch (name) {
            case "rate" -> Kind.RATE;
            case "increase" -> Kind.INCREASE;
            case "delta" -> Kind.DELTA;
            case "irate" -> Kind.IRATE;
            case "idelta" -> Kind.IDELTA;
            case "deriv" -> Kind.DERIV;
            case "predict_linear" -> Kind.PREDICT_LINEAR;
            case "resets" -> Kind.RESETS;
            case "changes" -> Kind.CHANGES;
            case "avg_over_time" -> Kind.AVG;
            case "min_over_time" -> Kind.MIN;
            case "max_over_time" -> Kind.MAX;
            case "sum_over_time" -> Kind.SUM;
            case "count_over_time" -> Kind.COUNT;
            case "stddev_over_time" -> Kind.STDDEV;
            case "stdvar_over_time" -> Kind.STDVAR;
            case "last_over_time" -> Kind.LAST;
            case "first_over_time" -> Kind.FIRST;
            case "present_over_time" -> Kind.PRESENT;
            case "quantile_over_time" -> Kind.QUANTILE;
            case "mad_over_time" -> Kind.MAD;
            case "double_exponential_smoothing" -> Kind.DOUBLE_EXP_SMOOTHING;
            case "ts_of_min_over_time" -> Kind.TS_OF_MIN;
            case "ts_of_max_over_time" -> Kind.TS_OF_MAX;
            case "ts_of_last_over_time" -> Kind.TS_OF_LAST;
            case "ts_of_first_over_time" -> Kind.TS_OF_FIRST;
            case "absent_over_time" -> Kind.ABSENT;
            default -> null;
        };
    }

    /** Whether the function keeps {@code __name__} (Prometheus 3: last/first_over_time do). */
    static boolean keepsName(Kind k) {
        return k == Kind.LAST || k == Kind.FIRST;
    }

    /** Reused per-node state of one window computation. */
    static final class Window {
        long[] ts;
        double[] vs;
        int lo;
        int hi;
        long rangeStart;
        long rangeEnd;
        long rangeMs;
        /** {@code rangeMs / 1000.0}, divided once per query node rather than per window. */
        double rangeSeconds;
        long evalTime;
        double p0;
        double p1;
        boolean emit;
        final double[] c = new double[1];
        double[] scratch = new double[16];
        /**
         * When not null, {@code resets[i]} counts the counter resets among samples {@code 1..i} of {@code vs}
         * (see {@link #countResets}), so rate, increase and resets need not re-scan a window for them.
         */
        int[] resets;
    }

    /**
     * Fills {@code w.resets} for the {@code n} samples of {@code w.vs}: a prefix count of the samples lower than
     * their predecessor. Computed once per series; a window {@code [lo, hi)} then holds
     * {@code resets[hi - 1] - resets[lo]} resets.
     */
    static void countResets(Window w, int n) {
        int[] r = w.resets;
        if (r == null || r.length < n) {
            r = new int[Math.max(n, r == null ? 256 : r.length * 2)];
            w.resets = r;
        }
        double[] vs = w.vs;
        int count = 0;
        if (n > 0) {
            r[0] = 0;
        }
        for (int i = 1; i < n; i++) {
            if (vs[i] < vs[i - 1]) {
                count++;
            }
            r[i] = count;
        }
    }

    static double compute(Kind k, Window w) {
        w.emit = true;
        int n = w.hi - w.lo;
        if (n == 0) {
            w.emit = false;
            return Double.NaN;
        }
        long[] ts = w.ts;
        double[] vs = w.vs;
        int lo = w.lo;
        int hi = w.hi;
        switch (k) {
            case RATE:
                return extrapolatedRate(w, true, true);
            case INCREASE:
                return extrapolatedRate(w, true, false);
            case DELTA:
                return extrapolatedRate(w, false, false);
            case IRATE:
            case IDELTA: {
                if (n < 2) {
                    w.emit = false;
                    return Double.NaN;
                }
                double last = vs[hi - 1];
                double prev = vs[hi - 2];
                double result;
                if (k == Kind.IRATE && last < prev) {
                    result = last;
                } else {
                    result = last - prev;
                }
                if (k == Kind.IRATE) {
                    long dt = ts[hi - 1] - ts[hi - 2];
                    if (dt == 0) {
                        w.emit = false;
                        return Double.NaN;
                    }
                    result /= dt / 1000.0;
                }
                return result;
            }
            case DERIV: {
                if (n < 2) {
                    w.emit = false;
                    return Double.NaN;
                }
                return linearRegression(w, ts[lo], true);
            }
            case PREDICT_LINEAR: {
                if (n < 2) {
                    w.emit = false;
                    return Double.NaN;
                }
                double slope = linearRegression(w, w.evalTime, true);
                double intercept = w.p1;
                return intercept + slope * w.p0;
            }
            case RESETS: {
                if (w.resets != null) {
                    return w.resets[hi - 1] - w.resets[lo];
                }
                int r = 0;
                for (int i = lo + 1; i < hi; i++) {
                    if (vs[i] < vs[i - 1]) {
                        r++;
                    }
                }
                return r;
            }
            case CHANGES: {
                int ch = 0;
                for (int i = lo + 1; i < hi; i++) {
                    double cur = vs[i];
                    double prev = vs[i - 1];
                    if (!(cur == prev || (Double.isNaN(cur) && Double.isNaN(prev)))) {
                        ch++;
                    }
                }
                return ch;
            }
            case AVG:
                return avg(vs, lo, hi, w.c);
            case MIN: {
                double m = vs[lo];
                for (int i = lo + 1; i < hi; i++) {
                    if (vs[i] < m || Double.isNaN(m)) {
                        m = vs[i];
                    }
                }
                return m;
            }
            case MAX: {
                double m = vs[lo];
                for (int i = lo + 1; i < hi; i++) {
                    if (vs[i] > m || Double.isNaN(m)) {
                        m = vs[i];
                    }
                }
                return m;
            }
            case SUM: {
                w.c[0] = 0;
                double s = 0;
                for (int i = lo; i < hi; i++) {
                    s = GoMath.kahanInc(vs[i], s, w.c);
                }
                return Double.isInfinite(s) ? s : s + w.c[0];
            }
            case COUNT:
            case PRESENT:
                return k == Kind.COUNT ? n : 1;
            case ABSENT:
                return 1;
            case STDDEV:
            case STDVAR: {
                double count = 0;
                double mean = 0;
                double[] cMean = {0};
                double aux = 0;
                double[] cAux = {0};
                for (int i = lo; i < hi; i++) {
                    count++;
                    double delta = vs[i] - (mean + cMean[0]);
                    mean = GoMath.kahanInc(delta / count, mean, cMean);
                    aux = GoMath.kahanInc(delta * (vs[i] - (mean + cMean[0])), aux, cAux);
                }
                double var = (aux + cAux[0]) / count;
                return k == Kind.STDDEV ? Math.sqrt(var) : var;
            }
            case LAST:
                return vs[hi - 1];
            case FIRST:
                return vs[lo];
            case TS_OF_LAST:
                return ts[hi - 1] / 1000.0;
            case TS_OF_FIRST:
                return ts[lo] / 1000.0;
            case TS_OF_MIN:
            case TS_OF_MAX: {
                int best = lo;
                for (int i = lo + 1; i < hi; i++) {
                    double m = vs[best];
                    boolean better = k == Kind.TS_OF_MAX ? (vs[i] >= m || Double.isNaN(m)) : (vs[i] <= m || Double.isNaN(m));
                    if (better && !Double.isNaN(vs[i])) {
                        best = i;
                    }
                }
                return ts[best] / 1000.0;
            }
            case QUANTILE: {
                double[] a = copy(w, vs, lo, hi);
                return quantile(w.p0, a, n);
            }
            case MAD: {
                for (int i = lo; i < hi; i++) {
                    if (Double.isNaN(vs[i])) {
                        return Double.NaN; // a NaN sample makes the deviation undefined, not dropped
                    }
                }
                double[] a = copy(w, vs, lo, hi);
                double median = quantile(0.5, a, n);
                for (int i = 0; i < n; i++) {
                    a[i] = Math.abs(a[i] - median);
                }
                return quantile(0.5, a, n);
            }
            case DOUBLE_EXP_SMOOTHING: {
                if (n < 2) {
                    w.emit = false;
                    return Double.NaN;
                }
                double sf = w.p0;
                double tf = w.p1;
                double s0 = 0;
                double s1 = vs[lo];
                double b = vs[lo + 1] - vs[lo];
                for (int i = 1; i < n; i++) {
                    double x = sf * vs[lo + i];
                    if (i - 1 != 0) {
                        b = tf * (s1 - s0) + (1 - tf) * b;
                    }
                    double y = (1 - sf) * (s1 + b);
                    s0 = s1;
                    s1 = x + y;
                }
                return s1;
            }
            default:
                throw new IllegalStateException("unhandled range function " + k);
        }
    }

    private static double[] copy(Window w, double[] vs, int lo, int hi) {
        int n = hi - lo;
        if (w.scratch.length < n) {
            w.scratch = new double[Math.max(n, w.scratch.length * 2)];
        }
        System.arraycopy(vs, lo, w.scratch, 0, n);
        return w.scratch;
    }

    /** Prometheus' quantile over the first {@code n} values (sorted in place; NaN sorts first). */
    static double quantile(double q, double[] a, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(a, n);
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return a[(int) lower] * (1 - weight) + a[(int) upper] * weight;
    }

    static void sortNaNFirst(double[] a, int n) {
        Arrays.sort(a, 0, n); // Java puts NaN last
        int nan = 0;
        while (nan < n && Double.isNaN(a[n - 1 - nan])) {
            nan++;
        }
        if (nan > 0) {
            System.arraycopy(a, 0, a, nan, n - nan);
            Arrays.fill(a, 0, nan, Double.NaN);
        }
    }

    /** Mean with Kahan summation, switching to an incremental mean if the sum would overflow (Prometheus 3). */
    static double avg(double[] vs, int lo, int hi, double[] unused) {
        double sum = vs[lo];
        double c = 0;
        double count = 1;
        double mean = 0;
        boolean incremental = false;
        for (int i = lo + 1; i < hi; i++) {
            double f = vs[i];
            count = i - lo + 1;
            if (!incremental) {
                double t = sum + f;
                if (!Double.isInfinite(t)) {
                    c += Math.abs(sum) >= Math.abs(f) ? (sum - t) + f : (f - t) + sum;
                    sum = t;
                    continue;
                }
                incremental = true;
                mean = sum / (count - 1);
                c /= (count - 1);
            }
            double q = (count - 1) / count;
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
        if (incremental) {
            return mean + c;
        }
        return sum / count + c / count;
    }

    /**
     * Least-squares slope over the window with x measured in seconds from {@code interceptTime}; stores the
     * intercept in {@code w.p1} when {@code storeIntercept}.
     */
    static double linearRegression(Window w, long interceptTime, boolean storeIntercept) {
        double n = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXY = 0;
        double sumX2 = 0;
        double[] cX = {0};
        double[] cY = {0};
        double[] cXY = {0};
        double[] cX2 = {0};
        double initY = w.vs[w.lo];
        boolean constY = true;
        for (int i = w.lo; i < w.hi; i++) {
            double y = w.vs[i];
            if (constY && i > w.lo && y != initY) {
                constY = false;
            }
            n += 1;
            double x = (w.ts[i] - interceptTime) / 1e3;
            sumX = GoMath.kahanInc(x, sumX, cX);
            sumY = GoMath.kahanInc(y, sumY, cY);
            sumXY = GoMath.kahanInc(x * y, sumXY, cXY);
            sumX2 = GoMath.kahanInc(x * x, sumX2, cX2);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                w.p1 = Double.NaN;
                return Double.NaN;
            }
            w.p1 = initY;
            return 0;
        }
        sumX += cX[0];
        sumY += cY[0];
        sumXY += cXY[0];
        sumX2 += cX2[0];
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        w.p1 = sumY / n - slope * sumX / n;
        return slope;
    }

    /** rate/increase/delta with Prometheus' extrapolation towards the window edges. */
    static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
        int n = w.hi - w.lo;
        if (n < 2) {
            w.emit = false;
            return Double.NaN;
        }
        long[] ts = w.ts;
        double[] vs = w.vs;
        int lo = w.lo;
        int last = w.hi - 1;
        double result = vs[last] - vs[lo];
        if (isCounter && (w.resets == null || w.resets[last] != w.resets[lo])) {
            // only windows with a reset need the scan (same additions in the same order as always)
            for (int i = lo + 1; i <= last; i++) {
                if (vs[i] < vs[i - 1]) {
                    result += vs[i - 1];
                }
            }
        }
        double durationToStart = (ts[lo] - w.rangeStart) / 1000.0;
        double durationToEnd = (w.rangeEnd - ts[last]) / 1000.0;
        double sampledInterval = (ts[last] - ts[lo]) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        if (durationToStart >= extrapolationThreshold) {
            durationToStart = averageDurationBetweenSamples / 2;
        }
        if (isCounter && result > 0 && vs[lo] >= 0) {
            double durationToZero = sampledInterval * (vs[lo] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= extrapolationThreshold) {
            durationToEnd = averageDurationBetweenSamples / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) {
            factor /= w.rangeSeconds;
        }
        return result * factor;
    }
}
