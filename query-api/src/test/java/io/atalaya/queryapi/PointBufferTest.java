package io.atalaya.queryapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.atalaya.promql.engine.ValueFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Points written from the reused buffer are the same text as the generator-built ones, separators included. */
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
