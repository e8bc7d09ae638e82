package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import io.atalaya.model.MatchType;
import io.atalaya.model.Matcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory inverted index of the head: label name → value → RoaringBitmap of series ids (ids are series refs,
 * below 2^31), plus the bitmap of all series. Thread-safe: readers share a read lock and get fresh bitmaps; writers
 * (series added at their first commit, removed by garbage collection) take the write lock.
 */
final class MemPostings {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Map<String, RoaringBitmap>> index = new HashMap<>();
    private final RoaringBitmap all = new RoaringBitmap();
    /** The answer for absent postings; never modified. */
    private static final RoaringBitmap EMPTY = new RoaringBitmap();

    void add(int id, Labels labels) {
        lock.writeLock().lock();
        try {
            all.add(id);
            for (int i = 0; i < labels.size(); i++) {
                index.computeIfAbsent(labels.name(i), k -> new HashMap<>())
                        .computeIfAbsent(labels.value(i), k -> new RoaringBitmap()).add(id);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void remove(int id, Labels labels) {
        lock.writeLock().lock();
        try {
            all.remove(id);
            for (int i = 0; i < labels.size(); i++) {
                Map<String, RoaringBitmap> values = index.get(labels.name(i));
                if (values == null) {
                    continue;
                }
                RoaringBitmap b = values.get(labels.value(i));
                if (b != null) {
                    b.remove(id);
                    if (b.isEmpty()) {
                        values.remove(labels.value(i));
                        if (values.isEmpty()) {
                            index.remove(labels.name(i));
                        }
                    }
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Ids of series matching all matchers (Prometheus semantics: a missing label has the value ""). The result is the
     * caller's own bitmap. Postings are read in place, never copied for reading: only the intersection, or one final
     * copy when a single posting list is the answer, is allocated.
     */
    RoaringBitmap select(List<Matcher> matchers) {
        lock.readLock().lock();
        try {
            // Matchers that do not match "" select from postings; intersect them smallest first, they narrow the most.
            List<RoaringBitmap> selecting = new ArrayList<>(matchers.size());
            for (Matcher m : matchers) {
                if (!m.matchesEmpty()) {
                    RoaringBitmap b = postings(m, true);
                    if (b.isEmpty()) {
                        return new RoaringBitmap();
                    }
                    selecting.add(b);
                }
            }
            RoaringBitmap result = intersection(selecting);
            for (Matcher m : matchers) {
                if (m.matchesEmpty()) {
                    // Series match unless they carry the label with a value the matcher rejects.
                    RoaringBitmap excluded = postings(m, false);
                    if (result == null) {
                        result = RoaringBitmap.andNot(all, excluded);
                    } else {
                        result.andNot(excluded);
                    }
                }
            }
            return result == null ? all.clone() : result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A new bitmap holding the intersection of read-only {@code parts}, or null when there are none. */
    private static RoaringBitmap intersection(List<RoaringBitmap> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1) {
            return parts.getFirst().clone();
        }
        parts.sort((a, b) -> Integer.compare(a.getCardinality(), b.getCardinality()));
        RoaringBitmap result = RoaringBitmap.and(parts.get(0), parts.get(1));
        for (int i = 2; i < parts.size() && !result.isEmpty(); i++) {
            result.and(parts.get(i));
        }
        return result;
    }

    /**
     * Union of the postings of values of {@code m.name()} for which {@code m.matches(value) == wanted}. Read-only: it
     * may be the index's own bitmap, valid while the read lock is held.
     */
    private RoaringBitmap postings(Matcher m, boolean wanted) {
        Map<String, RoaringBitmap> values = index.get(m.name());
        if (values == null) {
            return EMPTY;
        }
        if ((wanted && m.type() == MatchType.EQUAL) || (!wanted && m.type() == MatchType.NOT_EQUAL)) {
            RoaringBitmap b = values.get(m.value());
            return b == null ? EMPTY : b;
        }
        Set<String> literals = m.literalAlternatives();
        List<RoaringBitmap> parts = new ArrayList<>();
        boolean setLookup = literals != null && ((wanted && m.type() == MatchType.REGEX)
                || (!wanted && m.type() == MatchType.NOT_REGEX));
        if (setLookup && literals.size() < values.size()) {
            for (String v : literals) {
                RoaringBitmap b = values.get(v);
                if (b != null) {
                    parts.add(b);
                }
            }
        } else {
            for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
                if (m.matches(e.getKey()) == wanted) {
                    parts.add(e.getValue());
                }
            }
        }
        return switch (parts.size()) {
            case 0 -> EMPTY;
            case 1 -> parts.getFirst();
            default -> RoaringBitmap.or(parts.iterator());
        };
    }

    /** Sorted label names carried by at least one series in {@code ids} (all series when null). */
    List<String> labelNames(RoaringBitmap ids) {
        lock.readLock().lock();
        try {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, RoaringBitmap>> e : index.entrySet()) {
                if (ids == null) {
                    out.add(e.getKey());
                    continue;
                }
                for (RoaringBitmap b : e.getValue().values()) {
                    if (RoaringBitmap.intersects(b, ids)) {
                        out.add(e.getKey());
                        break;
                    }
                }
            }
            Collections.sort(out);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sorted values of label {@code name} over series in {@code ids} (all series when null). */
    List<String> labelValues(String name, RoaringBitmap ids) {
        lock.readLock().lock();
        try {
            Map<String, RoaringBitmap> values = index.get(name);
            if (values == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
                if (ids == null || RoaringBitmap.intersects(e.getValue(), ids)) {
                    out.add(e.getKey());
                }
            }
            Collections.sort(out);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Cardinality statistics as Prometheus' /api/v1/status/tsdb reports them, top {@code n} of each list. */
    CardinalityStats cardinality(int n) {
        lock.readLock().lock();
        try {
            List<CardinalityStats.Entry> byMetric = new ArrayList<>();
            List<CardinalityStats.Entry> valuesPerName = new ArrayList<>();
            List<CardinalityStats.Entry> bytesPerName = new ArrayList<>();
            List<CardinalityStats.Entry> pairs = new ArrayList<>();
            long pairCount = 0;
            for (Map.Entry<String, Map<String, RoaringBitmap>> e : index.entrySet()) {
                String name = e.getKey();
                Map<String, RoaringBitmap> values = e.getValue();
                valuesPerName.add(new CardinalityStats.Entry(name, values.size()));
                long bytes = 0;
                for (Map.Entry<String, RoaringBitmap> v : values.entrySet()) {
                    long c = v.getValue().getLongCardinality();
                    bytes += (long) v.getKey().length() * c;
                    pairCount++;
                    pairs.add(new CardinalityStats.Entry(name + "=" + v.getKey(), c));
                    if (name.equals(Labels.METRIC_NAME)) {
                        byMetric.add(new CardinalityStats.Entry(v.getKey(), c));
                    }
                }
                bytesPerName.add(new CardinalityStats.Entry(name, bytes));
            }
            return new CardinalityStats(all.getLongCardinality(), index.size(), pairCount, top(byMetric, n),
                    top(valuesPerName, n), top(bytesPerName, n), top(pairs, n));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static List<CardinalityStats.Entry> top(List<CardinalityStats.Entry> l, int n) {
        l.sort((a, b) -> a.value() != b.value() ? Long.compare(b.value(), a.value()) : a.name().compareTo(b.name()));
        return List.copyOf(l.subList(0, Math.min(n, l.size())));
    }
}
