package io.atalaya.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import org.junit.jupiter.api.Test;

class SeriesRefCacheTest {
    @Test
    void hitsOnlyForTheVeryInstanceThatWasStored() {
        SeriesRefCache c = new SeriesRefCache(1 << 4);
        Labels a = Labels.of("__name__", "m", "host", "a");
        Labels equalButOther = Labels.of("__name__", "m", "host", "a");
        assertThat(c.get(a)).isZero();
        c.put(a, 42);
        assertThat(c.get(a)).isEqualTo(42);
        assertThat(c.get(equalButOther)).isZero();
        c.put(a, 43);
        assertThat(c.get(a)).isEqualTo(43);
    }

    @Test
    void aCollidingSeriesReplacesTheSlotAndNeverAnswersForTheOther() {
        SeriesRefCache c = new SeriesRefCache(1); // one slot: every series collides
        Labels a = Labels.of("__name__", "a");
        Labels b = Labels.of("__name__", "b");
        c.put(a, 1);
        c.put(b, 2);
        assertThat(c.get(a)).isZero();
        assertThat(c.get(b)).isEqualTo(2);
    }

    @Test
    void refusesASizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new SeriesRefCache(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
