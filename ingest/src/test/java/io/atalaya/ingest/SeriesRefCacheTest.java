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
    void aBucketHoldsFourSeriesAndAFifthReplacesOneNeverAnsweringForAnother() {
        SeriesRefCache c = new SeriesRefCache(4); // one bucket: every series shares it
        Labels[] l = new Labels[5];
        for (int i = 0; i < 5; i++) {
            l[i] = Labels.of("__name__", "m" + i);
        }
        for (int i = 0; i < 4; i++) {
            c.put(l[i], 100 + i);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(c.get(l[i])).isEqualTo(100 + i);
        }
        c.put(l[1], 201); // a new ref for a stored series replaces its own slot
        assertThat(c.get(l[1])).isEqualTo(201);
        c.put(l[4], 104);
        assertThat(c.get(l[4])).isEqualTo(104);
        int kept = 0;
        for (int i = 0; i < 4; i++) {
            long r = c.get(l[i]);
            if (r != 0) {
                assertThat(r).isEqualTo(i == 1 ? 201 : 100 + i);
                kept++;
            }
        }
        assertThat(kept).isEqualTo(3);
    }

    @Test
    void refusesASizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new SeriesRefCache(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
