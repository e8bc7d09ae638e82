package io.atalaya.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.atalaya.bench.workload.NodeExporterWorkload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadFileTest {

    @Property(tries = 30)
    void bodiesComeBackByteForByteWithTheirSampleCounts(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 70_000) Integer> lengths, @ForAll long seed)
            throws IOException {
        Path dir = Files.createTempDirectory("payload-file-test");
        Path file = dir.resolve("bodies");
        Random random = new Random(seed);
        List<byte[]> bodies = new ArrayList<>();
        PayloadFile store;
        try (PayloadFile.Writer w = PayloadFile.create(file)) {
            for (int len : lengths) {
                byte[] b = new byte[len];
                random.nextBytes(b);
                bodies.add(b);
                w.add(b, len / 3 + 1, 1000L * bodies.size());
            }
            store = w.finish();
        }
        try (store) {
            assertThat(Files.exists(file)).as("the file goes once mapped").isFalse();
            assertThat(store.size()).isEqualTo(bodies.size());
            long bytes = 0;
            long samples = 0;
            for (int i = 0; i < bodies.size(); i++) {
                byte[] expected = bodies.get(i);
                assertThat(store.bytes(i)).isEqualTo(expected);
                assertThat(store.samples(i)).isEqualTo(expected.length / 3 + 1);
                assertThat(store.lastTimestampMs(i)).isEqualTo(1000L * (i + 1));
                ByteBuffer view = store.body(i);
                assertThat(view.isReadOnly()).isTrue();
                assertThat(view.remaining()).isEqualTo(expected.length);
                byte[] read = new byte[view.remaining()];
                view.get(read);
                assertThat(read).isEqualTo(expected);
                assertThat(store.body(i).remaining()).as("each view is fresh").isEqualTo(expected.length);
                bytes += expected.length;
                samples += expected.length / 3 + 1;
            }
            assertThat(store.totalBytes()).isEqualTo(bytes);
            assertThat(store.totalSamples()).isEqualTo(samples);
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void encodingIntoFilesGivesTheBodiesOfTheInHeapEncoding(@TempDir Path dir) throws Exception {
        long start = 1_700_000_000_000L;
        List<PayloadFile> files = IngestCommand.encode(Protocol.REMOTE_WRITE, 6, 2, 9, 700, 42, start, true, dir);
        try {
            for (int c = 0; c < 2; c++) {
                NodeExporterWorkload load = new NodeExporterWorkload(3 * c, 3, 42, start,
                        NodeExporterWorkload.DEFAULT_INTERVAL_MS, true);
                List<Payload> expected = PayloadSource.encode(load, 9, 700, new RemoteWritePayloadEncoder());
                PayloadFile f = files.get(c);
                assertThat(f.size()).isEqualTo(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(f.bytes(i)).isEqualTo(expected.get(i).body());
                    assertThat(f.samples(i)).isEqualTo(expected.get(i).samples());
                }
            }
            try (var left = Files.list(dir)) {
                assertThat(left.toList()).as("no file left behind").isEmpty();
            }
        } finally {
            IngestCommand.close(files);
        }
    }

    @Test
    void secondHalfRateCountsOnlyWhatCameAfterTheHalfMark() {
        // 100 samples in 4 s, the 50th acknowledged at 3 s: the second half ran at 50 samples/s, the whole at 25
        LoadDriver.Result r = new LoadDriver.Result(100, 100, 10, 0, 4_000_000_000L, 1, 0, false, List.of(), 50,
                3_000_000_000L);
        assertThat(r.samplesPerSecond()).isEqualTo(25.0);
        assertThat(r.secondHalfSamplesPerSecond()).isEqualTo(50.0);
        LoadDriver.Result never = new LoadDriver.Result(40, 40, 4, 0, 4_000_000_000L, 1, 0, true, List.of(), -1, -1);
        assertThat(never.secondHalfSamplesPerSecond()).isNaN();
    }

    @Test
    void theDriverSendsTheMappedBodiesExactly(@TempDir Path dir) throws Exception {
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/write", exchange -> {
            received.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        List<byte[]> sent = new ArrayList<>();
        PayloadFile store;
        try (PayloadFile.Writer w = PayloadFile.create(dir.resolve("b"))) {
            Random random = new Random(7);
            for (int i = 0; i < 5; i++) {
                byte[] b = new byte[1 + random.nextInt(300_000)];
                random.nextBytes(b);
                sent.add(b);
                w.add(b, 10, i);
            }
            store = w.finish();
        }
        try (store) {
            String target = "http://127.0.0.1:" + server.getAddress().getPort();
            LoadDriver.Result r = new LoadDriver(Protocol.LINE_PROTOCOL.endpoint(target), Protocol.LINE_PROTOCOL,
                    Duration.ofSeconds(30)).run(List.of(store), Duration.ofSeconds(60));
            assertThat(r.errors()).isZero();
            assertThat(r.requests()).isEqualTo(5);
            assertThat(r.samplesAcknowledged()).isEqualTo(50);
            assertThat(r.driverCpuNanos()).isPositive();
            // half of the 50 samples was acknowledged with the third body (30 samples): 20 more after that
            assertThat(r.halfAcknowledged()).isEqualTo(30);
            assertThat(r.halfNanos()).isPositive().isLessThan(r.elapsedNanos());
            assertThat(r.secondHalfSamplesPerSecond()).isPositive();
            assertThat(received).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(received.get(i)).isEqualTo(sent.get(i));
            }
        } finally {
            server.stop(0);
        }
    }
}
