package io.atalaya.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.model.MatchType;
import io.atalaya.model.Matcher;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * {@link MemPostings#select} against the definition: a series matches when every matcher accepts its value of the
 * label ("" when absent). Select reads postings in place, so the test also checks that answering never changes what
 * the index holds.
 */
class MemPostingsPropertyTest {
    private static final String[] NAMES = {"__name__", "job", "instance", "mode"};
    private static final String[] VALUES = {"a", "b", "c", "ab", ""};

    @Property(tries = 300)
    void selectEqualsFilteringEverySeries(@ForAll("seriesLists") List<Labels> series,
                                          @ForAll("matcherLists") List<Matcher> matchers) {
        MemPostings postings = new MemPostings();
        for (int i = 0; i < series.size(); i++) {
            postings.add(i, series.get(i));
        }
        RoaringBitmap expected = new RoaringBitmap();
        for (int i = 0; i < series.size(); i++) {
            if (matchesAll(series.get(i), matchers)) {
                expected.add(i);
            }
        }
        RoaringBitmap first = postings.select(matchers);
        assertThat(first).isEqualTo(expected);
        first.add(1_000_000); // the caller owns the answer: changing it must not change the index
        first.remove(0);
        assertThat(postings.select(matchers)).isEqualTo(expected);
        assertThat(postings.select(List.of())).isEqualTo(RoaringBitmap.bitmapOfRange(0, series.size()));
    }

    @Test
    void singleEqualMatcherAnswerIsACopy() {
        MemPostings postings = new MemPostings();
        postings.add(1, Labels.of("__name__", "up", "job", "x"));
        postings.add(2, Labels.of("__name__", "up", "job", "y"));
        RoaringBitmap ids = postings.select(List.of(Matcher.equal("__name__", "up")));
        ids.clear();
        assertThat(postings.select(List.of(Matcher.equal("__name__", "up")))).isEqualTo(RoaringBitmap.bitmapOf(1, 2));
        assertThat(postings.select(List.of(Matcher.equal("__name__", "up"), Matcher.equal("job", "y"))))
                .isEqualTo(RoaringBitmap.bitmapOf(2));
        assertThat(postings.select(List.of(Matcher.equal("__name__", "down")))).isEqualTo(new RoaringBitmap());
    }

    private static boolean matchesAll(Labels labels, List<Matcher> matchers) {
        for (Matcher m : matchers) {
            String v = labels.get(m.name());
            if (!m.matches(v == null ? "" : v)) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<List<Labels>> seriesLists() {
        Arbitrary<Labels> labels = Arbitraries.of(VALUES).list().ofSize(NAMES.length).map(vs -> {
            List<String> kv = new ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                if (!vs.get(i).isEmpty()) { // an empty value means the label is absent
                    kv.add(NAMES[i]);
                    kv.add(vs.get(i));
                }
            }
            return Labels.of(kv.toArray(String[]::new));
        });
        return labels.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Matcher>> matcherLists() {
        Arbitrary<Matcher> matcher = Combinators.combine(
                Arbitraries.of(MatchType.class), Arbitraries.of(NAMES),
                Arbitraries.of("a", "b", "", "a|b", "a.*", ".+", ".*", "ab|c|zz")).as(Matcher::of);
        return matcher.list().ofMaxSize(4);
    }
}
