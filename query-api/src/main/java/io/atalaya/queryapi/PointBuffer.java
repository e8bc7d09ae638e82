package io.atalaya.queryapi;

import com.fasterxml.jackson.core.JsonGenerator;
import io.atalaya.promql.engine.ValueFormat;
import java.io.IOException;

/**
 * Writes {@code [1435781451.781, "1"]} points as one raw JSON value each, composed in a reused buffer: the same text
 * as {@link ResultWriter#point} with {@link ValueFormat#value}, without a timestamp string and four generator calls
 * per point. Whole values (counters, gauges of bytes) are written as digits directly, without formatting a string.
 * One per result being written; not thread-safe.
 */
final class PointBuffer {
    /** Below 2^53 every whole double is exact, and its shortest decimal form is its integer digits. */
    private static final double EXACT_WHOLE_LIMIT = 0x1p53;

    private char[] buf = new char[64];

    void write(JsonGenerator json, long tMs, double v) throws IOException {
        long whole = (long) v;
        // NaN, ±Inf and -0 fail one of these tests, as do fractions and values too large to be exact
        if (whole != v || Math.abs(v) >= EXACT_WHOLE_LIMIT || (whole == 0 && Double.doubleToRawLongBits(v) != 0)
                || tMs == Long.MIN_VALUE) {
            write(json, tMs, ValueFormat.value(v));
            return;
        }
        char[] b = buf; // 32 chars for the time and punctuation, 20 for the digits: always fits in 64
        int p = openPoint(b, tMs);
        if (whole < 0) {
            b[p++] = '-';
            whole = -whole;
        }
        p = appendDigits(b, p, whole);
        b[p++] = '"';
        b[p++] = ']';
        json.writeRawValue(b, 0, p);
    }

    void write(JsonGenerator json, long tMs, String value) throws IOException {
        if (tMs == Long.MIN_VALUE) {
            ResultWriter.point(json, tMs, value); // cannot be negated; not a time the engine produces
            return;
        }
        int need = 32 + value.length();
        if (buf.length < need) {
            buf = new char[need * 2];
        }
        char[] b = buf;
        int p = openPoint(b, tMs);
        value.getChars(0, value.length(), b, p); // formatted numbers, NaN and ±Inf: nothing to escape
        p += value.length();
        b[p++] = '"';
        b[p++] = ']';
        json.writeRawValue(b, 0, p);
    }

    /** {@code [1435781451.781,"} at the start of {@code b}; returns the position after it. */
    private static int openPoint(char[] b, long tMs) {
        int p = 0;
        b[p++] = '[';
        long t = tMs;
        if (t < 0) {
            b[p++] = '-';
            t = -t;
        }
        p = appendDigits(b, p, t / 1000);
        int fraction = (int) (t % 1000);
        if (fraction != 0) {
            b[p++] = '.';
            b[p++] = (char) ('0' + fraction / 100);
            b[p++] = (char) ('0' + fraction / 10 % 10);
            b[p++] = (char) ('0' + fraction % 10);
        }
        b[p++] = ',';
        b[p++] = '"';
        return p;
    }

    private static int appendDigits(char[] b, int p, long v) {
        if (v == 0) {
            b[p] = '0';
            return p + 1;
        }
        int digits = 0;
        for (long x = v; x != 0; x /= 10) {
            digits++;
        }
        int end = p + digits;
        for (int i = end - 1; i >= p; i--) {
            b[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }
}
