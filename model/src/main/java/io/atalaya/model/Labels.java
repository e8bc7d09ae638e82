package io.atalaya.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable label set sorted by label name: the identity of a series. The metric name is the label {@code __name__}.
 *
 * <p>Stored as one flat array {@code [name0, value0, name1, value1, ...]} so that a series costs one array plus its
 * strings, and iteration needs no objects. Empty values are dropped on construction, as in Prometheus: a label with an
 * empty value is the same as no label.
 *
 * <p>Ordering ({@link #compareTo}) is Prometheus' order: label by label, name first, then value; a prefix sorts first.
 * Instances are thread-safe.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] nv;
    private int hash; // cached String-style hash for HashMap use; 0 means not computed

    private Labels(String[] sortedNameValues) {
        this.nv = sortedNameValues;
    }

    /** Builds a label set from alternating names and values, in any order. Duplicate names are an error. */
    public static Labels of(String... namesAndValues) {
        if ((namesAndValues.length & 1) != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got an odd count " + namesAndValues.length);
        }
        return fromUnsorted(namesAndValues.clone(), namesAndValues.length);
    }

    public static Labels fromMap(Map<String, String> map) {
        String[] a = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            a[i++] = e.getKey();
            a[i++] = e.getValue();
        }
        return fromUnsorted(a, a.length);
    }

    /**
     * Takes ownership of {@code a} (alternating name/value, first {@code len} entries), sorts it in place,
     * drops empty values and rejects duplicate names.
     */
    static Labels fromUnsorted(String[] a, int len) {
        int pairs = len / 2;
        // Insertion sort on pairs: label sets are small (typically < 20) and often already sorted.
        for (int i = 1; i < pairs; i++) {
            String n = a[2 * i], v = a[2 * i + 1];
            int j = i - 1;
            while (j >= 0 && a[2 * j].compareTo(n) > 0) {
                a[2 * j + 2] = a[2 * j];
                a[2 * j + 3] = a[2 * j + 1];
                j--;
            }
            a[2 * j + 2] = n;
            a[2 * j + 3] = v;
        }
        int w = 0;
        for (int i = 0; i < pairs; i++) {
            String n = Objects.requireNonNull(a[2 * i], "label name");
            String v = Objects.requireNonNull(a[2 * i + 1], "label value");
            if (v.isEmpty()) {
                continue;
            }
            if (w > 0 && a[w - 2].equals(n)) {
                throw new IllegalArgumentException("duplicate label name \"" + n + "\"");
            }
            a[w++] = n;
            a[w++] = v;
        }
        return new Labels(w == a.length ? a : Arrays.copyOf(a, w));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this label set, to set or delete labels. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < nv.length; i += 2) {
            b.set(nv[i], nv[i + 1]);
        }
        return b;
    }

    public int size() {
        return nv.length / 2;
    }

    /**
     * Replaces each name and value by the equal string {@code canonical} returns for it (an interner), in place. The
     * label set stays the same in every observable way (equality, hash, order, text); only which {@code String}
     * instances hold the characters changes. A store calls this once when it adopts a caller's instance for a new
     * series: decoders keep that very instance in their series caches, so the series is held once instead of as a
     * private copy with its own strings next to the store's interned one (about 450 bytes per node_exporter series).
     *
     * <p>Safe while other threads read this instance: a reader sees the old or the new reference of an equal,
     * immutable string. {@code canonical} must return a string equal to its argument.
     */
    public void shareStrings(java.util.function.UnaryOperator<String> canonical) {
        for (int i = 0; i < nv.length; i++) {
            String c = canonical.apply(nv[i]);
            if (c != nv[i]) {
                if (!c.equals(nv[i])) {
                    throw new IllegalArgumentException("canonical string \"" + c + "\" differs from \"" + nv[i] + "\"");
                }
                nv[i] = c;
            }
        }
    }

    public boolean isEmpty() {
        return nv.length == 0;
    }

    public String name(int i) {
        return nv[2 * i];
    }

    public String value(int i) {
        return nv[2 * i + 1];
    }

    /** The value of label {@code name}, or the empty string when absent (Prometheus' convention). */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : nv[2 * i + 1];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** Index of the label pair named {@code name}, or a negative number. */
    public int indexOf(String name) {
        int lo = 0, hi = nv.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = nv[2 * mid].compareTo(name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** The metric name ({@code __name__}), or the empty string. */
    public String metricName() {
        return get(METRIC_NAME);
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < nv.length; i += 2) {
            action.accept(nv[i], nv[i + 1]);
        }
    }

    /** A copy without the metric name, as PromQL functions and aggregations return. */
    public Labels withoutMetricName() {
        return indexOf(METRIC_NAME) < 0 ? this : without(List.of(METRIC_NAME));
    }

    /** A copy keeping only the named labels. */
    public Labels keep(Collection<String> names) {
        String[] out = new String[nv.length];
        int w = 0;
        for (int i = 0; i < nv.length; i += 2) {
            if (names.contains(nv[i])) {
                out[w++] = nv[i];
                out[w++] = nv[i + 1];
            }
        }
        return w == nv.length ? this : new Labels(Arrays.copyOf(out, w));
    }

    /** A copy without the named labels. */
    public Labels without(Collection<String> names) {
        String[] out = new String[nv.length];
        int w = 0;
        for (int i = 0; i < nv.length; i += 2) {
            if (!names.contains(nv[i])) {
                out[w++] = nv[i];
                out[w++] = nv[i + 1];
            }
        }
        return w == nv.length ? this : new Labels(Arrays.copyOf(out, w));
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(size());
        for (int i = 0; i < nv.length; i += 2) {
            names.add(nv[i]);
        }
        return names;
    }

    /**
     * A stable 64-bit hash of the label set (FNV-1a over names and values with separators). Stable across JVMs and
     * releases: it may be persisted. Collisions are possible; callers that key maps by it must compare labels too.
     */
    public long stableHash() {
        long h = 0xcbf29ce484222325L;
        for (String s : nv) {
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                h ^= c & 0xff;
                h *= 0x100000001b3L;
                h ^= c >>> 8;
                h *= 0x100000001b3L;
            }
            h ^= 0xff; // separator between strings, so that ("ab", "c") and ("a", "bc") hash differently
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(nv.length, o.nv.length);
        for (int i = 0; i < n; i++) {
            int c = nv[i].compareTo(o.nv[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(nv.length, o.nv.length);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Labels other && Arrays.equals(nv, other.nv));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(nv);
            hash = h;
        }
        return h;
    }

    /** Prometheus notation: {@code name{a="b", c="d"}}, values escaped. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String name = metricName();
        sb.append(name);
        sb.append('{');
        boolean first = true;
        for (int i = 0; i < nv.length; i += 2) {
            if (nv[i].equals(METRIC_NAME) && !name.isEmpty()) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(nv[i]).append("=\"");
            appendEscaped(sb, nv[i + 1]);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    static void appendEscaped(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /** Mutable builder; not thread-safe. Setting an empty value deletes the label. */
    public static final class Builder {
        private String[] a = new String[16];
        private int len;

        public Builder set(String name, String value) {
            for (int i = 0; i < len; i += 2) {
                if (a[i].equals(name)) {
                    a[i + 1] = value;
                    return this;
                }
            }
            if (len == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[len++] = name;
            a[len++] = value;
            return this;
        }

        public Builder delete(String name) {
            return set(name, "");
        }

        public String get(String name) {
            for (int i = 0; i < len; i += 2) {
                if (a[i].equals(name)) {
                    return a[i + 1];
                }
            }
            return "";
        }

        public Builder reset() {
            len = 0;
            return this;
        }

        public Labels build() {
            return fromUnsorted(Arrays.copyOf(a, len), len);
        }
    }
}
