package io.atalaya.ingest.promrw;

import io.atalaya.codec.promrw.RemoteWriteBatch;
import io.atalaya.model.Labels;
import java.util.Arrays;

/**
 * Remembers, for series seen in earlier remote-write requests, their label set and the store's series reference,
 * keyed by the raw label bytes of the request (for remote write 1.0 the {@code Label} sub-messages as they are on the
 * wire, so a hit is one hash and one array comparison). A known series then costs a hash lookup and a byte compare instead
 * of building label strings, validating them and resolving the series in the store: profiling showed those steps
 * take about 45 % of the remote-write CPU, because senders repeat the same series in every request.
 *
 * <p>A fixed number of slots in buckets of {@value #WAYS}, so memory is bounded whatever the cardinality: a series
 * may sit in any slot of its bucket and only a fifth one in a full bucket replaces one (direct-mapped, about 12 % of
 * 16 000 node_exporter series evicted each other on every request). Entries are immutable and published through an array of references, so concurrent
 * requests may read and replace slots without locks (a lost update only costs a later miss). Only series that
 * passed every check are cached.
 */
final class SeriesCache {
    private static final int SLOTS = 1 << 18; // 1 MB of references; room for ~50 000 series at little eviction
    static final int WAYS = 4;

    /**
     * A cached series. The key is the request's raw {@code Label} sub-messages when it had them contiguous
     * ({@link RemoteWriteBatch#rawLabelsOffset}), else its label names and values as length-prefixed UTF-8 bytes in
     * wire order; the hash's lowest bit says which (see {@link RemoteWriteBatch#labelsHash}), so keys of the two
     * kinds are never compared with each other. Returned as is on a hit: nothing is allocated per sample.
     */
    record Entry(long hash, byte[] key, Labels labels, long ref) {
    }

    private final Entry[] slots;
    private final int bucketMask;
    private final long hashMask;
    private int victim; // which slot of a full bucket to replace next; racy on purpose, any value will do

    SeriesCache() {
        this(SLOTS, -1L);
    }

    /**
     * For tests: {@code slots} (a power of two, at least {@value #WAYS}) and a mask applied to every hash, with
     * which a test makes distinct label sets collide (the mask must keep bit 0, the key kind).
     */
    SeriesCache(int slots, long hashMask) {
        if (slots < WAYS || Integer.bitCount(slots) != 1 || (hashMask & 1) == 0) {
            throw new IllegalArgumentException("slots " + slots + ", hash mask " + Long.toHexString(hashMask));
        }
        this.slots = new Entry[slots];
        this.bucketMask = slots / WAYS - 1;
        this.hashMask = hashMask;
    }

    /** The entry of series {@code series} of {@code b}, or null when it is not cached. */
    Entry get(RemoteWriteBatch b, int series) {
        long h = b.labelsHash(series) & hashMask;
        int first = bucket(h);
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

    void put(RemoteWriteBatch b, int series, Labels labels, long ref) {
        long h = b.labelsHash(series) & hashMask;
        Entry e = new Entry(h, key(b, series), labels, ref);
        int first = bucket(h);
        for (int i = first; i < first + WAYS; i++) {
            Entry old = slots[i];
            if (old == null || (old.hash == h && Arrays.equals(old.key, e.key))) {
                slots[i] = e;
                return;
            }
        }
        slots[first + (victim++ & (WAYS - 1))] = e;
    }

    private int bucket(long h) {
        int x = (int) (h ^ (h >>> 32)) * 0x9E3779B9; // measured: the batch hash alone spread 16 000 series unevenly
        return ((x ^ (x >>> 16)) & bucketMask) * WAYS;
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
