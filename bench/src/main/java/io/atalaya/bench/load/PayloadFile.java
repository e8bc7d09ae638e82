package io.atalaya.bench.load;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Pre-encoded request bodies kept out of the Java heap: written once, one after the other, to a file, then mapped
 * read-only and handed out as {@link ByteBuffer} views of the mapping, which the HTTP client writes to its socket
 * without a copy into the heap. The heap holds only the index (offset, length and samples of each body: 20 bytes a
 * request, with the latest timestamp of each), so the workload's size is bounded by the disk and the page cache, not by the driver's heap.
 *
 * <p>{@link Writer#finish()} flushes the file to disk (so that no write-back of ours competes with the server's own
 * disk writes while it is timed), maps it, touches every page (so that no page fault is left for the timed sending)
 * and deletes the file: the mapping keeps its pages until {@link #close()}, and nothing is left behind if the driver
 * dies. The pages are clean page cache: the kernel may reclaim them under memory pressure and read them back on use.
 * Safe to read from several threads once built.
 */
final class PayloadFile implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment mapping;
    private final long[] offsets;
    private final int[] lengths;
    private final int[] samples;
    private final long[] lastTimestamps;
    private final long totalSamples;

    private PayloadFile(Arena arena, MemorySegment mapping, long[] offsets, int[] lengths, int[] samples,
                        long[] lastTimestamps) {
        this.arena = arena;
        this.mapping = mapping;
        this.offsets = offsets;
        this.lengths = lengths;
        this.samples = samples;
        this.lastTimestamps = lastTimestamps;
        long total = 0;
        for (int s : samples) {
            total += s;
        }
        this.totalSamples = total;
    }

    /** Starts a new store backed by {@code file} (created or truncated). */
    static Writer create(Path file) throws IOException {
        return new Writer(file);
    }

    /** Number of bodies. */
    int size() {
        return offsets.length;
    }

    /** Samples (remote write) or fields (line protocol) in body {@code i}. */
    int samples(int i) {
        return samples[i];
    }

    /** The latest sample timestamp in body {@code i}. */
    long lastTimestampMs(int i) {
        return lastTimestamps[i];
    }

    long totalSamples() {
        return totalSamples;
    }

    /** Bytes of all bodies. */
    long totalBytes() {
        return mapping.byteSize();
    }

    /** Body {@code i}: a new read-only view of the mapping (position 0, limit its length); nothing is copied. */
    ByteBuffer body(int i) {
        return mapping.asSlice(offsets[i], lengths[i]).asByteBuffer().asReadOnlyBuffer();
    }

    /** Body {@code i} copied into a new array (for tests and dumps; the sending path uses {@link #body}). */
    byte[] bytes(int i) {
        return mapping.asSlice(offsets[i], lengths[i]).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Unmaps the bodies; views handed out before must not be used after. */
    @Override
    public void close() {
        arena.close();
    }

    /** Appends bodies to the file; {@link #finish()} turns it into a {@link PayloadFile}. Not thread-safe. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private long position;
        private long[] offsets = new long[256];
        private int[] lengths = new int[256];
        private int[] samples = new int[256];
        private long[] lastTimestamps = new long[256];
        private int count;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        /** Appends one body carrying {@code sampleCount} samples, the latest at {@code lastTimestampMs}. */
        void add(byte[] body, int sampleCount, long lastTimestampMs) throws IOException {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
                samples = Arrays.copyOf(samples, count * 2);
                lastTimestamps = Arrays.copyOf(lastTimestamps, count * 2);
            }
            ByteBuffer src = ByteBuffer.wrap(body);
            while (src.hasRemaining()) {
                channel.write(src, position + src.position());
            }
            offsets[count] = position;
            lengths[count] = body.length;
            samples[count] = sampleCount;
            lastTimestamps[count] = lastTimestampMs;
            count++;
            position += body.length;
        }

        /** Flushes what was written, maps and loads it, deletes the file, and returns the store. */
        PayloadFile finish() throws IOException {
            channel.force(false);
            Arena arena = Arena.ofShared();
            try {
                MemorySegment mapping = position == 0 ? MemorySegment.ofArray(new byte[0])
                        : channel.map(FileChannel.MapMode.READ_ONLY, 0, position, arena);
                if (position > 0) {
                    mapping.load();
                }
                return new PayloadFile(arena, mapping, Arrays.copyOf(offsets, count), Arrays.copyOf(lengths, count),
                        Arrays.copyOf(samples, count), Arrays.copyOf(lastTimestamps, count));
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            } finally {
                close();
            }
        }

        /** Closes and deletes the file (a mapping made by {@link #finish()} stays valid). */
        @Override
        public void close() throws IOException {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
