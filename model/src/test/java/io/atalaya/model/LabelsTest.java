package io.atalaya.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Property
    void sharingStringsChangesNothingObservable(@ForAll @Size(max = 6) Map<@StringLength(min = 1, max = 8) String,
            @StringLength(max = 8) String> pairs) {
        Labels l = Labels.fromMap(pairs);
        Labels copy = Labels.fromMap(pairs);
        String text = l.toString();
        int hash = l.hashCode();
        Map<String, String> canonical = new java.util.HashMap<>();
        l.shareStrings(s -> canonical.computeIfAbsent(s, k -> new String(k.toCharArray())));
        assertThat(l).isEqualTo(copy).hasSameHashCodeAs(copy).hasToString(text);
        assertThat(l.hashCode()).isEqualTo(hash);
        assertThat(l.compareTo(copy)).isZero();
        for (int i = 0; i < l.size(); i++) {
            assertThat(l.name(i)).isSameAs(canonical.get(l.name(i)));
            assertThat(l.value(i)).isSameAs(canonical.get(l.value(i)));
        }
    }

    @Test
    void sharingStringsRefusesADifferentString() {
        Labels l = Labels.of("job", "node");
        assertThatThrownBy(() -> l.shareStrings(s -> s + "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sortsByNameAndDropsEmptyValues() {
        Labels l = Labels.of("job", "node", "__name__", "up", "zone", "", "instance", "a:9100");
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.name(0)).isEqualTo("__name__");
        assertThat(l.names()).containsExactly("__name__", "instance", "job");
        assertThat(l.metricName()).isEqualTo("up");
        assertThat(l.get("zone")).isEmpty();
        assertThat(l.has("zone")).isFalse();
        assertThat(l).hasToString("up{instance=\"a:9100\", job=\"node\"}");
    }

    @Test
    void rejectsDuplicateNames() {
        assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).hasMessageContaining("duplicate label name \"a\"");
        assertThatThrownBy(() -> Labels.of("a")).hasMessageContaining("odd");
    }

    @Test
    void escapesValuesInToString() {
        assertThat(Labels.of("a", "x\"y\\z\n")).hasToString("{a=\"x\\\"y\\\\z\\n\"}");
    }

    @Test
    void builderSetsAndDeletes() {
        Labels l = Labels.of("__name__", "m", "a", "1").toBuilder().set("b", "2").delete("a").build();
        assertThat(l).isEqualTo(Labels.of("__name__", "m", "b", "2"));
        assertThat(l.withoutMetricName()).isEqualTo(Labels.of("b", "2"));
    }

    @Test
    void ordersAsPrometheus() {
        List<Labels> list = new ArrayList<>(List.of(
                Labels.of("a", "2"), Labels.of("a", "1", "b", "1"), Labels.of("a", "1"), Labels.of("b", "0")));
        list.sort(null);
        assertThat(list).containsExactly(Labels.of("a", "1"), Labels.of("a", "1", "b", "1"), Labels.of("a", "2"),
                Labels.of("b", "0"));
    }

    @Property
    void equalMapsGiveEqualLabelsAndHashes(@ForAll @Size(max = 12) Map<@StringLength(min = 1, max = 8) String,
            @StringLength(max = 8) String> map) {
        Labels a = Labels.fromMap(map);
        Labels b = Labels.fromMap(new TreeMap<>(map));
        assertThat(a).isEqualTo(b);
        assertThat(a.stableHash()).isEqualTo(b.stableHash());
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        for (Map.Entry<String, String> e : map.entrySet()) {
            assertThat(a.get(e.getKey())).isEqualTo(e.getValue());
        }
        for (int i = 1; i < a.size(); i++) {
            assertThat(a.name(i - 1)).isLessThan(a.name(i));
        }
    }
}
