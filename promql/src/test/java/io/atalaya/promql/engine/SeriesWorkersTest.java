package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SeriesWorkersTest {
    @Property(tries = 50)
    void everyItemRunsExactlyOnce(@ForAll @IntRange(min = 0, max = 5000) int items) {
        AtomicIntegerArray runs = new AtomicIntegerArray(items);
        SeriesWorkers.run(items, (from, to) -> {
            assertThat(from).isLessThan(to);
            for (int i = from; i < to; i++) {
                runs.incrementAndGet(i);
            }
        });
        for (int i = 0; i < items; i++) {
            assertThat(runs.get(i)).as("item " + i).isEqualTo(1);
        }
    }

    @Test
    void aFailingSliceIsRethrownOnTheCallerAfterAllSlicesEnded() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        assertThatThrownBy(() -> SeriesWorkers.run(1000, (from, to) -> {
            for (int i = from; i < to; i++) {
                runs.incrementAndGet(i);
            }
            if (from == 0) {
                throw new IllegalStateException("boom");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        for (int i = 0; i < 1000; i++) {
            assertThat(runs.get(i)).as("item " + i).isLessThanOrEqualTo(1);
        }
    }
}
