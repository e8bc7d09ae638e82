package io.atalaya.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadTest {
    @Test
    void aNewSeriesKeepsTheCallersLabelsWithInternedStrings() {
        // Decoders cache the instance they appended; the head adopting it means the series is held once.
        Labels a = Labels.of("__name__", "up", "job", new String("node"));
        Labels b = Labels.of("__name__", "down", "job", new String("node"));
        assertThat(a.get("job")).isNotSameAs(b.get("job"));
        try (Head head = new Head(HeadOptions.defaults())) {
            Appender app = head.appender(CommitLog.NONE);
            long ra = app.append(0, a, 1000, 1);
            long rb = app.append(0, b, 1000, 2);
            app.commit();
            assertThat(head.resolve(ra, a).labels).isSameAs(a);
            assertThat(head.resolve(rb, b).labels).isSameAs(b);
            assertThat(b.get("job")).as("interned: both series hold one string").isSameAs(a.get("job"));
            assertThat(a).isEqualTo(Labels.of("__name__", "up", "job", "node"));
            assertThat(HeadModelPropertyTest.readAll(head)).containsOnlyKeys(a, b);
        }
    }

    @Test
    void labelSetsWithTheSameHashStayDistinct() {
        Labels a = Labels.of("__name__", "Aa", "job", "x");
        Labels b = Labels.of("__name__", "BB", "job", "x");
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        try (Head head = new Head(HeadOptions.defaults())) {
            Appender app = head.appender(CommitLog.NONE);
            long ra = app.append(0, a, 1000, 1);
            long rb = app.append(0, b, 1000, 2);
            assertThat(ra).isNotEqualTo(rb);
            app.append(ra, a, 2000, 3);
            app.append(0, b, 2000, 4);
            app.commit();
            assertThat(head.numSeries()).isEqualTo(2);
            Map<Labels, List<String>> all = HeadModelPropertyTest.readAll(head);
            assertThat(all.get(a)).hasSize(2);
            assertThat(all.get(b)).containsExactly("1000=" + Long.toHexString(Double.doubleToRawLongBits(2)),
                    "2000=" + Long.toHexString(Double.doubleToRawLongBits(4)));
        }
    }

    @Test
    void truncationDropsOldChunksRemovesEmptySeriesAndFreesSlabs() {
        HeadOptions opts = new HeadOptions(0, 60_000, 0, HeadOptions.defaults().nameScheme(), 4096);
        try (Head head = new Head(opts)) {
            Appender app = head.appender(CommitLog.NONE);
            Labels gone = Labels.of("__name__", "gone");
            Labels stays = Labels.of("__name__", "stays");
            for (int i = 0; i < 2000; i++) {
                app.append(0, stays, i * 1000L, Math.sqrt(i)); // fractional values: several slabs fill up
                if (i < 500) {
                    app.append(0, gone, i * 1000L, i);
                }
            }
            app.commit();
            long offHeapBefore = head.offHeapBytes();
            Querier open = head.querier(0, 600_000); // pins slabs until closed
            SeriesSet pinned = open.select(false, SelectHints.range(0, 600_000), List.of(Matcher.equal("__name__", "stays")));
            assertThat(pinned.next()).isTrue();
            head.truncate(1_000_000);
            assertThat(head.numSeries()).isEqualTo(1);
            SampleIterator it = pinned.at().iterator(null);
            int n = 0;
            while (it.next()) {
                n++;
            }
            assertThat(n).as("a querier opened before truncation still reads its chunks").isEqualTo(601);
            open.close();
            assertThat(head.offHeapBytes()).isLessThan(offHeapBefore);
            List<String> left = HeadModelPropertyTest.readAll(head).get(stays);
            // The chunk holding 1,000,000 starts earlier and stays whole, but what it holds before the bound is
            // persisted elsewhere: queriers start at the bound, so blocks and head chain instead of merging.
            assertThat(left.get(0)).startsWith("1000000=");
            assertThat(left).hasSize(1000);
            try (Querier q = head.querier(0, 999_999)) {
                assertThat(q.select(false, SelectHints.range(0, 999_999), List.of()).next()).isFalse();
            }
            try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(q.labelValues("__name__", List.of())).containsExactly("stays");
            }
            List<String> reasons = new ArrayList<>();
            Appender late = head.appender(CommitLog.NONE);
            try {
                late.append(0, stays, 10_000, 1);
            } catch (io.atalaya.storage.SampleRejectedException e) {
                reasons.add(e.reason().label());
            }
            assertThat(reasons).containsExactly("out_of_bounds");
        }
    }
}
