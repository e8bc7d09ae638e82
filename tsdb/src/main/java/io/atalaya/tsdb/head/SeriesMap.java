package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * All series of the head, found by label set or by ref.
 *
 * <p>By labels: {@value #STRIPES} stripes chosen by the label hash, each an open-addressing table (linear probing)
 * under its own lock; colliding hashes are told apart with {@link Labels#equals}. By ref: refs are dense (a counter),
 * so they index pages of an array, read without locks.
 *
 * <p>Thread-safe.
 */
final class SeriesMap {
    static final int STRIPES = 1 << 10;
    private static final int PAGE_BITS = 12;
    private static final int PAGE = 1 << PAGE_BITS;

    private static final class Stripe {
        MemSeries[] table = new MemSeries[8];
        int size;
    }

    private final Stripe[] stripes = new Stripe[STRIPES];
    private volatile AtomicReferenceArray<MemSeries>[] pages;
    private final Object pagesLock = new Object();

    @SuppressWarnings("unchecked")
    SeriesMap() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
        pages = new AtomicReferenceArray[16];
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B9;
    }

    /** The series with these labels, or null. */
    MemSeries get(Labels labels) {
        int h = labels.hashCode();
        Stripe s = stripes[spread(h) & (STRIPES - 1)];
        synchronized (s) {
            return find(s, labels, h);
        }
    }

    private static MemSeries find(Stripe s, Labels labels, int h) {
        MemSeries[] t = s.table;
        int mask = t.length - 1;
        for (int i = (spread(h) >>> 10) & mask; ; i = (i + 1) & mask) {
            MemSeries m = t[i];
            if (m == null) {
                return null;
            }
            if (m.hash == h && (m.labels == labels || m.labels.equals(labels))) {
                return m;
            }
        }
    }

    /** The series with this ref, or null. */
    MemSeries get(long ref) {
        if (ref <= 0 || ref > Integer.MAX_VALUE) {
            return null;
        }
        int id = (int) ref;
        AtomicReferenceArray<MemSeries>[] p = pages;
        int pi = id >>> PAGE_BITS;
        if (pi >= p.length || p[pi] == null) {
            return null;
        }
        return p[pi].get(id & (PAGE - 1));
    }

    /**
     * Returns the series with {@code labels}, creating it with {@code factory} (called under the stripe lock, at
     * most once) when absent or when the one present has been marked removed by truncation.
     */
    MemSeries getOrCreate(Labels labels, java.util.function.Supplier<MemSeries> factory) {
        int h = labels.hashCode();
        Stripe s = stripes[spread(h) & (STRIPES - 1)];
        synchronized (s) {
            MemSeries m = find(s, labels, h);
            if (m != null && !m.removed) {
                return m;
            }
            if (m != null) {
                // Truncation marked it removed and will take it out of the map later; an appender must not wait for
                // that (spinning on the stripe lock can starve the truncation): replace it now.
                removeLocked(s, m);
                clearRef(m);
            }
            m = factory.get();
            insert(s, m);
            setRef(m.ref, m);
            return m;
        }
    }

    /** Adds a series whose labels are known to be absent (WAL replay). */
    void put(MemSeries m) {
        Stripe s = stripes[spread(m.hash) & (STRIPES - 1)];
        synchronized (s) {
            if (find(s, m.labels, m.hash) == null) {
                insert(s, m);
            }
            setRef(m.ref, m);
        }
    }

    private static void insert(Stripe s, MemSeries m) {
        if ((s.size + 1) * 2 > s.table.length) {
            MemSeries[] old = s.table;
            s.table = new MemSeries[old.length * 2];
            s.size = 0;
            for (MemSeries o : old) {
                if (o != null) {
                    place(s, o);
                }
            }
        }
        place(s, m);
    }

    private static void place(Stripe s, MemSeries m) {
        MemSeries[] t = s.table;
        int mask = t.length - 1;
        int i = (spread(m.hash) >>> 10) & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = m;
        s.size++;
    }

    private void setRef(long ref, MemSeries m) {
        int id = (int) ref;
        int pi = id >>> PAGE_BITS;
        AtomicReferenceArray<MemSeries>[] p = pages;
        if (pi >= p.length || p[pi] == null) {
            synchronized (pagesLock) {
                p = pages;
                if (pi >= p.length) {
                    p = java.util.Arrays.copyOf(p, Math.max(pi + 1, p.length * 2));
                }
                if (p[pi] == null) {
                    p[pi] = new AtomicReferenceArray<>(PAGE);
                }
                pages = p;
            }
        }
        p[pi].set(id & (PAGE - 1), m);
    }

    /** Removes a series (by identity). */
    void remove(MemSeries m) {
        Stripe s = stripes[spread(m.hash) & (STRIPES - 1)];
        synchronized (s) {
            removeLocked(s, m);
        }
        clearRef(m);
    }

    private void clearRef(MemSeries m) {
        AtomicReferenceArray<MemSeries> page = pages[(int) m.ref >>> PAGE_BITS];
        page.compareAndSet((int) m.ref & (PAGE - 1), m, null);
    }

    private static void removeLocked(Stripe s, MemSeries m) {
        MemSeries[] t = s.table;
        int mask = t.length - 1;
        int i = (spread(m.hash) >>> 10) & mask;
        while (t[i] != null && t[i] != m) {
            i = (i + 1) & mask;
        }
        if (t[i] == null) {
            return;
        }
        // Backward-shift deletion keeps probe sequences intact without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = (spread(t[j].hash) >>> 10) & mask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                t[hole] = t[j];
                hole = j;
            }
        }
        t[hole] = null;
        s.size--;
    }

    /** Visits every series (weakly consistent). */
    void forEach(Consumer<MemSeries> action) {
        for (Stripe s : stripes) {
            MemSeries[] copy;
            synchronized (s) {
                copy = s.table.clone();
            }
            for (MemSeries m : copy) {
                if (m != null) {
                    action.accept(m);
                }
            }
        }
    }
}
