package io.atalaya.bench.load;

import io.atalaya.bench.workload.NodeExporterWorkload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The whole end-to-end comparison in one command: for each protocol, the workload is encoded once, before any timing,
 * into files of the work directory that are then memory-mapped ({@link PayloadFile}: the bodies stay out of the heap,
 * so 1000 hosts or 24 h fit, bounded by the disk and page cache); then each round
 * runs every peer back to back on the same bodies: fresh data directory, start, ingest (samples/s, peak RSS), the
 * {@link QueryCommand} query set, SIGTERM and wait, size of the data directory. Prints each run as it ends, then a
 * Markdown report ({@link CompareReport}): medians, Atalaya/peer ratios, raw runs with the load average.
 *
 * <pre>
 * ./atalaya bench compare --hosts 100 --hours 6 --rounds 3 --protocols remote-write,line-protocol
 * </pre>
 * Each host carries the request-duration histogram (177 series per host) unless {@code --no-request-histogram} (163,
 * the workload of the figures taken before it). Queries run only when the data covers what they evaluate
 * ({@link QuerySet}): the 24 h ones need {@code --hours 24}; the report lists the skipped ones with why.
 * Bounded in time: each ingest by {@code --max-seconds}, the whole by {@code --max-minutes} (runs not started by
 * then are skipped), start-up and shutdown by fixed timeouts. Every process it starts is stopped before it returns,
 * also when it is interrupted (a shutdown hook kills what is still running).
 */
public final class CompareCommand {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final CompareOptions options;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    private CompareCommand(CompareOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        CompareOptions options = CompareOptions.parse(args);
        CompareCommand command = new CompareCommand(options);
        Thread hook = new Thread(command::killAll, "compare-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            System.out.println(command.runAll());
        } finally {
            command.killAll();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private String runAll() throws IOException, InterruptedException {
        CompareOptions o = options;
        Files.createDirectories(o.workDir());
        Map<Peer, String> executables = new EnumMap<>(Peer.class);
        List<Peer> peers = new ArrayList<>();
        for (Peer p : o.peers()) {
            String[] why = new String[1];
            Optional<String> exe = p.executable(o.atalayaCommand(), why);
            if (exe.isPresent()) {
                executables.put(p, exe.get());
                peers.add(p);
            } else {
                System.out.println("skipping " + p.cliName() + ": " + why[0]);
            }
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("none of the requested peers is installed");
        }
        int scrapes = o.scrapes();
        long intervalMs = NodeExporterWorkload.DEFAULT_INTERVAL_MS;
        long startMs = o.startMs();
        if (startMs == Long.MIN_VALUE) {
            long now = System.currentTimeMillis();
            startMs = (now - (long) scrapes * intervalMs) / intervalMs * intervalMs;
        }
        long endMs = startMs + (long) scrapes * intervalMs;
        long deadline = System.nanoTime() + Duration.ofMinutes(o.maxMinutes()).toNanos();
        QuerySet.Selection queries = QuerySet.select(QuerySet.all(QuerySet.queryHost(o.hosts())), o.dataSeconds(),
                o.requestHistogram());
        int seriesPerHost = new NodeExporterWorkload(0, 1, o.seed(), startMs, intervalMs, o.requestHistogram())
                .seriesPerHost();
        Map<Protocol, Long> wireBytes = new EnumMap<>(Protocol.class);
        CompareReport.Workload workload = new CompareReport.Workload(o.hosts(), o.hours(), scrapes, seriesPerHost,
                o.requestHistogram(), startMs, endMs, wireBytes);
        System.out.printf("comparing %s on %d hosts x %d scrapes (%d series, %d samples%s) from %s (end_ms=%d), "
                        + "%d round(s), protocols %s, work dir %s%n", names(peers), o.hosts(), scrapes,
                workload.series(), workload.samples(), o.requestHistogram() ? ", request histogram" : "",
                Instant.ofEpochMilli(startMs), endMs, o.rounds(), protocolNames(o.protocols()), o.workDir());
        for (QuerySet.Skipped s : queries.skipped()) {
            System.out.println("skipping query " + s.query().name() + ": " + s.reason());
        }

        List<CompareReport.Run> runs = new ArrayList<>();
        for (Protocol protocol : o.protocols()) {
            List<Peer> accepting = new ArrayList<>();
            for (Peer p : peers) {
                if (p.accepts(protocol)) {
                    accepting.add(p);
                } else {
                    System.out.println("skipping " + p.cliName() + " for " + protocol.cliName()
                            + ": it has no such endpoint");
                }
            }
            if (accepting.isEmpty()) {
                continue;
            }
            long t0 = System.nanoTime();
            List<PayloadFile> bodies = IngestCommand.encode(protocol, o.hosts(), o.connections(), scrapes,
                    o.perRequest(), o.seed(), startMs, o.requestHistogram(), o.workDir());
            try {
                long bytes = 0;
                for (PayloadFile f : bodies) {
                    bytes += f.totalBytes();
                }
                wireBytes.put(protocol, bytes);
                System.out.printf("encoded %s bodies (%.1f MB, mapped outside the heap) in %d ms%n",
                        protocol.cliName(), bytes / 1e6, (System.nanoTime() - t0) / 1_000_000);
                LoadDriver.warmUp(bodies, protocol, LoadDriver.WARM_UP_REQUESTS, LoadDriver.WARM_UP_TIME);
                runRounds(protocol, accepting, executables, bodies, endMs, queries.run(), deadline, runs);
            } finally {
                IngestCommand.close(bodies);
            }
        }
        return "\n" + CompareReport.render(workload, peers, o.protocols(), queries, runs);
    }

    private void runRounds(Protocol protocol, List<Peer> accepting, Map<Peer, String> executables,
                           List<PayloadFile> bodies, long endMs, List<QuerySet.Query> queries, long deadline,
                           List<CompareReport.Run> runs) throws IOException, InterruptedException {
        CompareOptions o = options;
        for (int round = 1; round <= o.rounds(); round++) {
            for (Peer peer : accepting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    System.out.printf("skipping %s round %d of %s: --max-minutes %d reached%n", protocol.cliName(),
                            round, peer.cliName(), o.maxMinutes());
                    continue;
                }
                CompareReport.Run r = runOne(peer, executables.get(peer), protocol, round, bodies, endMs,
                        queries, Duration.ofNanos(left));
                runs.add(r);
                System.out.printf("%s round %d %s: %.0f samples/s (second half %.0f), %d errors, driver CPU %.1f s, "
                                + "peak RSS %.1f MB, disk %.1f MB%s%n", protocol.cliName(), round, peer.cliName(),
                        r.samplesPerSecond(), r.secondHalfSamplesPerSecond(), r.errors(), r.driverCpuSeconds(),
                        r.peakRssBytes() / 1e6, r.diskBytes() / 1e6, r.ok() ? "" : " FAILED: " + r.failure());
            }
        }
    }

    /** One run: start on a fresh directory, ingest, query, stop, measure. Failures are recorded, not thrown. */
    private CompareReport.Run runOne(Peer peer, String executable, Protocol protocol, int round,
                                     List<PayloadFile> bodies, long endMs, List<QuerySet.Query> queryList,
                                     Duration left)
            throws IOException, InterruptedException {
        CompareOptions o = options;
        String tag = peer.cliName() + "-" + protocol.cliName() + "-" + round;
        Path dataDir = o.workDir().resolve("data-" + tag);
        deleteTree(dataDir);
        int port = o.basePort() + o.peers().indexOf(peer);
        String target = "http://127.0.0.1:" + port;
        double load = loadAverage();
        ProcessBuilder pb = new ProcessBuilder(peer.command(executable, port, dataDir, o.workDir()))
                .redirectErrorStream(true).redirectOutput(o.workDir().resolve(tag + ".log").toFile());
        pb.environment().putAll(peer.environment());
        Process process = pb.start();
        running.add(process);
        long pid = process.pid();
        LoadDriver.Result ingest = null;
        long peakRss = -1;
        List<QueryCommand.Timing> queries = List.of();
        String settle = "-";
        String failure = null;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            awaitReady(client, process, URI.create(target + peer.readyPath()));
            Duration maxIngest = Duration.ofSeconds(o.maxIngestSeconds());
            LoadDriver driver = new LoadDriver(protocol.endpoint(target), protocol, REQUEST_TIMEOUT);
            ingest = driver.run(bodies, maxIngest.compareTo(left) < 0 ? maxIngest : left);
            peakRss = TargetProcess.peakRssBytes(pid);
            if (ingest.errors() > 0) {
                failure = ingest.errors() + " write errors, first: " + ingest.firstErrors().getFirst();
            } else if (ingest.stoppedByDeadline()) {
                failure = "ingest stopped by the time limit";
            } else {
                settle = settle(pid);
                queries = QueryCommand.run(client, target, endMs, o.queryReps(),
                        new QueryCommand.Warmup(o.queryWarmup(), Duration.ofSeconds(o.queryWarmupSeconds())),
                        queryList, pid);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            stop(process);
        }
        long disk = Files.isDirectory(dataDir) ? TargetProcess.directoryBytes(dataDir) : -1;
        deleteTree(dataDir);
        return new CompareReport.Run(peer, protocol, round, load, ingest == null ? 0 : ingest.samplesAcknowledged(),
                ingest == null ? Double.NaN : ingest.samplesPerSecond(),
                ingest == null ? Double.NaN : ingest.secondHalfSamplesPerSecond(), ingest == null ? 0 : ingest.errors(),
                ingest == null ? -1 : ingest.driverCpuNanos(), ingest == null ? -1 : ingest.pacedNanos(), peakRss, disk,
                settle, queries, failure);
    }

    /**
     * Leaves the server alone for {@code --settle-seconds}, then up to {@code --settle-idle-seconds} more until it is
     * idle; returns what it did, for the report.
     */
    private String settle(long pid) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(options.settleSeconds()));
        if (options.settleIdleSeconds() == 0) {
            return options.settleSeconds() + " s";
        }
        boolean idle = TargetProcess.awaitIdle(pid, Duration.ofSeconds(options.settleIdleSeconds()));
        long waited = Math.round((System.nanoTime() - start) / 1e9);
        System.out.printf("settled for %d s, %s%n", waited, idle ? "idle" : "still busy");
        return waited + " s, " + (idle ? "idle" : "busy");
    }

    private static void awaitReady(HttpClient client, Process process, URI ready)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("exited with status " + process.exitValue() + " before it was ready");
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new TimeoutException("not ready at " + ready + " within " + READY_TIMEOUT.toSeconds() + " s");
    }

    /** SIGTERM, wait for the exit (data flushed), and SIGKILL after {@link #STOP_TIMEOUT}. */
    private void stop(Process process) throws InterruptedException {
        try {
            TargetProcess.stop(process.pid(), STOP_TIMEOUT);
        } catch (TimeoutException | IllegalStateException e) {
            System.out.println("process " + process.pid() + " did not stop on SIGTERM; killing it");
            kill(process);
        }
        process.waitFor();
        running.remove(process);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void killAll() {
        for (Process p : running) {
            kill(p);
        }
        running.clear();
    }

    /** The 1-minute load average, or NaN when /proc/loadavg cannot be read. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String names(List<Peer> peers) {
        List<String> out = new ArrayList<>();
        for (Peer p : peers) {
            out.add(p.cliName());
        }
        return String.join(", ", out);
    }

    private static String protocolNames(List<Protocol> protocols) {
        List<String> out = new ArrayList<>();
        for (Protocol p : protocols) {
            out.add(p.cliName());
        }
        return String.join(", ", out);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
