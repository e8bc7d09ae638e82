package io.atalaya.ingest.influx;

import static io.atalaya.ingest.IngestTestSupport.dump;
import static io.atalaya.ingest.IngestTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.codec.influx.InfluxMappingOptions;
import io.atalaya.ingest.IngestLimits;
import io.atalaya.ingest.IngestMetrics;
import io.atalaya.ingest.IngestResponse;
import io.atalaya.ingest.SeriesGuard;
import io.atalaya.model.Labels;
import io.atalaya.tsdb.Tsdb;
import io.atalaya.tsdb.TsdbOptions;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Line protocol over many requests: known series skip the checks, and nothing of one request leaks into the next. */
class InfluxWriteHandlerTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private Tsdb tsdb;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    @BeforeEach
    void open() {
        tsdb = Tsdb.open(dir, TsdbOptions.defaults().withMaintenanceInterval(Duration.ZERO));
    }

    @AfterEach
    void close() {
        tsdb.close();
    }

    private InfluxWriteHandler handler(IngestLimits limits) {
        return new InfluxWriteHandler(tsdb, limits, new SeriesGuard(limits), new IngestMetrics(new PrometheusRegistry()),
                clock, InfluxMappingOptions.defaults());
    }

    private static IngestResponse post(InfluxWriteHandler h, String body) {
        return h.writeV1(request(body.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of("db", "d", "precision", "ms")));
    }

    @Test
    void knownSeriesKeepFlowingAndErrorsDoNotLeakIntoTheNextRequest() {
        InfluxWriteHandler h = handler(IngestLimits.defaults());
        IngestResponse first = post(h, "cpu,host=a user=1,idle=0 1000\nbroken\n");
        assertThat(first.status()).isEqualTo(400);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).contains("line 2").contains("dropped=1");
        // The same pooled state serves the next request: no stale errors, points or body bytes.
        assertThat(post(h, "cpu,host=a user=2,idle=3 2000\n").status()).isEqualTo(204);
        // A known series whose sample the store refuses (another value at a stored time) is reported, the others stored.
        IngestResponse late = post(h, "cpu,host=a user=9 2000\ncpu,host=a idle=4 3000\n");
        assertThat(late.status()).isEqualTo(400);
        assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("dropped=1");
        assertThat(post(h, "cpu,host=a user=5 4000\n").status()).isEqualTo(204);
        Map<Labels, List<String>> d = dump(tsdb);
        assertThat(d.get(Labels.of("__name__", "cpu_user", "host", "a", "db", "d")))
                .containsExactly("1000=1.0", "2000=2.0", "4000=5.0");
        assertThat(d.get(Labels.of("__name__", "cpu_idle", "host", "a", "db", "d")))
                .containsExactly("1000=0.0", "2000=3.0", "3000=4.0");
    }

    @Test
    void aSmallerBodyAfterALargerOneReadsOnlyItsOwnBytes() {
        InfluxWriteHandler h = handler(IngestLimits.defaults());
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("m,host=h").append(i).append(" v=1 1000\n");
        }
        assertThat(post(h, big.toString()).status()).isEqualTo(204);
        assertThat(post(h, "m,host=h0 v=2 2000").status()).isEqualTo(204);
        Map<Labels, List<String>> d = dump(tsdb);
        assertThat(d).hasSize(5000);
        assertThat(d.get(Labels.of("__name__", "m_v", "host", "h0", "db", "d"))).containsExactly("1000=1.0", "2000=2.0");
        assertThat(d.get(Labels.of("__name__", "m_v", "host", "h1", "db", "d"))).containsExactly("1000=1.0");
    }

    @Test
    void theSeriesLimitStillHoldsForNewSeriesWhileKnownOnesFlow() {
        InfluxWriteHandler h = handler(IngestLimits.defaults().withSeriesLimits(0, 1));
        assertThat(post(h, "m,host=a v=1 1000\n").status()).isEqualTo(204);
        for (int t = 2; t <= 3; t++) {
            IngestResponse r = post(h, "m,host=a v=" + t + " " + t + "000\nm,host=b v=1 " + t + "000\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("series");
        }
        assertThat(dump(tsdb)).containsOnlyKeys(Labels.of("__name__", "m_v", "host", "a", "db", "d"));
        assertThat(dump(tsdb).get(Labels.of("__name__", "m_v", "host", "a", "db", "d")))
                .containsExactly("1000=1.0", "2000=2.0", "3000=3.0");
    }

    @Test
    void concurrentRequestsStoreEachSeriesUnderItsOwnLabels() throws Exception {
        InfluxWriteHandler h = handler(IngestLimits.defaults());
        int threads = 4;
        int requests = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int host = th;
                done.add(pool.submit(() -> {
                    for (int r = 1; r <= requests; r++) {
                        StringBuilder body = new StringBuilder();
                        for (int s = 0; s < 20; s++) {
                            // The value names its series, so a sample stored under another series shows.
                            body.append("disk,host=h").append(host).append(",dev=d").append(s).append(" used=")
                                    .append(host * 1000 + s).append(",free=").append(-(host * 1000 + s)).append(' ')
                                    .append(r * 1000L).append('\n');
                        }
                        IngestResponse resp = post(h, body.toString());
                        assertThat(resp.status()).as(new String(resp.body(), StandardCharsets.UTF_8)).isEqualTo(204);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Labels, List<String>> d = dump(tsdb);
        assertThat(d).hasSize(threads * 20 * 2);
        for (int host = 0; host < threads; host++) {
            for (int s = 0; s < 20; s++) {
                List<String> used = d.get(Labels.of("__name__", "disk_used", "host", "h" + host, "dev", "d" + s, "db", "d"));
                List<String> free = d.get(Labels.of("__name__", "disk_free", "host", "h" + host, "dev", "d" + s, "db", "d"));
                assertThat(used).hasSize(requests);
                assertThat(free).hasSize(requests);
                for (int r = 1; r <= requests; r++) {
                    assertThat(used.get(r - 1)).isEqualTo(r * 1000L + "=" + (double) (host * 1000 + s));
                    assertThat(free.get(r - 1)).isEqualTo(r * 1000L + "=" + (double) -(host * 1000 + s));
                }
            }
        }
    }
}
