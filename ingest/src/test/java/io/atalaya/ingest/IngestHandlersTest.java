package io.atalaya.ingest;

import static io.atalaya.ingest.IngestTestSupport.dump;
import static io.atalaya.ingest.IngestTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.codec.graphite.GraphiteMappingOptions;
import io.atalaya.codec.influx.InfluxMappingOptions;
import io.atalaya.codec.promrw.RemoteWriteEncoder;
import io.atalaya.codec.promrw.RemoteWriteV2Encoder;
import io.atalaya.codec.promrw.Snappy;
import io.atalaya.ingest.exposition.TextImportHandler;
import io.atalaya.ingest.graphite.GraphiteIngester;
import io.atalaya.ingest.graphite.GraphiteListener;
import io.atalaya.ingest.influx.InfluxWriteHandler;
import io.atalaya.ingest.json.FlatJsonImportHandler;
import io.atalaya.ingest.promrw.RemoteWriteHandler;
import io.atalaya.model.Labels;
import io.atalaya.model.MetricType;
import io.atalaya.tsdb.Tsdb;
import io.atalaya.tsdb.TsdbOptions;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write path into the real store: what is stored, what is refused, and the answer the sender gets. */
class IngestHandlersTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private Tsdb tsdb;
    private IngestMetrics metrics;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    @BeforeEach
    void open() {
        tsdb = Tsdb.open(dir, TsdbOptions.defaults().withMaintenanceInterval(Duration.ZERO));
        metrics = new IngestMetrics(new PrometheusRegistry());
    }

    @AfterEach
    void close() {
        tsdb.close();
    }

    private RemoteWriteHandler remoteWrite(IngestLimits limits) {
        return new RemoteWriteHandler(tsdb, limits, new SeriesGuard(limits), metrics);
    }

    @Test
    void remoteWriteV1StoresSamplesAndMetadata() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        enc.beginSeries().labels(Labels.of("__name__", "node_load1", "instance", "a")).sample(NOW, 0.5).sample(NOW + 10_000, 0.75).endSeries();
        enc.beginSeries().labels(Labels.of("__name__", "up", "instance", "a")).sample(NOW, 1).endSeries();
        enc.metadata("node_load1", MetricType.GAUGE, "1m load average.", "");
        IngestResponse r = remoteWrite(IngestLimits.defaults()).handle(request(enc.toSnappy(),
                Map.of("Content-Type", "application/x-protobuf", "Content-Encoding", "snappy"), Map.of()));
        assertThat(r.status()).isEqualTo(204);
        assertThat(dump(tsdb)).containsExactly(
                Map.entry(Labels.of("__name__", "node_load1", "instance", "a"), List.of(NOW + "=0.5", (NOW + 10_000) + "=0.75")),
                Map.entry(Labels.of("__name__", "up", "instance", "a"), List.of(NOW + "=1.0")));
        assertThat(tsdb.metadata().get("node_load1").help()).isEqualTo("1m load average.");
    }

    @Test
    void remoteWriteV2ReportsWrittenCounts() {
        RemoteWriteV2Encoder enc = new RemoteWriteV2Encoder().reset();
        enc.beginSeries().labels(Labels.of("__name__", "x", "a", "b")).sample(NOW, 3).endSeries();
        IngestResponse r = remoteWrite(IngestLimits.defaults()).handle(request(enc.toSnappy(),
                Map.of("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request"), Map.of()));
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers()).containsEntry("X-Prometheus-Remote-Write-Samples-Written", "1");
        assertThat(dump(tsdb)).containsKey(Labels.of("__name__", "x", "a", "b"));
    }

    @Test
    void remoteWriteRefusesGarbageUnknownMessagesAndOversizedBodies() {
        RemoteWriteHandler h = remoteWrite(IngestLimits.defaults().withMaxBodyBytes(1024));
        assertThatThrownBy(() -> h.handle(request("not snappy at all".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of())))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> h.handle(request(new byte[10], Map.of("Content-Type", "application/x-protobuf;proto=foo.Bar"), Map.of())))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> h.handle(request(new byte[4096], Map.of(), Map.of())))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThat(dump(tsdb)).isEmpty();
    }

    @Test
    void remoteWriteKeepsValidSamplesAndReportsRefusedOnesWith400() {
        RemoteWriteHandler h = remoteWrite(IngestLimits.defaults());
        RemoteWriteEncoder first = new RemoteWriteEncoder().reset();
        first.beginSeries().labels(Labels.of("__name__", "m")).sample(NOW, 1).endSeries();
        assertThat(h.handle(request(first.toSnappy(), Map.of(), Map.of())).status()).isEqualTo(204);
        RemoteWriteEncoder second = new RemoteWriteEncoder().reset();
        second.beginSeries().labels(Labels.of("__name__", "m")).sample(NOW, 2).sample(NOW + 1000, 3).endSeries(); // duplicate ts
        second.beginSeries().labels(Labels.of("__name__", "n")).sample(NOW, 5).endSeries();
        IngestResponse r = h.handle(request(second.toSnappy(), Map.of(), Map.of()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("2 samples stored, 1 refused").contains("duplicate");
        assertThat(dump(tsdb).get(Labels.of("__name__", "m"))).containsExactly(NOW + "=1.0", (NOW + 1000) + "=3.0");
        assertThat(dump(tsdb).get(Labels.of("__name__", "n"))).containsExactly(NOW + "=5.0");
    }

    @Test
    void aNativeHistogramSeriesWithInvalidLabelsIsRefusedWithA400NotAFailure() {
        // WriteRequest{timeseries: {labels: __name__="h", a="1", a="2"; histograms: {}}} and a valid float series,
        // written by hand: the encoder has no histograms.
        byte[] h = concat(label("__name__", "h"), label("a", "1"), label("a", "2"), new byte[] {0x22, 0});
        RemoteWriteEncoder valid = new RemoteWriteEncoder().reset();
        valid.beginSeries().labels(Labels.of("__name__", "m")).sample(NOW, 1).endSeries();
        byte[] body = concat(field(1, h), valid.toByteArray());
        IngestResponse r = remoteWrite(IngestLimits.defaults()).handle(request(new Snappy().compress(body, 0,
                body.length), Map.of(), Map.of()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("1 samples stored")
                .contains("native histogram").contains("series 1 of the request");
        assertThat(dump(tsdb).get(Labels.of("__name__", "m"))).containsExactly(NOW + "=1.0");
    }

    private static byte[] label(String name, String value) {
        return field(1, concat(field(1, name.getBytes(StandardCharsets.UTF_8)),
                field(2, value.getBytes(StandardCharsets.UTF_8))));
    }

    /** A length-delimited protobuf field (lengths under 128 bytes). */
    private static byte[] field(int number, byte[] content) {
        return concat(new byte[] {(byte) (number << 3 | 2), (byte) content.length}, content);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void knownSeriesTakeTheCachedPathAcrossRequestsWithTheSameResult() {
        RemoteWriteHandler h = remoteWrite(IngestLimits.defaults());
        for (int req = 0; req < 3; req++) {
            RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
            for (int i = 0; i < 50; i++) {
                enc.beginSeries().labels(Labels.of("__name__", "m", "i", Integer.toString(i)))
                        .sample(NOW + req * 10_000L, i * 10 + req).endSeries();
            }
            // a series whose label values differ only in one byte must not be mistaken for a cached one
            enc.beginSeries().labels(Labels.of("__name__", "m", "i", "x" + req)).sample(NOW + req * 10_000L, -1).endSeries();
            assertThat(h.handle(request(enc.toSnappy(), Map.of(), Map.of())).status()).isEqualTo(204);
        }
        Map<Labels, List<String>> stored = dump(tsdb);
        assertThat(stored).hasSize(53);
        assertThat(stored.get(Labels.of("__name__", "m", "i", "7")))
                .containsExactly(NOW + "=70.0", (NOW + 10_000) + "=71.0", (NOW + 20_000) + "=72.0");
        assertThat(stored.get(Labels.of("__name__", "m", "i", "x2"))).containsExactly((NOW + 20_000) + "=-1.0");
    }

    @Test
    void aSeriesWithARepeatedLabelNameIsRefusedAloneWith400() {
        RemoteWriteHandler h = remoteWrite(IngestLimits.defaults());
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        enc.beginSeries().label("__name__", "bad").label("a", "1").label("a", "2").sample(NOW, 1).endSeries();
        enc.beginSeries().labels(Labels.of("__name__", "good")).sample(NOW, 1).endSeries();
        IngestResponse r = h.handle(request(enc.toSnappy(), Map.of(), Map.of()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("duplicate label name");
        assertThat(dump(tsdb)).containsOnlyKeys(Labels.of("__name__", "good"));
    }

    @Test
    void cardinalityGuardRefusesNewSeriesButLetsExistingOnesFlow() {
        IngestLimits limits = IngestLimits.defaults().withSeriesLimits(2, 0);
        RemoteWriteHandler h = remoteWrite(limits);
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        for (int i = 0; i < 3; i++) {
            enc.beginSeries().labels(Labels.of("__name__", "m", "i", Integer.toString(i))).sample(NOW, i).endSeries();
        }
        IngestResponse r = h.handle(request(enc.toSnappy(), Map.of(), Map.of()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("series_limit_per_metric");
        RemoteWriteEncoder again = new RemoteWriteEncoder().reset();
        again.beginSeries().labels(Labels.of("__name__", "m", "i", "0")).sample(NOW + 1, 7).endSeries();
        assertThat(h.handle(request(again.toSnappy(), Map.of(), Map.of())).status()).isEqualTo(204);
        assertThat(dump(tsdb)).hasSize(2);
    }

    @Test
    void labelLimitsAreEnforcedPerSeries() {
        IngestLimits limits = IngestLimits.defaults().withLabelLimits(3, 10, 5);
        RemoteWriteHandler h = remoteWrite(limits);
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        enc.beginSeries().labels(Labels.of("__name__", "ok", "a", "1")).sample(NOW, 1).endSeries();
        enc.beginSeries().labels(Labels.of("__name__", "m", "a", "1", "b", "2", "c", "3")).sample(NOW, 1).endSeries();
        enc.beginSeries().labels(Labels.of("__name__", "m", "a", "toolongvalue")).sample(NOW, 1).endSeries();
        IngestResponse r = h.handle(request(enc.toSnappy(), Map.of(), Map.of()));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("more than the limit of 3").contains("longer than 5");
        assertThat(dump(tsdb)).containsOnlyKeys(Labels.of("__name__", "ok", "a", "1"));
    }

    private InfluxWriteHandler influx() {
        IngestLimits limits = IngestLimits.defaults();
        return new InfluxWriteHandler(tsdb, limits, new SeriesGuard(limits), metrics, clock, InfluxMappingOptions.defaults());
    }

    @Test
    void influxPartialWriteStoresValidLinesAndNamesTheBadOnes() throws IOException {
        String body = "cpu,host=a usage=1.5 1700000000\nbroken\ncpu,host=b usage=2i,up=true 1700000000\nlog,host=a msg=\"x\" 1700000000\n";
        IngestResponse r = influx().writeV1(request(gzip(body), Map.of("Content-Encoding", "gzip"),
                Map.of("db", "telegraf", "precision", "s")));
        assertThat(r.status()).isEqualTo(400);
        String msg = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(msg).startsWith("{\"error\":\"partial write:").contains("line 2").contains("line 4").contains("dropped=2");
        assertThat(dump(tsdb)).containsOnlyKeys(
                Labels.of("__name__", "cpu_usage", "host", "a", "db", "telegraf"),
                Labels.of("__name__", "cpu_usage", "host", "b", "db", "telegraf"),
                Labels.of("__name__", "cpu_up", "host", "b", "db", "telegraf"));
        assertThat(dump(tsdb).get(Labels.of("__name__", "cpu_up", "host", "b", "db", "telegraf")))
                .containsExactly("1700000000000=1.0");
    }

    @Test
    void influxV2UsesTheBucketAndDefaultsTimestampsToNow() {
        IngestResponse r = influx().writeV2(request("mem,host=a used_percent=41\n".getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Token t"), Map.of("org", "o", "bucket", "b1")));
        assertThat(r.status()).isEqualTo(204);
        assertThat(dump(tsdb)).containsExactly(Map.entry(
                Labels.of("__name__", "mem_used_percent", "host", "a", "bucket", "b1"), List.of(NOW + "=41.0")));
        assertThat(influx().writeV2(request(new byte[0], Map.of(), Map.of())).status()).isEqualTo(400);
        assertThat(influx().writeV1(request(new byte[0], Map.of(), Map.of())).status()).isEqualTo(400);
        assertThat(influx().writeV1(request(new byte[0], Map.of(), Map.of("db", "x", "precision", "fortnight"))).status())
                .isEqualTo(400);
    }

    @Test
    void textImportStoresAPushedPageOrNothing() {
        IngestLimits limits = IngestLimits.defaults();
        TextImportHandler h = new TextImportHandler(tsdb, limits, new SeriesGuard(limits), metrics, clock);
        String page = "# HELP backup_duration_seconds Last backup.\n# TYPE backup_duration_seconds gauge\n"
                + "backup_duration_seconds{job=\"nightly\"} 42.5\nbackup_size_bytes 1e9 1699999999000\n";
        assertThat(h.handle(request(page.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()), List.of("site=lab")).status())
                .isEqualTo(204);
        assertThat(dump(tsdb)).containsExactly(
                Map.entry(Labels.of("__name__", "backup_duration_seconds", "job", "nightly", "site", "lab"), List.of(NOW + "=42.5")),
                Map.entry(Labels.of("__name__", "backup_size_bytes", "site", "lab"), List.of("1699999999000=1.0E9")));
        assertThat(tsdb.metadata().get("backup_duration_seconds").type()).isEqualTo(MetricType.GAUGE);

        IngestResponse bad = h.handle(request("good 1\nbad{ 2\n".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()), List.of());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("line 2").contains("nothing was stored");
        assertThat(dump(tsdb)).doesNotContainKey(Labels.of("__name__", "good"));
    }

    @Test
    void flatJsonFromScriptsBecomesSeries() {
        IngestLimits limits = IngestLimits.defaults();
        FlatJsonImportHandler h = new FlatJsonImportHandler(tsdb, limits, new SeriesGuard(limits), metrics, clock);
        String body = "{\"host\":\"vm1\",\"cpu_percent\":22,\"ram_percent\":41.5,\"total_processes\":233,"
                + "\"disk\":{\"root.used\":0.5},\"up\":true,\"port\":9100}\n"
                + "{\"host\":\"vm2\",\"cpu_percent\":7,\"timestamp\":1700000000}\n"
                + "{\"host\":\"vm3\"}\n";
        IngestResponse r = h.handle(request(body.getBytes(StandardCharsets.UTF_8), Map.of(),
                Map.of("labels", "port", "prefix", "script_")), List.of("env=lab"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("6 samples stored")
                .contains("item 3: no numeric or boolean value");
        assertThat(dump(tsdb)).contains(
                Map.entry(Labels.of("__name__", "script_cpu_percent", "host", "vm1", "port", "9100", "env", "lab"),
                        List.of(NOW + "=22.0")),
                Map.entry(Labels.of("__name__", "script_disk_root_used", "host", "vm1", "port", "9100", "env", "lab"),
                        List.of(NOW + "=0.5")),
                Map.entry(Labels.of("__name__", "script_up", "host", "vm1", "port", "9100", "env", "lab"),
                        List.of(NOW + "=1.0")),
                Map.entry(Labels.of("__name__", "script_cpu_percent", "host", "vm2", "env", "lab"),
                        List.of("1700000000000=7.0")));
        IngestResponse arrays = h.handle(request("[{\"a\":1},{\"b\":2}]".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()),
                List.of());
        assertThat(arrays.status()).isEqualTo(204);
        assertThatThrownBy(() -> h.handle(request("{\"a\":".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()), List.of()))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void bodiesOverTheLimitAreRefusedEvenWhenCompressed() throws IOException {
        IngestLimits limits = IngestLimits.defaults().withMaxBodyBytes(1000);
        InfluxWriteHandler h = new InfluxWriteHandler(tsdb, limits, new SeriesGuard(limits), metrics, clock,
                InfluxMappingOptions.defaults());
        byte[] bomb = gzip("x v=1\n".repeat(100_000)); // small compressed, 600 kB inflated
        assertThat(bomb.length).isLessThan(5_000);
        assertThatThrownBy(() -> h.writeV1(request(bomb, Map.of("Content-Encoding", "gzip"), Map.of("db", "d"))))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("1000 bytes");
                });
        assertThatThrownBy(() -> h.writeV1(request("garbage".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "gzip"), Map.of("db", "d"))))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(dump(tsdb)).isEmpty();
    }

    @Test
    void graphiteListenerTakesTcpAndUdp() throws Exception {
        GraphiteIngester ingester = new GraphiteIngester(tsdb, new SeriesGuard(IngestLimits.defaults()), metrics, clock,
                GraphiteMappingOptions.defaults().withTemplates(List.of("servers.*.cpu.* .host.measurement.field")));
        try (GraphiteListener l = GraphiteListener.start(ingester, "127.0.0.1", 0)) {
            try (Socket s = new Socket("127.0.0.1", l.port()); OutputStream out = s.getOutputStream()) {
                out.write("servers.web1.cpu.user 12.5 1700000000\nservers.web1.cpu.sys".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write(" 3 1700000000\nnot a line\nplain.metric;dc=eu 7 -1\n".getBytes(StandardCharsets.UTF_8));
            }
            try (DatagramSocket udp = new DatagramSocket()) {
                byte[] d = "udp.metric 1 1700000000\n".getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(d, d.length, new InetSocketAddress("127.0.0.1", l.port())));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (dump(tsdb).size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(dump(tsdb)).containsOnlyKeys(
                Labels.of("__name__", "cpu_user", "host", "web1"),
                Labels.of("__name__", "cpu_sys", "host", "web1"),
                Labels.of("__name__", "plain_metric", "dc", "eu"),
                Labels.of("__name__", "udp_metric"));
        assertThat(dump(tsdb).get(Labels.of("__name__", "plain_metric", "dc", "eu"))).containsExactly(NOW + "=7.0");
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return bos.toByteArray();
    }
}
