package io.atalaya.queryapi;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes the {@code [1435781451.781, "1"]} points of a matrix as one raw JSON value each, composed in a reused
 * buffer: the same text as {@link ResultWriter#point}, without a timestamp string and four generator calls per
 * point. One per result being written; not thread-safe.
 */
final class PointBuffer {
    private char[] buf = new char[64];

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
        value.getChars(0, value.length(), b, p); // formatted numbers, NaN and ±Inf: nothing to escape
        p += value.length();
        b[p++] = '"';
        b[p++] = ']';
        json.writeRawValue(b, 0, p);
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
