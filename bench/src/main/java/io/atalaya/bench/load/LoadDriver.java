package io.atalaya.bench.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends pre-encoded payloads ({@link PayloadFile}s, outside the heap) to one endpoint as fast as the server answers:
 * one thread and one HTTP/1.1 client (so one keep-alive connection) per payload list, each list sent in order, so
 * that series owned by one list stay in time order, and all lists advance together in data time
 * ({@link DataTimePacer}). Every answer must be 2xx; others are counted, and the first few kept to report. Sending
 * stops early once {@code deadline} has passed, so a slow server bounds the run in time.
 *
 * <p>Bodies go to the client as views of the mapping ({@link MappedBodyPublisher}): the client writes them to the
 * socket as they are, where a {@code byte[]} body would be copied into a direct buffer first. The driver's own CPU
 * time during the run (this process, all threads, GC included) is measured, since it shares the machine with the
 * server under test.
 */
final class LoadDriver {
    private static final int KEPT_ERRORS = 5;
    /** How far in data time one connection may run ahead of the slowest ({@link DataTimePacer}). */
    static final long MAX_LEAD_MS = 10 * 60_000;
    /** Requests per connection of {@link #warmUp}: a third of a 100-host, 6 h load. */
    static final int WARM_UP_REQUESTS = 300;
    static final Duration WARM_UP_TIME = Duration.ofSeconds(20);

    private final URI endpoint;
    private final Protocol protocol;
    private final Duration requestTimeout;

    LoadDriver(URI endpoint, Protocol protocol, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.requestTimeout = requestTimeout;
    }

    /**
     * What one run did; {@code samplesSent} counts samples of every request answered, 2xx or not.
     * {@code halfAcknowledged} and {@code halfNanos}: the acknowledged samples and the time since the start when the
     * acknowledged samples first reached half of all samples to send (-1 when they never did).
     */
    record Result(long samplesSent, long samplesAcknowledged, long requests, long errors, long elapsedNanos,
                  long driverCpuNanos, long pacedNanos, boolean stoppedByDeadline, List<String> firstErrors,
                  long halfAcknowledged, long halfNanos) {
        double samplesPerSecond() {
            return samplesAcknowledged / (elapsedNanos / 1e9);
        }

        /**
         * The rate over the second half of the samples: the server's steady state, once a JIT-compiled server has
         * compiled its write path and every series exists (the first scrape of each series creates it); the same
         * rule for every server. NaN when the run did not get that far.
         */
        double secondHalfSamplesPerSecond() {
            if (halfNanos < 0 || elapsedNanos <= halfNanos) {
                return Double.NaN;
            }
            return (samplesAcknowledged - halfAcknowledged) / ((elapsedNanos - halfNanos) / 1e9);
        }
    }

    /** Sends {@code perConnection.get(c)} on connection c, all connections at once; returns when all are done. */
    Result run(List<PayloadFile> perConnection, Duration maxDuration) throws InterruptedException {
        AtomicLong sent = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        long total = 0;
        for (PayloadFile f : perConnection) {
            for (int i = 0; i < f.size(); i++) {
                total += f.samples(i);
            }
        }
        long half = (total + 1) / 2;
        AtomicLong halfNanos = new AtomicLong(-1);
        AtomicLong halfAcked = new AtomicLong(-1);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + maxDuration.toNanos();
        boolean[] stopped = new boolean[perConnection.size()];
        long[] first = new long[perConnection.size()];
        for (int c = 0; c < first.length; c++) {
            first[c] = perConnection.get(c).size() == 0 ? Long.MAX_VALUE : perConnection.get(c).lastTimestampMs(0);
        }
        DataTimePacer pacer = new DataTimePacer(first, MAX_LEAD_MS);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < perConnection.size(); c++) {
            PayloadFile payloads = perConnection.get(c);
            int conn = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build()) {
                    for (int i = 0; i < payloads.size(); i++) {
                        if (System.nanoTime() > deadline || !pacer.await(payloads.lastTimestampMs(i), deadline)) {
                            stopped[conn] = true;
                            return;
                        }
                        String error = send(client, payloads.body(i));
                        pacer.moved(conn, i + 1 < payloads.size() ? payloads.lastTimestampMs(i + 1) : Long.MAX_VALUE);
                        requests.incrementAndGet();
                        sent.addAndGet(payloads.samples(i));
                        if (error == null) {
                            long now = acked.addAndGet(payloads.samples(i));
                            if (now >= half && halfAcked.compareAndSet(-1, now)) {
                                halfNanos.set(System.nanoTime() - start);
                            }
                        } else {
                            errors.incrementAndGet();
                            if (firstErrors.size() < KEPT_ERRORS) {
                                firstErrors.add(error);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    stopped[conn] = true;
                    Thread.currentThread().interrupt();
                } finally {
                    pacer.moved(conn, Long.MAX_VALUE); // never hold the others back
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        boolean anyStopped = false;
        for (boolean s : stopped) {
            anyStopped |= s;
        }
        return new Result(sent.get(), acked.get(), requests.get(), errors.get(), elapsed, cpu, pacer.waitedNanos(),
                anyStopped, List.copyOf(firstErrors), halfAcked.get(), halfNanos.get());
    }

    /**
     * Sends bodies of {@code perConnection} (from the first, cycling) to a sink in this process that reads and
     * discards them, until {@code requests} were sent on each connection or {@code max} has passed; the
     * answers are not checked. The driver is a JVM too: its first requests run interpreted and compile its send path
     * (HTTP client, body publisher), taking CPU from the server on the same cores. Warmed up once before the first
     * measured run, no peer's run pays for it, where otherwise the first peer of the first round would.
     */
    static void warmUp(List<PayloadFile> perConnection, Protocol protocol, int requests, Duration max)
            throws IOException, InterruptedException {
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        sink.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        ExecutorService sinkThreads = Executors.newFixedThreadPool(perConnection.size());
        sink.setExecutor(sinkThreads);
        sink.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/sink");
            LoadDriver driver = new LoadDriver(uri, protocol, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + max.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (PayloadFile payloads : perConnection) {
                if (payloads.size() == 0) {
                    continue;
                }
                threads.add(Thread.ofPlatform().name("warm-up").start(() -> {
                    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                        for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
                            driver.send(client, payloads.body(i % payloads.size()));
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            sink.stop(0);
            sinkThreads.shutdownNow();
        }
    }

    /** CPU time of this whole process so far (user + system, every thread), or -1 when the OS does not say. */
    static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Sends one body; returns null on a 2xx answer, else a description of what went wrong. */
    private String send(HttpClient client, ByteBuffer body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(requestTimeout)
                .header("Content-Type", protocol.contentType())
                .POST(new MappedBodyPublisher(body));
        if (protocol.contentEncoding() != null) {
            b.header("Content-Encoding", protocol.contentEncoding());
        }
        if (protocol.remoteWriteVersion() != null) {
            b.header("X-Prometheus-Remote-Write-Version", protocol.remoteWriteVersion());
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                return null;
            }
            String answer = r.body();
            return "HTTP " + r.statusCode() + ": "
                    + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer);
        } catch (IOException e) {
            return "I/O error posting to " + endpoint + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
