package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The plain decimal form of sample values, against the BigDecimal rendering it replaces. */
class PlainDecimalTest {
    @Property(tries = 2000)
    void matchesBigDecimalForAnyDouble(@ForAll long bits) {
        double v = Double.longBitsToDouble(bits);
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return;
        }
        assertThat(GoMath.formatPlain(v)).isEqualTo(viaBigDecimal(v));
    }

    @Test
    void matchesBigDecimalOnTypicalValues() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 6) {
                case 0 -> rnd.nextInt(1_000_000);
                case 1 -> rnd.nextDouble() * 100;
                case 2 -> Math.round(rnd.nextDouble() * 1e6) / 1000.0;
                case 3 -> -rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30));
                case 4 -> Math.pow(10, rnd.nextInt(-320, 308));
                default -> 8e9 + rnd.nextDouble() * 4e9;
            };
            if (v == 0) {
                continue;
            }
            assertThat(GoMath.formatPlain(v)).as("%s", Double.toString(v)).isEqualTo(viaBigDecimal(v));
        }
    }

    @Test
    void edgeValues() {
        assertThat(GoMath.formatPlain(1e7)).isEqualTo("10000000");
        assertThat(GoMath.formatPlain(1e-3)).isEqualTo("0.001");
        assertThat(GoMath.formatPlain(9.999e-4)).isEqualTo("0.0009999");
        assertThat(GoMath.formatPlain(-123.25)).isEqualTo("-123.25");
        assertThat(GoMath.formatPlain(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(GoMath.formatPlain(Double.MIN_VALUE)).isEqualTo(viaBigDecimal(Double.MIN_VALUE));
        assertThat(GoMath.formatPlain(Double.MAX_VALUE)).isEqualTo(viaBigDecimal(Double.MAX_VALUE));
        assertThat(GoMath.formatPlain(-0.0)).isEqualTo("-0");
        assertThat(GoMath.formatPlain(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    private static String viaBigDecimal(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
