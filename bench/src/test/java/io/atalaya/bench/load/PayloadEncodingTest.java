package io.atalaya.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.bench.workload.NodeExporterWorkload;
import io.atalaya.codec.influx.InfluxBatch;
import io.atalaya.codec.influx.LineProtocolParser;
import io.atalaya.codec.influx.Precision;
import io.atalaya.codec.promrw.RemoteWriteBatch;
import io.atalaya.codec.promrw.RemoteWriteDecoder;
import io.atalaya.model.Labels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayloadEncodingTest {
    private static final long START = 1_700_000_000_000L;

    private static NodeExporterWorkload load(int hosts) {
        return new NodeExporterWorkload(0, hosts, 42, START, NodeExporterWorkload.DEFAULT_INTERVAL_MS);
    }

    @Test
    void remoteWritePayloadsCarryEverySampleOnceInTimeOrderPerSeries() {
        NodeExporterWorkload w = load(5);
        int scrapes = 12;
        List<Payload> payloads = PayloadSource.encode(w, scrapes, 1000, new RemoteWritePayloadEncoder());

        RemoteWriteDecoder decoder = new RemoteWriteDecoder();
        RemoteWriteBatch batch = new RemoteWriteBatch();
        Map<Labels, Long> lastTimestamp = new HashMap<>();
        long total = 0;
        for (Payload p : payloads) {
            assertThat(p.samples()).isLessThanOrEqualTo(1000);
            decoder.decodeSnappyV1(p.body(), 0, p.body().length, 64 << 20, batch);
            assertThat(batch.totalSamples()).isEqualTo(p.samples());
            for (int s = 0; s < batch.seriesCount(); s++) {
                Labels labels = batch.labels(s);
                for (int i = 0; i < batch.sampleCount(s); i++) {
                    long t = batch.sampleTimestamp(s, i);
                    Long prev = lastTimestamp.put(labels, t);
                    assertThat(prev == null || prev < t).as("time order of %s", labels).isTrue();
                    total++;
                }
            }
        }
        assertThat(total).isEqualTo((long) w.seriesCount() * scrapes);
        assertThat(lastTimestamp).hasSize(w.seriesCount());
    }

    @Test
    void lineProtocolPayloadsParseBackToTheWorkloadsMetricNamesAndSampleCount() {
        NodeExporterWorkload names = load(3);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < names.seriesCount(); i++) {
            String[] mf = LineProtocolPayloadEncoder.split(names.labels(i).metricName());
            expected.add(mf[0] + "_" + mf[1]);
        }
        NodeExporterWorkload w = load(3);
        int scrapes = 4;
        List<Payload> payloads = PayloadSource.encode(w, scrapes, 500, new LineProtocolPayloadEncoder(w));

        LineProtocolParser parser = new LineProtocolParser();
        Set<String> seen = new HashSet<>();
        long fields = 0;
        for (Payload p : payloads) {
            InfluxBatch batch = new InfluxBatch();
            parser.parse(p.body(), Precision.MILLISECONDS, 0, batch);
            assertThat(batch.errors()).isEmpty();
            long inPayload = 0;
            for (int pt = 0; pt < batch.size(); pt++) {
                assertThat(batch.timestampMillis(pt)).isGreaterThanOrEqualTo(START);
                for (int f = 0; f < batch.fieldCount(pt); f++) {
                    seen.add(batch.measurement(pt) + "_" + batch.fieldKey(pt, f));
                    inPayload++;
                }
            }
            assertThat(inPayload).isEqualTo(p.samples());
            fields += inPayload;
        }
        assertThat(fields).isEqualTo((long) w.seriesCount() * scrapes);
        assertThat(seen).isEqualTo(expected);
        assertThat(seen).contains("node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_load1", "up_value");
    }

    @Test
    void lineProtocolCarriesTheRequestHistogramWithItsLeTag() {
        NodeExporterWorkload w = new NodeExporterWorkload(0, 2, 42, START, NodeExporterWorkload.DEFAULT_INTERVAL_MS,
                true);
        List<Payload> payloads = PayloadSource.encode(w, 3, 10_000, new LineProtocolPayloadEncoder(w));
        LineProtocolParser parser = new LineProtocolParser();
        Set<String> les = new HashSet<>();
        long fields = 0;
        for (Payload p : payloads) {
            InfluxBatch batch = new InfluxBatch();
            parser.parse(p.body(), Precision.MILLISECONDS, 0, batch);
            assertThat(batch.errors()).isEmpty();
            for (int pt = 0; pt < batch.size(); pt++) {
                for (int f = 0; f < batch.fieldCount(pt); f++) {
                    fields++;
                    if ((batch.measurement(pt) + "_" + batch.fieldKey(pt, f)).equals(
                            "http_request_duration_seconds_bucket")) {
                        for (int t = 0; t < batch.tagCount(pt); t++) {
                            if (batch.tagKey(pt, t).equals("le")) {
                                les.add(batch.tagValue(pt, t));
                            }
                        }
                    }
                }
            }
        }
        assertThat(fields).isEqualTo((long) w.seriesCount() * 3);
        assertThat(les).hasSize(12).contains("0.005", "1", "10", "+Inf");
    }

    @Test
    void metricNamesSplitAfterTheSecondWord() {
        assertThat(LineProtocolPayloadEncoder.split("node_memory_MemFree_bytes")).containsExactly("node_memory", "MemFree_bytes");
        assertThat(LineProtocolPayloadEncoder.split("node_load1")).containsExactly("node", "load1");
        assertThat(LineProtocolPayloadEncoder.split("up")).containsExactly("up", "value");
    }

    @Test
    void wholeValuesAreWrittenWithoutFractionAndOthersExactly() {
        assertThat(LineProtocolPayloadEncoder.formatValue(25769803776.0)).isEqualTo("25769803776");
        assertThat(LineProtocolPayloadEncoder.formatValue(0.02)).isEqualTo("0.02");
        assertThat(Double.parseDouble(LineProtocolPayloadEncoder.formatValue(9.223372036854776E18)))
                .isEqualTo(9.223372036854776E18);
    }

    @Test
    void onlyLoopbackTargetsAreAccepted() {
        IngestCommand.requireLoopback("http://127.0.0.1:9470");
        IngestCommand.requireLoopback("http://localhost:9470");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngestCommand.requireLoopback("http://10.0.0.1:9470"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
}
