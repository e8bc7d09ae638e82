package io.atalaya.tsdb.chunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits, most significant first, from a byte array or a {@link MemorySegment} (an off-heap slab or a
 * memory-mapped file). Keeps up to 64 bits buffered, left-aligned in a long. Not thread-safe.
 */
final class BitReader {
    /** Built once: withOrder() returns a new layout object on every call, and this sits on the decode path. */
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE_ARRAY = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // The state is package-private so that the batch loops of ChunkIterator can copy it into locals, decode a run of
    // regular samples without a field store per sample, and write it back (see ChunkIterator#intBatch).
    MemorySegment seg = MemorySegment.NULL;
    /**
     * The array when reading one (block chunks are copied out of their frame into one), else null. A load from an
     * array compiles to a bounds check and one instruction; the same load through a segment goes through the
     * segment's class, and with heap, off-heap and mapped segments all passing here that call site is megamorphic.
     */
    byte[] arr;
    long pos;
    long end;
    long buf;
    int avail;

    /** Positions the reader at byte {@code from} of {@code segment}, reading up to byte {@code to} (exclusive). */
    void reset(MemorySegment segment, long from, long to) {
        this.seg = segment;
        this.arr = null;
        this.pos = from;
        this.end = to;
        this.buf = 0;
        this.avail = 0;
    }

    /** Positions the reader at byte {@code from} of {@code array}, reading up to byte {@code to} (exclusive). */
    void reset(byte[] array, int from, int to) {
        this.seg = MemorySegment.NULL;
        this.arr = array;
        this.pos = from;
        this.end = to;
        this.buf = 0;
        this.avail = 0;
    }

    /**
     * Tops the buffer up to at least 57 bits when 8 bytes remain: one unaligned 8-byte load shifted in behind the
     * buffered bits, consuming the whole bytes that fit. The bits below {@link #avail} then already hold the start of
     * the next byte; they are the stream's own bits, so OR-ing that byte in again later changes nothing. Near the
     * end it falls back to single bytes.
     */
    private void refill() {
        if (end - pos >= 8) {
            long w = load8(pos);
            int bytes = (64 - avail) >>> 3;
            buf |= w >>> avail;
            pos += bytes;
            avail += bytes << 3;
            return;
        }
        while (avail <= 56 && pos < end) {
            byte b = arr != null ? arr[(int) pos] : seg.get(ValueLayout.JAVA_BYTE, pos);
            pos++;
            buf |= (b & 0xFFL) << (56 - avail);
            avail += 8;
        }
    }

    /** The 8 bytes at {@code p} as a big-endian long; {@code p + 8} MUST be within the chunk. */
    long load8(long p) {
        return arr != null ? (long) LONG_BE_ARRAY.get(arr, (int) p) : seg.get(LONG_BE, p);
    }

    boolean readBit() {
        if (avail == 0) {
            refill();
            if (avail == 0) {
                throw eof();
            }
        }
        boolean bit = buf < 0;
        buf <<= 1;
        avail--;
        return bit;
    }

    /** The next two bits as an int 0..3 without consuming them, or -1 when fewer than two bits remain. */
    int peek2() {
        if (avail < 2) {
            refill();
            if (avail < 2) {
                return -1;
            }
        }
        return (int) (buf >>> 62);
    }

    /** Consumes {@code n} bits (n &lt; 64) that {@link #peek2} has shown to be buffered. */
    void skip(int n) {
        buf <<= n;
        avail -= n;
    }

    /** Reads {@code n} bits (1 ≤ n ≤ 64) as an unsigned number. */
    long readBits(int n) {
        if (n > avail) {
            refill();
            if (n > avail) {
                return readBitsAcross(n);
            }
        }
        long r = buf >>> (64 - n);
        buf = n == 64 ? 0 : buf << n;
        avail -= n;
        return r;
    }

    /** More bits than one buffer holds after a refill (only 57..64-bit reads, or the end of the chunk). */
    private long readBitsAcross(int n) {
        int first = avail;
        long hi = first == 0 ? 0 : buf >>> (64 - first);
        buf = 0;
        avail = 0;
        refill();
        int rest = n - first;
        if (rest > avail) {
            throw eof();
        }
        long lo = buf >>> (64 - rest);
        buf = rest == 64 ? 0 : buf << rest;
        avail -= rest;
        return first == 0 ? lo : (hi << rest) | lo;
    }

    long readUvarint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            long b = readBits(8);
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptChunkException("varint longer than 10 bytes");
    }

    private static CorruptChunkException eof() {
        return new CorruptChunkException("chunk ends in the middle of a sample");
    }
}
