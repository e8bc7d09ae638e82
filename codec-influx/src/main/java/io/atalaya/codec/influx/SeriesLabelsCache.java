package io.atalaya.codec.influx;

import io.atalaya.model.Labels;
import java.util.Arrays;

/**
 * The {@link Labels} of line-protocol series seen before, keyed by the raw bytes that name a series in a body (see
 * {@link InfluxSeriesMapper}), shared by all the threads that map requests. Sharing matters twice: each series is
 * built once for the whole server rather than once per request thread, and every request gets the same
 * {@code Labels} instance for it, which the ingest layer uses to remember the store's series reference.
 *
 * <p>A fixed number of slots in buckets of {@value #WAYS}, so memory is bounded whatever the cardinality: a series
 * may sit in any slot of its bucket, and only a fifth series in a full bucket replaces one (a direct-mapped table
 * of the same size let about 6 % of 16 000 series evict each other on every request). Entries are immutable and published through an array of references: concurrent readers and
 * writers need no lock (a lost update only costs a later miss), and a reader sees either a whole entry or none.
 *
 * <p>The hash is computed by the caller in two steps ({@link #mix} over the series part once per point, then over
 * each field key, and {@link #finish}), so a line with many fields hashes its long series part only once.
 */
final class SeriesLabelsCache {
    static final int SEED = 0x9747b28c;

    private record Entry(int hash, byte[] key, Labels labels) {
    }

    static final int WAYS = 4;

    private final Entry[] slots;
    private final int bucketMask;
    private int victim; // which slot of a full bucket to replace next; racy on purpose, any value will do

    /** @param slotsPow2 number of slots, a power of two */
    SeriesLabelsCache(int slotsPow2) {
        if (Integer.bitCount(slotsPow2) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slotsPow2);
        }
        if (slotsPow2 < WAYS) {
            throw new IllegalArgumentException("slots must be at least " + WAYS + ", got " + slotsPow2);
        }
        slots = new Entry[slotsPow2];
        bucketMask = slotsPow2 / WAYS - 1;
    }

    /** Continues hash {@code h} (start with {@link #SEED}) over {@code b[off, off + len)}. */
    static int mix(int h, byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h;
    }

    /** The final hash, with the high bits folded in so that the slot index depends on all of them. */
    static int finish(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    /** The labels stored for {@code key[0, len)} with hash {@code h}, or null. */
    Labels get(byte[] key, int len, int h) {
        int b = (h & bucketMask) * WAYS;
        for (int i = b; i < b + WAYS; i++) {
            Entry e = slots[i];
            if (e == null) {
                return null; // slots of a bucket fill in order and are never emptied
            }
            if (e.hash == h && e.key.length == len && Arrays.equals(e.key, 0, len, key, 0, len)) {
                return e.labels;
            }
        }
        return null;
    }

    /** Stores a copy of {@code key[0, len)} with its labels. */
    void put(byte[] key, int len, int h, Labels labels) {
        Entry e = new Entry(h, Arrays.copyOf(key, len), labels);
        int b = (h & bucketMask) * WAYS;
        for (int i = b; i < b + WAYS; i++) {
            Entry old = slots[i];
            if (old == null || (old.hash == h && Arrays.equals(old.key, e.key))) {
                slots[i] = e;
                return;
            }
        }
        slots[b + (victim++ & (WAYS - 1))] = e;
    }
}
