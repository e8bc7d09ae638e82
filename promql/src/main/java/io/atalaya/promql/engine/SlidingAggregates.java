package io.atalaya.promql.engine;

import java.util.Arrays;

/**
 * {@code sum_over_time}, {@code avg_over_time}, {@code min_over_time} and {@code max_over_time} over the windows of
 * consecutive steps of one series, updated by the samples that enter and leave the window instead of re-reading
 * it: a range query with a window much longer than its step (e.g. {@code avg_over_time(x[1h])} at 15 s) would
 * otherwise read every sample once per step.
 *
 * <p>Sums are Kahan-Neumaier compensated like Prometheus' (adding {@code -v} when a sample leaves), so a result can
 * differ from the from-scratch sum in the last bit; windows of fewer than {@link #MIN_SLIDING_SUM} samples are
 * therefore still summed from scratch. So that rounding cannot drift over a long query, the sum is rebuilt from
 * scratch as soon as every sample it was last built from has left the window (amortised cost: one more read per
 * sample). Windows holding a NaN, an infinity or a value
 * so large that a sum could overflow fall back to {@link RangeFunctions#compute}, so those keep exactly their
 * current results. Minimum and maximum keep a monotonic deque of sample indices, which is exact.
 *
 * <p>Windows must come in the order of the steps; one that moves backwards or does not overlap the previous one
 * is rebuilt. Call {@link #reset} before each series. Reused for all series of one query node; not thread-safe.
 */
final class SlidingAggregates {
    /** Samples beyond this magnitude could overflow a sum of up to 2^30 of them; they disable the running sum. */
    private static final double SAFE_MAGNITUDE = 0x1p990;
    /**
     * Shorter windows are summed from scratch: they cost little to re-read, and then give bit for bit Prometheus'
     * result (a running sum can differ from it in the last bit, which {@code count_values} would show).
     */
    static final int MIN_SLIDING_SUM = 32;

    private final RangeFunctions.Kind kind;
    private final boolean sums;
    private final boolean minimum;
    private double[] vs;
    private int lo;
    private int hi;
    private boolean valid;

    // running sum of the safe samples in [lo, hi)
    private double sum;
    private double compensation;
    private int unsafe;
    /** The sum was last rebuilt from the samples before this index; once {@code lo} passes it, rebuild again. */
    private int rebuiltUpTo;

    // min/max: indices of [lo, hi) whose value no later sample beats, values monotonic from head to tail
    private int[] deque = new int[64];
    private int head;
    private int tail;

    SlidingAggregates(RangeFunctions.Kind kind) {
        if (!supports(kind)) {
            throw new IllegalArgumentException("not a sliding aggregate: " + kind);
        }
        this.kind = kind;
        this.sums = kind == RangeFunctions.Kind.SUM || kind == RangeFunctions.Kind.AVG;
        this.minimum = kind == RangeFunctions.Kind.MIN;
    }

    static boolean supports(RangeFunctions.Kind kind) {
        return kind == RangeFunctions.Kind.SUM || kind == RangeFunctions.Kind.AVG
                || kind == RangeFunctions.Kind.MIN || kind == RangeFunctions.Kind.MAX;
    }

    /** Forgets the previous window; the next one is read from scratch. */
    void reset() {
        valid = false;
    }

    /** The function over {@code w.vs[w.lo, w.hi)} (non-empty), as {@link RangeFunctions#compute} returns it. */
    double compute(RangeFunctions.Window w) {
        int newLo = w.lo;
        int newHi = w.hi;
        w.emit = true;
        if (sums && newHi - newLo < MIN_SLIDING_SUM) {
            valid = false;
            return RangeFunctions.compute(kind, w);
        }
        if (!valid || w.vs != vs || newLo < lo || newHi < hi || newLo >= hi || (sums && newLo >= rebuiltUpTo)) {
            rebuild(w.vs, newLo, newHi);
        } else if (sums) {
            for (int i = hi; i < newHi; i++) {
                add(vs[i]);
            }
            for (int i = lo; i < newLo; i++) {
                remove(vs[i]);
            }
        } else {
            for (int i = hi; i < newHi; i++) {
                push(i);
            }
            while (head < tail && deque[head] < newLo) {
                head++;
            }
        }
        lo = newLo;
        hi = newHi;
        if (!sums) {
            return head < tail ? vs[deque[head]] : Double.NaN; // empty deque: every sample is NaN
        }
        if (unsafe > 0) {
            return RangeFunctions.compute(kind, w);
        }
        if (kind == RangeFunctions.Kind.SUM) {
            return sum + compensation;
        }
        int count = hi - lo;
        return sum / count + compensation / count;
    }

    private void rebuild(double[] values, int from, int to) {
        vs = values;
        valid = true;
        if (sums) {
            sum = 0;
            compensation = 0;
            unsafe = 0;
            for (int i = from; i < to; i++) {
                add(values[i]);
            }
            rebuiltUpTo = to;
        } else {
            head = 0;
            tail = 0;
            for (int i = from; i < to; i++) {
                push(i);
            }
        }
    }

    private void add(double v) {
        if (!(Math.abs(v) <= SAFE_MAGNITUDE)) {
            unsafe++;
            return;
        }
        kahanAdd(v);
    }

    private void remove(double v) {
        if (!(Math.abs(v) <= SAFE_MAGNITUDE)) {
            unsafe--;
            return;
        }
        kahanAdd(-v);
    }

    private void kahanAdd(double v) {
        double t = sum + v;
        if (Math.abs(sum) >= Math.abs(v)) {
            compensation += (sum - t) + v;
        } else {
            compensation += (v - t) + sum;
        }
        sum = t;
    }

    /**
     * Appends sample {@code i}, dropping the samples it beats from the tail. Ties stay, so among equal values
     * (such as 0 and -0) the earliest wins as in the from-scratch scan; NaN samples never win and are skipped.
     */
    private void push(int i) {
        double v = vs[i];
        if (Double.isNaN(v)) {
            return;
        }
        if (minimum) {
            while (tail > head && vs[deque[tail - 1]] > v) {
                tail--;
            }
        } else {
            while (tail > head && vs[deque[tail - 1]] < v) {
                tail--;
            }
        }
        if (tail == deque.length) {
            if (head > 0) {
                System.arraycopy(deque, head, deque, 0, tail - head);
                tail -= head;
                head = 0;
            } else {
                deque = Arrays.copyOf(deque, deque.length * 2);
            }
        }
        deque[tail++] = i;
    }
}
