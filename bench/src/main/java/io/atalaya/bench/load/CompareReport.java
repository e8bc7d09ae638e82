package io.atalaya.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@link CompareCommand}'s runs as Markdown: per protocol, a table of medians over the rounds with the ratio
 * Atalaya/peer for each other peer, then every run's raw figures with the machine's load average when it started.
 * A run that failed counts in no median; a figure nobody measured prints as {@code -}.
 */
final class CompareReport {
    private CompareReport() {
    }

    /** What one run of one peer measured; NaN for a figure not measured (e.g. after a failure). */
    record Run(Peer peer, Protocol protocol, int round, double loadAverage, long samples, double samplesPerSecond,
               long errors, long peakRssBytes, long diskBytes, List<QueryCommand.Timing> queries, String failure) {
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
    }

    private record Row(String name, String format, ToDoubleFunction<Run> value) {
    }

    private static List<Row> rows(List<String> queryNames) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("samples/s", "%.0f", Run::samplesPerSecond));
        rows.add(new Row("peak RSS (MB)", "%.1f", r -> r.peakRssBytes() < 0 ? Double.NaN : r.peakRssBytes() / 1e6));
        rows.add(new Row("disk after stop (MB)", "%.1f", r -> r.diskBytes() < 0 ? Double.NaN : r.diskBytes() / 1e6));
        rows.add(new Row("disk bytes/sample", "%.3f", Run::bytesPerSample));
        for (String q : queryNames) {
            rows.add(new Row(q + " (ms)", "%.1f", r -> r.queryMs(q)));
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

    static String render(List<Peer> peers, List<Protocol> protocols, List<String> queryNames, List<Run> runs) {
        StringBuilder out = new StringBuilder();
        List<Row> rows = rows(queryNames);
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
                            out.append(' ').append(format("%.2f", atalaya / medians[i])).append(" |");
                        }
                    }
                }
                out.append('\n');
            }
            out.append('\n');
        }
        out.append("### Runs\n\n| protocol | round | peer | load (1 min) | samples/s | errors | peak RSS (MB) "
                + "| disk (MB) | bytes/sample |");
        for (String q : queryNames) {
            out.append(' ').append(q).append(" (ms) |");
        }
        out.append(" note |\n|---|---:|---|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(queryNames.size()))
                .append("---|\n");
        for (Run r : runs) {
            out.append("| ").append(r.protocol().cliName()).append(" | ").append(r.round()).append(" | ")
                    .append(r.peer().cliName()).append(" | ").append(format("%.2f", r.loadAverage())).append(" | ")
                    .append(format("%.0f", r.samplesPerSecond())).append(" | ").append(r.errors()).append(" | ")
                    .append(format("%.1f", r.peakRssBytes() < 0 ? Double.NaN : r.peakRssBytes() / 1e6)).append(" | ")
                    .append(format("%.1f", r.diskBytes() < 0 ? Double.NaN : r.diskBytes() / 1e6)).append(" | ")
                    .append(format("%.3f", r.bytesPerSample())).append(" |");
            for (String q : queryNames) {
                out.append(' ').append(format("%.1f", r.queryMs(q))).append(" |");
            }
            out.append(' ').append(r.ok() ? "" : r.failure().replace('|', '/').replace('\n', ' ')).append(" |\n");
        }
        return out.toString();
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
