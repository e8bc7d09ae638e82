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

    /** Go's math.Log2: exact for powers of two. */
    static double log2(double x) {
        if (x > 0 && !Double.isInfinite(x) && x >= Double.MIN_NORMAL) {
            long bits = Double.doubleToRawLongBits(x);
            if ((bits & 0x000fffffffffffffL) == 0) {
                return Math.getExponent(x);
            }
        }
        return Math.log(x) * (1 / Math.log(2));
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
        return plainDecimal(Double.toString(v));
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
