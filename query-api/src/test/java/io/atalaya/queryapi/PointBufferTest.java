package io.atalaya.queryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.atalaya.promql.engine.ValueFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Points written from the reused buffer are the same text as the generator-built ones with {@link ValueFormat#value},
 * separators included, whether the value arrives as a double (whole values take their own path) or as its string.
 */
class PointBufferTest {
    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void sameTextAsTheGeneratorBuiltPoints() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        long[] ts = new long[2_000];
        double[] vs = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = switch (i % 5) {
                case 0 -> 1_795_418_928_000L + i * 15_000L;
                case 1 -> rnd.nextLong(0, 4_000_000_000_000L);
                case 2 -> -rnd.nextLong(0, 4_000_000_000_000L);
                case 3 -> rnd.nextInt(2_000) - 1_000;
                default -> i % 2 == 0 ? 0 : Long.MIN_VALUE;
            };
            vs[i] = switch (i % 4) {
                case 0 -> rnd.nextDouble() * 1e9;
                case 1 -> Double.NaN;
                case 2 -> i % 3 == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                default -> -rnd.nextDouble() * 1e-9;
            };
        }
        assertThat(write(ts, vs, true)).isEqualTo(write(ts, vs, false));
    }

    @Test
    void fractionsKeepThreeDigits() throws IOException {
        assertThat(write(new long[] {1_500, -1_005, 3_000, 1_435_781_451_781L}, new double[] {1, 2.5, 0, -0.0}, true))
                .isEqualTo("[[1.500,\"1\"],[-1.005,\"2.5\"],[3,\"0\"],[1435781451.781,\"-0\"]]");
    }

    @Test
    void wholeValuesAtTheEdgesOfTheDigitPath() throws IOException {
        double limit = 0x1p53;
        double[] vs = {0.0, -0.0, 1, -1, 42, 1e15, -1e15, limit - 1, -(limit - 1), limit, -limit, limit + 2, 1e20,
                1e21, 1e22, -1e300, Long.MAX_VALUE, Long.MIN_VALUE, 9.999999999999998e15, 4_294_967_296.0,
                17_179_869_184.5, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        long[] ts = new long[vs.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = i % 2 == 0 ? 1_795_418_928_000L : -1_005 * i;
        }
        ts[0] = Long.MIN_VALUE;
        assertThat(write(ts, vs, true)).isEqualTo(write(ts, vs, false));
        assertThat(writeDoubles(ts, vs)).isEqualTo(write(ts, vs, false));
    }

    @Property(tries = 2_000)
    void doublesWriteAsTheirFormattedText(@ForAll long t, @ForAll double v, @ForAll @IntRange(min = -100_000_000,
            max = 100_000_000) int whole) throws IOException {
        long[] ts = {t, t / 1000 * 1000, t};
        double[] vs = {v, whole, whole * 1024.0 * 1024.0};
        assertThat(writeDoubles(ts, vs)).isEqualTo(write(ts, vs, false));
    }

    private static String writeDoubles(long[] ts, double[] vs) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            PointBuffer points = new PointBuffer();
            for (int i = 0; i < ts.length; i++) {
                points.write(json, ts[i], vs[i]);
            }
            json.writeEndArray();
        }
        return out.toString();
    }

    private static String write(long[] ts, double[] vs, boolean buffered) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            PointBuffer points = new PointBuffer();
            for (int i = 0; i < ts.length; i++) {
                if (buffered) {
                    points.write(json, ts[i], ValueFormat.value(vs[i]));
                } else {
                    ResultWriter.point(json, ts[i], ValueFormat.value(vs[i]));
                }
            }
            json.writeEndArray();
        }
        return out.toString();
    }
}
