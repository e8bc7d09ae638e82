package io.atalaya.tsdb.block;

import io.atalaya.tsdb.index.CorruptIndexException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads chunks by reference from the mapped segment files of one block. Thread-safe (immutable); the per-reader
 * frame cache lives in a {@link Cursor}, one per querier or thread.
 */
final class ChunkSegmentReader {
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment[] segments; // index = segment number - 1
    private final String[] names;

    /** Over segments whose frame chains are walked here, through the mappings (tests, in-memory files). */
    ChunkSegmentReader(List<MemorySegment> segments, List<String> names) {
        this(segments, names, true);
    }

    /**
     * @param walkFrames false when {@link #checkFrameChain(FileChannel, String)} has checked every file already:
     *                   walking the headers through the mapping would fault in, and keep resident, about the whole
     *                   file (the kernel maps 64 KiB around each fault), for each block as long as it is open
     */
    ChunkSegmentReader(List<MemorySegment> segments, List<String> names, boolean walkFrames) {
        this.segments = segments.toArray(new MemorySegment[0]);
        this.names = names.toArray(new String[0]);
        for (int i = 0; i < this.segments.length; i++) {
            MemorySegment s = this.segments[i];
            if (s.byteSize() < ChunkSegmentWriter.HEADER_BYTES || s.get(INT_BE, 0) != ChunkSegmentWriter.MAGIC) {
                throw new CorruptIndexException(this.names[i], 0, "not a chunk segment (bad magic or too short)");
            }
            int version = s.get(ValueLayout.JAVA_BYTE, 4);
            if (version != ChunkSegmentWriter.VERSION) {
                throw new CorruptIndexException(this.names[i], 4, "unsupported chunk segment version " + version);
            }
            if (walkFrames) {
                checkFrameChain(s.byteSize(), pos -> s.get(INT_BE, pos), this.names[i]);
            }
        }
    }

    /** The stored length field of the frame header at a position. */
    private interface StoredLength {
        int at(long framePos);
    }

    /**
     * Checks the frame chain of a segment file with positional reads, before it is mapped: the headers go through the
     * page cache without becoming part of the process's resident memory.
     *
     * @throws IOException          when the file cannot be read
     * @throws CorruptIndexException when the chain does not end exactly at the end of the file
     */
    static void checkFrameChain(FileChannel ch, String name) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Integer.BYTES); // big-endian, as written
        try {
            checkFrameChain(ch.size(), pos -> {
                b.clear();
                try {
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position()) < 0) {
                            throw new CorruptIndexException(name, pos, "file shrank while it was checked");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return b.getInt(0);
            }, name);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Walks the frame headers (not the data: checksums are verified when a frame is first read) to find truncation
     * at open time: the last frame must end exactly at the end of the file. Cost: one header read per 64 KiB.
     */
    private static void checkFrameChain(long size, StoredLength lengthAt, String name) {
        long pos = ChunkSegmentWriter.HEADER_BYTES;
        while (pos < size) {
            if (pos + ChunkSegmentWriter.FRAME_HEADER_BYTES > size) {
                throw new CorruptIndexException(name, pos, "truncated frame header");
            }
            int storedLen = lengthAt.at(pos + 5);
            if (storedLen < 0) {
                throw new CorruptIndexException(name, pos, "negative frame length");
            }
            long next = pos + ChunkSegmentWriter.FRAME_HEADER_BYTES + storedLen + 4;
            if (next > size) {
                throw new CorruptIndexException(name, pos, "frame runs past the end of the segment (truncated file)");
            }
            pos = next;
        }
    }

    Cursor cursor() {
        return new Cursor();
    }

    /**
     * Resolves chunk references, caching the last frame it loaded (decompressed or verified). Consecutive chunks of
     * one series, and consecutive series, mostly share frames. Not thread-safe.
     */
    final class Cursor {
        private int cachedSegment = -1;
        private long cachedFrame = -1;
        private MemorySegment frame;
        private byte[] raw = new byte[0];
        private byte[] stored = new byte[0];

        /** Where the data of the chunk located by the last {@link #locate} is: {@link #data} from {@link #offset}, {@link #length} bytes. */
        MemorySegment data;
        long offset;
        int length;

        void locate(long ref) {
            int seg = (int) (ref >>> 48);
            long frameOff = (ref >>> 16) & 0xFFFF_FFFFL;
            int inFrame = (int) (ref & 0xFFFF);
            if (seg < 1 || seg > segments.length) {
                throw new CorruptIndexException("chunks", 0, "chunk reference " + Long.toHexString(ref)
                        + " names segment " + seg + " but the block has " + segments.length);
            }
            if (seg != cachedSegment || frameOff != cachedFrame) {
                loadFrame(seg, frameOff);
            }
            // The chunk's length prefix (uvarint), read in place: this runs once per chunk read, so no reader
            // object and no source name are built unless the frame is corrupt.
            long size = frame.byteSize();
            long pos = inFrame;
            long len = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= size || shift > 28) {
                    throw corrupt(seg, frameOff, pos, "unreadable chunk length");
                }
                byte b = frame.get(ValueLayout.JAVA_BYTE, pos++);
                len |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
            }
            if (len > size - pos) {
                throw corrupt(seg, frameOff, pos, "chunk of " + len + " bytes runs past its frame");
            }
            data = frame;
            offset = pos;
            length = (int) len;
        }

        private CorruptIndexException corrupt(int seg, long frameOff, long pos, String what) {
            return new CorruptIndexException(names[seg - 1] + " frame@" + frameOff, pos, what);
        }

        private void loadFrame(int seg, long frameOff) {
            MemorySegment file = segments[seg - 1];
            String name = names[seg - 1];
            if (frameOff < ChunkSegmentWriter.HEADER_BYTES
                    || frameOff + ChunkSegmentWriter.FRAME_HEADER_BYTES > file.byteSize()) {
                throw new CorruptIndexException(name, frameOff, "frame offset outside the segment");
            }
            ChunkCompression codec;
            try {
                codec = ChunkCompression.fromId(file.get(ValueLayout.JAVA_BYTE, frameOff));
            } catch (IllegalArgumentException e) {
                throw new CorruptIndexException(name, frameOff, e.getMessage());
            }
            int rawLen = file.get(INT_BE, frameOff + 1);
            int storedLen = file.get(INT_BE, frameOff + 5);
            long body = frameOff + ChunkSegmentWriter.FRAME_HEADER_BYTES;
            if (rawLen < 0 || storedLen < 0 || body + storedLen + 4 > file.byteSize()) {
                throw new CorruptIndexException(name, frameOff, "frame runs past the end of the segment (truncated?)");
            }
            MemorySegment storedSeg = file.asSlice(body, storedLen);
            CRC32C crc = new CRC32C();
            crc.update(storedSeg.asByteBuffer());
            if ((int) crc.getValue() != file.get(INT_BE, body + storedLen)) {
                throw new CorruptIndexException(name, frameOff, "frame checksum mismatch");
            }
            if (codec == ChunkCompression.NONE) {
                if (storedLen != rawLen) {
                    throw new CorruptIndexException(name, frameOff, "uncompressed frame with differing lengths");
                }
                frame = storedSeg;
            } else {
                if (stored.length < storedLen) {
                    stored = new byte[storedLen];
                }
                MemorySegment.copy(storedSeg, ValueLayout.JAVA_BYTE, 0, stored, 0, storedLen);
                if (raw.length < rawLen) {
                    raw = new byte[rawLen];
                }
                if (!ChunkCompression.decompress(codec, stored, storedLen, raw, rawLen)) {
                    throw new CorruptIndexException(name, frameOff, "frame does not decompress to " + rawLen + " bytes");
                }
                frame = MemorySegment.ofArray(raw).asSlice(0, rawLen);
            }
            cachedSegment = seg;
            cachedFrame = frameOff;
        }
    }
}
