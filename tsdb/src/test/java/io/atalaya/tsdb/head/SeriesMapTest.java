package io.atalaya.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import org.junit.jupiter.api.Test;

class SeriesMapTest {

    @Test
    void aSeriesMarkedRemovedIsReplacedByTheNextLookupThatCreates() {
        try (ChunkSlabs slabs = new ChunkSlabs(4096)) {
            SeriesMap map = new SeriesMap();
            Labels labels = Labels.of("__name__", "up", "job", "node");
            MemSeries first = map.getOrCreate(labels, () -> new MemSeries(1, labels, slabs));
            first.removed = true; // what truncation does before it takes the series out of the map

            MemSeries second = map.getOrCreate(labels, () -> new MemSeries(2, labels, slabs));

            assertThat(second).isNotSameAs(first);
            assertThat(map.get(labels)).isSameAs(second);
            assertThat(map.get(1)).isNull();
            assertThat(map.get(2)).isSameAs(second);
            // Truncation's own removal of the old series comes later and must not touch the new one.
            map.remove(first);
            assertThat(map.get(labels)).isSameAs(second);
            assertThat(map.get(2)).isSameAs(second);
        }
    }

    @Test
    void aLiveSeriesIsReturnedWithoutCallingTheFactory() {
        try (ChunkSlabs slabs = new ChunkSlabs(4096)) {
            SeriesMap map = new SeriesMap();
            Labels labels = Labels.of("__name__", "up");
            MemSeries first = map.getOrCreate(labels, () -> new MemSeries(1, labels, slabs));
            MemSeries again = map.getOrCreate(labels, () -> {
                throw new AssertionError("factory called for a live series");
            });
            assertThat(again).isSameAs(first);
        }
    }
}
