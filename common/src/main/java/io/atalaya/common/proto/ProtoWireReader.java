package io.atalaya.common.proto;

import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire level shared by the hand-written decoders (remote write, OTLP): varints, field tags, fixed
 * 64-bit values, length prefixes and skipping of unknown fields, over a {@code byte[]} with an explicit end for each
 * enclosing message.
 *
 * <p>Rules: varints of at most 10 bytes that fit in 64 bits; tags with a field number of at least 1 that fit in 32
 * bits; every length checked against the bytes left before {@code end} before it is used, so truncated or hostile
 * input can never make a decoder read past its message or allocate more than the input holds; unknown fields of wire
 * types 0, 1, 2 and 5 skipped, groups (3, 4) refused.
 *
 * <p>A decoder extends this class: the cursor ({@link #buf}, {@link #pos}) stays a plain field on the hot path, and
 * the decoder decides what an error looks like ({@link #error}), so that its messages can name the field path.
 * Not thread-safe.
 */
public abstract class ProtoWireReader {
    public static final int WT_VARINT = 0;
    public static final int WT_I64 = 1;
    public static final int WT_LEN = 2;
    public static final int WT_I32 = 5;

    /** The message being read. */
    protected byte[] buf;
    /** The next byte to read. */
    protected int pos;
    /** Where the message starts, so error offsets can be given relative to it. */
    protected int base;

    /** Starts reading {@code data} at {@code offset}. */
    protected final void start(byte[] data, int offset) {
        buf = data;
        pos = offset;
        base = offset;
    }

    /** The decoder's exception for malformed input at the current position ({@link #pos}). */
    protected abstract RuntimeException error(String reason);

    /** A field tag: field number in the high bits, wire type in the low three. */
    protected final int readTag(int end) {
        long t = readVarint(end);
        if (t <= 0 || t > 0xffffffffL || (t >>> 3) == 0) {
            throw error("invalid field tag " + t);
        }
        return (int) t;
    }

    protected final long readVarint(int end) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw error("truncated varint");
            }
            int b = buf[pos++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                if (shift == 63 && (b & 0x7e) != 0) {
                    throw error("varint overflows 64 bits");
                }
                return v;
            }
        }
        throw error("varint longer than 10 bytes");
    }

    /** A little-endian 64-bit value (wire type 1: double, fixed64, sfixed64). */
    protected final long readFixed64(int end) {
        if (end - pos < 8) {
            throw error("truncated 64-bit value: " + (end - pos) + " bytes left");
        }
        int p = pos;
        long v = (buf[p] & 0xffL) | (buf[p + 1] & 0xffL) << 8 | (buf[p + 2] & 0xffL) << 16
                | (buf[p + 3] & 0xffL) << 24 | (buf[p + 4] & 0xffL) << 32 | (buf[p + 5] & 0xffL) << 40
                | (buf[p + 6] & 0xffL) << 48 | (buf[p + 7] & 0xffL) << 56;
        pos = p + 8;
        return v;
    }

    /**
     * Reads the length prefix of a length-delimited field (refusing any other wire type) and checks it against the
     * bytes left before {@code end}. The field's bytes are then {@code [pos, pos + length)}.
     */
    protected final int lengthOf(int wt, int end) {
        expectWireType(wt, WT_LEN, "length-delimited field");
        long len = readVarint(end);
        if (len < 0 || len > end - pos) {
            throw error("length " + len + " exceeds the " + (end - pos) + " bytes left in the enclosing message");
        }
        return (int) len;
    }

    /** A length-delimited field as UTF-8 text (invalid bytes become U+FFFD). */
    protected final String readString(int wt, int end) {
        int len = lengthOf(wt, end);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Skips a field of wire type {@code wt} whose tag was just read. */
    protected final void skip(int wt, int end) {
        switch (wt) {
            case WT_VARINT -> readVarint(end);
            case WT_I64 -> {
                if (end - pos < 8) {
                    throw error("truncated 64-bit field");
                }
                pos += 8;
            }
            case WT_LEN -> {
                int len = lengthOf(wt, end); // not "pos += lengthOf(..)": that would add to the stale pos
                pos += len;
            }
            case WT_I32 -> {
                if (end - pos < 4) {
                    throw error("truncated 32-bit field");
                }
                pos += 4;
            }
            default -> throw error("unsupported wire type " + wt);
        }
    }

    protected final void expectWireType(int wt, int expected, String what) {
        if (wt != expected) {
            throw error("wrong wire type " + wt + " for " + what + " (expected " + expected + ")");
        }
    }
}
