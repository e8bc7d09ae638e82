package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * ln, log2 and log10 against values Prometheus 2.42 (Go's math package) answered, chosen among the arguments
 * where java.lang.Math's result differs in the last bit. The port matched all 594,000 values of a larger
 * comparison (six argument ranges, three functions).
 */
class GoMathLogTest {
    /** {function, argument, Prometheus' answer}, both numbers in Go's shortest form. */
    private static final String[][] PROMETHEUS = {
        {"ln", "142857236.85714287", "18.77735634589088"},
        {"log2", "142857144.85714287", "27.08999795212639"},
        {"log2", "142865299.85714287", "27.09008030602108"},
        {"log2", "214291079.2857143", "27.674996552472496"},
        {"log2", "242859607.85714287", "27.855547321571983"},
        {"log2", "242867772.85714287", "27.855595824520254"},
        {"log2", "0.001500025207", "-9.38079754013537"},
        {"log2", "0.001700061222", "-9.200197583542982"},
        {"log2", "100004991000000.0", "46.50706533153574"},
        {"log2", "150003152800000.0", "47.09198615235172"},
        {"log2", "170001024100000.0", "47.272536765724524"},
        {"log2", "170006729100000.0", "47.272585179768804"},
        {"log2", "1.0000033764705882", "0.000004871209149603928"},
        {"log2", "1.0000157294117646", "0.00002269256587905666"},
        {"log2", "1.0000280823529413", "0.00004051370246749286"},
        {"log2", "1.0000404352941177", "0.0000583346189196865"},
        {"log2", "9.999640772904875e+290", "966.6810237857767"},
        {"log2", "6.666598534029649e+290", "966.0960983672334"},
        {"log2", "6.666347295300444e+290", "966.0960439965228"},
        {"log2", "5.882179787104067e+290", "965.9154983977858"},
        {"log2", "1.7875666666666845e-05", "-15.771643426741084"},
        {"log2", "0.06667712933333336", "-3.90666419681385"},
        {"log10", "142857143.85714287", "8.154901963025806"},
        {"log10", "214287580.2857143", "8.330997000861306"},
        {"log10", "242860916.85714287", "8.385357630247828"},
        {"log10", "0.001000032746", "-2.9999857788257374"},
        {"log10", "0.001500038668", "-2.8238975455559348"},
        {"log10", "0.00170004585", "-2.7695393656020344"},
        {"log10", "100002949800000.0", "14.000012810629682"},
        {"log10", "100007577500000.0", "14.000032907417603"},
        {"log10", "150004428900000.0", "14.176104081845251"},
        {"log10", "170001251600000.0", "14.230452118795759"},
        {"log10", "170005826800000.0", "14.230463806694278"},
        {"log10", "0.5882511511764706", "-0.2304372142597189"},
        {"log10", "0.5882773105882353", "-0.23041790169984414"},
        {"log10", "0.8823759547058824", "-0.05434633520163201"},
        {"log10", "1.00000819", "0.0000035568572414612607"},
        {"log10", "9.999866091793165e+290", "290.9999941844015"},
        {"log10", "6.666548944301043e+290", "290.8239010719505"},
        {"log10", "5.882225684413988e+290", "290.7695416831454"},
        {"log10", "1.5812999999975652e-05", "-4.800985729066048"},
        {"log10", "0.06668596100000002", "-1.175965585903172"},
        {"log10", "1000", "3"},
        {"log2", "5e-324", "-1074"},
        {"log2", "0.1", "-3.321928094887362"},
        {"log10", "3", "0.4771212547196624"},
        {"ln", "3", "1.0986122886681096"},
    };

    @Test
    void sameBitsAsGo() {
        for (String[] v : PROMETHEUS) {
            double x = Double.parseDouble(v[1]);
            double got = switch (v[0]) {
                case "ln" -> GoMath.log(x);
                case "log2" -> GoMath.log2(x);
                default -> GoMath.log10(x);
            };
            assertThat(Double.toString(got)).as("%s(%s)", v[0], v[1]).isEqualTo(Double.toString(Double.parseDouble(v[2])));
        }
    }

    @Test
    void specialCases() {
        assertThat(GoMath.log(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(GoMath.log(-0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(GoMath.log(-1)).isNaN();
        assertThat(GoMath.log(Double.NaN)).isNaN();
        assertThat(GoMath.log(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(GoMath.log(1)).isEqualTo(0);
        assertThat(GoMath.log2(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(GoMath.log2(-2)).isNaN();
        assertThat(GoMath.log2(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(GoMath.log2(1024)).isEqualTo(10);
        assertThat(GoMath.log2(0x1p-1060)).isEqualTo(-1060);
        assertThat(GoMath.log10(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        // subnormal arguments follow Go's portable Log (which normalises them); Prometheus on amd64 answers
        // log10(1e-320) = -307.95... and ln(1e-310) = -709.08... because Go's assembly Log there ignores subnormals
        assertThat(GoMath.log10(1e-320)).isCloseTo(Math.log10(1e-320), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(GoMath.log(1e-310)).isCloseTo(Math.log(1e-310), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(GoMath.log10(Double.NaN)).isNaN();
    }

    @Test
    void inverseHyperbolicFunctionsUseGoLog() {
        // Prometheus 2.42: asinh(vector(1e200)), acosh(vector(3.5)), asinh(vector(7.25)), acosh(vector(1e300))
        assertThat(FunctionCalls.asinh(1e200)).isEqualTo(461.2101657793691);
        assertThat(FunctionCalls.acosh(3.5)).isEqualTo(1.9248473002384139);
        assertThat(FunctionCalls.asinh(7.25)).isEqualTo(2.678871313462426);
        assertThat(FunctionCalls.acosh(1e300)).isEqualTo(691.4686750787736);
    }
}
