package io.atalaya.bench.load;

import java.util.ArrayList;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@link CompareCommand}'s runs as Markdown: the workload's size, the queries with what they evaluate (and
 * those skipped, with why), per protocol a table of medians over the rounds with the ratio Atalaya/peer for each other
 * peer, the number of series each peer answered to each query (which must agree, as they hold the same data), then
 * every run's raw figures with the machine's load average when it started. A run that failed counts in no median; a
 * figure nobody measured prints as {@code -}.
 */
final class CompareReport {
    private CompareReport() {
    }

    /**
     * The workload every run ingested.
     *
     * @param wireBytes encoded size of all request bodies, per protocol (for those encoded)
     */
    record Workload(int hosts, double hours, int scrapes, int seriesPerHost, boolean requestHistogram, long startMs,
                    long endMs, Map<Protocol, Long> wireBytes) {
        long series() {
            return (long) hosts * seriesPerHost;
        }

        long samples() {
            return series() * scrapes;
        }
    }

    /**
     * What one run of one peer measured; NaN for a figure not measured (e.g. after a failure).
     *
     * @param driverCpuNanos CPU time of the load driver's process while it sent (-1: not measured)
     * @param pacedNanos     time the driver's connections waited for slower ones ({@link DataTimePacer}), summed
     * @param secondHalfSamplesPerSecond the rate over the second half of the samples
     *                       ({@link LoadDriver.Result#secondHalfSamplesPerSecond()})
     * @param settle         how long the server was left alone between the last write and the first query, and
     *                       whether it went idle by then ("93 s, idle"), or "-" when it was not queried
     */
    record Run(Peer peer, Protocol protocol, int round, double loadAverage, long samples, double samplesPerSecond,
               double secondHalfSamplesPerSecond, long errors, long driverCpuNanos, long pacedNanos, long peakRssBytes,
               long diskBytes, String settle, List<QueryCommand.Timing> queries, String failure) {
        boolean ok() {
            return failure == null;
        }

        double bytesPerSample() {
            return diskBytes < 0 || samples <= 0 ? Double.NaN : (double) diskBytes / samples;
        }

        double queryMs(String name) {
            for (QueryCommand.Timing t : queries) {
                if (t.name().equals(name)) {
                    return t.medianMs();
                }
            }
            return Double.NaN;
        }

        /** The server's CPU time per call of query {@code name}; NaN when not measured. */
        double queryCpuMs(String name) {
            for (QueryCommand.Timing t : queries) {
                if (t.name().equals(name) && t.serverCpuMs() >= 0) {
                    return t.serverCpuMs();
                }
            }
            return Double.NaN;
        }

        /** Series in the answer to query {@code name}, or -1 when it was not run. */
        int querySeries(String name) {
            for (QueryCommand.Timing t : queries) {
                if (t.name().equals(name)) {
                    return t.series();
                }
            }
            return -1;
        }

        double driverCpuSeconds() {
            return driverCpuNanos < 0 ? Double.NaN : driverCpuNanos / 1e9;
        }
    }

    /** A figure of the medians table; {@code ratio}: whether Atalaya/peer means something for it. */
    private record Row(String name, String format, ToDoubleFunction<Run> value, boolean ratio) {
    }

    private static List<Row> rows(List<String> queryNames) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("samples/s", "%.0f", Run::samplesPerSecond, true));
        rows.add(new Row("samples/s, second half of the load", "%.0f", Run::secondHalfSamplesPerSecond, true));
        rows.add(new Row("peak RSS (MB)", "%.1f", r -> r.peakRssBytes() < 0 ? Double.NaN : r.peakRssBytes() / 1e6,
                true));
        rows.add(new Row("disk after stop (MB)", "%.1f", r -> r.diskBytes() < 0 ? Double.NaN : r.diskBytes() / 1e6,
                true));
        rows.add(new Row("disk bytes/sample", "%.3f", Run::bytesPerSample, true));
        rows.add(new Row("driver CPU while sending (s)", "%.1f", Run::driverCpuSeconds, false));
        for (String q : queryNames) {
            rows.add(new Row(q + " (ms)", "%.1f", r -> r.queryMs(q), true));
        }
        // CPU time is steadier than latency on a shared machine, and it is what concurrent queries compete for.
        for (String q : queryNames) {
            rows.add(new Row(q + " server CPU (ms)", "%.1f", r -> r.queryCpuMs(q), true));
        }
        return rows;
    }

    /** The median of the values that are not NaN; NaN when there are none. */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    static String render(Workload workload, List<Peer> peers, List<Protocol> protocols, QuerySet.Selection queries,
                         List<Run> runs) {
        StringBuilder out = new StringBuilder();
        List<String> queryNames = new ArrayList<>();
        for (QuerySet.Query q : queries.run()) {
            queryNames.add(q.name());
        }
        List<Row> rows = rows(queryNames);
        renderWorkload(workload, out);
        renderQueries(queries, out);
        boolean ratios = peers.contains(Peer.ATALAYA) && peers.size() > 1;
        for (Protocol protocol : protocols) {
            List<Peer> present = new ArrayList<>();
            for (Peer p : peers) {
                if (p.accepts(protocol)) {
                    present.add(p);
                }
            }
            out.append("### ").append(protocol.cliName()).append(": medians\n\n| figure |");
            for (Peer p : present) {
                out.append(' ').append(p.cliName()).append(" |");
            }
            if (ratios) {
                for (Peer p : present) {
                    if (p != Peer.ATALAYA) {
                        out.append(" atalaya/").append(p.cliName()).append(" |");
                    }
                }
            }
            out.append("\n|---|");
            out.append("---:|".repeat(present.size() + (ratios ? present.size() - 1 : 0)));
            out.append('\n');
            for (Row row : rows) {
                double[] medians = new double[present.size()];
                out.append("| ").append(row.name()).append(" |");
                for (int i = 0; i < present.size(); i++) {
                    medians[i] = median(values(runs, present.get(i), protocol, row));
                    out.append(' ').append(format(row.format(), medians[i])).append(" |");
                }
                if (ratios) {
                    double atalaya = medians[present.indexOf(Peer.ATALAYA)];
                    for (int i = 0; i < present.size(); i++) {
                        if (present.get(i) != Peer.ATALAYA) {
                            double ratio = row.ratio() ? atalaya / medians[i] : Double.NaN;
                            out.append(' ').append(format("%.2f", ratio)).append(" |");
                        }
                    }
                }
                out.append('\n');
            }
            out.append('\n');
        }
        renderSeries(peers, queryNames, runs, out);
        out.append("### Runs\n\n| protocol | round | peer | load (1 min) | samples/s | second half | errors "
                + "| driver CPU (s) | waited for slower connections (s) | peak RSS (MB) | disk (MB) | bytes/sample "
                + "| settled before queries |");
        for (String q : queryNames) {
            out.append(' ').append(q).append(" (ms) |");
        }
        out.append(" note |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
                .append("---:|".repeat(queryNames.size())).append("---|\n");
        for (Run r : runs) {
            out.append("| ").append(r.protocol().cliName()).append(" | ").append(r.round()).append(" | ")
                    .append(r.peer().cliName()).append(" | ").append(format("%.2f", r.loadAverage())).append(" | ")
                    .append(format("%.0f", r.samplesPerSecond())).append(" | ")
                    .append(format("%.0f", r.secondHalfSamplesPerSecond())).append(" | ")
                    .append(r.errors()).append(" | ")
                    .append(format("%.1f", r.driverCpuSeconds())).append(" | ")
                    .append(format("%.1f", r.pacedNanos() < 0 ? Double.NaN : r.pacedNanos() / 1e9)).append(" | ")
                    .append(format("%.1f", r.peakRssBytes() < 0 ? Double.NaN : r.peakRssBytes() / 1e6)).append(" | ")
                    .append(format("%.1f", r.diskBytes() < 0 ? Double.NaN : r.diskBytes() / 1e6)).append(" | ")
                    .append(format("%.3f", r.bytesPerSample())).append(" | ").append(r.settle()).append(" |");
            for (String q : queryNames) {
                out.append(' ').append(format("%.1f", r.queryMs(q))).append(" |");
            }
            out.append(' ').append(r.ok() ? "" : r.failure().replace('|', '/').replace('\n', ' ')).append(" |\n");
        }
        return out.toString();
    }

    private static void renderWorkload(Workload w, StringBuilder out) {
        out.append("### Workload\n\n| hosts | hours | scrapes per host (10 s) | series per host | series "
                + "| samples (each protocol) | request histogram | first scrape | queries end |\n"
                + "|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        out.append("| ").append(w.hosts()).append(" | ").append(format("%.2f", w.hours()).replaceAll("\\.?0+$", ""))
                .append(" | ").append(w.scrapes()).append(" | ").append(w.seriesPerHost()).append(" | ")
                .append(w.series()).append(" | ").append(w.samples()).append(" | ")
                .append(w.requestHistogram() ? "yes" : "no").append(" | ")
                .append(Instant.ofEpochMilli(w.startMs())).append(" | ").append(Instant.ofEpochMilli(w.endMs()))
                .append(" |\n\n");
        if (!w.wireBytes().isEmpty()) {
            List<String> sizes = new ArrayList<>();
            for (Map.Entry<Protocol, Long> e : w.wireBytes().entrySet()) {
                sizes.add(e.getKey().cliName() + " " + format("%.1f", e.getValue() / 1e6) + " MB ("
                        + format("%.1f", (double) e.getValue() / w.samples()) + " B/sample)");
            }
            out.append("Encoded request bodies: ").append(String.join(", ", sizes)).append(".\n\n");
        }
    }

    private static void renderQueries(QuerySet.Selection queries, StringBuilder out) {
        out.append("### Queries\n\nRun when the span they evaluate (range, or an instant query's window) lies "
                + "within the data; lookback windows of a range's first points may reach before the first scrape.\n\n"
                + "| query | PromQL | evaluates | |\n|---|---|---|---|\n");
        for (QuerySet.Query q : queries.run()) {
            out.append("| ").append(q.name()).append(" | `").append(q.promql()).append("` | ").append(q.describe())
                    .append(" | run |\n");
        }
        for (QuerySet.Skipped s : queries.skipped()) {
            out.append("| ").append(s.query().name()).append(" | `").append(s.query().promql()).append("` | ")
                    .append(s.query().describe()).append(" | skipped: ").append(s.reason()).append(" |\n");
        }
        out.append('\n');
    }

    /**
     * Series per answer, per peer over all its successful runs (several values when they differ between runs), and
     * whether every peer answered the same.
     */
    private static void renderSeries(List<Peer> peers, List<String> queryNames, List<Run> runs, StringBuilder out) {
        if (queryNames.isEmpty()) {
            return;
        }
        out.append("### Answers: series per query\n\n| query |");
        for (Peer p : peers) {
            out.append(' ').append(p.cliName()).append(" |");
        }
        out.append(" same |\n|---|").append("---:|".repeat(peers.size())).append("---|\n");
        for (String q : queryNames) {
            out.append("| ").append(q).append(" |");
            Set<Integer> all = new TreeSet<>();
            boolean everyPeer = true;
            for (Peer p : peers) {
                Set<Integer> counts = seriesCounts(runs, p, q);
                all.addAll(counts);
                everyPeer &= !counts.isEmpty();
                List<String> shown = new ArrayList<>();
                for (int c : counts) {
                    shown.add(Integer.toString(c));
                }
                out.append(' ').append(shown.isEmpty() ? "-" : String.join(" / ", shown)).append(" |");
            }
            out.append(' ').append(all.size() == 1 ? (everyPeer ? "yes" : "yes (not every peer answered)")
                    : all.isEmpty() ? "-" : "**NO**").append(" |\n");
        }
        out.append('\n');
    }

    private static Set<Integer> seriesCounts(List<Run> runs, Peer peer, String query) {
        Set<Integer> counts = new TreeSet<>();
        for (Run r : runs) {
            if (r.peer() == peer && r.ok() && r.querySeries(query) >= 0) {
                counts.add(r.querySeries(query));
            }
        }
        return counts;
    }

    private static double[] values(List<Run> runs, Peer peer, Protocol protocol, Row row) {
        List<Double> v = new ArrayList<>();
        for (Run r : runs) {
            if (r.peer() == peer && r.protocol() == protocol && r.ok()) {
                v.add(row.value().applyAsDouble(r));
            }
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static String format(String format, double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
