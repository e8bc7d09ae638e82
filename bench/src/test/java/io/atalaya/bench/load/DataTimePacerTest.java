package io.atalaya.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTimePacerTest {
    private static final long MINUTE = 60_000;

    @Test
    void theSlowestGoesAtOnceAndOthersWaitUntilItCatchesUp() throws Exception {
        DataTimePacer pacer = new DataTimePacer(new long[] {0, 0}, 10 * MINUTE);
        long soon = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        assertThat(pacer.await(10 * MINUTE, soon)).isTrue(); // exactly the lead: allowed
        pacer.moved(0, 30 * MINUTE);
        // connection 1 is at 0: a body at 30 min would be 30 min ahead, so it waits
        CompletableFuture<Boolean> ahead = CompletableFuture.supplyAsync(() -> {
            try {
                return pacer.await(30 * MINUTE, System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(ahead).isNotDone();
        pacer.moved(1, 20 * MINUTE);
        assertThat(ahead.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pacer.waitedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        // a finished connection holds nobody back; a deadline ends a wait
        pacer.moved(1, Long.MAX_VALUE);
        assertThat(pacer.await(40 * MINUTE, soon)).isTrue();
        assertThat(pacer.await(41 * MINUTE, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
    }

    @Test
    void aFastConnectionNeverRunsMoreThanTheLeadAheadOfASlowOne(@TempDir Path dir) throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/write", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            received.add(body);
            if (body.startsWith("slow")) {
                try {
                    Thread.sleep(15);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        int bodies = 40;
        try (PayloadFile fast = file(dir.resolve("fast"), "fast", bodies);
             PayloadFile slow = file(dir.resolve("slow"), "slow", bodies)) {
            String target = "http://127.0.0.1:" + server.getAddress().getPort();
            LoadDriver.Result r = new LoadDriver(Protocol.LINE_PROTOCOL.endpoint(target), Protocol.LINE_PROTOCOL,
                    Duration.ofSeconds(30)).run(List.of(fast, slow), Duration.ofSeconds(60));
            assertThat(r.errors()).isZero();
            assertThat(r.pacedNanos()).isPositive();
            assertThat(received).hasSize(2 * bodies);
            // when a body at t arrived, every body of the other connection before t - lead had been answered
            long leadMinutes = LoadDriver.MAX_LEAD_MS / MINUTE;
            List<String> order = List.copyOf(received);
            for (int k = 0; k < order.size(); k++) {
                String[] me = order.get(k).split(":");
                long t = Long.parseLong(me[1]);
                String other = me[0].equals("fast") ? "slow" : "fast";
                for (long before = 0; before < t - leadMinutes; before++) {
                    assertThat(order.subList(0, k)).as("%s sent before %s:%d", order.get(k), other, before)
                            .contains(other + ":" + before);
                }
            }
        } finally {
            server.stop(0);
        }
    }

    /** Bodies "name:m" whose latest timestamp is minute m. */
    private static PayloadFile file(Path path, String name, int bodies) throws IOException {
        try (PayloadFile.Writer w = PayloadFile.create(path)) {
            for (int m = 0; m < bodies; m++) {
                w.add((name + ":" + m).getBytes(StandardCharsets.US_ASCII), 1, m * MINUTE);
            }
            return w.finish();
        }
    }
}
