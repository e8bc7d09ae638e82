package io.atalaya.tsdb.block;

import io.atalaya.tsdb.index.ByteSink;
import io.atalaya.tsdb.index.FileOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Appends encoded chunks to the segment files of a block's {@code chunks/} directory, grouped into frames that are
 * optionally compressed (format in FORMAT.md). Each {@link #add} returns the chunk's reference, known immediately
 * because a frame's file offset is fixed when it is opened. Not thread-safe; {@link #finish()} once.
 */
final class ChunkSegmentWriter implements AutoCloseable {
    static final int MAGIC = 0x41544348; // "ATCH"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 8;
    static final int FRAME_HEADER_BYTES = 9;
    /** Frames close once their raw size reaches this; a chunk's offset inside its frame must fit 16 bits. */
    static final int MAX_FRAME_TARGET = 65_535;
    static final long MAX_SEGMENT_BYTES = 512L << 20;

    private final Path dir;
    private final ChunkCompression compression;
    private final ChunkCompression.Encoder encoder;
    private final int frameTarget;
    private final ByteSink frame = new ByteSink(1 << 16);
    private byte[] stored = new byte[0];
    private FileOutput out;
    private int segment;
    private long frameStart;
    private long bytesWritten;
    private long chunks;

    ChunkSegmentWriter(Path dir, ChunkCompression compression, int frameTarget) {
        if (frameTarget < 1 || frameTarget > MAX_FRAME_TARGET) {
            throw new IllegalArgumentException("frame target " + frameTarget + " outside [1, " + MAX_FRAME_TARGET + "]");
        }
        this.dir = dir;
        this.compression = compression;
        this.encoder = compression.newEncoder();
        this.frameTarget = frameTarget;
    }

    static String segmentName(int n) {
        String s = Integer.toString(n);
        return "000000".substring(s.length()) + s;
    }

    static long ref(int segment, long frameOffset, int inFrame) {
        return ((long) segment << 48) | (frameOffset << 16) | inFrame;
    }

    /** Adds one encoded chunk ({@code data[0, len)}, self-describing: see the chunk package); returns its reference. */
    long add(byte[] data, int len) throws IOException {
        if (out == null || (frame.length() == 0 && out.position() >= MAX_SEGMENT_BYTES)) {
            openSegment();
        }
        if (frame.length() == 0) {
            frameStart = out.position();
        }
        int inFrame = frame.length();
        frame.putUvarint(len);
        frame.put(data, 0, len);
        chunks++;
        long r = ref(segment, frameStart, inFrame);
        if (frame.length() >= frameTarget) {
            flushFrame();
        }
        return r;
    }

    private void openSegment() throws IOException {
        if (out != null) {
            bytesWritten += out.finish();
            out = null;
        }
        if (segment == 0xFFFF) {
            throw new IOException("block needs more than 65535 chunk segments");
        }
        segment++;
        out = new FileOutput(dir.resolve(segmentName(segment)));
        ByteSink s = out.sink();
        s.putInt(MAGIC);
        s.put(VERSION);
        s.put(0);
        s.put(0);
        s.put(0);
    }

    private void flushFrame() throws IOException {
        int raw = frame.length();
        if (raw == 0) {
            return;
        }
        int max = encoder.maxCompressedLength(raw);
        if (stored.length < max) {
            stored = new byte[max];
        }
        int n = encoder.compress(frame.array(), raw, stored);
        ChunkCompression used = compression;
        byte[] body = stored;
        if (n >= raw && compression != ChunkCompression.NONE) {
            // Incompressible frame: keep it raw so readers can use the mapping directly.
            used = ChunkCompression.NONE;
            body = frame.array();
            n = raw;
        }
        ByteSink s = out.sink();
        s.put(used.id());
        s.putInt(raw);
        s.putInt(n);
        out.write(body, 0, n);
        CRC32C crc = new CRC32C();
        crc.update(body, 0, n);
        s.putInt((int) crc.getValue());
        out.maybeFlush();
        frame.reset();
    }

    long chunks() {
        return chunks;
    }

    /** Flushes the last frame, fsyncs and closes; returns the bytes of all segment files. */
    long finish() throws IOException {
        if (out != null) {
            flushFrame();
            bytesWritten += out.finish();
            out = null;
        }
        return bytesWritten;
    }

    @Override
    public void close() throws IOException {
        try {
            if (out != null) {
                out.close();
            }
        } finally {
            encoder.close();
        }
    }
}
