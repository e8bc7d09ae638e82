package io.atalaya.codec.influx;

import io.atalaya.model.Labels;
import java.util.Arrays;

/**
 * The {@link Labels} of line-protocol series seen before, keyed by the raw bytes that name a series in a body (see
 * {@link InfluxSeriesMapper}), shared by all the threads that map requests. Sharing matters twice: each series is
 * built once for the whole server rather than once per request thread, and every request gets the same
 * {@code Labels} instance for it, which the ingest layer uses to remember the store's series reference.
 *
 * <p>Direct-mapped with a fixed number of slots, so memory is bounded whatever the cardinality; a colliding series
 * replaces the slot. Entries are immutable and published through an array of references: concurrent readers and
 * writers need no lock (a lost update only costs a later miss), and a reader sees either a whole entry or none.
 *
 * <p>The hash is computed by the caller in two steps ({@link #mix} over the series part once per point, then over
 * each field key, and {@link #finish}), so a line with many fields hashes its long series part only once.
 */
final class SeriesLabelsCache {
    static final int SEED = 0x9747b28c;

    private record Entry(int hash, byte[] key, Labels labels) {
    }

    private final Entry[] slots;
    private final int mask;

    /** @param slotsPow2 number of slots, a power of two */
    SeriesLabelsCache(int slotsPow2) {
        if (Integer.bitCount(slotsPow2) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slotsPow2);
        }
        slots = new Entry[slotsPow2];
        mask = slotsPow2 - 1;
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
        Entry e = slots[h & mask];
        if (e != null && e.hash == h && e.key.length == len && Arrays.equals(e.key, 0, len, key, 0, len)) {
            return e.labels;
        }
        return null;
    }

    /** Stores a copy of {@code key[0, len)} with its labels. */
    void put(byte[] key, int len, int h, Labels labels) {
        slots[h & mask] = new Entry(h, Arrays.copyOf(key, len), labels);
    }
}
