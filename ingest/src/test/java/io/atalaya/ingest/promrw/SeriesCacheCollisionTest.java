package io.atalaya.ingest.promrw;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.codec.promrw.RemoteWriteBatch;
import io.atalaya.codec.promrw.RemoteWriteDecoder;
import io.atalaya.codec.promrw.RemoteWriteEncoder;
import io.atalaya.codec.promrw.RemoteWriteV2Encoder;
import io.atalaya.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cache against a model: a hit is always the entry put for exactly the same key (the same raw label bytes of a
 * remote write 1.0 request, or the same names and values in wire order otherwise), also when every hash collides,
 * and without collisions or eviction every key seen before hits.
 */
class SeriesCacheCollisionTest {
    /** How a series is put on the wire. */
    enum Shape { V1_CONTIGUOUS, V1_SPLIT_BY_SAMPLE, V2 }

    record Series(List<String[]> pairs, Shape shape) {
        Labels labels() {
            String[] nv = new String[pairs.size() * 2];
            for (int i = 0; i < pairs.size(); i++) {
                nv[2 * i] = pairs.get(i)[0];
                nv[2 * i + 1] = pairs.get(i)[1];
            }
            return Labels.of(nv);
        }

        /** What the cache is keyed on: raw bytes for contiguous 1.0 labels, names and values in wire order else. */
        List<String> modelKey() {
            List<String> k = new ArrayList<>();
            // A single label cannot be split from itself: the sample then simply follows it.
            boolean raw = shape == Shape.V1_CONTIGUOUS || (shape == Shape.V1_SPLIT_BY_SAMPLE && pairs.size() < 2);
            k.add(raw ? "raw" : "names");
            List<String[]> order = shape == Shape.V2 ? sorted() : pairs;
            for (String[] p : order) {
                k.add(p[0]);
                k.add(p[1]);
            }
            return k;
        }

        private List<String[]> sorted() {
            Labels l = labels();
            List<String[]> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(new String[] {l.name(i), l.value(i)});
            }
            return out;
        }
    }

    record Request(boolean v2, List<Series> series) {
    }

    @Property(tries = 400)
    void aHitIsTheEntryOfTheSameKey(@ForAll("requests") List<Request> requests, @ForAll boolean collide) {
        // Mask 1 keeps only the bit that tells the key kinds apart: every raw key collides with every other one.
        SeriesCache cache = collide ? new SeriesCache(8, 8, 1L) : new SeriesCache(1 << 14, 1 << 14, -1L);
        Map<List<String>, Long> model = new HashMap<>();
        RemoteWriteDecoder decoder = new RemoteWriteDecoder();
        RemoteWriteBatch b = new RemoteWriteBatch();
        long nextRef = 1;
        for (Request r : requests) {
            byte[] wire = encode(r);
            if (r.v2()) {
                decoder.decodeV2(wire, 0, wire.length, b);
            } else {
                decoder.decodeV1(wire, 0, wire.length, b);
            }
            for (int s = 0; s < b.seriesCount(); s++) {
                Series spec = r.series().get(s);
                List<String> key = spec.modelKey();
                SeriesCache.Entry e = cache.get(b, s);
                if (e != null) {
                    assertThat(e.ref()).as("ref of a hit for %s", key).isEqualTo(model.get(key));
                    assertThat(e.labels()).isEqualTo(spec.labels());
                } else {
                    assertThat(collide || !model.containsKey(key)).as("miss for a cached %s", key).isTrue();
                    long ref = nextRef++;
                    cache.put(b, s, b.labels(s), ref);
                    model.put(key, ref);
                    assertThat(cache.get(b, s).ref()).isEqualTo(ref);
                }
            }
        }
    }

    private static byte[] encode(Request r) {
        if (r.v2()) {
            RemoteWriteV2Encoder enc = new RemoteWriteV2Encoder().reset();
            for (Series s : r.series()) {
                enc.beginSeries().labels(s.labels()).sample(1000, 1).endSeries();
            }
            return enc.toByteArray();
        }
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        for (Series s : r.series()) {
            enc.beginSeries();
            for (int i = 0; i < s.pairs().size(); i++) {
                if (i == 1 && s.shape() == Shape.V1_SPLIT_BY_SAMPLE) {
                    enc.sample(1000, 1);
                }
                enc.label(s.pairs().get(i)[0], s.pairs().get(i)[1]);
            }
            if (s.shape() != Shape.V1_SPLIT_BY_SAMPLE || s.pairs().size() < 2) {
                enc.sample(1000, 1);
            }
            enc.endSeries();
        }
        return enc.toByteArray();
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        // A tiny alphabet, so that label sets often repeat or differ by one byte or by where a string is cut.
        Arbitrary<String> names = Arbitraries.of("__name__", "a", "ab", "b", "job", "instance_with_a_long_name");
        Arbitrary<String> values = Arbitraries.of("", "c", "bc", "x", "node", "0123456789abcdefg", "0123456789abcdefh");
        Arbitrary<List<String[]>> pairs = Combinators.combine(names, values).as((n, v) -> new String[] {n, v})
                .list().ofMinSize(1).ofMaxSize(5)
                .map(SeriesCacheCollisionTest::distinctNames);
        Arbitrary<Series> v1 = Combinators.combine(pairs, Arbitraries.of(Shape.V1_CONTIGUOUS,
                Shape.V1_SPLIT_BY_SAMPLE)).as(Series::new);
        Arbitrary<Series> v2 = pairs.map(p -> new Series(p, Shape.V2));
        Arbitrary<Request> request = Arbitraries.oneOf(
                v1.list().ofMinSize(1).ofMaxSize(12).map(l -> new Request(false, l)),
                v2.list().ofMinSize(1).ofMaxSize(12).map(l -> new Request(true, l)));
        return request.list().ofMinSize(1).ofMaxSize(6);
    }

    /** Keeps the first pair of each name: a repeated name is refused before the cache is asked. */
    private static List<String[]> distinctNames(List<String[]> pairs) {
        Map<String, String[]> byName = new LinkedHashMap<>();
        for (String[] p : pairs) {
            byName.putIfAbsent(p[0], p);
        }
        return new ArrayList<>(byName.values());
    }
}
