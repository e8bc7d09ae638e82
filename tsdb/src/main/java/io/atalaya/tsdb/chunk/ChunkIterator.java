package io.atalaya.tsdb.chunk;

import io.atalaya.storage.SampleIterator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes one encoded chunk (see {@link ChunkEncoder} and FORMAT.md) from a byte array slice or a
 * {@link MemorySegment} (off-heap, memory-mapped, or the heap copy of an open head chunk). Reusable: {@link #reset}
 * points it at another chunk without allocating. Not thread-safe; the bytes MUST NOT change while iterating.
 *
 * <p>Hot path ({@link #nextBatch}): runs of regular samples, a regular interval with an unchanged value (or, in
 * integer chunks, an unchanged delta: two zero bits) or with the chunk's most common change, are decoded in a loop
 * that keeps the bit buffer in local variables.
 */
public final class ChunkIterator implements SampleIterator {
    /** Most bits a batch loop reads at once: a refill of the bit buffer leaves at least this many. */
    private static final int MAX_PEEK = 57;
    /** Regular interval ({@code 0}), value changed ({@code 1}), previous window or usual width ({@code 0}). */
    private static final long SAME_WINDOW = 0b010;

    /** Samples decoded at once while seeking. */
    private static final int SEEK_BATCH = 64;

    private final BitReader r = new BitReader();
    /** Where {@link #seek} decodes the samples it skips; allocated at the first seek past the second sample. */
    private long[] seekT;
    private double[] seekV;
    private ChunkEncoding encoding = ChunkEncoding.XOR;
    private int total;
    private int read;
    private long t;
    private long tDelta;
    private double v;
    private long vBits;
    private int leading;
    private int trailing;
    private long lastInt;
    private long lastDelta;
    private double pow = 1;
    private int shift;
    private boolean dod;
    private int width;

    public ChunkIterator() {
    }

    /** Number of samples in an encoded chunk, read from its header. */
    public static int numSamples(MemorySegment chunk) {
        return ((chunk.get(ValueLayout.JAVA_BYTE, 1) & 0xFF) << 8) | (chunk.get(ValueLayout.JAVA_BYTE, 2) & 0xFF);
    }

    /**
     * Timestamp of the first sample of the chunk that fills {@code chunk}, read from its first bytes without decoding
     * anything else; Long.MAX_VALUE when the chunk holds no sample.
     */
    public static long firstTimestamp(MemorySegment chunk) {
        long size = chunk.byteSize();
        if (size < ChunkEncoder.HEADER_BYTES) {
            throw new CorruptChunkException("chunk of " + size + " bytes is shorter than its 3-byte header");
        }
        if (numSamples(chunk) == 0) {
            return Long.MAX_VALUE;
        }
        // The first timestamp is a zigzag uvarint right after the header, still byte-aligned.
        long zz = 0;
        long pos = ChunkEncoder.HEADER_BYTES;
        for (int shift = 0; ; shift += 7) {
            if (shift >= 64 || pos >= size) {
                throw new CorruptChunkException("chunk ends in its first timestamp");
            }
            long b = chunk.get(ValueLayout.JAVA_BYTE, pos++) & 0xFFL;
            zz |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return (zz >>> 1) ^ -(zz & 1);
    }

    /** Iterates the chunk stored in {@code a[off, off+len)}. */
    public ChunkIterator reset(byte[] a, int off, int len) {
        if (len < ChunkEncoder.HEADER_BYTES) {
            throw new CorruptChunkException("chunk of " + len + " bytes is shorter than its 3-byte header");
        }
        r.reset(a, off + ChunkEncoder.HEADER_BYTES, off + len);
        return start(a[off] & 0xFF, ((a[off + 1] & 0xFF) << 8) | (a[off + 2] & 0xFF));
    }

    /** Iterates the chunk that fills {@code chunk} exactly. */
    public ChunkIterator reset(MemorySegment chunk) {
        return reset(chunk, 0, chunk.byteSize());
    }

    /** Iterates the chunk stored in {@code seg[off, off+len)}. */
    public ChunkIterator reset(MemorySegment seg, long off, long len) {
        if (len < ChunkEncoder.HEADER_BYTES) {
            throw new CorruptChunkException("chunk of " + len + " bytes is shorter than its 3-byte header");
        }
        r.reset(seg, off + ChunkEncoder.HEADER_BYTES, off + len);
        return start(seg.get(ValueLayout.JAVA_BYTE, off) & 0xFF,
                ((seg.get(ValueLayout.JAVA_BYTE, off + 1) & 0xFF) << 8) | (seg.get(ValueLayout.JAVA_BYTE, off + 2) & 0xFF));
    }

    /** Starts on a chunk whose header said {@code encodingId} and {@code samples}; the bit reader is past the header. */
    private ChunkIterator start(int encodingId, int samples) {
        encoding = ChunkEncoding.fromId(encodingId);
        total = samples;
        read = 0;
        leading = 0;
        trailing = 0;
        pow = 1;
        shift = 0;
        dod = false;
        if (encoding == ChunkEncoding.DECIMAL && total > 0) {
            int k = (int) r.readBits(4);
            if (k > ChunkEncoding.MAX_DECIMAL_EXPONENT) {
                throw new CorruptChunkException("decimal exponent " + k + " out of range");
            }
            pow = ChunkEncoding.POW10[k];
            shift = (int) r.readBits(6);
            dod = r.readBit();
            width = (int) r.readBits(6);
            if (width == 0) {
                throw new CorruptChunkException("decimal delta width 0");
            }
        }
        return this;
    }

    public ChunkEncoding encoding() {
        return encoding;
    }

    /** Samples in the current chunk. */
    public int total() {
        return total;
    }

    @Override
    public boolean next() {
        if (read >= total) {
            return false;
        }
        if (read >= 2) {
            if (r.peek2() == 0) { // fast path: same interval, same value (or same integer delta)
                r.skip(2);
                t += tDelta;
                if (encoding != ChunkEncoding.XOR) {
                    lastInt += lastDelta;
                    v = lastInt / pow;
                }
                read++;
                return true;
            }
            tDelta += readDod();
            t += tDelta;
            readValue();
        } else if (read == 0) {
            long zz = r.readUvarint();
            t = (zz >>> 1) ^ -(zz & 1);
            readFirstValue();
        } else {
            tDelta = r.readUvarint();
            t += tDelta;
            readValue();
        }
        read++;
        return true;
    }

    /**
     * Decodes up to {@code max} samples into {@code ts[off, off + n)} and {@code vs[off, off + n)} and returns
     * {@code n}: the samples {@link #next()} would give, fewer than {@code max} only at the end of the chunk, and
     * positioned at the last one. One loop per value encoding, with the timestamp state in locals, instead of the
     * per-sample checks of {@code next()} (end of chunk, first samples, encoding).
     */
    @Override
    public int nextBatch(long[] ts, double[] vs, int off, int max) {
        int n = 0;
        while (n < max && read < 2) {
            if (!next()) {
                return n;
            }
            ts[off + n] = t;
            vs[off + n] = v;
            n++;
        }
        int count = Math.min(max - n, total - read);
        if (count <= 0) {
            return n;
        }
        // No stop before the end of the batch: timestamps strictly increase, so one at Long.MAX_VALUE is the last.
        int decoded = encoding == ChunkEncoding.XOR
                ? xorBatch(ts, vs, off + n, count, Long.MAX_VALUE)
                : intBatch(ts, vs, off + n, count, Long.MAX_VALUE);
        read += decoded;
        return n + decoded;
    }

    /**
     * Where a batch clipped at {@code maxt} ends: the index of the first timestamp of {@code ts[from, end)}
     * (ascending) later than {@code maxt}, or {@code end}.
     */
    public static int endAtOrBefore(long[] ts, int from, int end, long maxt) {
        int k = from;
        while (k < end && ts[k] <= maxt) {
            k++;
        }
        return k;
    }

    /**
     * Besides the two-zero-bit fast path, the most common changed sample, a regular interval and a value XOR within
     * the previous window ({@code 0 10} + the window's bits), is peeked and consumed whole.
     */
    private int xorBatch(long[] ts, double[] vs, int from, int count, long until) {
        BitReader in = r;
        long time = t;
        long delta = tDelta;
        long bits = vBits;
        double value = v;
        int i = from;
        int end = from + count;
        while (i < end) {
            // Runs of regular samples on locals, as in intBatch. The window only changes in the general path below.
            int sig = 64 - leading - trailing;
            int need = 3 + sig;
            boolean windowFits = need <= MAX_PEEK;
            int want = windowFits ? need : 2;
            long sigMask = windowFits ? (1L << sig) - 1 : 0;
            int low = trailing;
            long buf = in.buf;
            int avail = in.avail;
            long pos = in.pos;
            long lastLoad = in.end - 8;
            boolean stop = false;
            while (i < end) {
                if (avail < want) {
                    if (pos > lastLoad) {
                        break; // the last bytes: the reader's own refill reads them one by one
                    }
                    buf |= in.load8(pos) >>> avail;
                    int bytes = (64 - avail) >>> 3;
                    pos += bytes;
                    avail += bytes << 3;
                }
                long top = buf >>> 61;
                if (top <= 1) { // "0 0": regular interval, same value
                    buf <<= 2;
                    avail -= 2;
                } else if (top == SAME_WINDOW && windowFits) { // "0 10" + the bits inside the previous window
                    bits ^= ((buf >>> (64 - need)) & sigMask) << low;
                    buf <<= need;
                    avail -= need;
                    value = Double.longBitsToDouble(bits);
                } else {
                    break;
                }
                time += delta;
                ts[i] = time;
                vs[i++] = value;
                if (time >= until) {
                    stop = true;
                    break;
                }
            }
            in.buf = buf;
            in.avail = avail;
            in.pos = pos;
            if (stop || i >= end) {
                break;
            }
            // One sample of any other kind (or any sample in the chunk's last bytes).
            if (in.peek2() == 0) {
                in.skip(2);
            } else {
                vBits = bits;
                delta += readDod();
                readXor();
                bits = vBits;
                value = Double.longBitsToDouble(bits);
            }
            time += delta;
            ts[i] = time;
            vs[i++] = value;
            if (time >= until) {
                break;
            }
        }
        t = time;
        tDelta = delta;
        vBits = bits;
        v = value;
        return i - from;
    }

    /**
     * As {@link #xorBatch}: a regular interval with a delta of the chunk's usual width ({@code 0 10} + width bits) is
     * peeked and consumed whole.
     */
    private int intBatch(long[] ts, double[] vs, int from, int count, long until) {
        BitReader in = r;
        long time = t;
        long delta = tDelta;
        long integer = lastInt;
        long intDelta = lastDelta;
        double value = v;
        // The usual width: DECIMAL chunks say it in their parameters, INT chunks have "10" + 6 bits as the shortest
        // code (their shift is 0, their coding plain delta and their pow 1, so one formula decodes both).
        int w = encoding == ChunkEncoding.DECIMAL ? width : 6;
        int need = 3 + w <= MAX_PEEK ? 3 + w : Integer.MAX_VALUE;
        long mask = (1L << w) - 1;
        int i = from;
        int end = from + count;
        while (i < end) {
            if (need != Integer.MAX_VALUE) {
                // Runs of regular samples on locals: the bit buffer lives in registers instead of being stored to
                // and reloaded from the reader's fields at every sample, which put a store-to-load round trip on
                // the chain from one sample to the next. Anything else leaves to the general decoding below.
                long buf = in.buf;
                int avail = in.avail;
                long pos = in.pos;
                long lastLoad = in.end - 8;
                boolean stop = false;
                while (i < end) {
                    if (avail < need) {
                        if (pos > lastLoad) {
                            break; // the last bytes: the reader's own refill reads them one by one
                        }
                        buf |= in.load8(pos) >>> avail;
                        int bytes = (64 - avail) >>> 3;
                        pos += bytes;
                        avail += bytes << 3;
                    }
                    long top = buf >>> 61;
                    if (top <= 1) { // "0 0": regular interval, same integer delta
                        buf <<= 2;
                        avail -= 2;
                    } else if (top == SAME_WINDOW) { // "0 10" + the usual width
                        long zz = (buf >>> (64 - need)) & mask;
                        buf <<= need;
                        avail -= need;
                        long x = ((zz >>> 1) ^ -(zz & 1)) << shift;
                        intDelta = dod ? intDelta + x : x;
                    } else {
                        break;
                    }
                    integer += intDelta;
                    value = integer / pow;
                    time += delta;
                    ts[i] = time;
                    vs[i++] = value;
                    if (time >= until) {
                        stop = true;
                        break;
                    }
                }
                in.buf = buf;
                in.avail = avail;
                in.pos = pos;
                if (stop || i >= end) {
                    break;
                }
            }
            // One sample of any other kind (or any sample in the chunk's last bytes).
            if (in.peek2() == 0) {
                in.skip(2);
                integer += intDelta;
                value = integer / pow;
            } else {
                lastInt = integer;
                lastDelta = intDelta;
                v = value;
                delta += readDod();
                readInt();
                integer = lastInt;
                intDelta = lastDelta;
                value = v;
            }
            time += delta;
            ts[i] = time;
            vs[i++] = value;
            if (time >= until) {
                break;
            }
        }
        t = time;
        tDelta = delta;
        lastInt = integer;
        lastDelta = intDelta;
        v = value;
        return i - from;
    }

    @Override
    public boolean seek(long target) {
        if (read > 0 && t >= target) {
            return true;
        }
        while (read < 2) {
            if (!next()) {
                return false;
            }
            if (t >= target) {
                return true;
            }
        }
        // The batch loops, stopping at the first sample at or after the target: seeking into the middle of a long
        // block chunk, or to the end of a head chunk, decodes most of the chunk.
        if (seekT == null) {
            seekT = new long[SEEK_BATCH];
            seekV = new double[SEEK_BATCH];
        }
        while (read < total) {
            int count = Math.min(SEEK_BATCH, total - read);
            read += encoding == ChunkEncoding.XOR
                    ? xorBatch(seekT, seekV, 0, count, target)
                    : intBatch(seekT, seekV, 0, count, target);
            if (t >= target) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        return v;
    }

    private long readDod() {
        if (!r.readBit()) {
            return 0;
        }
        if (!r.readBit()) {
            return signExtend(r.readBits(14), 14);
        }
        if (!r.readBit()) {
            return signExtend(r.readBits(17), 17);
        }
        if (!r.readBit()) {
            return signExtend(r.readBits(20), 20);
        }
        return r.readBits(64);
    }

    private static long signExtend(long v, int n) {
        return (v << (64 - n)) >> (64 - n);
    }

    private void readFirstValue() {
        if (encoding == ChunkEncoding.XOR) {
            vBits = r.readBits(64);
            v = Double.longBitsToDouble(vBits);
        } else if (!r.readBit()) {
            long zz = r.readUvarint();
            lastInt = (zz >>> 1) ^ -(zz & 1);
            lastDelta = 0;
            v = lastInt / pow;
        } else {
            v = Double.longBitsToDouble(r.readBits(64));
            lastInt = 0;
            lastDelta = 0;
        }
    }

    private void readValue() {
        if (encoding == ChunkEncoding.XOR) {
            readXor();
        } else {
            readInt();
        }
    }

    /**
     * Control bits {@code 0} (unchanged), {@code 10} (same window) or {@code 11} + 5 bits leading + 6 bits length:
     * peeked together, and the 13 bits of a new window read in one go.
     */
    private void readXor() {
        int c = r.peek2();
        if (c < 0) {
            readXorBitByBit(); // a single bit left: only "unchanged" is valid
            return;
        }
        if (c < 2) {
            r.skip(1); // value unchanged
            return;
        }
        if (c == 3) {
            int w = (int) r.readBits(13);
            leading = (w >>> 6) & 0x1F;
            int sig = w & 0x3F;
            if (sig == 0) {
                sig = 64;
            }
            trailing = 64 - leading - sig;
        } else {
            r.skip(2);
        }
        int sig = 64 - leading - trailing;
        vBits ^= r.readBits(sig) << trailing;
        v = Double.longBitsToDouble(vBits);
    }

    private void readXorBitByBit() {
        if (!r.readBit()) {
            return; // value unchanged
        }
        if (r.readBit()) {
            leading = (int) r.readBits(5);
            int sig = (int) r.readBits(6);
            if (sig == 0) {
                sig = 64;
            }
            trailing = 64 - leading - sig;
        }
        int sig = 64 - leading - trailing;
        vBits ^= r.readBits(sig) << trailing;
        v = Double.longBitsToDouble(vBits);
    }

    private void readInt() {
        if (!r.readBit()) {
            lastInt += lastDelta;
            v = lastInt / pow;
            return;
        }
        int width;
        if (encoding == ChunkEncoding.DECIMAL) {
            if (!r.readBit()) {
                width = this.width;
            } else if (!r.readBit()) {
                width = 32;
            } else if (!r.readBit()) {
                width = 64;
            } else {
                v = Double.longBitsToDouble(r.readBits(64)); // escape
                return;
            }
        } else if (!r.readBit()) {
            width = 6;
        } else if (!r.readBit()) {
            width = 13;
        } else if (!r.readBit()) {
            width = 20;
        } else if (!r.readBit()) {
            width = 32;
        } else if (!r.readBit()) {
            width = 64;
        } else {
            v = Double.longBitsToDouble(r.readBits(64)); // escape: a value that is not an integer
            return;
        }
        long zz = r.readBits(width);
        long x = ((zz >>> 1) ^ -(zz & 1)) << shift;
        lastDelta = dod ? lastDelta + x : x;
        lastInt += lastDelta;
        v = lastInt / pow;
    }
}
