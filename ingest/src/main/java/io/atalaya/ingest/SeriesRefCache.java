package io.atalaya.ingest;

import io.atalaya.model.Labels;

/**
 * The store's series reference for label sets that passed every check before, keyed by the identity of their
 * {@link Labels} instance. For decoders that hand out one shared instance per known series (the line-protocol mapper
 * does), a known series then skips {@link io.atalaya.model.NameValidation}, the {@link SeriesGuard} and the store's
 * label lookup: an identity hash and one reference compare per sample.
 *
 * <p>Keyed by identity, not equality, so a hit proves the labels are the very instance that was checked, and a
 * lookup costs no hashing of label strings. A fixed number of slots in buckets of {@value #WAYS} (memory bounded
 * whatever the cardinality; only a fifth series in a full bucket replaces one). Entries are immutable and published through an array of
 * references, so concurrent requests read and replace slots without locks. Thread-safe.
 */
public final class SeriesRefCache {
    private record Entry(Labels labels, long ref) {
    }

    static final int WAYS = 4;

    private final Entry[] slots;
    private final int bucketMask;
    private int victim; // which slot of a full bucket to replace next; racy on purpose, any value will do

    /** @param slotsPow2 number of slots, a power of two */
    public SeriesRefCache(int slotsPow2) {
        if (Integer.bitCount(slotsPow2) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slotsPow2);
        }
        if (slotsPow2 < WAYS) {
            throw new IllegalArgumentException("slots must be at least " + WAYS + ", got " + slotsPow2);
        }
        slots = new Entry[slotsPow2];
        bucketMask = slotsPow2 / WAYS - 1;
    }

    /** The reference stored for this very instance, or 0. */
    public long get(Labels labels) {
        int b = bucket(labels);
        for (int i = b; i < b + WAYS; i++) {
            Entry e = slots[i];
            if (e == null) {
                return 0; // slots of a bucket fill in order and are never emptied
            }
            if (e.labels == labels) {
                return e.ref;
            }
        }
        return 0;
    }

    /** Remembers {@code ref} (never 0) for {@code labels}. */
    public void put(Labels labels, long ref) {
        Entry e = new Entry(labels, ref);
        int b = bucket(labels);
        for (int i = b; i < b + WAYS; i++) {
            Entry old = slots[i];
            if (old == null || old.labels == labels) {
                slots[i] = e;
                return;
            }
        }
        slots[b + (victim++ & (WAYS - 1))] = e;
    }

    private int bucket(Labels labels) {
        int h = System.identityHashCode(labels);
        return ((h ^ (h >>> 16)) & bucketMask) * WAYS;
    }
}
