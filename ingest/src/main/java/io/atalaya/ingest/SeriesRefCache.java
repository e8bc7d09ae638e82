package io.atalaya.ingest;

import io.atalaya.model.Labels;

/**
 * The store's series reference for label sets that passed every check before, keyed by the identity of their
 * {@link Labels} instance. For decoders that hand out one shared instance per known series (the line-protocol mapper
 * does), a known series then skips {@link io.atalaya.model.NameValidation}, the {@link SeriesGuard} and the store's
 * label lookup: an identity hash and one reference compare per sample.
 *
 * <p>Keyed by identity, not equality, so a hit proves the labels are the very instance that was checked, and a
 * lookup costs no hashing of label strings. Direct-mapped with a fixed number of slots (memory bounded whatever the
 * cardinality; a colliding series replaces the slot). Entries are immutable and published through an array of
 * references, so concurrent requests read and replace slots without locks. Thread-safe.
 */
public final class SeriesRefCache {
    private record Entry(Labels labels, long ref) {
    }

    private final Entry[] slots;
    private final int mask;

    /** @param slotsPow2 number of slots, a power of two */
    public SeriesRefCache(int slotsPow2) {
        if (Integer.bitCount(slotsPow2) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slotsPow2);
        }
        slots = new Entry[slotsPow2];
        mask = slotsPow2 - 1;
    }

    /** The reference stored for this very instance, or 0. */
    public long get(Labels labels) {
        Entry e = slots[slot(labels)];
        return e != null && e.labels == labels ? e.ref : 0;
    }

    /** Remembers {@code ref} (never 0) for {@code labels}. */
    public void put(Labels labels, long ref) {
        slots[slot(labels)] = new Entry(labels, ref);
    }

    private int slot(Labels labels) {
        int h = System.identityHashCode(labels);
        return (h ^ (h >>> 16)) & mask;
    }
}
