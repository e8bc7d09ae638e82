package io.atalaya.codec.influx;

import io.atalaya.common.text.StringCache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reusable result of parsing one line-protocol body: the points of the valid lines, in input order, and one
 * {@link LineError} per rejected line. Filled by {@link LineProtocolParser#parse}; read with index-based accessors
 * ({@code point} in {@code [0, size())}, {@code tag} in {@code [0, tagCount(point))}, {@code field} in
 * {@code [0, fieldCount(point))}) so that reading allocates nothing but the Strings it returns.
 *
 * <p><b>Lifetime.</b> Names and values are kept as ranges into the parsed body (or into an internal buffer when they
 * had escapes), so the body array MUST NOT be modified while the batch is read; the contents are valid until the
 * next {@code parse} into this batch or {@link #reset()}. Strings returned by the accessors are ordinary immutable
 * Strings and may be kept; names are de-duplicated through a small cache, so repeated values are the same instance.
 *
 * <p>Tags are given in input order (not sorted) and may repeat a key; fields are in input order. Not thread-safe.
 */
public final class InfluxBatch {
    private static final byte[] EMPTY = new byte[0];

    byte[] source = EMPTY;
    byte[] scratch = new byte[256];
    int scratchLen;

    // points
    int size;
    int[] pNameOff = new int[16];
    int[] pNameLen = new int[16];
    int[] pTagStart = new int[16];
    int[] pTagCount = new int[16];
    int[] pFieldStart = new int[16];
    int[] pFieldCount = new int[16];
    long[] pTime = new long[16];
    int[] pLine = new int[16];
    int[] pSeriesFrom = new int[16]; // raw bytes "measurement,tags" in source, the series' identity as written
    int[] pSeriesTo = new int[16];

    // tags
    int tagTotal;
    int[] tKeyOff = new int[64];
    int[] tKeyLen = new int[64];
    int[] tValOff = new int[64];
    int[] tValLen = new int[64];

    // fields
    int fieldTotal;
    int[] fKeyOff = new int[64];
    int[] fKeyLen = new int[64];
    byte[] fType = new byte[64];
    long[] fBits = new long[64];
    int[] fStrOff = new int[64];
    int[] fStrLen = new int[64];

    final List<LineError> errors = new ArrayList<>();
    int errorCount;
    int lines;

    private StringCache names; // created on first use: a mapper with warm caches may never ask for a String

    private StringCache names() {
        StringCache c = names;
        if (c == null) {
            c = new StringCache(4096);
            names = c;
        }
        return c;
    }
    private static final FieldType[] TYPES = FieldType.values();

    /** Empties the batch, keeping its buffers (and forgetting the body it referred to). */
    public void reset() {
        source = EMPTY;
        scratchLen = 0;
        size = 0;
        tagTotal = 0;
        fieldTotal = 0;
        lines = 0;
        errors.clear();
        errorCount = 0;
    }

    /** Number of valid points. */
    public int size() {
        return size;
    }

    /** Number of physical lines seen in the body (including blank lines, comments and rejected lines). */
    public int lineCount() {
        return lines;
    }

    /**
     * The rejected lines in input order, at most the parser's {@code maxErrorDetails} of them (the first ones), so that
     * a body of garbage cannot make the error list grow without bound; {@link #errorCount()} has the full count.
     * The list is owned by the batch.
     */
    public List<LineError> errors() {
        return errors;
    }

    /** Number of rejected lines, including those beyond the detailed {@link #errors()} list. */
    public int errorCount() {
        return errorCount;
    }

    public boolean hasErrors() {
        return errorCount > 0;
    }

    /** 1-based line number where the point starts. */
    public int lineNumber(int point) {
        return pLine[point];
    }

    public String measurement(int point) {
        return name(pNameOff[point], pNameLen[point]);
    }

    /** Timestamp in nanoseconds since the epoch (the line's, scaled by the precision, or the truncated default). */
    public long timestampNanos(int point) {
        return pTime[point];
    }

    /** Timestamp in milliseconds since the epoch, rounded down. */
    public long timestampMillis(int point) {
        return Math.floorDiv(pTime[point], 1_000_000L);
    }

    public int tagCount(int point) {
        return pTagCount[point];
    }

    public String tagKey(int point, int tag) {
        int t = pTagStart[point] + tag;
        return name(tKeyOff[t], tKeyLen[t]);
    }

    public String tagValue(int point, int tag) {
        int t = pTagStart[point] + tag;
        return name(tValOff[t], tValLen[t]);
    }

    public int fieldCount(int point) {
        return pFieldCount[point];
    }

    public String fieldKey(int point, int field) {
        int f = pFieldStart[point] + field;
        return name(fKeyOff[f], fKeyLen[f]);
    }

    public FieldType fieldType(int point, int field) {
        return TYPES[fType[pFieldStart[point] + field]];
    }

    /**
     * The field as a double: floats as they are, integers and unsigned integers converted (rounding above 2^53),
     * booleans as 1 or 0.
     *
     * @throws IllegalStateException for a string field, which has no numeric value
     */
    public double fieldAsDouble(int point, int field) {
        int f = pFieldStart[point] + field;
        long bits = fBits[f];
        return switch (TYPES[fType[f]]) {
            case FLOAT -> Double.longBitsToDouble(bits);
            case INTEGER -> (double) bits;
            case UNSIGNED -> unsignedToDouble(bits);
            case BOOLEAN -> bits;
            case STRING -> throw new IllegalStateException("field " + fieldKey(point, field) + " is a string");
        };
    }

    /** Raw value bits: double bits for FLOAT, the integer for INTEGER/UNSIGNED (unsigned bits), 1/0 for BOOLEAN. */
    public long fieldBits(int point, int field) {
        return fBits[pFieldStart[point] + field];
    }

    /** The unescaped text of a STRING field (a new String each call); the empty string for other types. */
    public String fieldString(int point, int field) {
        int f = pFieldStart[point] + field;
        if (fType[f] != FieldType.STRING.ordinal()) {
            return "";
        }
        int off = fStrOff[f];
        int len = fStrLen[f];
        return off >= 0 ? new String(source, off, len, StandardCharsets.UTF_8)
                : new String(scratch, ~off, len, StandardCharsets.UTF_8);
    }

    static double unsignedToDouble(long bits) {
        if (bits >= 0) {
            return (double) bits;
        }
        // Halve (keeping the lowest bit so rounding stays correct), convert, double back.
        return (double) ((bits >>> 1) | (bits & 1)) * 2.0;
    }

    private String name(int off, int len) {
        return off >= 0 ? names().get(source, off, len) : names().get(scratch, ~off, len);
    }

    // ---- filling, used by the parser ------------------------------------------------------------------------

    void begin(byte[] body) {
        reset();
        source = body;
    }

    /** Copies {@code b[from,to)} into the scratch buffer dropping each backslash that precedes an escaped byte. */
    int unescape(byte[] b, int from, int to, boolean measurement) {
        int need = scratchLen + (to - from);
        if (need > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(need, scratch.length * 2));
        }
        int start = scratchLen;
        int w = scratchLen;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to && (measurement ? isMeasurementEscape(b[i + 1]) : isKeyEscape(b[i + 1]))) {
                c = b[++i];
            }
            scratch[w++] = c;
        }
        scratchLen = w;
        return ~start;
    }

    /** Unescapes a string field body: {@code \" \\ \n \r \t}; other backslashes stay. */
    int unescapeString(byte[] b, int from, int to) {
        int need = scratchLen + (to - from);
        if (need > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(need, scratch.length * 2));
        }
        int start = scratchLen;
        int w = scratchLen;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to) {
                byte n = b[i + 1];
                byte r = switch (n) {
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> 0;
                };
                if (r != 0) {
                    c = r;
                    i++;
                }
            }
            scratch[w++] = c;
        }
        scratchLen = w;
        return ~start;
    }

    static boolean isMeasurementEscape(byte c) {
        return c == ',' || c == ' ';
    }

    static boolean isKeyEscape(byte c) {
        return c == ',' || c == '=' || c == ' ';
    }

    void addTag(int keyOff, int keyLen, int valOff, int valLen) {
        if (tagTotal == tKeyOff.length) {
            int n = tagTotal * 2;
            tKeyOff = Arrays.copyOf(tKeyOff, n);
            tKeyLen = Arrays.copyOf(tKeyLen, n);
            tValOff = Arrays.copyOf(tValOff, n);
            tValLen = Arrays.copyOf(tValLen, n);
        }
        tKeyOff[tagTotal] = keyOff;
        tKeyLen[tagTotal] = keyLen;
        tValOff[tagTotal] = valOff;
        tValLen[tagTotal] = valLen;
        tagTotal++;
    }

    void addField(int keyOff, int keyLen, FieldType type, long bits, int strOff, int strLen) {
        if (fieldTotal == fKeyOff.length) {
            int n = fieldTotal * 2;
            fKeyOff = Arrays.copyOf(fKeyOff, n);
            fKeyLen = Arrays.copyOf(fKeyLen, n);
            fType = Arrays.copyOf(fType, n);
            fBits = Arrays.copyOf(fBits, n);
            fStrOff = Arrays.copyOf(fStrOff, n);
            fStrLen = Arrays.copyOf(fStrLen, n);
        }
        fKeyOff[fieldTotal] = keyOff;
        fKeyLen[fieldTotal] = keyLen;
        fType[fieldTotal] = (byte) type.ordinal();
        fBits[fieldTotal] = bits;
        fStrOff[fieldTotal] = strOff;
        fStrLen[fieldTotal] = strLen;
        fieldTotal++;
    }

    void addPoint(int nameOff, int nameLen, int tagStart, int fieldStart, long timeNanos, int line, int seriesFrom,
                  int seriesTo) {
        if (size == pNameOff.length) {
            int n = size * 2;
            pNameOff = Arrays.copyOf(pNameOff, n);
            pNameLen = Arrays.copyOf(pNameLen, n);
            pTagStart = Arrays.copyOf(pTagStart, n);
            pTagCount = Arrays.copyOf(pTagCount, n);
            pFieldStart = Arrays.copyOf(pFieldStart, n);
            pFieldCount = Arrays.copyOf(pFieldCount, n);
            pTime = Arrays.copyOf(pTime, n);
            pLine = Arrays.copyOf(pLine, n);
            pSeriesFrom = Arrays.copyOf(pSeriesFrom, n);
            pSeriesTo = Arrays.copyOf(pSeriesTo, n);
        }
        pNameOff[size] = nameOff;
        pNameLen[size] = nameLen;
        pTagStart[size] = tagStart;
        pTagCount[size] = tagTotal - tagStart;
        pFieldStart[size] = fieldStart;
        pFieldCount[size] = fieldTotal - fieldStart;
        pTime[size] = timeNanos;
        pLine[size] = line;
        pSeriesFrom[size] = seriesFrom;
        pSeriesTo[size] = seriesTo;
        size++;
    }

    /** The body the batch refers to (series keys are ranges of it). */
    byte[] source() {
        return source;
    }

    /** Start in {@link #source()} of the raw bytes that identify point {@code p}'s series as written ({@code measurement,tags}). */
    int seriesKeyFrom(int p) {
        return pSeriesFrom[p];
    }

    /** End (exclusive) of point {@code p}'s series key in {@link #source()}. */
    int seriesKeyTo(int p) {
        return pSeriesTo[p];
    }

    /** The array holding the unescaped key of field {@code f} of point {@code p}: the body or the scratch buffer. */
    byte[] fieldKeyArray(int p, int f) {
        return fKeyOff[pFieldStart[p] + f] >= 0 ? source : scratch;
    }

    /** Offset of that key in {@link #fieldKeyArray}. */
    int fieldKeyOffset(int p, int f) {
        int off = fKeyOff[pFieldStart[p] + f];
        return off >= 0 ? off : ~off;
    }

    int fieldKeyLength(int p, int f) {
        return fKeyLen[pFieldStart[p] + f];
    }

    /** Index of a tag in {@code [from, tagTotal)} whose key repeats an earlier one, or -1. */
    int duplicateTagKey(int from) {
        if (tagTotal - from > 32) {
            // Many tags: a set instead of the quadratic scan, so that a crafted line cannot cost O(n^2).
            java.util.HashSet<String> seen = new java.util.HashSet<>();
            for (int i = from; i < tagTotal; i++) {
                if (!seen.add(name(tKeyOff[i], tKeyLen[i]))) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = from + 1; i < tagTotal; i++) {
            for (int j = from; j < i; j++) {
                if (tKeyLen[i] == tKeyLen[j] && sameBytes(tKeyOff[i], tKeyOff[j], tKeyLen[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    private boolean sameBytes(int offA, int offB, int len) {
        byte[] a = offA >= 0 ? source : scratch;
        byte[] b = offB >= 0 ? source : scratch;
        int fa = offA >= 0 ? offA : ~offA;
        int fb = offB >= 0 ? offB : ~offB;
        return Arrays.equals(a, fa, fa + len, b, fb, fb + len);
    }

    /** The key of tag {@code t} (a global tag index), for messages. */
    String rawTagKey(int t) {
        return name(tKeyOff[t], tKeyLen[t]);
    }

    /** Drops tags, fields and scratch bytes added for a line that turned out invalid. */
    void rollback(int tagMark, int fieldMark, int scratchMark) {
        tagTotal = tagMark;
        fieldTotal = fieldMark;
        scratchLen = scratchMark;
    }
}
