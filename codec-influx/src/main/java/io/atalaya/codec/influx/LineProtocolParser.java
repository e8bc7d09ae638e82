package io.atalaya.codec.influx;

import io.atalaya.common.text.AsciiNumbers;
import io.atalaya.common.text.Utf8;

/**
 * Parses InfluxDB line protocol from a byte range into an {@link InfluxBatch}, with the grammar of InfluxData's v2
 * reference codec ({@code line-protocol.ebnf}, corpus v2.2):
 *
 * <pre>
 * line  = { " " } [ point | comment ]          lines are separated by "\n" or "\r\n"
 * point = measurement { "," tag } " "{" "} field { "," field } [ " "{" "} timestamp ] { " " }
 * </pre>
 *
 * <ul>
 *   <li>Measurement: any bytes but space, comma and control characters; {@code \,} and {@code \ } are escapes,
 *       every other backslash is literal. Tag keys, tag values and field keys additionally exclude {@code =} and
 *       also accept {@code \=}. Empty names and empty tag values are errors.</li>
 *   <li>Field values: float ({@code 1}, {@code -1.5}, {@code .5}, {@code 1e-3}, {@code 1.E+3}), integer
 *       ({@code 1i}), unsigned ({@code 1u}), boolean ({@code t T true True TRUE f F false False FALSE}) or a
 *       double-quoted string with the escapes {@code \" \\ \n \r \t} (other backslashes literal; raw newlines and
 *       control characters are allowed inside the quotes). Out-of-range numbers are errors; NaN and Inf cannot be
 *       written.</li>
 *   <li>Timestamp: an optional signed integer in the request's {@link Precision}, converted to nanoseconds (a
 *       result outside the signed 64-bit nanosecond range is an error). A point without one gets the caller's
 *       default time, truncated to the precision.</li>
 *   <li>Blank lines and lines whose first non-space byte is {@code #} are skipped; a tab before the measurement is
 *       an error, as is any byte sequence that is not valid UTF-8 in a name or value.</li>
 * </ul>
 *
 * <p><b>Partial writes.</b> An invalid line produces one {@link LineError} (line, column, reason) and parsing goes on
 * at the next newline, so the valid lines of a body are never lost because of invalid ones (InfluxDB's partial-write
 * behaviour). A string value whose quote never closes is reported and parsing resumes after the newline that follows
 * the opening quote, so one stray quote does not swallow the rest of the body. The parser never throws for bad input.
 *
 * <p>Memory: the batch grows with the number of points, tags and fields of the body; the body itself is not copied.
 * Limits on body and line size belong to the caller (the ingest layer). Instances are reusable and not thread-safe;
 * use one per thread.
 */
public final class LineProtocolParser {
    /** Default for {@link #LineProtocolParser(int)}. */
    public static final int DEFAULT_MAX_ERROR_DETAILS = 100;

    private final int maxErrorDetails;

    /** A parser that keeps the details of the first {@value #DEFAULT_MAX_ERROR_DETAILS} rejected lines per body. */
    public LineProtocolParser() {
        this(DEFAULT_MAX_ERROR_DETAILS);
    }

    /**
     * @param maxErrorDetails how many rejected lines per body get a {@link LineError} in the batch (the rest are only
     *                        counted), bounding memory on bodies of garbage
     */
    public LineProtocolParser(int maxErrorDetails) {
        if (maxErrorDetails < 0) {
            throw new IllegalArgumentException("maxErrorDetails must be >= 0, got " + maxErrorDetails);
        }
        this.maxErrorDetails = maxErrorDetails;
    }

    // Byte classes. NAME: what tag keys, tag values and field keys may contain without escaping.
    private static final boolean[] MEASUREMENT = new boolean[256];
    private static final boolean[] NAME = new boolean[256];
    private static final boolean[] COMMENT = new boolean[256];
    // The same minus the backslash and non-ASCII bytes: a run of these needs no unescaping and no UTF-8 check.
    private static final boolean[] MEASUREMENT_PLAIN = new boolean[256];
    private static final boolean[] NAME_PLAIN = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean nonPrintable = c < 0x20 || c == 0x7f;
            MEASUREMENT[c] = !nonPrintable && c != ' ' && c != ',';
            NAME[c] = MEASUREMENT[c] && c != '=';
            COMMENT[c] = !nonPrintable;
            MEASUREMENT_PLAIN[c] = MEASUREMENT[c] && c != '\\' && c < 0x80;
            NAME_PLAIN[c] = NAME[c] && c != '\\' && c < 0x80;
        }
    }

    private byte[] buf;
    private int pos;
    private int end;
    private int line;      // line number of the byte at pos
    private int lineStart; // offset of the first byte of the current physical line
    private int bodyStart;
    private InfluxBatch out;
    private final long[] number = new long[1];

    // token produced by takeEscaped: offset (negative = in the batch's scratch buffer) and length
    private int tokOff;
    private int tokLen;

    // start of the point being parsed, for error positions
    private int pointStart;
    private int pointLine;

    /**
     * Parses {@code body[offset, offset+length)} into {@code out}, replacing its previous contents.
     *
     * @param precision        unit of the timestamps in the body
     * @param defaultTimeNanos time for points without a timestamp, in nanoseconds since the epoch (usually "now");
     *                         it is truncated to {@code precision}, as InfluxDB does
     */
    public void parse(byte[] body, int offset, int length, Precision precision, long defaultTimeNanos,
                      InfluxBatch out) {
        if (offset < 0 || length < 0 || length > body.length - offset) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") is outside a body of " + body.length + " bytes");
        }
        this.buf = body;
        this.pos = offset;
        this.end = offset + length;
        this.line = 1;
        this.lineStart = offset;
        this.bodyStart = offset;
        this.out = out;
        out.begin(body);
        long defaultTime = Math.floorDiv(defaultTimeNanos, precision.nanos()) * precision.nanos();
        try {
            while (skipBlankAndComments()) {
                int tagMark = out.tagTotal;
                int fieldMark = out.fieldTotal;
                int scratchMark = out.scratchLen;
                pointStart = pos;
                pointLine = line;
                if (!parsePoint(precision, defaultTime)) {
                    out.rollback(tagMark, fieldMark, scratchMark);
                    skipRestOfLine();
                }
            }
            out.lines = end == offset ? 0 : (lineStart == end ? line - 1 : line);
        } finally {
            this.buf = null;
            this.out = null;
        }
    }

    /** Convenience for a whole array. */
    public void parse(byte[] body, Precision precision, long defaultTimeNanos, InfluxBatch out) {
        parse(body, 0, body.length, precision, defaultTimeNanos, out);
    }

    /**
     * Skips spaces, empty lines and comments. Returns true when positioned on the first byte of a point (or of
     * something that must be reported as an invalid point), false at the end of the body.
     */
    private boolean skipBlankAndComments() {
        while (true) {
            int p = pos;
            while (p < end && buf[p] == ' ') {
                p++;
            }
            if (p >= end) {
                pos = end;
                return false;
            }
            byte c = buf[p];
            if (c == '\n') {
                newline(p + 1);
                continue;
            }
            if (c == '\r' && (p + 1 == end || buf[p + 1] == '\n')) {
                if (p + 1 == end) {
                    pos = end;
                    return false;
                }
                newline(p + 2);
                continue;
            }
            if (c == '#') {
                int q = p + 1;
                while (q < end && COMMENT[buf[q] & 0xff]) {
                    q++;
                }
                if (q == end) {
                    pos = end;
                    return false;
                }
                if (buf[q] == '\n') {
                    newline(q + 1);
                    continue;
                }
                if (buf[q] == '\r' && (q + 1 == end || buf[q + 1] == '\n')) {
                    if (q + 1 == end) {
                        pos = end;
                        return false;
                    }
                    newline(q + 2);
                    continue;
                }
                pointStart = p;
                pointLine = line;
                error(q, "invalid character " + describe(buf[q]) + " in comment line");
                pos = q;
                skipRestOfLine();
                continue;
            }
            pos = p;
            return true;
        }
    }

    private void newline(int next) {
        pos = next;
        line++;
        lineStart = next;
    }

    /** After an error: resume after the next newline. */
    private void skipRestOfLine() {
        int p = pos;
        while (p < end && buf[p] != '\n') {
            p++;
        }
        if (p < end) {
            newline(p + 1);
        } else {
            pos = end;
        }
    }

    private boolean parsePoint(Precision precision, long defaultTime) {
        // measurement
        if (!takeEscaped(MEASUREMENT, true)) {
            return false;
        }
        if (tokLen == 0) {
            return error(pos, "invalid character " + describe(buf[pos]) + " at start of measurement name");
        }
        int nameOff = tokOff;
        int nameLen = tokLen;
        int tagStart = out.tagTotal;
        int fieldStart = out.fieldTotal;

        // tags
        while (pos < end && buf[pos] == ',') {
            pos++;
            if (pos >= end) {
                return error(pos, "expected tag key after comma, found end of input");
            }
            if (isWhitespace(buf[pos])) {
                return error(pos, "expected tag key after comma, found white space");
            }
            int keyAt = pos;
            if (!takeEscaped(NAME, false)) {
                return false;
            }
            int keyOff = tokOff;
            int keyLen = tokLen;
            if (keyLen == 0) {
                return error(pos, "invalid character " + describe(buf[pos]) + " at start of tag key");
            }
            if (pos >= end || buf[pos] != '=') {
                return error(pos, "expected '=' after tag key \"" + text(keyAt, pos) + "\", found "
                        + (pos >= end ? "end of input" : describe(buf[pos])));
            }
            pos++;
            int valAt = pos;
            if (!takeEscaped(NAME, false)) {
                return false;
            }
            if (tokLen == 0) {
                return error(valAt, "tag key \"" + text(keyAt, valAt - 1) + "\" has an empty value");
            }
            out.addTag(keyOff, keyLen, tokOff, tokLen);
        }

        if (out.tagTotal - tagStart > 1) {
            int dup = out.duplicateTagKey(tagStart);
            if (dup >= 0) {
                return error(pointStart, "duplicate tag key \"" + out.rawTagKey(dup) + "\"");
            }
        }

        int seriesEnd = pos;

        // separator before the field set
        if (pos >= end || buf[pos] != ' ') {
            if (pos >= end || buf[pos] == '\n' || buf[pos] == '\r') {
                return error(pos, "missing field set: expected a space and at least one field after the "
                        + (out.tagTotal > tagStart ? "tags" : "measurement"));
            }
            return error(pos, "invalid character " + describe(buf[pos]) + " after "
                    + (out.tagTotal > tagStart ? "tag value" : "measurement name"));
        }
        skipSpaces();

        // fields
        while (true) {
            int keyAt = pos;
            if (!takeEscaped(NAME, false)) {
                return false;
            }
            if (tokLen == 0) {
                if (pos >= end || buf[pos] == '\n' || buf[pos] == '\r') {
                    return error(pos, "missing field set: expected a field after the space");
                }
                return error(pos, "invalid character " + describe(buf[pos]) + " at start of field key");
            }
            int keyOff = tokOff;
            int keyLen = tokLen;
            if (pos >= end || buf[pos] != '=') {
                return error(pos, "expected '=' after field key \"" + text(keyAt, pos) + "\", found "
                        + (pos >= end ? "end of input" : describe(buf[pos])));
            }
            pos++;
            if (pos >= end) {
                return error(pos, "expected a value for field \"" + text(keyAt, pos - 1) + "\", found end of input");
            }
            if (!parseFieldValue(keyAt, keyOff, keyLen)) {
                return false;
            }
            if (pos >= end) {
                out.addPoint(nameOff, nameLen, tagStart, fieldStart, defaultTime, pointLine, pointStart, seriesEnd);
                return true;
            }
            byte c = buf[pos];
            if (c == ',') {
                pos++;
                continue;
            }
            if (!isWhitespace(c)) {
                return error(pos, "unexpected character " + describe(c) + " after the value of field \""
                        + text(keyAt, valueStartOf(keyAt)) + "\"");
            }
            skipSpaces();
            if (takeEndOfLine()) {
                out.addPoint(nameOff, nameLen, tagStart, fieldStart, defaultTime, pointLine, pointStart, seriesEnd);
                return true;
            }
            break;
        }

        // timestamp
        int tsAt = pos;
        while (pos < end && (AsciiNumbers.isDigit(buf[pos]) || buf[pos] == '-')) {
            pos++;
        }
        if (pos == tsAt || (pos < end && !isWhitespace(buf[pos]))) {
            int p = pos;
            while (p < end && buf[p] != '\n' && buf[p] != '\r') {
                p++;
            }
            return error(tsAt, "invalid timestamp \"" + text(tsAt, p) + "\"");
        }
        int tsEnd = pos;
        skipSpaces();
        if (!takeEndOfLine()) {
            int p = pos;
            while (p < end && buf[p] != '\n' && buf[p] != '\r') {
                p++;
            }
            return error(pos, "unexpected text after timestamp: \"" + text(pos, p) + "\"");
        }
        int rc = AsciiNumbers.parseLong(buf, tsAt, tsEnd, number);
        if (rc == AsciiNumbers.SYNTAX) {
            return error(tsAt, "invalid timestamp \"" + text(tsAt, tsEnd) + "\"");
        }
        long ts = number[0];
        long nanos = ts * precision.nanos();
        if (rc == AsciiNumbers.RANGE || (precision.nanos() != 1
                && (Math.multiplyHigh(ts, precision.nanos()) != (nanos >> 63) || nanos / precision.nanos() != ts))) {
            return error(tsAt, "timestamp " + text(tsAt, tsEnd) + " is out of range at precision "
                    + precision.name().toLowerCase(java.util.Locale.ROOT));
        }
        out.addPoint(nameOff, nameLen, tagStart, fieldStart, nanos, pointLine, pointStart, seriesEnd);
        return true;
    }

    /** Offset just after the '=' that follows the key starting at {@code keyAt} (for messages only). */
    private int valueStartOf(int keyAt) {
        int p = keyAt;
        while (p < end && buf[p] != '=') {
            p += buf[p] == '\\' ? 2 : 1;
        }
        return Math.min(p, end);
    }

    private boolean parseFieldValue(int keyAt, int keyOff, int keyLen) {
        int valAt = pos;
        byte c = buf[pos];
        if (c == '"') {
            int lineBefore = line;
            int lineStartBefore = lineStart;
            pos++;
            int from = pos;
            boolean escaped = false;
            int high = 0;
            while (pos < end) {
                byte b = buf[pos];
                if (b == '"') {
                    break;
                }
                if (b == '\\' && pos + 1 < end) {
                    escaped = true;
                    byte n = buf[pos + 1];
                    if (n == '"' || n == '\\') {
                        pos += 2;
                        continue;
                    }
                } else if (b == '\n') {
                    line++;
                    lineStart = pos + 1;
                }
                high |= b;
                pos++;
            }
            if (pos >= end) {
                // The quote never closes: rather than losing every later line to one stray quote, resume after the
                // newline that follows it, as if the string had ended there.
                line = lineBefore;
                lineStart = lineStartBefore;
                pos = valAt;
                return error(valAt, "string value of field \"" + text(keyAt, valAt - 1)
                        + "\" has no closing quote");
            }
            int to = pos;
            pos++; // closing quote
            if ((high & 0x80) != 0 && !Utf8.isValid(buf, from, to)) {
                return error(valAt, "invalid UTF-8 in the string value of field \"" + text(keyAt, valAt - 1) + "\"");
            }
            if (escaped) {
                int scratchStart = out.scratchLen;
                int off = out.unescapeString(buf, from, to);
                out.addField(keyOff, keyLen, FieldType.STRING, 0, off, out.scratchLen - scratchStart);
            } else {
                out.addField(keyOff, keyLen, FieldType.STRING, 0, from, to - from);
            }
            return true;
        }
        // unquoted: up to a comma, space, CR or LF
        while (pos < end) {
            byte b = buf[pos];
            if (b == ',' || isWhitespace(b)) {
                break;
            }
            pos++;
        }
        int to = pos;
        if (c == 't' || c == 'T' || c == 'f' || c == 'F') {
            int v = parseBool(valAt, to);
            if (v < 0) {
                return error(valAt, "invalid boolean \"" + text(valAt, to) + "\" for field \""
                        + text(keyAt, valAt - 1) + "\": use t, T, true, True, TRUE, f, F, false, False or FALSE");
            }
            out.addField(keyOff, keyLen, FieldType.BOOLEAN, v, 0, 0);
            return true;
        }
        if (c == '-' || c == '.' || AsciiNumbers.isDigit(c)) {
            byte last = buf[to - 1];
            if (last == 'i') {
                int rc = AsciiNumbers.parseLong(buf, valAt, to - 1, number);
                if (rc != 0) {
                    return numberError(rc, "integer", keyAt, valAt, to);
                }
                out.addField(keyOff, keyLen, FieldType.INTEGER, number[0], 0, 0);
                return true;
            }
            if (last == 'u') {
                int rc = AsciiNumbers.parseUnsignedLong(buf, valAt, to - 1, number);
                if (rc != 0) {
                    return numberError(rc, "unsigned integer", keyAt, valAt, to);
                }
                out.addField(keyOff, keyLen, FieldType.UNSIGNED, number[0], 0, 0);
                return true;
            }
            double d = AsciiNumbers.parseFloat(buf, valAt, to);
            if (Double.isNaN(d)) {
                return numberError(AsciiNumbers.SYNTAX, "float", keyAt, valAt, to);
            }
            if (Double.isInfinite(d)) {
                return numberError(AsciiNumbers.RANGE, "float", keyAt, valAt, to);
            }
            out.addField(keyOff, keyLen, FieldType.FLOAT, Double.doubleToRawLongBits(d), 0, 0);
            return true;
        }
        return error(valAt, "value of field \"" + text(keyAt, valAt - 1) + "\" has no recognised type (" + describe(c)
                + "): write a number, 1i, 1u, true/false or a double-quoted string");
    }

    private boolean numberError(int rc, String kind, int keyAt, int valAt, int to) {
        return error(valAt, (rc == AsciiNumbers.RANGE ? kind + " value out of range" : "invalid " + kind + " value")
                + " \"" + text(valAt, to) + "\" for field \"" + text(keyAt, valAt - 1) + "\"");
    }

    /** 1 for true, 0 for false, -1 when not a boolean spelling. */
    private int parseBool(int from, int to) {
        int n = to - from;
        byte c = buf[from];
        if (n == 1) {
            return c == 't' || c == 'T' ? 1 : c == 'f' || c == 'F' ? 0 : -1;
        }
        if (matches(from, to, "true") || matches(from, to, "True") || matches(from, to, "TRUE")) {
            return 1;
        }
        if (matches(from, to, "false") || matches(from, to, "False") || matches(from, to, "FALSE")) {
            return 0;
        }
        return -1;
    }

    private boolean matches(int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (buf[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes a name made of bytes in {@code allowed} and escape sequences, leaving tokOff/tokLen set. Returns false
     * (after recording the error) when the token is not valid UTF-8.
     */
    private boolean takeEscaped(boolean[] allowed, boolean measurement) {
        int from = pos;
        // Fast path, the usual case: plain ASCII up to the byte that ends the token.
        boolean[] plain = measurement ? MEASUREMENT_PLAIN : NAME_PLAIN;
        int p = pos;
        while (p < end && plain[buf[p] & 0xff]) {
            p++;
        }
        if (p == end || !allowed[buf[p] & 0xff] && buf[p] != '\\') {
            pos = p;
            tokOff = from;
            tokLen = p - from;
            return true;
        }
        pos = p; // a backslash or a non-ASCII byte: the bytes before it are plain, go on with the full rules
        boolean escaped = false;
        int high = 0;
        while (pos < end) {
            byte b = buf[pos];
            if (b == '\\') {
                if (pos + 1 < end && (measurement ? InfluxBatch.isMeasurementEscape(buf[pos + 1])
                        : InfluxBatch.isKeyEscape(buf[pos + 1]))) {
                    escaped = true;
                    pos += 2;
                } else {
                    pos++;
                }
                continue;
            }
            if (!allowed[b & 0xff]) {
                break;
            }
            high |= b;
            pos++;
        }
        if ((high & 0x80) != 0 && !Utf8.isValid(buf, from, pos)) {
            error(from, "invalid UTF-8 in " + (measurement ? "measurement name" : "tag or field key or tag value")
                    + " \"" + text(from, pos) + "\"");
            return false;
        }
        if (escaped) {
            int scratchStart = out.scratchLen;
            tokOff = out.unescape(buf, from, pos, measurement);
            tokLen = out.scratchLen - scratchStart;
        } else {
            tokOff = from;
            tokLen = pos - from;
        }
        return true;
    }

    private void skipSpaces() {
        while (pos < end && buf[pos] == ' ') {
            pos++;
        }
    }

    /** Consumes "\n", "\r\n" or a final "\r", or recognises the end of input. */
    private boolean takeEndOfLine() {
        if (pos >= end) {
            return true;
        }
        if (buf[pos] == '\n') {
            newline(pos + 1);
            return true;
        }
        if (buf[pos] == '\r') {
            if (pos + 1 == end) {
                pos = end;
                return true;
            }
            if (buf[pos + 1] == '\n') {
                newline(pos + 2);
                return true;
            }
        }
        return false;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r';
    }

    /** Records an error at byte offset {@code at} of the current point; always returns false. */
    private boolean error(int at, String reason) {
        int l = pointLine;
        int ls = -1;
        int from = Math.max(pointStart, 0);
        int upTo = Math.min(at, end);
        for (int i = from; i < upTo; i++) {
            if (buf[i] == '\n') {
                l++;
                ls = i + 1;
            }
        }
        int col;
        if (ls >= 0) {
            col = at - ls + 1;
        } else {
            int s = from;
            while (s > bodyStart && buf[s - 1] != '\n') {
                s--;
            }
            col = at - s + 1;
        }
        if (out.errorCount++ < maxErrorDetails) {
            out.errors.add(new LineError(l, col, reason));
        }
        return false;
    }

    /** The raw bytes {@code [from,to)} for a message: decoded leniently and cut at 64 bytes. */
    private String text(int from, int to) {
        int n = Math.max(0, Math.min(to, end) - from);
        StringBuilder sb = new StringBuilder(Math.min(n, 70));
        String s = new String(buf, from, Math.min(n, 64), java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
        if (n > 64) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static String describe(byte b) {
        int c = b & 0xff;
        return switch (c) {
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            default -> c < 0x20 || c >= 0x7f
                    ? "byte 0x" + Character.forDigit(c >> 4, 16) + Character.forDigit(c & 15, 16)
                    : "'" + (char) c + "'";
        };
    }
}
