package io.atalaya.tsdb.head;

import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkEncoding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Off-heap storage of sealed head chunks: slabs of {@code slabBytes} from their own shared {@link Arena}, filled by
 * bump allocation. A chunk is addressed by a 64-bit ref {@code (slabId << 32) | offset}; at the offset an entry
 * header precedes the chunk bytes: 2-byte length, 4-byte time span (last minus first timestamp, unsigned: head
 * chunks never span more than {@link #MAX_SPAN_MS}), and the 8-byte ref of the series' previous sealed chunk
 * ({@link #NONE} for its oldest). The chunks of a series thus form a list, newest first, and a series keeps only the
 * ref of its newest sealed chunk on the heap. The first timestamp is not repeated in the header: it is decoded from
 * the chunk itself (the first sample's timestamp is a varint at a fixed bit position).
 *
 * <p>A slab is freed (its arena closed) once every chunk in it ends before the truncation time and no querier that
 * could still read it is open (see {@link #release}). Thread-safe: stores are serialized by a lock; reads are
 * lock-free.
 */
final class ChunkSlabs implements AutoCloseable {
    private static final ValueLayout.OfShort LEN = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfLong TIME = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt SPAN = ValueLayout.JAVA_INT_UNALIGNED;
    private static final int HEADER = 14;
    private static final int SPAN_AT = 2;
    private static final int PREV = 6;
    /** Longest time a stored chunk may span (the header holds it in 32 unsigned bits): about 49.7 days. */
    static final long MAX_SPAN_MS = 0xFFFF_FFFFL;
    /** "No chunk": the previous-chunk ref of a series' oldest sealed chunk. */
    static final long NONE = -1L;

    private static final class Slab {
        final Arena arena;
        final MemorySegment seg;
        long maxTime = Long.MIN_VALUE;
        int used;

        Slab(int bytes) {
            arena = Arena.ofShared();
            seg = arena.allocate(bytes, 8);
        }
    }

    private final int slabBytes;
    private volatile Slab[] slabs = new Slab[16];
    private int nextId;
    private Slab current;
    private final AtomicLong offHeapBytes = new AtomicLong();
    private final AtomicLong usedBytes = new AtomicLong();
    private final List<Slab> pendingFree = new ArrayList<>();
    private boolean closed;

    ChunkSlabs(int slabBytes) {
        this.slabBytes = slabBytes;
    }

    /**
     * Copies the encoder's chunk off-heap with its last timestamp and the ref of the series' previous sealed chunk
     * ({@link #NONE} when none).
     */
    synchronized long store(ChunkEncoder chunk, long maxTime, long prev) {
        if (closed) {
            throw new IllegalStateException("head is closed");
        }
        long span = maxTime - chunk.minTime();
        if (span < 0 || span > MAX_SPAN_MS) {
            throw new IllegalArgumentException("chunk spans " + span + " ms, more than " + MAX_SPAN_MS);
        }
        int len = chunk.sizeBytes();
        if (len > 0xFFFF) {
            throw new IllegalArgumentException("chunk of " + len + " bytes exceeds the 64 KiB slab entry limit");
        }
        if (current == null || current.used + HEADER + len > slabBytes) {
            newSlab();
        }
        Slab s = current;
        int off = s.used;
        s.seg.set(LEN, off, (short) len);
        s.seg.set(SPAN, off + SPAN_AT, (int) span);
        s.seg.set(TIME, off + PREV, prev);
        chunk.copyTo(s.seg, off + HEADER);
        s.used = off + HEADER + len;
        usedBytes.addAndGet(HEADER + len);
        if (maxTime > s.maxTime) {
            s.maxTime = maxTime;
        }
        return ((long) (nextId - 1) << 32) | off;
    }

    private void newSlab() {
        Slab s = new Slab(slabBytes);
        offHeapBytes.addAndGet(slabBytes);
        Slab[] a = slabs;
        if (nextId == a.length) {
            a = java.util.Arrays.copyOf(a, a.length * 2);
        }
        a[nextId++] = s;
        slabs = a;
        current = s;
    }

    private MemorySegment slab(long ref) {
        Slab s = slabs[(int) (ref >>> 32)];
        if (s == null) {
            throw new IllegalStateException("chunk " + Long.toHexString(ref) + " belongs to a freed slab");
        }
        return s.seg;
    }

    /** The chunk at {@code ref}, as a segment slice. Valid until the slab is released. */
    MemorySegment chunk(long ref) {
        MemorySegment seg = slab(ref);
        long off = ref & 0xFFFFFFFFL;
        int len = seg.get(LEN, off) & 0xFFFF;
        return seg.asSlice(off + HEADER, len);
    }

    /**
     * First timestamp of the chunk at {@code ref}, decoded from the chunk: a zig-zag varint right after the 3-byte
     * chunk header, or after the 17 bits of DECIMAL parameters that follow it (chunk/FORMAT.md).
     */
    long minTime(long ref) {
        MemorySegment seg = slab(ref);
        long base = (ref & 0xFFFFFFFFL) + HEADER;
        long bit = (long) ChunkEncoder.HEADER_BYTES * 8
                + (seg.get(ValueLayout.JAVA_BYTE, base) == ChunkEncoding.DECIMAL.id() ? DECIMAL_PARAM_BITS : 0);
        long zz = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = byteAt(seg, base, bit);
            bit += 8;
            zz |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return (zz >>> 1) ^ -(zz & 1);
    }

    /** Bits of DECIMAL parameters between the chunk header and the first sample: 4 + 6 + 1 + 6. */
    private static final int DECIMAL_PARAM_BITS = 17;

    /** The 8 bits starting at bit {@code bit} of the chunk at {@code base}. */
    private static int byteAt(MemorySegment seg, long base, long bit) {
        long i = base + (bit >>> 3);
        int off = (int) (bit & 7);
        int hi = seg.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
        if (off == 0) {
            return hi;
        }
        int lo = seg.get(ValueLayout.JAVA_BYTE, i + 1) & 0xFF;
        return ((hi << off) | (lo >>> (8 - off))) & 0xFF;
    }

    /** Last timestamp of the chunk at {@code ref}. */
    long maxTime(long ref) {
        return minTime(ref) + (slab(ref).get(SPAN, (ref & 0xFFFFFFFFL) + SPAN_AT) & 0xFFFF_FFFFL);
    }

    /** The series' sealed chunk before the one at {@code ref}, or {@link #NONE}. */
    long prev(long ref) {
        return slab(ref).get(TIME, (ref & 0xFFFFFFFFL) + PREV);
    }

    /**
     * Makes the chunk at {@code ref} its series' oldest (its older chunks were dropped). Caller holds the series'
     * monitor; readers do not follow these links (they copy chunk slices under that monitor).
     */
    void cutPrev(long ref) {
        slab(ref).set(TIME, (ref & 0xFFFFFFFFL) + PREV, NONE);
    }

    /**
     * Detaches every slab (except the one being filled) whose chunks all end before {@code mint}; they are freed by
     * {@link #freePending} once no reader can hold them.
     */
    synchronized void release(long mint) {
        Slab[] a = slabs;
        for (int i = 0; i < nextId; i++) {
            Slab s = a[i];
            if (s != null && s != current && s.maxTime < mint) {
                a[i] = null;
                pendingFree.add(s);
            }
        }
    }

    /** Frees detached slabs; call only when no querier opened before the last {@link #release} is open. */
    synchronized void freePending() {
        for (Slab s : pendingFree) {
            s.arena.close();
            offHeapBytes.addAndGet(-slabBytes);
            usedBytes.addAndGet(-s.used);
        }
        pendingFree.clear();
    }

    long offHeapBytes() {
        return offHeapBytes.get();
    }

    /** Bytes of chunk entries (headers included) in slabs not yet freed; the rest of {@link #offHeapBytes} is room. */
    long usedBytes() {
        return usedBytes.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Slab[] a = slabs;
        for (int i = 0; i < nextId; i++) {
            if (a[i] != null) {
                a[i].arena.close();
                a[i] = null;
            }
        }
        freePending();
        offHeapBytes.set(0);
        usedBytes.set(0);
    }
}
