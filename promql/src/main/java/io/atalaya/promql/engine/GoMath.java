package io.atalaya.promql.engine;

import java.math.BigDecimal;

/**
 * Numeric helpers that reproduce Go's results where Java's differ (Prometheus is the reference): {@code math.Pow}
 * special cases, exact {@code Log2} of powers of two, Neumaier-compensated summation and Go's float formatting.
 * Stateless.
 */
final class GoMath {
    private GoMath() {
    }

    /** Go's math.Pow: Pow(x, ±0) = 1 for any x, Pow(1, y) = 1 for any y, Pow(-1, ±Inf) = 1. */
    static double pow(double x, double y) {
        if (y == 0 || x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    /**
     * Go's math.Log, bit for bit: FreeBSD's e_log.c as Go ports it (reduce to {@code f1 · 2^k} with f1 in
     * [√2/2, √2), then a degree-14 polynomial in {@code s = f / (2 + f)}). Java's Math.log and StrictMath.log
     * differ from it in the last bit for some arguments, which {@code count_values} turns into different labels.
     */
    static double log(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
            return x;
        }
        if (x < 0) {
            return Double.NaN;
        }
        if (x == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        int ki = frexpExponent(x);
        double f1 = frexpFraction(x);
        if (f1 < SQRT2_HALF) {
            f1 *= 2;
            ki--;
        }
        double f = f1 - 1;
        double k = ki;
        double s = f / (2 + f);
        double s2 = s * s;
        double s4 = s2 * s2;
        double t1 = s2 * (LOG_L1 + s4 * (LOG_L3 + s4 * (LOG_L5 + s4 * LOG_L7)));
        double t2 = s4 * (LOG_L2 + s4 * (LOG_L4 + s4 * LOG_L6));
        double r = t1 + t2;
        double hfsq = 0.5 * f * f;
        return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
    }

    /** Go's math.Log2: {@code Log(frac) · (1/Ln2) + exp} over Frexp, exact for powers of two. */
    static double log2(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            return log(x) * INV_LN2; // Go's Frexp passes these through: NaN, -Inf or ±0 handled by Log
        }
        double frac = frexpFraction(x);
        int exp = frexpExponent(x);
        if (frac == 0.5) {
            return exp - 1;
        }
        return log(frac) * INV_LN2 + exp;
    }

    /** Go's math.Log10: {@code Log(x) · (1/Ln10)}, the constant rounded once from the exact quotient as Go does. */
    static double log10(double x) {
        return log(x) * INV_LN10;
    }

    private static final double LN2_HI = 6.93147180369123816490e-01; // 3fe62e42 fee00000
    private static final double LN2_LO = 1.90821492927058770002e-10; // 3dea39ef 35793c76
    private static final double LOG_L1 = 6.666666666666735130e-01; // 3FE55555 55555593
    private static final double LOG_L2 = 3.999999999940941908e-01; // 3FD99999 9997FA04
    private static final double LOG_L3 = 2.857142874366239149e-01; // 3FD24924 94229359
    private static final double LOG_L4 = 2.222219843214978396e-01; // 3FCC71C5 1D8E78AF
    private static final double LOG_L5 = 1.818357216161805012e-01; // 3FC74664 96CB03DE
    private static final double LOG_L6 = 1.531383769920937332e-01; // 3FC39A09 D078C69F
    private static final double LOG_L7 = 1.479819860511658591e-01; // 3FC2F112 DF3E5244
    private static final double SQRT2_HALF = 0.7071067811865476; // Go's Sqrt2/2, rounded once
    /** 1/Ln2 and 1/Ln10 as Go's untyped constant arithmetic rounds them (1/LN10 in doubles is one ulp lower). */
    private static final double INV_LN2 = 1.4426950408889634;
    private static final double INV_LN10 = 0.4342944819032518;

    /** Go's Frexp fraction: x = frac · 2^exp with |frac| in [0.5, 1), subnormals included (finite, non-zero x). */
    private static double frexpFraction(double x) {
        double y = Math.abs(x) < Double.MIN_NORMAL ? x * 0x1p52 : x;
        long bits = Double.doubleToRawLongBits(y);
        return Double.longBitsToDouble((bits & ~(0x7ffL << 52)) | (1022L << 52));
    }

    /** Go's Frexp exponent for finite, non-zero x. */
    private static int frexpExponent(double x) {
        int e = 0;
        double y = x;
        if (Math.abs(y) < Double.MIN_NORMAL) {
            y *= 0x1p52;
            e = -52;
        }
        return e + (int) ((Double.doubleToRawLongBits(y) >>> 52) & 0x7ff) - 1022;
    }

    /** One step of Kahan-Neumaier summation; returns the new sum and stores the new compensation in {@code c[0]}. */
    static double kahanInc(double inc, double sum, double[] c) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            c[0] = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c[0] += (sum - t) + inc;
        } else {
            c[0] += (inc - t) + sum;
        }
        return t;
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
    static String formatPlain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        String s = Double.toString(v);
        // 1e-3 <= |v| < 1e7, most values: already plain and without trailing zeros, except a whole number's ".0"
        if (s.indexOf('E') < 0) {
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
        return plainDecimal(s);
    }

    /**
     * Rewrites {@link Double#toString(double)}'s output (finite, non-zero: {@code "123.45"}, {@code "1.0E-5"},
     * {@code "-1.2345E21"}) without exponent and trailing zeros, i.e. what
     * {@code new BigDecimal(s).stripTrailingZeros().toPlainString()} gives, without building a BigDecimal.
     */
    static String plainDecimal(String s) {
        int len = s.length();
        int e = s.indexOf('E');
        int mantissaEnd = e < 0 ? len : e;
        boolean negative = s.charAt(0) == '-';
        int start = negative ? 1 : 0;
        int dot = s.indexOf('.');
        // the significant digits without the dot, leading and trailing zeros; pointPos is where the dot goes
        // (counted in digits from the first kept digit)
        char[] digits = new char[mantissaEnd];
        int nd = 0;
        int pointPos = (dot < 0 ? mantissaEnd : dot) - start;
        for (int i = start; i < mantissaEnd; i++) {
            char ch = s.charAt(i);
            if (ch == '.') {
                continue;
            }
            if (nd == 0 && ch == '0') {
                pointPos--; // a leading zero (as in 0.001): the first significant digit is one place later
                continue;
            }
            digits[nd++] = ch;
        }
        while (nd > 0 && digits[nd - 1] == '0') {
            nd--;
        }
        if (e >= 0) {
            pointPos += Integer.parseInt(s, e + 1, len, 10);
        }
        StringBuilder sb = new StringBuilder(nd + Math.abs(pointPos) + 3);
        if (negative) {
            sb.append('-');
        }
        if (pointPos <= 0) {
            sb.append("0.");
            for (int i = pointPos; i < 0; i++) {
                sb.append('0');
            }
            sb.append(digits, 0, nd);
        } else if (pointPos >= nd) {
            sb.append(digits, 0, nd);
            for (int i = nd; i < pointPos; i++) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, pointPos).append('.').append(digits, pointPos, nd - pointPos);
        }
        return sb.toString();
    }

    /** Go's {@code %g} (shortest representation, exponent when exp &lt; -4 or &gt;= 21). */
    static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 21) {
            String digits = d.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (v < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
            return sb.toString();
        }
        return d.toPlainString();
    }

    /** Go's strconv.ParseFloat for label values such as {@code le}: decimal, exponent, Inf/NaN, hex floats. */
    static double parseFloat(String s) {
        String t = s;
        if (t.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        String body = t.charAt(0) == '+' || t.charAt(0) == '-' ? t.substring(1) : t;
        boolean neg = t.charAt(0) == '-';
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == 'e' || c == '+' || c == '-' || c == '_' || c == 'x' || c == 'p'
                    || (c >= 'a' && c <= 'f'))) {
                throw new NumberFormatException(s);
            }
        }
        if (lower.startsWith("0x")) {
            double d = Double.parseDouble(lower.contains("p") ? lower : lower + "p0");
            return neg ? -d : d;
        }
        if (lower.indexOf('_') >= 0 || lower.indexOf('x') >= 0 || lower.indexOf('p') >= 0) {
            throw new NumberFormatException(s);
        }
        double d = Double.parseDouble(lower);
        return neg ? -d : d;
    }
}
