package io.atalaya.ingest.promrw;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.codec.promrw.RemoteWriteBatch;
import io.atalaya.codec.promrw.RemoteWriteDecoder;
import io.atalaya.codec.promrw.RemoteWriteEncoder;
import io.atalaya.model.Labels;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {
    private static RemoteWriteBatch decode(RemoteWriteEncoder enc) {
        RemoteWriteBatch b = new RemoteWriteBatch();
        byte[] raw = java.util.Arrays.copyOf(enc.array(), enc.length());
        new RemoteWriteDecoder().decodeV1(raw, 0, raw.length, b);
        return b;
    }

    /** One request with {@code perHost} node_exporter-like series of each of {@code hosts} hosts. */
    private static RemoteWriteBatch nodeSeries(int hosts, int perHost) {
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        for (int h = 0; h < hosts; h++) {
            for (int s = 0; s < perHost; s++) {
                enc.beginSeries().labels(Labels.of("__name__", "node_metric_" + s, "instance", "host-" + h + ":9100",
                        "job", "node")).sample(1000, s).endSeries();
            }
        }
        return decode(enc);
    }

    @Test
    void keepsEveryOneOfSixteenThousandSeries() {
        // The cardinality of the ingestion benchmark: a direct-mapped table of the same size lost about 12 % of it.
        RemoteWriteBatch b = nodeSeries(100, 163);
        SeriesCache cache = new SeriesCache();
        for (int s = 0; s < b.seriesCount(); s++) {
            cache.put(b, s, b.labels(s), s + 1);
        }
        for (int s = 0; s < b.seriesCount(); s++) {
            SeriesCache.Entry k = cache.get(b, s);
            assertThat(k).as("series %d of %d, capacity %d", s, b.seriesCount(), cache.capacity()).isNotNull();
            assertThat(k.ref()).isEqualTo(s + 1);
            assertThat(k.labels()).isEqualTo(b.labels(s));
        }
    }

    @Test
    void growsToKeepTheSeriesOfAThousandHosts() {
        // 177 000 series: a fixed 2^18 slots left about a quarter of them missing on every request.
        RemoteWriteBatch b = nodeSeries(1000, 177);
        SeriesCache cache = new SeriesCache();
        int before = cache.capacity();
        for (int s = 0; s < b.seriesCount(); s++) {
            cache.put(b, s, b.labels(s), s + 1);
        }
        assertThat(cache.capacity()).isGreaterThan(before).isGreaterThanOrEqualTo(4 * 177_000);
        int missing = 0;
        for (int s = 0; s < b.seriesCount(); s++) {
            SeriesCache.Entry k = cache.get(b, s);
            if (k == null) {
                missing++;
            } else {
                assertThat(k.ref()).isEqualTo(s + 1);
            }
        }
        assertThat(missing).as("series evicted by full buckets").isLessThan(177_000 / 1000);
    }

    @Test
    void stopsGrowingAtItsLimit() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        for (int s = 0; s < 1000; s++) {
            enc.beginSeries().labels(Labels.of("__name__", "m", "i", Integer.toString(s))).sample(1, 1).endSeries();
        }
        RemoteWriteBatch b = decode(enc);
        SeriesCache cache = new SeriesCache(16, 64, -1L);
        int kept = 0;
        for (int s = 0; s < b.seriesCount(); s++) {
            cache.put(b, s, b.labels(s), s + 1);
        }
        for (int s = 0; s < b.seriesCount(); s++) {
            SeriesCache.Entry k = cache.get(b, s);
            if (k != null) {
                assertThat(k.ref()).isEqualTo(s + 1);
                kept++;
            }
        }
        assertThat(cache.capacity()).isEqualTo(64);
        assertThat(kept).isBetween(1, 64);
    }

    @Test
    void aSeriesWithOtherLabelsIsNeverTakenForACachedOne() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        enc.beginSeries().labels(Labels.of("__name__", "m", "a", "bc")).sample(1, 1).endSeries();
        enc.beginSeries().labels(Labels.of("__name__", "m", "ab", "c")).sample(1, 1).endSeries();
        enc.beginSeries().labels(Labels.of("__name__", "m", "a", "bc", "d", "e")).sample(1, 1).endSeries();
        RemoteWriteBatch b = decode(enc);
        SeriesCache cache = new SeriesCache();
        cache.put(b, 0, b.labels(0), 7);
        assertThat(cache.get(b, 0).ref()).isEqualTo(7);
        assertThat(cache.get(b, 1)).isNull();
        assertThat(cache.get(b, 2)).isNull();
        cache.put(b, 0, b.labels(0), 8); // a new ref replaces the entry of the same series
        assertThat(cache.get(b, 0).ref()).isEqualTo(8);
    }
}
