package io.atalaya.codec.influx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The {@link LineSeries} of series keys seen before, looked up by the raw bytes of a line's {@code measurement,tags}
 * (no String is built for a known series) and shared by all the threads that map requests. Sharing matters twice:
 * each series is built once for the whole server rather than once per request thread, and every request gets the same
 * {@code Labels} instance and handle for it.
 *
 * <p>A fixed number of slots in buckets of {@value #WAYS}, so memory is bounded whatever the cardinality: an entry may
 * sit in any slot of its bucket, and only a fifth key in a full bucket replaces one. Entries are published through an
 * array of references: concurrent readers and writers need no lock (a lost update only costs a later miss), and a
 * reader sees either a whole entry or none. Two keys with the same hash are told apart by their bytes.
 */
final class LineSeriesCache {
    static final int WAYS = 4;
    static final int SEED = 0x9747b28c;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final LineSeries[] slots;
    private final int bucketMask;
    private int victim; // which slot of a full bucket to replace next; racy on purpose, any value will do

    /** @param slotsPow2 number of slots, a power of two, at least {@value #WAYS} */
    LineSeriesCache(int slotsPow2) {
        if (Integer.bitCount(slotsPow2) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slotsPow2);
        }
        if (slotsPow2 < WAYS) {
            throw new IllegalArgumentException("slots must be at least " + WAYS + ", got " + slotsPow2);
        }
        slots = new LineSeries[slotsPow2];
        bucketMask = slotsPow2 / WAYS - 1;
    }

    /**
     * Hash of {@code b[off, off + len)} continuing from {@code seed}, eight bytes at a time: a series key is hashed
     * once per line, so this is on the hot path. Only spreads keys over buckets; equality is decided by the bytes.
     */
    static int hash(int seed, byte[] b, int off, int len) {
        long h = (seed ^ 0x2545F4914F6CDD1DL) * 0x9E3779B97F4A7C15L + len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xffL) << shift;
        }
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 29;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The entry for series key {@code src[from, to)} with extra label value {@code extra} and hash {@code h}, or null. */
    LineSeries get(int h, byte[] extra, byte[] src, int from, int to) {
        int b = (h & bucketMask) * WAYS;
        for (int i = b; i < b + WAYS; i++) {
            LineSeries e = slots[i];
            if (e == null) {
                return null; // slots of a bucket fill in order and are never emptied
            }
            if (e.matches(h, extra, src, from, to)) {
                return e;
            }
        }
        return null;
    }

    /** Stores {@code e}, replacing the entry of the same key if there is one. */
    void put(LineSeries e) {
        int b = (e.hash & bucketMask) * WAYS;
        for (int i = b; i < b + WAYS; i++) {
            LineSeries old = slots[i];
            if (old == null || old.sameKey(e)) {
                slots[i] = e;
                return;
            }
        }
        slots[b + (victim++ & (WAYS - 1))] = e;
    }
}
