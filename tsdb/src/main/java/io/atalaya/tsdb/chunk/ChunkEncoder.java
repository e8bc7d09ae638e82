package io.atalaya.tsdb.chunk;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds one chunk at a time: timestamps as delta-of-delta and values as XOR or integer deltas, on a bit stream.
 *
 * <p>The timestamp scheme and the XOR value scheme are those of the Gorilla paper (Pelkonen et al., "Gorilla: A
 * Fast, Scalable, In-Memory Time Series Database", VLDB 2015), with the bucket widths Prometheus uses for
 * millisecond timestamps (tsdb/chunkenc/xor.go, itself derived from github.com/dgryski/go-tsz). The integer value
 * mode is ours; FORMAT.md describes the layout bit by bit and why the integer mode exists.
 *
 * <p>Cutting is the caller's job: {@link #append} returns false when the chunk is full (sample or byte cap, or too
 * many non-integer values in an integer chunk) and the caller then seals it ({@link #copyTo}) and calls
 * {@link #reset}. The encoder is reusable and keeps its buffer across chunks, so a long-lived series allocates
 * nothing per sample. Not thread-safe.
 *
 * <p>The bit stream is written here rather than by a separate writer object: the head keeps one encoder per series,
 * and one object less per series is both memory and a cache miss less per appended sample. Bits are OR-ed into the
 * buffer 64 at a time (a big-endian long store), so the buffer always keeps {@value #SLACK} bytes of room past the
 * last written byte; bytes past {@link #sizeBytes()} are always zero.
 */
public final class ChunkEncoder {
    /** Samples per chunk at which {@link #append} reports "full"; ~20 minutes at a 10 s interval, as Prometheus. */
    public static final int DEFAULT_MAX_SAMPLES = 120;
    /** Encoded size at which a chunk is full; no chunk ever exceeds it. */
    public static final int DEFAULT_MAX_BYTES = 1024;
    /** Bytes before the bit stream: encoding id and sample count. */
    public static final int HEADER_BYTES = 3;
    /** Worst case of one sample: 4 + 64 timestamp bits and 6 + 64 value bits. */
    private static final int MAX_SAMPLE_BYTES = 18;
    /** Non-integer values an integer chunk accepts before it asks to be cut (then the series goes XOR). */
    public static final int MAX_ESCAPES = 2;

    /** Room kept past the last written byte for the 64-bit stores of {@link #writeBits}. */
    static final int SLACK = 9;
    private static final byte NO_WINDOW = -1;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // Narrow field types: the head keeps one encoder per series, so every byte here is a byte per series.
    private final char maxSamples;
    private final int maxBytes;
    private byte[] buf;
    private int bitLen;

    private ChunkEncoding encoding = ChunkEncoding.XOR;
    private int count;
    private long minTime;
    private long t;
    private long tDelta;
    /** XOR: bits of the previous value; INT and DECIMAL: the previous scaled integer. */
    private long prev;
    // XOR window (leading is NO_WINDOW before the first one is written)
    private byte leading;
    private byte trailing;
    // INT state
    private long lastDelta;
    private char escapes;
    /** DECIMAL deltas too wide for the chunk's width (written with the 32- or 64-bit codes). */
    private char wideDeltas;
    // DECIMAL parameters (INT is k = 0, shift = 0, no dod)
    private byte decK;
    private byte shift;
    private boolean dod;
    private byte width;
    /** Whether a DECIMAL chunk reports "full" after {@link #MAX_ESCAPES} escapes, as INT does (see resetLike). */
    private boolean capEscapes;

    /**
     * Reads the encoder's fields and the byte its next sample goes to, and returns a value depending on them. The
     * head calls it for samples a few places ahead of the one it appends, so that the cache misses of several series
     * overlap instead of each stalling the append in turn. It runs without the series' lock, so another thread may
     * be appending (or growing the buffer) meanwhile: the index is checked against the array actually read.
     */
    public int touch() {
        byte[] b = buf;
        int i = bitLen >>> 3;
        return (i < b.length ? b[i] : 0) + count;
    }

    public ChunkEncoder() {
        this(DEFAULT_MAX_SAMPLES, DEFAULT_MAX_BYTES, 32);
    }

    /**
     * @param maxSamples   samples after which the chunk is full (1..65535)
     * @param maxBytes     encoded bytes after which the chunk is full (≥ 64)
     * @param initialBytes initial buffer size; it grows as needed up to {@code maxBytes}
     */
    public ChunkEncoder(int maxSamples, int maxBytes, int initialBytes) {
        if (maxSamples < 1 || maxSamples > 0xFFFF) {
            throw new IllegalArgumentException("maxSamples must be in 1..65535, got " + maxSamples);
        }
        if (maxBytes < 64) {
            throw new IllegalArgumentException("maxBytes must be at least 64, got " + maxBytes);
        }
        this.maxSamples = (char) maxSamples;
        this.maxBytes = maxBytes;
        this.buf = new byte[Math.max(initialBytes, 8) + SLACK];
        reset(ChunkEncoding.XOR);
    }

    /**
     * Starts a new, empty chunk with the given value encoding, keeping the buffer. DECIMAL chunks need
     * {@link #resetDecimal}; here DECIMAL means exponent 0, shift 0, delta coding.
     */
    public void reset(ChunkEncoding enc) {
        if (enc == ChunkEncoding.DECIMAL) {
            resetDecimal(0, 0, false, 13);
            return;
        }
        start(enc);
        decK = 0;
        shift = 0;
        dod = false;
    }

    /**
     * Starts a new, empty chunk with the value encoding and DECIMAL parameters of {@code model} (typically the chunk
     * {@link ChunkOptimizer} just chose for the previous samples of the same series, which the next ones usually
     * resemble), with room for about {@code expectedBytes}. Unlike {@link #resetDecimal}, a DECIMAL chunk started
     * this way reports "full" after {@link #MAX_ESCAPES} values it cannot hold, as an INT chunk does: the series
     * changed its character and should be re-optimized rather than pay 68 bits per sample.
     */
    public void resetLike(ChunkEncoder model, int expectedBytes) {
        int want = Math.max(16, Math.min(expectedBytes, maxBytes)) + SLACK;
        if (buf.length > want + (want >> 1) || buf.length < want) {
            buf = new byte[want];
            bitLen = 0;
        }
        if (model.encoding == ChunkEncoding.DECIMAL) {
            resetDecimal(model.decK, model.shift, model.dod, model.width);
            capEscapes = true;
        } else {
            reset(model.encoding);
        }
    }

    /**
     * Starts a new, empty DECIMAL chunk: values are stored as {@code m = v·10^k}, and deltas (or deltas of deltas
     * when {@code deltaOfDelta}) are divided by {@code 2^shift} and zig-zagged; those below {@code 2^width} take
     * {@code width + 2} bits. Values that do not fit are stored raw (64 bits).
     */
    public void resetDecimal(int k, int shift, boolean deltaOfDelta, int width) {
        if (k < 0 || k > ChunkEncoding.MAX_DECIMAL_EXPONENT || shift < 0 || shift > 62 || width < 1 || width > 63) {
            throw new IllegalArgumentException("decimal exponent must be 0.." + ChunkEncoding.MAX_DECIMAL_EXPONENT
                    + ", shift 0..62 and width 1..63, got " + k + ", " + shift + ", " + width);
        }
        start(ChunkEncoding.DECIMAL);
        decK = (byte) k;
        this.shift = (byte) shift;
        this.dod = deltaOfDelta;
        this.width = (byte) width;
        writeBits(k, 4);
        writeBits(shift, 6);
        writeBit(deltaOfDelta);
        writeBits(width, 6);
    }

    /**
     * Like {@link #reset(ChunkEncoding)}, but also gives back a buffer that grew large: for long-lived encoders of
     * many series (the head), where a buffer kept at its peak size costs more than regrowing it.
     */
    public void resetAndShrink(ChunkEncoding enc) {
        if (buf.length > 2 * (32 + SLACK)) {
            buf = new byte[32 + SLACK];
            bitLen = 0;
        }
        reset(enc);
    }

    private void start(ChunkEncoding enc) {
        Arrays.fill(buf, 0, Math.min(buf.length, (bitLen + 7) >>> 3), (byte) 0);
        bitLen = 0;
        capEscapes = false;
        encoding = enc;
        count = 0;
        escapes = 0;
        wideDeltas = 0;
        leading = NO_WINDOW;
        trailing = 0;
        writeBits(enc.id(), 8);
        writeBits(0, 16);
    }

    public ChunkEncoding encoding() {
        return encoding;
    }

    public int numSamples() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Timestamp of the first sample; undefined when empty. */
    public long minTime() {
        return minTime;
    }

    /** Timestamp of the last sample; undefined when empty. */
    public long maxTime() {
        return t;
    }

    /** Encoded size in bytes, header included. */
    public int sizeBytes() {
        return (bitLen + 7) >>> 3;
    }

    /** Bytes held on the heap by this encoder's buffer (for memory accounting). */
    public int capacityBytes() {
        return buf.length;
    }

    /** The encoded bytes {@code [0, sizeBytes())}; the array is owned by the encoder and changes on append. */
    public byte[] array() {
        return buf;
    }

    /** A copy of the encoded chunk. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, sizeBytes());
    }

    /** Copies the encoded chunk to {@code dst} at {@code offset}; {@code sizeBytes()} bytes are written. */
    public void copyTo(MemorySegment dst, long offset) {
        MemorySegment.copy(MemorySegment.ofArray(buf), 0, dst, offset, sizeBytes());
    }

    /**
     * Appends a sample whose timestamp MUST be greater than {@link #maxTime()} (when not empty).
     *
     * @return false, without changing anything, when the chunk is full and must be cut first; never false for an
     *         empty chunk
     */
    public boolean append(long ts, double v) {
        if (count > 0) {
            if (ts <= t) {
                throw new IllegalArgumentException("chunk samples must have increasing timestamps: " + ts + " after " + t);
            }
            if (count >= maxSamples || sizeBytes() + MAX_SAMPLE_BYTES > maxBytes) {
                return false;
            }
            // INT limits escapes, and DECIMAL chunks started by resetLike; other DECIMAL chunks are built by
            // ChunkOptimizer, which already counted them.
            if (escapes >= MAX_ESCAPES && (encoding == ChunkEncoding.INT || capEscapes) && wouldEscape(v)) {
                return false;
            }
        }
        switch (count) {
            case 0 -> {
                writeUvarint((ts << 1) ^ (ts >> 63));
                minTime = ts;
                writeFirstValue(v);
            }
            case 1 -> {
                tDelta = ts - t;
                writeUvarint(tDelta);
                writeValue(v);
            }
            default -> {
                long delta = ts - t;
                writeDod(delta - tDelta);
                tDelta = delta;
                writeValue(v);
            }
        }
        t = ts;
        count++;
        buf[1] = (byte) (count >>> 8);
        buf[2] = (byte) count;
        return true;
    }

    /**
     * Whether the chunk is a DECIMAL chunk started by {@link #resetLike} whose samples all kept to its parameters:
     * no value stored raw, and at most one delta in 16 too wide for its width. Such a chunk is about as small as
     * {@link ChunkOptimizer} would make it.
     */
    public boolean fitsItsSamples() {
        return encoding == ChunkEncoding.DECIMAL && capEscapes && escapes == 0 && wideDeltas * 16 <= count;
    }

    /** Whether an INT or DECIMAL chunk would have to store {@code v} raw (mirrors writeInt). */
    private boolean wouldEscape(double v) {
        long l = ChunkEncoding.scaled(v, decK);
        return l == Long.MIN_VALUE || ((l - prev) & ((1L << shift) - 1)) != 0;
    }

    private void writeDod(long dod) {
        if (dod == 0) {
            writeBit(false);
        } else if (fits(dod, 14)) {
            writeBits(0b10, 2);
            writeBits(dod, 14);
        } else if (fits(dod, 17)) {
            writeBits(0b110, 3);
            writeBits(dod, 17);
        } else if (fits(dod, 20)) {
            writeBits(0b1110, 4);
            writeBits(dod, 20);
        } else {
            writeBits(0b1111, 4);
            writeBits(dod, 64);
        }
    }

    /** Whether {@code v} fits in an {@code n}-bit two's complement field. */
    static boolean fits(long v, int n) {
        long lim = 1L << (n - 1);
        return v >= -lim && v < lim;
    }

    private void writeFirstValue(double v) {
        if (encoding == ChunkEncoding.XOR) {
            prev = Double.doubleToRawLongBits(v);
            writeBits(prev, 64);
        } else if (ChunkEncoding.scaled(v, decK) != Long.MIN_VALUE) {
            writeBit(false);
            prev = ChunkEncoding.scaled(v, decK);
            lastDelta = 0;
            writeUvarint((prev << 1) ^ (prev >> 63));
        } else {
            writeBit(true);
            writeBits(Double.doubleToRawLongBits(v), 64);
            prev = 0;
            lastDelta = 0;
            escapes++;
        }
    }

    private void writeValue(double v) {
        if (encoding == ChunkEncoding.XOR) {
            writeXor(v);
        } else {
            writeInt(v);
        }
    }

    private void writeXor(double v) {
        long bits = Double.doubleToRawLongBits(v);
        long xor = bits ^ prev;
        prev = bits;
        if (xor == 0) {
            writeBit(false);
            return;
        }
        writeBit(true);
        int lz = Long.numberOfLeadingZeros(xor);
        int tz = Long.numberOfTrailingZeros(xor);
        if (lz >= 32) {
            lz = 31; // 5 bits hold the leading-zero count
        }
        if (leading != NO_WINDOW && lz >= leading && tz >= trailing) {
            writeBit(false);
            writeBits(xor >>> trailing, 64 - leading - trailing);
        } else {
            leading = (byte) lz;
            trailing = (byte) tz;
            int sig = 64 - lz - tz;
            writeBit(true);
            writeBits(lz, 5);
            writeBits(sig, 6); // 64 is written as 0: a non-zero xor has at least one significant bit
            writeBits(xor >>> tz, sig);
        }
    }

    private void writeInt(double v) {
        long l = ChunkEncoding.scaled(v, decK);
        long delta = l - prev;
        if (l == Long.MIN_VALUE || (delta & ((1L << shift) - 1)) != 0) {
            if (encoding == ChunkEncoding.DECIMAL) {
                writeBits(0b1111, 4);
            } else {
                writeBits(0b111111, 6);
            }
            writeBits(Double.doubleToRawLongBits(v), 64);
            escapes++;
            return;
        }
        prev = l;
        if (delta == lastDelta) {
            writeBit(false);
            return;
        }
        long x = (dod ? delta - lastDelta : delta) >> shift;
        lastDelta = delta;
        long zz = (x << 1) ^ (x >> 63);
        if (encoding == ChunkEncoding.DECIMAL) {
            writeDecimalDelta(zz);
        } else if (zz < (1L << 6)) {
            writeBits(0b10, 2);
            writeBits(zz, 6);
        } else if (zz < (1L << 13)) {
            writeBits(0b110, 3);
            writeBits(zz, 13);
        } else if (zz < (1L << 20)) {
            writeBits(0b1110, 4);
            writeBits(zz, 20);
        } else if (zz < (1L << 32)) {
            writeBits(0b11110, 5);
            writeBits(zz, 32);
        } else {
            writeBits(0b111110, 6);
            writeBits(zz, 64);
        }
    }

    /** DECIMAL codes: {@code 10} + width bits, {@code 110} + 32 bits, {@code 1110} + 64 bits. */
    private void writeDecimalDelta(long zz) {
        if (width < 64 && zz < (1L << width)) {
            writeBits(0b10, 2);
            writeBits(zz, width);
        } else if (zz < (1L << 32)) {
            wideDeltas++;
            writeBits(0b110, 3);
            writeBits(zz, 32);
        } else {
            wideDeltas++;
            writeBits(0b1110, 4);
            writeBits(zz, 64);
        }
    }

    // ---- bit stream ----------------------------------------------------------------------------------------------

    private void writeBit(boolean bit) {
        int idx = bitLen >>> 3;
        if (idx + SLACK > buf.length) {
            grow(idx + SLACK);
        }
        if (bit) {
            buf[idx] |= (byte) (0x80 >>> (bitLen & 7));
        }
        bitLen++;
    }

    /** Writes the low {@code n} bits of {@code v} (0 ≤ n ≤ 64), most significant first. */
    private void writeBits(long v, int n) {
        if (n == 0) {
            return;
        }
        int idx = bitLen >>> 3;
        if (idx + SLACK > buf.length) {
            grow(idx + SLACK);
        }
        v &= -1L >>> (64 - n);
        int used = (bitLen & 7) + n;
        long cur = (long) LONG_BE.get(buf, idx);
        if (used <= 64) {
            LONG_BE.set(buf, idx, cur | (v << (64 - used)));
        } else {
            // The field straddles nine bytes: its high bits complete this long, the rest starts the next byte.
            LONG_BE.set(buf, idx, cur | (v >>> (used - 64)));
            buf[idx + 8] = (byte) (v << (72 - used));
        }
        bitLen += n;
    }

    /** Writes an unsigned LEB128 varint, byte-wise, into the bit stream. */
    private void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeBits((v & 0x7F) | 0x80, 8);
            v >>>= 7;
        }
        writeBits(v, 8);
    }

    private void grow(int bytes) {
        // Grows by half, but never past what a full chunk needs: the head's buffers stay within the byte cap.
        buf = Arrays.copyOf(buf, Math.max(bytes, Math.min(buf.length + (buf.length >>> 1), maxBytes + SLACK)));
    }
}
