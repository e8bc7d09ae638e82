package io.atalaya.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunkEncoderResetLikeTest {
    private static List<String> decode(ChunkEncoder e) {
        ChunkIterator it = new ChunkIterator().reset(e.toByteArray(), 0, e.sizeBytes());
        List<String> out = new ArrayList<>();
        while (it.next()) {
            out.add(it.timestamp() + "=" + Long.toHexString(Double.doubleToRawLongBits(it.value())));
        }
        return out;
    }

    private static ChunkEncoder decimalModel() {
        ChunkEncoder model = new ChunkEncoder(0xFFFF, 0xFFFF, 64);
        long[] ts = new long[100];
        double[] vs = new double[100];
        for (int i = 0; i < 100; i++) {
            ts[i] = i * 1000L;
            vs[i] = i / 20.0; // exactly m / 100
        }
        assertThat(new ChunkOptimizer().encode(ts, vs, 100, model)).isEqualTo(ChunkEncoding.DECIMAL);
        return model;
    }

    @Test
    void aDecimalChunkStartedLikeAnotherTakesItsParametersAndIsCutAfterTooManyEscapes() {
        ChunkEncoder model = decimalModel();
        ChunkEncoder open = new ChunkEncoder(360, 512, 16);
        open.resetLike(model, model.sizeBytes());
        assertThat(open.encoding()).isEqualTo(ChunkEncoding.DECIMAL);
        List<String> want = new ArrayList<>();
        double[] values = {0.1, 0.15, Double.NaN, 0.2, Double.longBitsToDouble(StaleMarker.BITS), 0.25};
        long t = 5_000;
        for (double v : values) {
            assertThat(open.append(t, v)).as("value %s", v).isTrue();
            want.add(t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
            t += 1000;
        }
        // Two escapes so far (NaN, the stale marker): a third value it cannot hold asks for a cut.
        assertThat(open.append(t, Math.PI)).as("another value it cannot hold").isFalse();
        assertThat(open.append(t, 0.3)).as("values it holds are still accepted").isTrue();
        want.add(t + "=" + Long.toHexString(Double.doubleToRawLongBits(0.3)));
        assertThat(decode(open)).isEqualTo(want);
    }

    @Test
    void aChunkResetLikeAnotherKeepsNothingOfItsPreviousSamples() {
        ChunkEncoder model = decimalModel();
        ChunkEncoder open = new ChunkEncoder(360, 512, 16);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int round = 0; round < 50; round++) {
            open.resetLike(round % 2 == 0 ? model : new ChunkEncoder(), 8 + rnd.nextInt(400));
            List<String> want = new ArrayList<>();
            int n = 1 + rnd.nextInt(300);
            for (int i = 0; i < n; i++) {
                double v = round % 3 == 0 ? rnd.nextDouble() : rnd.nextInt(1000) / 20.0;
                long t = 1_700_000_000_000L + i * 10_000L + rnd.nextInt(50);
                if (!open.append(t, v)) {
                    break;
                }
                want.add(t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
            }
            assertThat(decode(open)).isEqualTo(want);
            assertThat(open.capacityBytes()).isLessThanOrEqualTo(512 + ChunkEncoder.SLACK);
        }
    }

    @Property(tries = 200)
    void bitFieldsOfEveryWidthRoundTripAtEveryOffset(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        // XOR values with random bit patterns write fields of every width at every bit offset.
        SplittableRandom rnd = new SplittableRandom(seed);
        ChunkEncoder e = new ChunkEncoder(0xFFFF, 1 << 16, 8);
        List<String> want = new ArrayList<>();
        long t = rnd.nextLong(-1L << 50, 1L << 50);
        for (int i = 0; i < 200; i++) {
            double v = Double.longBitsToDouble(rnd.nextLong() >>> rnd.nextInt(64) << rnd.nextInt(64));
            t += 1 + rnd.nextLong(1L << rnd.nextInt(1, 40));
            assertThat(e.append(t, v)).isTrue();
            want.add(t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        assertThat(decode(e)).isEqualTo(want);
    }
}
