package io.atalaya.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The request-duration histogram of one host, as a Prometheus client library keeps it: cumulative bucket counters
 * for {@link NodeExporterWorkload#REQUEST_BUCKETS} and {@code +Inf}, the sum of the observed durations and their
 * count. Each scrape adds a random number of requests (about {@code 5 × size} per 10 s) with log-normal durations
 * (median 40 ms, a slow tail of 1 % twenty times longer), observed in whole milliseconds so that {@code _sum} stays
 * exact. Invariants a real client keeps, and which hold after every scrape: bucket counts are non-decreasing in
 * {@code le}, {@code +Inf} equals {@code _count}, and every series only grows (no reset).
 */
final class RequestHistogram {
    /** Series per host: the buckets with +Inf, then _sum and _count. */
    static final int SERIES = NodeExporterWorkload.REQUEST_BUCKETS.length + 3;
    private static final String HANDLER = "/api/v1/query";
    private static final double LN_MEDIAN = Math.log(0.040);
    private static final double SIGMA = 1.0;

    private final SplittableRandom rnd;
    private final double requestsPerScrape;
    /** Cumulative counts: bucket[k] = observations <= REQUEST_BUCKETS[k]; the last one is +Inf. */
    private final long[] bucket = new long[NodeExporterWorkload.REQUEST_BUCKETS.length + 1];
    /** Upper bounds in ms, observations being whole ms. */
    private final long[] boundMs = new long[NodeExporterWorkload.REQUEST_BUCKETS.length];
    private long sumMs;

    RequestHistogram(SplittableRandom rnd, double size) {
        this.rnd = rnd;
        this.requestsPerScrape = 5 * size;
        for (int k = 0; k < boundMs.length; k++) {
            boundMs[k] = Math.round(NodeExporterWorkload.REQUEST_BUCKETS[k] * 1000);
        }
        // A process that has been up a while: a sample of requests, scaled by a random factor (keeps the invariants).
        for (int i = 0; i < 500; i++) {
            observe(durationMs());
        }
        long factor = 1 + rnd.nextInt(200);
        for (int k = 0; k < bucket.length; k++) {
            bucket[k] *= factor;
        }
        sumMs *= factor;
    }

    /** The label sets (without instance/job) of the family's series, in the order {@link #values} writes them. */
    static List<String[]> labelSets() {
        String name = NodeExporterWorkload.REQUEST_HISTOGRAM;
        List<String[]> out = new ArrayList<>();
        for (double le : NodeExporterWorkload.REQUEST_BUCKETS) {
            out.add(new String[] {"__name__", name + "_bucket", "handler", HANDLER, "le", formatBound(le)});
        }
        out.add(new String[] {"__name__", name + "_bucket", "handler", HANDLER, "le", "+Inf"});
        out.add(new String[] {"__name__", name + "_sum", "handler", HANDLER});
        out.add(new String[] {"__name__", name + "_count", "handler", HANDLER});
        return out;
    }

    /** A bound as Go's client formats it ({@code strconv.FormatFloat(v, 'g', -1, 64)}): 0.005, 1, 2.5, 10. */
    static String formatBound(double le) {
        return le == Math.rint(le) ? Long.toString((long) le) : Double.toString(le);
    }

    /** One scrape interval of requests. */
    void advance() {
        double z = gaussian();
        long n = Math.max(0, Math.round(requestsPerScrape * Math.exp(0.3 * z)));
        for (long i = 0; i < n; i++) {
            observe(durationMs());
        }
    }

    /** Writes the {@link #SERIES} values into {@code dst[off, off + SERIES)}. */
    void values(double[] dst, int off) {
        for (int k = 0; k < bucket.length; k++) {
            dst[off + k] = bucket[k];
        }
        dst[off + bucket.length] = sumMs / 1000.0;
        dst[off + bucket.length + 1] = bucket[bucket.length - 1];
    }

    private long durationMs() {
        double seconds = Math.exp(LN_MEDIAN + SIGMA * gaussian());
        if (rnd.nextInt(100) == 0) {
            seconds *= 20;
        }
        return Math.max(1, Math.round(seconds * 1000));
    }

    private void observe(long ms) {
        int k = 0;
        while (k < boundMs.length && ms > boundMs[k]) {
            k++;
        }
        for (; k < bucket.length; k++) {
            bucket[k]++;
        }
        sumMs += ms;
    }

    /** Irwin-Hall with four uniforms, scaled to unit variance: cheap and deterministic. */
    private double gaussian() {
        return (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 2.0) * Math.sqrt(3);
    }
}
