package io.atalaya.codec.otlp;

import java.math.BigDecimal;

/**
 * String forms of OTLP values as Prometheus' OTLP receiver writes them into label values (pdata's
 * {@code Value.AsString}): strings as they are, booleans {@code true}/{@code false}, integers in decimal, doubles in
 * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} form (shortest exact digits, never an exponent), bytes in
 * base64, arrays and key-value lists as JSON. Stateless and thread-safe.
 */
public final class AttributeValues {
    private AttributeValues() {
    }

    /** Go's {@code FormatFloat(v, 'f', -1, 64)}: {@code 1} for 1.0, {@code 0.005}, {@code +Inf}, {@code NaN}. */
    public static String formatFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double abs = Math.abs(v);
        if (abs >= 1e-3 && abs < 1e7) {
            // Double.toString is already the shortest round-trip form and uses no exponent in this range.
            return Double.toString(v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Appends {@code s} as a JSON string literal. */
    static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00");
                        sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** JSON form of a double inside an array or map value (Go's encoding/json: NaN and infinities as strings). */
    static void appendJsonNumber(StringBuilder sb, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            appendJsonString(sb, formatFloat(v));
        } else {
            sb.append(formatFloat(v));
        }
    }

    /**
     * Appends a string or bytes value: as it is at the top of an attribute, as a JSON string literal inside an array
     * or key-value list ({@code nested} &gt; 0).
     */
    static void appendString(StringBuilder sb, String s, int nested) {
        if (nested > 0) {
            appendJsonString(sb, s);
        } else {
            sb.append(s);
        }
    }

    /** Appends a double value: Go's plain form at the top of an attribute, its JSON form when {@code nested} &gt; 0. */
    static void appendDouble(StringBuilder sb, double v, int nested) {
        if (nested > 0) {
            appendJsonNumber(sb, v);
        } else {
            sb.append(formatFloat(v));
        }
    }
}
