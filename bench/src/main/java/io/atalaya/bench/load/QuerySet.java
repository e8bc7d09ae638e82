package io.atalaya.bench.load;

import io.atalaya.bench.workload.NodeExporterWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark queries, and which of them a given data set can answer honestly. A query is run only when the span it
 * evaluates lies within the ingested data: its range for a range query, its window for an instant query (e.g. 24 h
 * ranges need {@code --hours 24}); queries on the request histogram only when the workload has it. Lookback windows
 * ({@code [5m]}, {@code [1h]}) of the first points of a range may reach before the first scrape; they then see fewer
 * samples, the same for every server. Skipped queries are reported with the reason, never timed.
 */
final class QuerySet {
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;
    private static final String BUCKETS = NodeExporterWorkload.REQUEST_HISTOGRAM + "_bucket";

    private QuerySet() {
    }

    /**
     * One benchmark query: instant when {@code rangeSeconds} is 0.
     *
     * @param windowSeconds   the longest lookback window in the expression (or the default 5 min lookback)
     * @param needsHistogram  whether it reads the request histogram
     */
    record Query(String name, String promql, long rangeSeconds, long stepSeconds, long windowSeconds,
                 boolean needsHistogram) {
        /** Seconds of data the query evaluates, which the ingested data must cover. */
        long spanSeconds() {
            return rangeSeconds == 0 ? windowSeconds : rangeSeconds;
        }

        /** "range 24 h, step 300 s, window 5 min" or "instant, window 24 h". */
        String describe() {
            String window = "window " + duration(windowSeconds);
            return rangeSeconds == 0 ? "instant, " + window
                    : "range " + duration(rangeSeconds) + ", step " + stepSeconds + " s, " + window;
        }
    }

    /** A query left out, and why. */
    record Skipped(Query query, String reason) {
    }

    /** What a data set allows: the queries to run, in order, and those skipped. */
    record Selection(List<Query> run, List<Skipped> skipped) {
    }

    /** Every benchmark query; {@code host} is the workload host number of the single-host query. */
    static List<Query> all(int host) {
        String instance = String.format("host-%05d:9100", host);
        String cpuRate = "sum by (instance) (rate(node_cpu_seconds_total[5m]))";
        String p90 = "histogram_quantile(0.9, sum by (le) (rate(" + BUCKETS + "[5m])))";
        String p90ByInstance = "histogram_quantile(0.9, sum by (instance, le) (rate(" + BUCKETS + "[5m])))";
        return List.of(
                new Query("cpu_rate_by_instance_1h_15s", cpuRate, HOUR, 15, 300, false),
                new Query("cpu_rate_by_instance_6h_90s", cpuRate, 6 * HOUR, 90, 300, false),
                new Query("cpu_rate_by_instance_24h_5m", cpuRate, DAY, 300, 300, false),
                new Query("topk5_mem_available_1h_15s", "topk(5, node_memory_MemAvailable_bytes)", HOUR, 15, 300,
                        false),
                new Query("topk5_mem_available_24h_5m", "topk(5, node_memory_MemAvailable_bytes)", DAY, 300, 300,
                        false),
                new Query("avg_over_time_load1_1h_1h_15s", "avg_over_time(node_load1[1h])", HOUR, 15, HOUR, false),
                new Query("avg_over_time_load1_24h_instant", "avg_over_time(node_load1[24h])", 0, 0, DAY, false),
                new Query("single_host_cpu_rate_instant",
                        "rate(node_cpu_seconds_total{instance=\"" + instance + "\"}[5m])", 0, 0, 300, false),
                new Query("request_p90_1h_15s", p90, HOUR, 15, 300, true),
                new Query("request_p90_by_instance_1h_15s", p90ByInstance, HOUR, 15, 300, true),
                new Query("request_p90_24h_5m", p90, DAY, 300, 300, true),
                new Query("request_p90_by_instance_24h_5m", p90ByInstance, DAY, 300, 300, true));
    }

    /** The queries of {@code queries} that data of {@code dataSeconds} seconds (with or without the histogram) covers. */
    static Selection select(List<Query> queries, long dataSeconds, boolean requestHistogram) {
        List<Query> run = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Query q : queries) {
            if (q.needsHistogram() && !requestHistogram) {
                skipped.add(new Skipped(q, "the workload has no request histogram"));
            } else if (q.spanSeconds() > dataSeconds) {
                skipped.add(new Skipped(q, "needs " + duration(q.spanSeconds()) + " of data, the workload has "
                        + duration(dataSeconds)));
            } else {
                run.add(q);
            }
        }
        return new Selection(List.copyOf(run), List.copyOf(skipped));
    }

    /** The single-host query's host: host 42 as before, or the last host of a smaller fleet. */
    static int queryHost(int hosts) {
        return Math.min(42, hosts - 1);
    }

    static String duration(long seconds) {
        if (seconds % HOUR == 0) {
            return seconds / HOUR + " h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        if (seconds > HOUR) {
            return String.format(Locale.ROOT, "%.2f h", seconds / 3600.0);
        }
        return seconds + " s";
    }
}
