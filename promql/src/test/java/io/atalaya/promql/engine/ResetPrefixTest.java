package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** rate, increase and resets with the per-series prefix count of resets give bit for bit the scanning results. */
class ResetPrefixTest {
    @Property(tries = 300)
    void prefixCountGivesTheScanningResults(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
                                            @ForAll @IntRange(min = 2, max = 300) int samples,
                                            @ForAll @IntRange(min = 0, max = 30) int resetPercent) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ts = new long[samples];
        double[] vs = new double[samples];
        double v = rnd.nextDouble() * 1e6;
        for (int i = 0; i < samples; i++) {
            ts[i] = i * 15_000L + rnd.nextInt(500);
            if (rnd.nextInt(100) < resetPercent) {
                v = rnd.nextInt(3) == 0 ? Double.NaN : rnd.nextDouble() * 10;
            } else {
                v += rnd.nextDouble() * 100;
            }
            vs[i] = v;
        }
        RangeFunctions.Window prefixed = new RangeFunctions.Window();
        prefixed.ts = ts;
        prefixed.vs = vs;
        RangeFunctions.countResets(prefixed, samples);
        RangeFunctions.Window scanning = new RangeFunctions.Window();
        scanning.ts = ts;
        scanning.vs = vs;
        for (RangeFunctions.Kind kind : new RangeFunctions.Kind[] {
            RangeFunctions.Kind.RATE, RangeFunctions.Kind.INCREASE, RangeFunctions.Kind.RESETS}) {
            for (int lo = 0; lo < samples; lo += 1 + rnd.nextInt(5)) {
                int hi = Math.min(samples, lo + 1 + rnd.nextInt(40));
                for (RangeFunctions.Window w : new RangeFunctions.Window[] {prefixed, scanning}) {
                    w.lo = lo;
                    w.hi = hi;
                    w.rangeEnd = ts[hi - 1] + rnd.nextInt(1000);
                    w.rangeMs = 300_000;
                    w.rangeSeconds = 300;
                    w.rangeStart = w.rangeEnd - w.rangeMs;
                }
                scanning.rangeEnd = prefixed.rangeEnd;
                scanning.rangeStart = prefixed.rangeStart;
                double a = RangeFunctions.compute(kind, prefixed);
                boolean emitA = prefixed.emit;
                double b = RangeFunctions.compute(kind, scanning);
                assertThat(emitA).isEqualTo(scanning.emit);
                assertThat(Double.doubleToRawLongBits(a)).as("%s [%d, %d)", kind, lo, hi)
                        .isEqualTo(Double.doubleToRawLongBits(b));
            }
        }
    }
}
