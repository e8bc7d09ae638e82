package io.atalaya.tsdb.block;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the frames of a chunk segment file are stored. The id is written in every frame header, so one block can be
 * read whatever the writer's setting was. Frames are standard zstd frames, written and read by zstd-jni (native
 * libzstd): one compression context per writer (a fresh context per frame, as aircompressor's compressor makes,
 * allocated about 1 MB of tables per 64 KiB frame), and decompression contexts pooled across readers. Reading a
 * 64 KiB frame takes 40 µs with a pooled context, 53 µs when libzstd makes one per call and 63 µs with the pure-Java
 * aircompressor ({@code FrameDecompressBenchmark}); queries over long ranges spend a fifth of their time there.
 */
public enum ChunkCompression {
    /** Frames stored as is: chunks are read straight from the mapping. */
    NONE(0),
    /** Frames compressed with zstd, level 3. */
    ZSTD(1);

    /** zstd's default level: what the frames were always written with. */
    private static final int ZSTD_LEVEL = 3;

    /**
     * Decompression contexts not in use. A context is a few hundred KiB of native memory once it has read a frame;
     * at most {@link #MAX_IDLE_CONTEXTS} stay pooled, about as many as threads decompress at once.
     */
    private static final ConcurrentLinkedQueue<ZstdDecompressCtx> IDLE_CONTEXTS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger IDLE_COUNT = new AtomicInteger();
    private static final int MAX_IDLE_CONTEXTS = 2 * Runtime.getRuntime().availableProcessors();

    private final int id;

    ChunkCompression(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static ChunkCompression fromId(int id) {
        for (ChunkCompression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown chunk frame compression id " + id);
    }

    /** A stateful compressor: {@code compress(src, n, dst) -> stored length}. Not thread-safe; close it after use. */
    interface Encoder extends AutoCloseable {
        int maxCompressedLength(int n);

        int compress(byte[] src, int n, byte[] dst);

        /** Frees what the encoder holds outside the heap. */
        @Override
        default void close() {
        }
    }

    Encoder newEncoder() {
        return switch (this) {
            case NONE -> new Encoder() {
                @Override
                public int maxCompressedLength(int n) {
                    return n;
                }

                @Override
                public int compress(byte[] src, int n, byte[] dst) {
                    System.arraycopy(src, 0, dst, 0, n);
                    return n;
                }
            };
            case ZSTD -> new Encoder() {
                private final ZstdCompressCtx z = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);

                @Override
                public int maxCompressedLength(int n) {
                    return Math.toIntExact(Zstd.compressBound(n));
                }

                @Override
                public int compress(byte[] src, int n, byte[] dst) {
                    return z.compressByteArray(dst, 0, dst.length, src, 0, n);
                }

                @Override
                public void close() {
                    z.close();
                }
            };
        };
    }

    /** Decompresses {@code stored} into exactly {@code rawLen} bytes of {@code dst}; false if the data is malformed. */
    static boolean decompress(ChunkCompression c, byte[] stored, int storedLen, byte[] dst, int rawLen) {
        if (c == NONE) {
            if (storedLen != rawLen) {
                return false;
            }
            System.arraycopy(stored, 0, dst, 0, rawLen);
            return true;
        }
        ZstdDecompressCtx ctx = IDLE_CONTEXTS.poll();
        if (ctx != null) {
            IDLE_COUNT.decrementAndGet();
        } else {
            ctx = new ZstdDecompressCtx();
        }
        try {
            return ctx.decompressByteArray(dst, 0, rawLen, stored, 0, storedLen) == rawLen;
        } catch (RuntimeException e) { // ZstdException: malformed frame, or more than rawLen bytes
            return false;
        } finally {
            if (IDLE_COUNT.incrementAndGet() <= MAX_IDLE_CONTEXTS) {
                IDLE_CONTEXTS.offer(ctx);
            } else {
                IDLE_COUNT.decrementAndGet();
                ctx.close();
            }
        }
    }
}
