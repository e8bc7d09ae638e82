package io.atalaya.bench.load;

import io.atalaya.bench.workload.NodeExporterWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * End-to-end ingestion benchmark: encodes the node_exporter workload into request bodies before any timing, sends
 * them over N connections to a server on loopback, and prints samples/s; optionally the server's peak RSS and, after
 * stopping it with SIGTERM, the bytes per sample of its data directory.
 *
 * <pre>
 * java -cp bench/target/atalaya-benchmarks.jar io.atalaya.bench.BenchMain ingest \
 *     --target http://127.0.0.1:9470 --protocol remote-write --hosts 100 --hours 6 [--pid PID [--data-dir DIR --stop]]
 * </pre>
 *
 * Options: {@code --target URL} (base URL, loopback only), {@code --protocol remote-write|line-protocol},
 * {@code --hosts N} (100), {@code --hours H} of 10 s scrapes (6), {@code --connections N} (4), {@code
 * --samples-per-request N} (10000), {@code --seed S} (42), {@code --start-ms T} timestamp of the first scrape (default:
 * so that the last scrape is now), {@code --max-seconds S} stop sending after S seconds (1800), {@code --pid PID} the
 * server's process (peak RSS), {@code --data-dir DIR} its data directory, {@code --stop} SIGTERM the server after the
 * run, wait for it to exit, then measure DIR; {@code --dump-dir DIR} write the bodies there instead of sending;
 * {@code --request-histogram} add the request-duration histogram to each host (off: the node_exporter series only);
 * {@code --work-dir DIR} where the encoded bodies are written before being mapped ({@code java.io.tmpdir}).
 * Output: human-readable lines and one final {@code RESULT key=value ...} line for scripts.
 */
public final class IngestCommand {
    private IngestCommand() {
    }

    public static void main(String[] args) throws Exception {
        String target = null;
        Protocol protocol = Protocol.REMOTE_WRITE;
        int hosts = 100;
        double hours = 6;
        int connections = 4;
        int perRequest = 10_000;
        long seed = 42;
        long startMs = Long.MIN_VALUE;
        long maxSeconds = 1800;
        long pid = -1;
        Path dataDir = null;
        boolean stop = false;
        Path dumpDir = null;
        boolean histogram = false;
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> target = value(args, ++i);
                case "--protocol" -> protocol = Protocol.parse(value(args, ++i));
                case "--hosts" -> hosts = Integer.parseInt(value(args, ++i));
                case "--hours" -> hours = Double.parseDouble(value(args, ++i));
                case "--connections" -> connections = Integer.parseInt(value(args, ++i));
                case "--samples-per-request" -> perRequest = Integer.parseInt(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--start-ms" -> startMs = Long.parseLong(value(args, ++i));
                case "--max-seconds" -> maxSeconds = Long.parseLong(value(args, ++i));
                case "--pid" -> pid = Long.parseLong(value(args, ++i));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--stop" -> stop = true;
                case "--dump-dir" -> dumpDir = Path.of(value(args, ++i));
                case "--request-histogram" -> histogram = true;
                case "--work-dir" -> workDir = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --target, "
                        + "--protocol, --hosts, --hours, --connections, --samples-per-request, --seed, --start-ms, "
                        + "--max-seconds, --pid, --data-dir, --stop, --dump-dir, --request-histogram, --work-dir)");
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("--target URL is required, e.g. --target http://127.0.0.1:9470");
        }
        requireLoopback(target);
        if (stop && (pid < 0 || dataDir == null)) {
            throw new IllegalArgumentException("--stop needs --pid and --data-dir");
        }
        if (connections < 1 || connections > hosts) {
            throw new IllegalArgumentException("--connections must be in [1, hosts], got " + connections);
        }
        long intervalMs = NodeExporterWorkload.DEFAULT_INTERVAL_MS;
        int scrapes = (int) Math.round(hours * 3600_000 / intervalMs);
        if (startMs == Long.MIN_VALUE) {
            long now = System.currentTimeMillis();
            startMs = (now - (long) scrapes * intervalMs) / intervalMs * intervalMs;
        }

        long t0 = System.nanoTime();
        List<PayloadFile> perConnection = encode(protocol, hosts, connections, scrapes, perRequest, seed, startMs,
                histogram, workDir);
        long encodeMs = (System.nanoTime() - t0) / 1_000_000;
        long totalSamples = 0;
        long totalBytes = 0;
        long requests = 0;
        for (PayloadFile f : perConnection) {
            totalSamples += f.totalSamples();
            totalBytes += f.totalBytes();
            requests += f.size();
        }
        System.out.printf("encoded %d samples of %d series (%d hosts x %d scrapes from %s) into %d %s requests, "
                        + "%.1f MB (%.1f B/sample on the wire), in %d ms%n",
                totalSamples, totalSamples / scrapes, hosts, scrapes, Instant.ofEpochMilli(startMs), requests,
                protocol.cliName(), totalBytes / 1e6, (double) totalBytes / totalSamples, encodeMs);

        if (dumpDir != null) {
            dump(perConnection, dumpDir);
            close(perConnection);
            System.out.println("wrote the request bodies to " + dumpDir + "; nothing sent");
            return;
        }
        LoadDriver driver = new LoadDriver(protocol.endpoint(target), protocol, Duration.ofSeconds(120));
        LoadDriver.Result r;
        try {
            LoadDriver.warmUp(perConnection, protocol, LoadDriver.WARM_UP_REQUESTS, LoadDriver.WARM_UP_TIME);
            r = driver.run(perConnection, Duration.ofSeconds(maxSeconds));
        } finally {
            close(perConnection); // unmap the bodies before anything else is measured
        }
        System.out.printf("sent %d requests (%d samples) over %d connections in %.2f s: %.0f samples/s acknowledged "
                        + "(%.0f over the second half), %d errors%s; driver CPU %.2f s; connections waited %.2f s for "
                        + "slower ones%n", r.requests(), r.samplesSent(), connections, r.elapsedNanos() / 1e9,
                r.samplesPerSecond(), r.secondHalfSamplesPerSecond(), r.errors(),
                r.stoppedByDeadline() ? " (stopped at --max-seconds)" : "", r.driverCpuNanos() / 1e9,
                r.pacedNanos() / 1e9);
        for (String e : r.firstErrors()) {
            System.out.println("  error: " + e);
        }

        StringBuilder result = new StringBuilder("RESULT");
        result.append(" protocol=").append(protocol.cliName())
                .append(" samples=").append(r.samplesAcknowledged())
                .append(" seconds=").append(String.format("%.3f", r.elapsedNanos() / 1e9))
                .append(" samples_per_s=").append(Math.round(r.samplesPerSecond()))
                .append(" second_half_samples_per_s=").append(Math.round(r.secondHalfSamplesPerSecond()))
                .append(" errors=").append(r.errors())
                .append(" driver_cpu_ms=").append(r.driverCpuNanos() / 1_000_000)
                .append(" start_ms=").append(startMs)
                .append(" end_ms=").append(startMs + (long) scrapes * intervalMs);
        if (pid >= 0) {
            long hwm = TargetProcess.peakRssBytes(pid);
            long rss = TargetProcess.rssBytes(pid);
            System.out.printf("target pid %d: peak RSS %.1f MB, RSS now %.1f MB%n", pid, hwm / 1e6, rss / 1e6);
            result.append(" peak_rss_bytes=").append(hwm);
        }
        if (stop) {
            long s0 = System.nanoTime();
            try {
                TargetProcess.stop(pid, Duration.ofMinutes(5));
            } catch (TimeoutException e) {
                throw new IllegalStateException("process " + pid + " did not exit within 5 minutes of SIGTERM", e);
            }
            System.out.printf("target stopped (SIGTERM) in %.1f s%n", (System.nanoTime() - s0) / 1e9);
        }
        if (dataDir != null) {
            long bytes = TargetProcess.directoryBytes(dataDir);
            System.out.printf("data directory %s: %d bytes, %.3f bytes/sample%s%n", dataDir, bytes,
                    (double) bytes / r.samplesAcknowledged(), stop ? " (after stop)" : " (server still running)");
            for (Map.Entry<String, Long> e : breakdown(dataDir).entrySet()) {
                System.out.printf("  %-24s %,d bytes%n", e.getKey(), e.getValue());
            }
            result.append(" disk_bytes=").append(bytes)
                    .append(" bytes_per_sample=").append(String.format("%.4f", (double) bytes / r.samplesAcknowledged()));
        }
        System.out.println(result);
        if (r.errors() > 0) {
            System.exit(1);
        }
    }

    /**
     * Encodes each connection's hosts (hosts split in contiguous ranges) in parallel, one thread per connection, into
     * one {@link PayloadFile} per connection (files {@code dir/<protocol>-c<connection>.bodies}, deleted once mapped).
     * The caller closes the returned files.
     */
    static List<PayloadFile> encode(Protocol protocol, int hosts, int connections, int scrapes, int perRequest,
                                    long seed, long startMs, boolean requestHistogram, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        PayloadFile[] out = new PayloadFile[connections];
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int c = 0; c < connections; c++) {
            int first = (int) ((long) hosts * c / connections);
            int n = (int) ((long) hosts * (c + 1) / connections) - first;
            int conn = c;
            Path file = dir.resolve(protocol.cliName() + "-c" + c + ".bodies");
            threads.add(Thread.ofPlatform().name("encode-" + c).start(() -> {
                try (PayloadFile.Writer writer = PayloadFile.create(file)) {
                    NodeExporterWorkload load = new NodeExporterWorkload(first, n, seed, startMs,
                            NodeExporterWorkload.DEFAULT_INTERVAL_MS, requestHistogram);
                    PayloadSource.Encoder encoder = protocol == Protocol.REMOTE_WRITE
                            ? new RemoteWritePayloadEncoder() : new LineProtocolPayloadEncoder(load);
                    PayloadSource.encode(load, scrapes, perRequest, encoder, writer::add);
                    out[conn] = writer.finish();
                } catch (IOException | RuntimeException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            close(Arrays.asList(out));
            if (failure[0] instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure[0];
        }
        return List.of(out);
    }

    /** Closes (unmaps) every file of the list; nulls are skipped. */
    static void close(List<PayloadFile> files) {
        for (PayloadFile f : files) {
            if (f != null) {
                f.close();
            }
        }
    }

    /** Writes every body to {@code dir/c<connection>-<n>.body}, to replay by hand (e.g. with curl). */
    private static void dump(List<PayloadFile> perConnection, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int c = 0; c < perConnection.size(); c++) {
            PayloadFile file = perConnection.get(c);
            for (int n = 0; n < file.size(); n++) {
                Files.write(dir.resolve("c" + c + "-" + n + ".body"), file.bytes(n));
            }
        }
    }

    private static Map<String, Long> breakdown(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                long bytes = Files.isDirectory(child) ? TargetProcess.directoryBytes(child) : Files.size(child);
                out.put(child.getFileName().toString(), bytes);
            }
        }
        return out;
    }

    static void requireLoopback(String target) {
        String host = java.net.URI.create(target).getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                || host.equals("::1"))) {
            throw new IllegalArgumentException("--target must be a loopback URL (127.0.0.1, localhost or [::1]), got "
                    + target);
        }
    }

    static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
