package io.atalaya.codec.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesLabelsCacheTest {
    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int hash(byte[] k) {
        return SeriesLabelsCache.finish(SeriesLabelsCache.mix(SeriesLabelsCache.SEED, k, 0, k.length));
    }

    @Test
    void aBucketHoldsFourSeriesAndAFifthReplacesOneNeverAnsweringForAnother() {
        SeriesLabelsCache c = new SeriesLabelsCache(4); // one bucket: every key shares it
        byte[][] keys = new byte[5][];
        Labels[] labels = new Labels[5];
        for (int i = 0; i < 5; i++) {
            keys[i] = key("m,host=h" + i + "\0v");
            labels[i] = Labels.of("__name__", "m_v", "host", "h" + i);
        }
        for (int i = 0; i < 4; i++) {
            c.put(keys[i], keys[i].length, hash(keys[i]), labels[i]);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(c.get(keys[i], keys[i].length, hash(keys[i]))).isSameAs(labels[i]);
        }
        c.put(keys[4], keys[4].length, hash(keys[4]), labels[4]);
        assertThat(c.get(keys[4], keys[4].length, hash(keys[4]))).isSameAs(labels[4]);
        int kept = 0;
        for (int i = 0; i < 4; i++) {
            Labels l = c.get(keys[i], keys[i].length, hash(keys[i]));
            if (l != null) {
                assertThat(l).isSameAs(labels[i]);
                kept++;
            }
        }
        assertThat(kept).isEqualTo(3);
        // Only the first len bytes of the buffer are the key; a prefix of a stored key is another key.
        assertThat(c.get(keys[4], keys[4].length - 1, hash(keys[4]))).isNull();
        assertThatThrownBy(() -> new SeriesLabelsCache(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SeriesLabelsCache(12)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNodeExporterSizedSetOfSeriesIsMappedToOneInstanceEachAcrossRequests() {
        // 100 hosts x 160 series with 8 fields per line: the cardinality of the ingestion benchmark (16 000 series).
        StringBuilder body = new StringBuilder();
        for (int h = 0; h < 100; h++) {
            for (int g = 0; g < 20; g++) {
                body.append("node_group").append(g).append(",instance=host-").append(h).append(":9100,job=node ");
                for (int f = 0; f < 8; f++) {
                    body.append(f == 0 ? "" : ",").append("field").append(f).append('=').append(f);
                }
                body.append(" 1000\n");
            }
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        InfluxSeriesMapper mapper = new InfluxSeriesMapper(InfluxMappingOptions.defaults().withExtraLabel("db"));
        InfluxBatch batch = new InfluxBatch();
        List<LineError> rejected = new ArrayList<>();
        new LineProtocolParser().parse(bytes, Precision.MILLISECONDS, 0, batch);
        List<Labels> first = new ArrayList<>();
        mapper.map(batch, "bench", (l, t, v) -> first.add(l), rejected);
        List<Labels> second = new ArrayList<>();
        new LineProtocolParser().parse(bytes, Precision.MILLISECONDS, 0, batch);
        mapper.map(batch, "bench", (l, t, v) -> second.add(l), rejected);
        assertThat(rejected).isEmpty();
        assertThat(first).hasSize(16_000);
        IdentityHashMap<Labels, Boolean> distinct = new IdentityHashMap<>();
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("series %d", i).isSameAs(first.get(i));
            distinct.put(first.get(i), Boolean.TRUE);
        }
        assertThat(distinct).hasSize(16_000);
    }
}
