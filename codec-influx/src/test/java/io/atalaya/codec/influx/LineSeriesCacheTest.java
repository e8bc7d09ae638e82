package io.atalaya.codec.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LineSeriesCacheTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static LineSeries entry(int hash, String extra, String key) {
        byte[] k = bytes(key);
        return new LineSeries(hash, bytes(extra), k, 0, k.length, new String[0], "m");
    }

    @Provide
    Arbitrary<List<String>> keys() {
        // A small alphabet and short keys, so that lists repeat keys and hold prefixes of one another.
        return Arbitraries.strings().withChars("ab,=\u00e9").ofMaxLength(6).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property
    void anEntryIsFoundOnlyForItsOwnKeyEvenWhenEveryHashCollides(@ForAll("keys") List<String> keys,
                                                                  @ForAll boolean oneBucket) {
        // A constant hash puts every key in the same bucket (and gives them equal hashes): only the bytes decide.
        LineSeriesCache c = new LineSeriesCache(oneBucket ? LineSeriesCache.WAYS : 1 << 10);
        Map<String, LineSeries> stored = new HashMap<>();
        for (String k : keys) {
            byte[] kb = bytes("x" + k + "y");
            int h = oneBucket ? 42 : LineSeriesCache.hash(LineSeriesCache.SEED, kb, 1, kb.length - 2);
            LineSeries found = c.get(h, bytes("db"), kb, 1, kb.length - 1);
            if (found != null) {
                assertThat(found).isSameAs(stored.get(k)); // only ever the entry of this very key
            } else {
                LineSeries e = entry(h, "db", k);
                c.put(e);
                stored.put(k, e);
            }
            assertThat(c.get(h, bytes("db"), kb, 1, kb.length - 1)).isSameAs(stored.get(k));
            assertThat(c.get(h, bytes("db2"), kb, 1, kb.length - 1)).isNull(); // another extra value, another series
        }
        if (!oneBucket && stored.size() <= LineSeriesCache.WAYS) {
            for (Map.Entry<String, LineSeries> e : stored.entrySet()) {
                byte[] kb = bytes(e.getKey());
                int h = LineSeriesCache.hash(LineSeriesCache.SEED, kb, 0, kb.length);
                assertThat(c.get(h, bytes("db"), kb, 0, kb.length)).isSameAs(e.getValue());
            }
        }
    }

    @Property
    void theHashDependsOnlyOnTheBytesNotOnWhereTheyLie(@ForAll("keys") List<String> keys) {
        for (String k : keys) {
            byte[] kb = bytes(k);
            byte[] shifted = bytes("....." + k + "..");
            assertThat(LineSeriesCache.hash(7, shifted, 5, kb.length)).isEqualTo(LineSeriesCache.hash(7, kb, 0, kb.length));
        }
    }

    @Test
    void aBucketHoldsFourKeysAndAFifthReplacesOne() {
        LineSeriesCache c = new LineSeriesCache(4);
        List<LineSeries> es = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LineSeries e = entry(1, "", "k" + i);
            es.add(e);
            c.put(e);
        }
        int kept = 0;
        for (int i = 0; i < 5; i++) {
            byte[] kb = bytes("k" + i);
            LineSeries found = c.get(1, new byte[0], kb, 0, kb.length);
            if (found != null) {
                assertThat(found).isSameAs(es.get(i));
                kept++;
            }
        }
        assertThat(kept).isEqualTo(4);
        byte[] kb = bytes("k4");
        assertThat(c.get(1, new byte[0], kb, 0, 1)).isNull(); // a prefix of a stored key is another key
        assertThatThrownBy(() -> new LineSeriesCache(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LineSeriesCache(12)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewFieldGivesANewEntryThatKeepsTheOldFieldsAndTheirHandles() {
        LineSeries e = entry(1, "", "m,host=a");
        Labels a = Labels.of("__name__", "m_a");
        Labels b = Labels.of("__name__", "m_b");
        byte[] fa = bytes("xa");
        LineSeries e1 = e.withField(fa, 1, 1, a);
        e1.handle(0, 17);
        LineSeries e2 = e1.withField(bytes("b"), 0, 1, b);
        assertThat(e2.sameKey(e)).isTrue();
        assertThat(e2.fieldCount()).isEqualTo(2);
        assertThat(e2.indexOf(bytes("a"), 0, 1, 1)).isZero();
        assertThat(e2.indexOf(bytes("b"), 0, 1, 0)).isEqualTo(1);
        assertThat(e2.indexOf(bytes("ab"), 0, 2, 0)).isEqualTo(-1);
        assertThat(e2.labels(0)).isSameAs(a);
        assertThat(e2.handle(0)).isEqualTo(17);
        assertThat(e2.handle(1)).isZero();
        assertThat(e.fieldCount()).isZero(); // the old entries are unchanged
        assertThat(e1.fieldCount()).isEqualTo(1);
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
