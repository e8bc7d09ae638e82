package io.atalaya.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Query latency over the data that {@link IngestCommand} wrote: a fixed set of PromQL queries sent to the Prometheus
 * HTTP API ({@code /api/v1/query_range}, and {@code /api/v1/query} for the instant query) of a server on loopback,
 * each run {@code --warmup} times untimed, then {@code --reps} times; prints the median and the minimum in ms and the
 * number of series in the answer (which must agree across servers holding the same data).
 *
 * <pre>
 * java -cp bench/target/atalaya-benchmarks.jar io.atalaya.bench.BenchMain query \
 *     --target http://127.0.0.1:9470 --end-ms END_MS [--reps 7 --warmup 2 --warmup-seconds 0 --host 42] [--hours 6]
 *     [--request-histogram] [--pid PID]
 * </pre>
 * {@code --hours} and {@code --request-histogram} describe the ingested data, so that only the queries it covers run
 * ({@link QuerySet}).
 * {@code --end-ms} is the {@code end_ms} that the ingest run printed (the time just after the last scrape); ranges
 * end there. Every answer must be HTTP 200 with {@code "status":"success"}, or the command fails. With {@code --pid}
 * (the server's process) it also prints the server's CPU time per timed call, which is steadier than latency on a
 * busy machine and shows what a query costs when several run at once.
 */
public final class QueryCommand {
    private QueryCommand() {
    }

    public static void main(String[] args) throws Exception {
        String target = null;
        long endMs = -1;
        int reps = 7;
        int warmup = 2;
        long warmupSeconds = 0;
        int host = 42;
        double hours = 6;
        boolean histogram = false;
        long pid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> target = IngestCommand.value(args, ++i);
                case "--end-ms" -> endMs = Long.parseLong(IngestCommand.value(args, ++i));
                case "--reps" -> reps = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--warmup" -> warmup = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--warmup-seconds" -> warmupSeconds = Long.parseLong(IngestCommand.value(args, ++i));
                case "--host" -> host = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--hours" -> hours = Double.parseDouble(IngestCommand.value(args, ++i));
                case "--request-histogram" -> histogram = true;
                case "--pid" -> pid = Long.parseLong(IngestCommand.value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --target, --end-ms, --reps, --warmup, --warmup-seconds, --host, --hours, "
                        + "--request-histogram, --pid)");
            }
        }
        if (target == null || endMs < 0) {
            throw new IllegalArgumentException("--target URL and --end-ms T are required");
        }
        IngestCommand.requireLoopback(target);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            StringBuilder result = new StringBuilder("RESULT");
            long dataSeconds = Math.round(hours * 3600);
            QuerySet.Selection selection = QuerySet.select(QuerySet.all(host), dataSeconds, histogram);
            for (QuerySet.Skipped s : selection.skipped()) {
                System.out.printf("%-32s skipped: %s%n", s.query().name(), s.reason());
            }
            Warmup w = new Warmup(warmup, Duration.ofSeconds(warmupSeconds));
            for (Timing t : run(client, target, endMs, reps, w, selection.run(), pid)) {
                String cpu = t.serverCpuMs() < 0 ? "" : String.format("  server CPU %8.1f ms", t.serverCpuMs());
                System.out.printf("%-32s median %8.1f ms  min %8.1f ms%s  series %4d  %s%n", t.name(), t.medianMs(),
                        t.minMs(), cpu, t.series(), t.promql());
                result.append(' ').append(t.name()).append('=').append(String.format("%.1f", t.medianMs()));
                if (t.serverCpuMs() >= 0) {
                    result.append(' ').append(t.name()).append("_cpu=").append(String.format("%.1f", t.serverCpuMs()));
                }
            }
            System.out.println(result);
        }
    }

    /**
     * The latency of one query: median and minimum of the timed repetitions, the series in its answer, and the server's
     * CPU time per timed repetition (-1 when not measured).
     */
    record Timing(String name, String promql, double medianMs, double minMs, int series, double serverCpuMs) {
    }

    /**
     * The untimed calls before a query is timed: {@code calls} of them, but no more once {@code limit} has passed
     * (a zero limit: no time limit), so that a long warm-up stays affordable on a peer that takes seconds per call.
     * The same rule applies to every server; a JIT-compiled server needs the calls, the others lose nothing by them.
     */
    record Warmup(int calls, Duration limit) {
        Warmup {
            if (calls < 0 || limit.isNegative()) {
                throw new IllegalArgumentException("warm-up calls and seconds must be >= 0, got " + calls + " and "
                        + limit.toSeconds());
            }
        }

        /** Whether another warm-up call is due after {@code made} calls that started at {@code startNanos}. */
        boolean due(int made, long startNanos) {
            return made < calls && (limit.isZero() || System.nanoTime() - startNanos < limit.toNanos());
        }
    }

    /**
     * Runs every query of {@code queries} against the server at {@code target}: the {@code warmup} untimed calls, then
     * {@code reps} timed ones. Ranges end at {@code endMs} (the ingest run's {@code end_ms}). With {@code pid > 0}
     * the server's CPU time over the timed runs is read from /proc as well.
     *
     * @throws IOException when an answer is not HTTP 200 with {@code "status":"success"}
     */
    static List<Timing> run(HttpClient client, String target, long endMs, int reps, Warmup warmup,
                            List<QuerySet.Query> queries, long pid)
            throws IOException, InterruptedException {
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        }
        String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        // The last sample of a host lies up to one interval before endMs; align to whole seconds as dashboards do.
        long end = endMs / 1000;
        List<Timing> out = new ArrayList<>();
        for (QuerySet.Query q : queries) {
            URI uri = uri(base, q, end);
            int series = -1;
            long warmupStart = System.nanoTime();
            for (int i = 0; warmup.due(i, warmupStart); i++) {
                series = seriesIn(call(client, uri));
            }
            double[] ms = new double[reps];
            long cpuBefore = pid > 0 ? TargetProcess.cpuNanos(pid) : 0;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                String body = call(client, uri);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                series = seriesIn(body);
            }
            double cpuMs = pid > 0 ? (TargetProcess.cpuNanos(pid) - cpuBefore) / 1e6 / reps : -1;
            Arrays.sort(ms);
            double median = reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
            out.add(new Timing(q.name(), q.promql(), median, ms[0], series, cpuMs));
        }
        return out;
    }

    private static URI uri(String base, QuerySet.Query q, long endSeconds) {
        String expr = URLEncoder.encode(q.promql(), StandardCharsets.UTF_8);
        if (q.rangeSeconds() == 0) {
            return URI.create(base + "/api/v1/query?query=" + expr + "&time=" + endSeconds);
        }
        return URI.create(base + "/api/v1/query_range?query=" + expr + "&start=" + (endSeconds - q.rangeSeconds())
                + "&end=" + endSeconds + "&step=" + q.stepSeconds());
    }

    private static String call(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"status\":\"success\"")) {
            String body = r.body();
            throw new IOException("query " + uri + " answered HTTP " + r.statusCode() + ": "
                    + (body.length() > 500 ? body.substring(0, 500) : body));
        }
        return r.body();
    }

    /** Number of series in a Prometheus API answer: occurrences of {@code "metric":}. */
    static int seriesIn(String body) {
        int n = 0;
        for (int i = body.indexOf("\"metric\":"); i >= 0; i = body.indexOf("\"metric\":", i + 1)) {
            n++;
        }
        return n;
    }
}
