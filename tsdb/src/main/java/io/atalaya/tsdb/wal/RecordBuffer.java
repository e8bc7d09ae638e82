package io.atalaya.tsdb.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for building WAL records; reusable with {@link #clear()}. Not thread-safe. */
public final class RecordBuffer {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int len;

    public RecordBuffer(int initial) {
        buf = new byte[Math.max(16, initial)];
    }

    public void clear() {
        len = 0;
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + extra, buf.length * 2));
        }
    }

    void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void putUvarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void putVarint(long v) {
        putUvarint((v << 1) ^ (v >> 63));
    }

    void putLong(long v) {
        ensure(8);
        LONG_BE.set(buf, len, v);
        len += 8;
    }

    void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putUvarint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** Overwrites a 4-byte big-endian int at {@code pos} (used to patch counts). */
    void patchInt(int pos, int v) {
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
    }

    void putInt(int v) {
        ensure(4);
        patchInt(len, v);
        len += 4;
    }
}
