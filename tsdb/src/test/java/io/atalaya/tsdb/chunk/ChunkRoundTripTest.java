package io.atalaya.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.StaleMarker;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ChunkRoundTripTest {
    record Sample(long t, double v) {
    }

    @Property(tries = 300)
    void everySampleRoundTripsBitExactlyFromArrayAndSegment(@ForAll("streams") List<Sample> samples,
                                                            @ForAll ChunkEncoding encoding) {
        if (encoding == ChunkEncoding.DECIMAL) {
            return; // built only by ChunkOptimizer, checked separately
        }
        List<byte[]> chunks = encode(samples, encoding);
        ChunkIterator it = new ChunkIterator();
        List<Sample> fromArrays = new ArrayList<>();
        List<Sample> fromSegments = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (byte[] c : chunks) {
                byte[] padded = new byte[c.length + 7];
                System.arraycopy(c, 0, padded, 5, c.length);
                it.reset(padded, 5, c.length);
                drain(it, fromArrays);
                MemorySegment off = arena.allocate(c.length);
                off.copyFrom(MemorySegment.ofArray(c));
                it.reset(off);
                drain(it, fromSegments);
            }
        }
        assertThat(bits(fromArrays)).isEqualTo(bits(samples));
        assertThat(bits(fromSegments)).isEqualTo(bits(samples));
    }

    @Property(tries = 300)
    void optimizedChunksRoundTripBitExactly(@ForAll("streams") List<Sample> samples) {
        ChunkIterator it = new ChunkIterator();
        List<Sample> back = new ArrayList<>();
        for (byte[] c : optimized(samples)) {
            drain(it.reset(c, 0, c.length), back);
        }
        assertThat(bits(back)).isEqualTo(bits(samples));
    }

    @Test
    void optimizerPicksDecimalForCentsAndShiftsPageMultiples() {
        ChunkOptimizer opt = new ChunkOptimizer();
        ChunkEncoder out = new ChunkEncoder();
        long[] ts = new long[120];
        double[] cents = new double[120];
        double[] pages = new double[120];
        java.util.Random rnd = new java.util.Random(7);
        long c = 1234567;
        long p = 100_000;
        for (int i = 0; i < 120; i++) {
            ts[i] = 10_000L * i;
            c += 800 + rnd.nextInt(100);
            p += rnd.nextInt(200) - 100;
            cents[i] = c / 100.0;
            pages[i] = p * 4096.0;
        }
        assertThat(opt.encode(ts, cents, 120, out)).isEqualTo(ChunkEncoding.DECIMAL);
        int centBytes = out.sizeBytes();
        assertThat(centBytes).isLessThan(120 * 2 + 16);
        assertThat(opt.encode(ts, pages, 120, out)).isEqualTo(ChunkEncoding.DECIMAL);
        assertThat(out.sizeBytes()).isLessThan(120 * 2 + 16);
        double[] random = new double[120];
        for (int i = 0; i < 120; i++) {
            random[i] = rnd.nextDouble();
        }
        assertThat(opt.encode(ts, random, 120, out)).isEqualTo(ChunkEncoding.XOR);
    }

    @Property(tries = 300)
    void batchesGiveTheSamplesOfNextInAnyMixOfBatchSizes(@ForAll("streams") List<Sample> samples,
                                                         @ForAll("batchSizes") List<Integer> sizes) {
        List<byte[]> chunks = new ArrayList<>(encode(samples, ChunkEncoding.XOR));
        chunks.addAll(encode(samples, ChunkEncoding.INT));
        chunks.addAll(optimized(samples)); // DECIMAL where it is the smallest
        assertBatchesGiveTheSamplesOfNext(chunks, sizes);
    }

    /**
     * Decodes every chunk one sample at a time and again in batches of {@code sizes} (in turn, at varying offsets;
     * a size of 0 is a plain {@code next()} between batches), and requires the same samples, bit for bit. The batches
     * read each chunk from a heap array (block chunks) and from off-heap memory (head chunks): the batch loops load
     * bits from either.
     */
    private static void assertBatchesGiveTheSamplesOfNext(List<byte[]> chunks, List<Integer> sizes) {
        try (Arena arena = Arena.ofConfined()) {
            int call = 0;
            for (byte[] c : chunks) {
                MemorySegment offHeap = arena.allocate(c.length);
                MemorySegment.copy(c, 0, offHeap, ValueLayout.JAVA_BYTE, 0, c.length);
                call = assertBatchesGiveTheSamplesOfNext(c, new ChunkIterator().reset(c, 0, c.length), sizes, call);
                call = assertBatchesGiveTheSamplesOfNext(c, new ChunkIterator().reset(offHeap), sizes, call);
            }
        }
    }

    /** One chunk of the above, read by {@code batched}; returns the next index into {@code sizes}. */
    private static int assertBatchesGiveTheSamplesOfNext(byte[] c, ChunkIterator batched, List<Integer> sizes,
                                                         int call) {
        long[] ts = new long[300];
        double[] vs = new double[300];
        List<Sample> expected = decodeOneByOne(c);
        List<Sample> got = new ArrayList<>();
        while (true) {
            int size = sizes.get(call++ % sizes.size());
            if (size == 0) { // a plain next() between batches
                if (!batched.next()) {
                    break;
                }
                got.add(new Sample(batched.timestamp(), batched.value()));
                continue;
            }
            int off = call % 3;
            int n = batched.nextBatch(ts, vs, off, size);
            for (int i = 0; i < n; i++) {
                got.add(new Sample(ts[off + i], vs[off + i]));
            }
            if (n > 0) {
                assertThat(batched.timestamp()).as("positioned at the batch's last sample").isEqualTo(ts[off + n - 1]);
                assertThat(Double.doubleToRawLongBits(batched.value()))
                        .isEqualTo(Double.doubleToRawLongBits(vs[off + n - 1]));
            }
            if (n < size) {
                assertThat(batched.next()).as("a short batch means the chunk is exhausted").isFalse();
                break;
            }
        }
        assertThat(bits(got)).isEqualTo(bits(expected));
        return call;
    }

    /**
     * The batch loops' whole-sample fast paths (regular interval and a delta of the chunk's usual width, or an XOR in
     * the previous window) against one-by-one decoding, on series shaped like real ones: counters in cents, gauges in
     * 4 KiB pages, with irregular intervals, wide jumps and escapes mixed in; every DECIMAL width and shift. Seeking,
     * which decodes the samples it skips with the same loops, lands where one-by-one decoding finds the target.
     */
    @Property(tries = 300)
    void batchFastPathsGiveTheSamplesOfNext(@ForAll("decimalShaped") List<Sample> samples,
                                            @ForAll @net.jqwik.api.constraints.IntRange(max = 9) int k,
                                            @ForAll @net.jqwik.api.constraints.IntRange(max = 12) int shift,
                                            @ForAll boolean dod,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 63) int width,
                                            @ForAll("batchSizes") List<Integer> sizes,
                                            @ForAll @net.jqwik.api.constraints.IntRange(max = 400) int pick) {
        List<byte[]> chunks = new ArrayList<>(optimized(samples));
        chunks.addAll(encode(samples, ChunkEncoding.XOR));
        ChunkEncoder e = new ChunkEncoder(65535, 1 << 20, 16);
        e.resetDecimal(k, shift, dod, width);
        for (Sample sample : samples) {
            assertThat(e.append(sample.t(), sample.v())).isTrue();
        }
        chunks.add(e.toByteArray());
        assertBatchesGiveTheSamplesOfNext(chunks, sizes);
        ChunkIterator batched = new ChunkIterator();
        for (byte[] c : chunks) {
            List<Sample> expected = decodeOneByOne(c);
            // The batched seek, onto a sample and just after one, from a fresh iterator and from the first sample.
            Sample onto = expected.get(pick % expected.size());
            for (long target : new long[] {onto.t(), onto.t() + 1}) {
                Sample want = expected.stream().filter(x -> x.t() >= target).findFirst().orElse(null);
                for (boolean stepFirst : new boolean[] {false, true}) {
                    batched.reset(c, 0, c.length);
                    if (stepFirst) {
                        assertThat(batched.next()).isTrue();
                    }
                    assertThat(batched.seek(target)).isEqualTo(want != null);
                    if (want != null) {
                        assertThat(batched.timestamp()).isEqualTo(want.t());
                        assertThat(Double.doubleToRawLongBits(batched.value()))
                                .isEqualTo(Double.doubleToRawLongBits(want.v()));
                        List<Sample> rest = new ArrayList<>();
                        drain(batched, rest);
                        assertThat(bits(rest)).as("the samples after a seek").isEqualTo(
                                bits(expected.subList(expected.indexOf(want) + 1, expected.size())));
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Sample>> decimalShaped() {
        Arbitrary<Long> steps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(0, 2_000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-300, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-(1L << 40), 1L << 40)));
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just(15_000L)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(14_990, 15_010)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 1L << 40)));
        Arbitrary<Integer> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.just(0)), // on the grid
                net.jqwik.api.Tuple.of(1, Arbitraries.just(1)), // an escape (NaN, staleness marker, a fraction)
                net.jqwik.api.Tuple.of(1, Arbitraries.just(2))); // a random double
        Arbitrary<Integer> scales = Arbitraries.of(0, 1, 2, 3, -12); // ·10^-k, or ·4096
        return Combinators.combine(scales, Combinators.combine(gaps, steps, kinds).as((g, d, x) -> new long[] {g, d, x})
                        .list().ofMinSize(1).ofMaxSize(300))
                .as((scale, list) -> {
                    List<Sample> out = new ArrayList<>();
                    long t = 1_700_000_000_000L;
                    long m = 1_234_567;
                    java.util.Random rnd = new java.util.Random(list.size());
                    for (long[] s : list) {
                        t += s[0];
                        m += s[1];
                        double v = scale < 0 ? m * 4096.0 : m / ChunkEncoding.POW10[scale];
                        if (s[2] == 1) {
                            v = switch (rnd.nextInt(3)) {
                                case 0 -> Double.NaN;
                                case 1 -> StaleMarker.VALUE;
                                default -> v + 0.123456789;
                            };
                        } else if (s[2] == 2) {
                            v = rnd.nextDouble() * 1e6;
                        }
                        out.add(new Sample(t, v));
                    }
                    return out;
                });
    }

    @Provide
    Arbitrary<List<Integer>> batchSizes() {
        return Arbitraries.integers().between(0, 260).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200)
    void seekFindsTheFirstSampleAtOrAfterTarget(@ForAll("streams") List<Sample> samples, @ForAll ChunkEncoding enc,
                                                @ForAll long target, @ForAll @net.jqwik.api.constraints.IntRange(max = 9) int k,
                                                @ForAll @net.jqwik.api.constraints.IntRange(max = 20) int shift,
                                                @ForAll boolean dod) {
        ChunkEncoder e = new ChunkEncoder(65535, 1 << 20, 16);
        if (enc == ChunkEncoding.DECIMAL) {
            e.resetDecimal(k, shift, dod, 1 + (k * 7 + shift) % 40);
        } else {
            e.reset(enc);
        }
        List<Sample> kept = new ArrayList<>();
        for (Sample s : samples) {
            if (!e.append(s.t(), s.v())) {
                break; // an integer chunk refuses a third non-integer value
            }
            kept.add(s);
        }
        samples = kept;
        ChunkIterator it = new ChunkIterator().reset(e.toByteArray(), 0, e.sizeBytes());
        List<Sample> all = samples;
        Sample expected = all.stream().filter(s -> s.t() >= target).findFirst().orElse(null);
        boolean found = it.seek(target);
        assertThat(found).isEqualTo(expected != null);
        if (expected != null) {
            assertThat(it.timestamp()).isEqualTo(expected.t());
            assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(Double.doubleToRawLongBits(expected.v()));
            assertThat(it.seek(Math.max(Long.MIN_VALUE, target - 1000) > target ? target : target - 1000)).as("seek never moves backwards").isTrue();
            assertThat(it.timestamp()).isEqualTo(expected.t());
        }
    }

    @Test
    void chunksAreCutAtTheSampleCap() {
        ChunkEncoder e = new ChunkEncoder();
        e.reset(ChunkEncoding.INT);
        int n = 0;
        while (e.append(1_000L * n, n)) {
            n++;
        }
        assertThat(n).isEqualTo(ChunkEncoder.DEFAULT_MAX_SAMPLES);
        assertThat(e.numSamples()).isEqualTo(120);
    }

    @Test
    void chunksNeverExceedTheByteCap() {
        ChunkEncoder e = new ChunkEncoder(65535, 200, 16);
        e.reset(ChunkEncoding.XOR);
        java.util.Random rnd = new java.util.Random(1);
        long t = 0;
        while (e.append(t, rnd.nextDouble())) {
            t += rnd.nextInt(1 << 30);
        }
        assertThat(e.sizeBytes()).isLessThanOrEqualTo(200);
    }

    @Test
    void integerChunkAsksForACutAfterTooManyNonIntegers() {
        ChunkEncoder e = new ChunkEncoder();
        e.reset(ChunkEncoding.INT);
        assertThat(e.append(1, 1)).isTrue();
        assertThat(e.append(2, 0.5)).isTrue();
        assertThat(e.append(3, StaleMarker.VALUE)).isTrue();
        assertThat(e.append(4, 7)).isTrue();
        assertThat(e.append(5, 1.5)).isFalse();
        assertThat(e.numSamples()).isEqualTo(4);
    }

    @Test
    void regularIntegerCounterCostsTwoBitsPerSample() {
        ChunkEncoder e = new ChunkEncoder();
        e.reset(ChunkEncoding.INT);
        for (int i = 0; i < 120; i++) {
            assertThat(e.append(1_700_000_000_000L + 10_000L * i, 5_000_000 + 4096L * i)).isTrue();
        }
        assertThat(e.sizeBytes()).isLessThan(3 + 8 + 4 + 4 + 30 + 2);
    }

    @Test
    void outOfOrderAppendIsACallerBug() {
        ChunkEncoder e = new ChunkEncoder();
        e.append(10, 1);
        assertThatThrownBy(() -> e.append(10, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedAndUnknownChunksFailClearly() {
        ChunkEncoder e = new ChunkEncoder();
        e.reset(ChunkEncoding.XOR);
        e.append(1, 1.5);
        e.append(2, 2.5);
        byte[] c = e.toByteArray();
        ChunkIterator it = new ChunkIterator().reset(c, 0, c.length - 4);
        assertThatThrownBy(() -> {
            while (it.next()) {
                // drain
            }
        }).isInstanceOf(CorruptChunkException.class);
        c[0] = 99;
        assertThatThrownBy(() -> new ChunkIterator().reset(c, 0, c.length))
                .isInstanceOf(CorruptChunkException.class).hasMessageContaining("unknown chunk encoding 99");
    }

    static List<byte[]> encode(List<Sample> samples, ChunkEncoding enc) {
        List<byte[]> out = new ArrayList<>();
        ChunkEncoder e = new ChunkEncoder(120, 1024, 8);
        e.reset(enc);
        for (Sample s : samples) {
            if (!e.append(s.t(), s.v())) {
                out.add(e.toByteArray());
                e.reset(enc);
                assertThat(e.append(s.t(), s.v())).isTrue();
            }
        }
        if (!e.isEmpty()) {
            out.add(e.toByteArray());
        }
        return out;
    }

    /** Chunks of up to 120 samples in the encoding {@link ChunkOptimizer} picks for each. */
    static List<byte[]> optimized(List<Sample> samples) {
        ChunkOptimizer opt = new ChunkOptimizer();
        ChunkEncoder out = new ChunkEncoder(65535, 1 << 20, 16);
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += 120) {
            int n = Math.min(120, samples.size() - from);
            long[] ts = new long[n];
            double[] vs = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = samples.get(from + i).t();
                vs[i] = samples.get(from + i).v();
            }
            opt.encode(ts, vs, n, out);
            chunks.add(out.toByteArray());
        }
        return chunks;
    }

    static List<Sample> decodeOneByOne(byte[] chunk) {
        List<Sample> out = new ArrayList<>();
        drain(new ChunkIterator().reset(chunk, 0, chunk.length), out);
        return out;
    }

    static void drain(ChunkIterator it, List<Sample> into) {
        while (it.next()) {
            into.add(new Sample(it.timestamp(), it.value()));
        }
    }

    static List<String> bits(List<Sample> s) {
        List<String> out = new ArrayList<>();
        for (Sample x : s) {
            out.add(x.t() + "/" + Long.toHexString(Double.doubleToRawLongBits(x.v())));
        }
        return out;
    }

    @Provide
    Arbitrary<List<Sample>> streams() {
        Arbitrary<Double> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.doubles()),
                net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(-1_000_000, 1_000_000).map(l -> (double) l)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(l -> (double) l)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().map(Double::longBitsToDouble)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, StaleMarker.VALUE, -0.0, 0.0, Double.MIN_VALUE,
                        Double.MAX_VALUE, 9.007199254740992E15, -9.007199254740991E15)));
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(10_000L)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, 100_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 1L << 45)));
        Arbitrary<Boolean> repeat = Arbitraries.of(true, false);
        return Combinators.combine(Arbitraries.longs().between(-(1L << 50), 1L << 50),
                        Combinators.combine(gaps, values, repeat).as((g, v, r) -> new Object[] {g, v, r}).list().ofMaxSize(400))
                .as((start, steps) -> {
                    List<Sample> out = new ArrayList<>();
                    long t = start;
                    double prev = 0;
                    for (Object[] s : steps) {
                        t += (Long) s[0];
                        double v = (Boolean) s[2] ? prev : (Double) s[1];
                        out.add(new Sample(t, v));
                        prev = v;
                    }
                    return out;
                });
    }
}
