package io.atalaya.ingest.promrw;

import io.atalaya.codec.promrw.RemoteWriteBatch;
import io.atalaya.ingest.StorageWriter;
import io.atalaya.model.Labels;
import java.util.Arrays;

/**
 * Remembers, for series seen in earlier remote-write requests, their label set and the store's series reference,
 * keyed by the raw label bytes of the request (for remote write 1.0 the {@code Label} sub-messages as they are on the
 * wire, so a hit is one hash and one array comparison). A known series then costs a hash lookup and a byte compare instead
 * of building label strings, validating them and resolving the series in the store: profiling showed those steps
 * take about 45 % of the remote-write CPU, because senders repeat the same series in every request.
 *
 * <p>Slots in buckets of {@value #WAYS}: a series may sit in any slot of its bucket and only a fifth one in a full
 * bucket replaces one (direct-mapped, about 12 % of 16 000 node_exporter series evicted each other on every
 * request). The slot array doubles when a quarter of its slots are taken or a bucket overflows, up to
 * {@link #MAX_SLOTS}, so memory is
 * bounded whatever the cardinality: with a fixed 2^18 slots, 177 000 series (1 000 node_exporter hosts) put about
 * 28 % of them in overfull buckets, where senders that repeat their series in the same order miss almost every time;
 * the misses decoded label strings for 90 % of the 6.6 GB allocated during such a load. Entries are immutable and
 * published through an array of references, so concurrent requests may read and replace slots without locks (a lost
 * update, also one made while the array is being doubled, only costs a later miss). Only series that passed every
 * check are cached.
 */
final class SeriesCache {
    /** Slots of a new cache: 256 KiB of references. */
    private static final int INITIAL_SLOTS = 1 << 16;
    /** 16 MiB of references: two million series, at which the cache stops growing. */
    private static final int MAX_SLOTS = 1 << 22;
    static final int WAYS = 4;

    /**
     * A cached series. The key is the request's raw {@code Label} sub-messages when it had them contiguous
     * ({@link RemoteWriteBatch#rawLabelsOffset}), else its label names and values as length-prefixed UTF-8 bytes in
     * wire order; the hash's lowest bit says which (see {@link RemoteWriteBatch#labelsHash}), so keys of the two
     * kinds are never compared with each other. Returned as is on a hit: nothing is allocated per sample.
     */
    record Entry(long hash, byte[] key, Labels labels, long ref) {
    }

    /** The current slot array; replaced by a twice larger one as it fills (see {@link #grow}). */
    private volatile Entry[] slots;
    private final int maxSlots;
    private final long hashMask;
    /** Slots taken in {@link #slots}; racy like the slots themselves (a lost count only delays a doubling). */
    private int taken;
    private int victim; // which slot of a full bucket to replace next; racy on purpose, any value will do

    SeriesCache() {
        this(INITIAL_SLOTS, MAX_SLOTS, -1L);
    }

    /**
     * For tests: {@code slots} and {@code maxSlots} (powers of two, at least {@value #WAYS}) and a mask applied to
     * every hash, with which a test makes distinct label sets collide (the mask must keep bit 0, the key kind).
     */
    SeriesCache(int slots, int maxSlots, long hashMask) {
        if (slots < WAYS || Integer.bitCount(slots) != 1 || maxSlots < slots || Integer.bitCount(maxSlots) != 1
                || (hashMask & 1) == 0) {
            throw new IllegalArgumentException("slots " + slots + " up to " + maxSlots + ", hash mask "
                    + Long.toHexString(hashMask));
        }
        this.slots = new Entry[slots];
        this.maxSlots = maxSlots;
        this.hashMask = hashMask;
    }

    /** Slots of the current array (for tests). */
    int capacity() {
        return slots.length;
    }

    /** The entry of series {@code series} of {@code b}, or null when it is not cached. */
    Entry get(RemoteWriteBatch b, int series) {
        long h = b.labelsHash(series) & hashMask;
        Entry[] slots = this.slots;
        int first = bucket(h, slots.length);
        for (int i = first; i < first + WAYS; i++) {
            Entry e = slots[i];
            if (e == null) {
                return null; // slots of a bucket fill in order and are never emptied
            }
            if (e.hash == h && sameKey(e.key, b, series)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Loads the first slot of the buckets of series {@code from} to {@code to} of {@code b}, their entries and the
     * start of their keys and label sets, returning a value that depends on them. Called a few series ahead of
     * {@link #get}: these loads do not depend on each other, so their cache misses overlap.
     */
    int touch(RemoteWriteBatch b, int from, int to, StorageWriter w) {
        Entry[] slots = this.slots;
        int x = 0;
        for (int s = from; s < to; s++) {
            Entry e = slots[bucket(b.labelsHash(s) & hashMask, slots.length)];
            if (e != null) {
                x += e.key.length + e.labels.hashCode() + w.prefetch(e.ref);
            }
        }
        return x;
    }

    void put(RemoteWriteBatch b, int series, Labels labels, long ref) {
        long h = b.labelsHash(series) & hashMask;
        Entry e = new Entry(h, key(b, series), labels, ref);
        Entry[] slots = this.slots;
        int first = bucket(h, slots.length);
        for (int i = first; i < first + WAYS; i++) {
            Entry old = slots[i];
            if (old == null) {
                slots[i] = e;
                if (++taken > slots.length / 4 && slots.length < maxSlots) {
                    grow(slots);
                }
                return;
            }
            if (old.hash == h && Arrays.equals(old.key, e.key)) {
                slots[i] = e;
                return;
            }
        }
        if (slots.length < maxSlots && grow(slots)) {
            put(b, series, labels, ref); // into the doubled array, where the bucket has room or the cache is at its limit
            return;
        }
        slots[first + (victim++ & (WAYS - 1))] = e;
    }

    /**
     * Replaces {@code full} by an array twice its size holding the same entries; false when another request did it
     * first. Below a quarter full, buckets of four rarely overflow (series per bucket are Poisson-distributed with
     * mean 1 at most: 0.4 % of the buckets hold five or more, and such a bucket doubles the array). Puts racing with
     * the copy may be lost, which only costs a later miss.
     */
    private synchronized boolean grow(Entry[] full) {
        if (slots != full) {
            return false; // another request doubled it already
        }
        Entry[] bigger = new Entry[full.length * 2];
        int count = 0;
        for (Entry e : full) {
            if (e == null) {
                continue;
            }
            int first = bucket(e.hash, bigger.length);
            for (int i = first; i < first + WAYS; i++) {
                if (bigger[i] == null) {
                    bigger[i] = e;
                    count++;
                    break;
                }
            }
        }
        taken = count;
        slots = bigger;
        return true;
    }

    private static int bucket(long h, int slotCount) {
        int x = (int) (h ^ (h >>> 32)) * 0x9E3779B9; // measured: the batch hash alone spread 16 000 series unevenly
        return ((x ^ (x >>> 16)) & (slotCount / WAYS - 1)) * WAYS;
    }

    private static byte[] key(RemoteWriteBatch b, int s) {
        int raw = b.rawLabelsOffset(s);
        if (raw >= 0) {
            return Arrays.copyOfRange(b.buffer(), raw, raw + b.rawLabelsLength(s));
        }
        int n = b.labelCount(s);
        int len = 0;
        for (int i = 0; i < n; i++) {
            len += 8 + b.labelNameLength(s, i) + b.labelValueLength(s, i);
        }
        byte[] key = new byte[len];
        byte[] buf = b.buffer();
        int w = 0;
        for (int i = 0; i < n; i++) {
            w = copy(buf, b.labelNameOffset(s, i), b.labelNameLength(s, i), key, w);
            w = copy(buf, b.labelValueOffset(s, i), b.labelValueLength(s, i), key, w);
        }
        return key;
    }

    private static int copy(byte[] src, int off, int len, byte[] dst, int w) {
        dst[w] = (byte) (len >>> 24);
        dst[w + 1] = (byte) (len >>> 16);
        dst[w + 2] = (byte) (len >>> 8);
        dst[w + 3] = (byte) len;
        System.arraycopy(src, off, dst, w + 4, len);
        return w + 4 + len;
    }

    private static boolean sameKey(byte[] key, RemoteWriteBatch b, int s) {
        byte[] buf = b.buffer();
        int raw = b.rawLabelsOffset(s);
        if (raw >= 0) {
            // The hash matched, so the key is raw too: one vectorised comparison of the whole label set.
            return Arrays.equals(key, 0, key.length, buf, raw, raw + b.rawLabelsLength(s));
        }
        int n = b.labelCount(s);
        int r = 0;
        for (int i = 0; i < n; i++) {
            for (int part = 0; part < 2; part++) {
                int off = part == 0 ? b.labelNameOffset(s, i) : b.labelValueOffset(s, i);
                int len = part == 0 ? b.labelNameLength(s, i) : b.labelValueLength(s, i);
                if (r + 4 + len > key.length) {
                    return false;
                }
                int stored = ((key[r] & 0xff) << 24) | ((key[r + 1] & 0xff) << 16) | ((key[r + 2] & 0xff) << 8)
                        | (key[r + 3] & 0xff);
                if (stored != len || !Arrays.equals(key, r + 4, r + 4 + len, buf, off, off + len)) {
                    return false;
                }
                r += 4 + len;
            }
        }
        return r == key.length;
    }
}
