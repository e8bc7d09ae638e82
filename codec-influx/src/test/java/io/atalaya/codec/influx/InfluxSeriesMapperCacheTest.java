package io.atalaya.codec.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cached mapping (series keys, fields and handles remembered across requests) gives exactly what a mapper that
 * never saw anything before gives, and hands each series back only its own handle.
 */
class InfluxSeriesMapperCacheTest {
    /** Lines over a small universe, so that series keys, fields and orders repeat within and across bodies. */
    @Provide
    Arbitrary<List<String>> bodies() {
        Arbitrary<String> tagSet = Arbitraries.of("", ",host=a", ",host=b", ",dc=x,host=a", ",host=a,dc=x",
                ",host\\ x=a", ",__name__=bad", ",a-b=1,a_b=2", ",db=own");
        Arbitrary<String> field = Arbitraries.of("x=1", "y=2i", "z=3u", "w=t", "s=\"str\"", "x\\=y=4", "é=5");
        Arbitrary<String> line = Combinators.combine(Arbitraries.of("m", "n", "m\\ 2"), tagSet,
                field.list().ofMinSize(1).ofMaxSize(4).uniqueElements(f -> f.substring(0, f.lastIndexOf('='))),
                Arbitraries.integers().between(1, 1000))
                .as((m, tags, fields, ts) -> m + tags + " " + String.join(",", fields) + " " + ts);
        return line.list().ofMinSize(1).ofMaxSize(20).map(ls -> ls).list().ofMinSize(1).ofMaxSize(6)
                .map(bodies -> bodies.stream().map(b -> String.join("\n", b)).toList());
    }

    private record Sample(Labels labels, long ts, double value) {
    }

    @Property
    void aWarmMapperMapsLikeAColdOneAndHandsBackOnlyTheSeriesOwnHandle(@ForAll("bodies") List<String> bodies,
                                                                       @ForAll boolean tinyCache,
                                                                       @ForAll boolean withDb) {
        InfluxMappingOptions options = InfluxMappingOptions.defaults().withExtraLabel("db");
        InfluxSeriesMapper warm = tinyCache ? new InfluxSeriesMapper(options, LineSeriesCache.WAYS)
                : new InfluxSeriesMapper(options);
        Map<Labels, Long> ids = new HashMap<>();
        InfluxBatch batch = new InfluxBatch();
        LineProtocolParser parser = new LineProtocolParser();
        for (int round = 0; round < 2; round++) {
            for (String body : bodies) {
                String db = withDb ? "db" + (body.length() % 2) : "";
                parser.parse(body.getBytes(StandardCharsets.UTF_8), Precision.SECONDS, 0, batch);
                List<Sample> expected = new ArrayList<>();
                List<LineError> expectedRejects = new ArrayList<>();
                int expectedCount = new InfluxSeriesMapper(options).map(batch, db,
                        (l, t, v) -> expected.add(new Sample(l, t, v)), expectedRejects);

                List<Sample> got = new ArrayList<>();
                List<LineError> rejects = new ArrayList<>();
                int count = warm.map(batch, db, new SampleSink() {
                    @Override
                    public void accept(Labels labels, long timestampMs, double value) {
                        throw new AssertionError("the mapper gives handles to a sink that takes them");
                    }

                    @Override
                    public long accept(Labels labels, long handle, long timestampMs, double value) {
                        got.add(new Sample(labels, timestampMs, value));
                        long id = ids.computeIfAbsent(labels, l -> (long) ids.size() + 1);
                        if (handle != 0) {
                            assertThat(handle).as("handle of %s", labels).isEqualTo(id);
                        }
                        return id;
                    }
                }, rejects);
                assertThat(got).isEqualTo(expected);
                assertThat(count).isEqualTo(expectedCount).isEqualTo(got.size());
                assertThat(rejects).isEqualTo(expectedRejects);
            }
        }
    }
}
