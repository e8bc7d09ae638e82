package io.atalaya.codec.exposition;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A pull parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0 text, reading a byte range in place.
 *
 * <p>Usage: {@link #reset} with the bytes of one exposition, then call {@link #next()} until it returns false. After
 * each {@code true} the accessors describe one sample: its series ({@link #seriesOffset()}/{@link #seriesLength()}
 * give the raw bytes of name and labels, a cheap cache key; {@link #labels()} builds the label set), its value, its
 * optional timestamp, its optional exemplar and its {@link #family()}. The parser allocates nothing per sample unless
 * asked for strings: {@link #labels()}, {@link #metricName()}, label strings and exemplar labels allocate.
 *
 * <p>Errors: {@link #next()} throws {@link ExpositionParseException} with line and column at the first syntax or
 * validation error. Samples returned before the error were valid; the parser cannot continue after an error (call
 * {@link #reset} again). Families that have metadata but no sample are not reported. In OpenMetrics,
 * {@code # EOF} is mandatory and nothing may follow it.
 *
 * <p>Not thread-safe; reuse one instance per thread. The parser keeps a reference to the input array until the next
 * {@link #reset}; the caller must not change those bytes meanwhile. Values returned by accessors are only valid until
 * the next call to {@link #next()} (strings and {@link Labels} returned are immutable and may be kept).
 */
public final class ExpositionParser {
    private static final int SFX_NONE = 0;
    private static final int SFX_TOTAL = 1;
    private static final int SFX_CREATED = 2;
    private static final int SFX_COUNT = 3;
    private static final int SFX_SUM = 4;
    private static final int SFX_BUCKET = 5;
    private static final int SFX_GCOUNT = 6;
    private static final int SFX_GSUM = 7;
    private static final int SFX_INFO = 8;
    private static final String[] SUFFIXES = {"", "_total", "_created", "_count", "_sum", "_bucket", "_gcount", "_gsum",
        "_info"};
    private static final byte[][] SUFFIX_BYTES = new byte[SUFFIXES.length][];

    static {
        for (int i = 0; i < SUFFIXES.length; i++) {
            SUFFIX_BYTES[i] = SUFFIXES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Exemplar label sets may hold at most this many code points (names and values together), per OpenMetrics. */
    static final int MAX_EXEMPLAR_CODE_POINTS = 128;

    private final ExpositionFormat format;
    private final boolean om;
    private final boolean strict;

    // Input and position.
    private byte[] buf = new byte[0];
    private int pos;
    private int end;
    private int lineNo;
    private int lineStart;
    private int lineEnd;
    private boolean eofSeen;
    private boolean finished;
    private boolean failed;

    // Current sample: the metric name lives in nameArr[nameOff, nameOff+nameLen) (the input, or scratch when escaped).
    private byte[] nameArr;
    private int nameOff;
    private int nameLen;
    private final byte[][] nameScratch = {new byte[64]};
    private int seriesStart;
    private int seriesEnd;
    private final LabelRefs labels = new LabelRefs();
    private double value;
    private boolean hasTimestamp;
    private long timestampMillis;
    private double timestampSeconds; // OpenMetrics only, for ordering checks
    private final LabelRefs exemplarLabels = new LabelRefs();
    private boolean hasExemplar;
    private double exemplarValue;
    private boolean exemplarHasTimestamp;
    private long exemplarTimestampMillis;
    private final long[] longOut = new long[1];

    // Current family.
    private FamilyState fam;
    private int suffix;
    /**
     * Families by name, kept across inputs so that re-parsing a target reuses their strings. Text format: all families
     * of the input (metadata may precede samples, families interleave); OpenMetrics: a cache only.
     */
    private final FamilyTable textFamilies = new FamilyTable();
    /** OpenMetrics: every name a closed family used, with its type suffixes, to reject clashes. */
    private final Set<String> seenNames = new HashSet<>();
    private final OpenMetricsRules rules;

    // Small caches so that repeated names do not allocate a new String each time.
    private String cachedName = "";
    private byte[] cachedNameBytes = new byte[0];
    private final String[] labelNameCache = new String[256];

    /** A parser with {@link Validation#STRICT} validation. */
    public ExpositionParser(ExpositionFormat format) {
        this(format, Validation.STRICT);
    }

    public ExpositionParser(ExpositionFormat format, Validation validation) {
        this.format = format;
        this.om = format == ExpositionFormat.OPENMETRICS;
        this.strict = validation == Validation.STRICT;
        this.rules = om && strict ? new OpenMetricsRules(this) : null;
    }

    public ExpositionFormat format() {
        return format;
    }

    /** Starts parsing {@code data[offset, offset+length)}; forgets all state of a previous input. */
    public ExpositionParser reset(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length + ") outside array of "
                    + data.length);
        }
        buf = data;
        pos = offset;
        end = offset + length;
        lineNo = 0;
        lineStart = offset;
        lineEnd = offset;
        eofSeen = false;
        finished = false;
        failed = false;
        fam = null;
        textFamilies.nextGeneration();
        seenNames.clear();
        if (rules != null) {
            rules.resetAll();
        }
        return this;
    }

    public ExpositionParser reset(byte[] data) {
        return reset(data, 0, data.length);
    }

    /**
     * Advances to the next sample.
     *
     * @return true when a sample is available, false at the end of the input (all end-of-input checks passed)
     * @throws ExpositionParseException on the first malformed or invalid line
     */
    public boolean next() {
        if (failed) {
            throw new IllegalStateException("parser failed on line " + lineNo + "; call reset() before reusing it");
        }
        try {
            return advance();
        } catch (ExpositionParseException e) {
            failed = true;
            throw e;
        }
    }

    private boolean advance() {
        while (true) {
            if (pos >= end) {
                return finish();
            }
            lineNo++;
            lineStart = pos;
            int nl = indexOf(buf, (byte) '\n', pos, end);
            boolean terminated = nl >= 0;
            lineEnd = terminated ? nl : end;
            pos = terminated ? nl + 1 : end;
            if (om) {
                if (eofSeen) {
                    throw error(lineStart, "unexpected content after # EOF");
                }
                if (lineEnd == lineStart) {
                    throw error(lineStart, "blank lines are not allowed in OpenMetrics");
                }
                if (buf[lineStart] == '#') {
                    parseOpenMetricsComment();
                    if (!terminated && !eofSeen) {
                        throw error(lineEnd, "missing # EOF at end of input");
                    }
                    continue;
                }
                parseSample();
                if (!terminated) {
                    throw error(lineEnd, "missing # EOF at end of input");
                }
                if (acceptOpenMetricsSample()) {
                    return true;
                }
            } else {
                int p = skipBlanks(lineStart);
                if (p == lineEnd) {
                    continue;
                }
                if (strict && !terminated) {
                    throw error(lineEnd, "missing newline at end of input");
                }
                if (buf[p] == '#') {
                    parseTextComment(p + 1);
                    continue;
                }
                parseSample();
                acceptTextSample();
                return true;
            }
        }
    }

    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        lineStart = end;
        lineEnd = end;
        if (om) {
            closeOpenMetricsFamily(end);
            if (!eofSeen) {
                throw error(end, "missing # EOF at end of input");
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Accessors for the current sample.

    /** The input array; {@link #seriesOffset()} indexes into it. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the raw series text (metric name and label set, as written) in {@link #buffer()}. */
    public int seriesOffset() {
        return seriesStart;
    }

    public int seriesLength() {
        return seriesEnd - seriesStart;
    }

    /** The metric name of the sample (with its suffix, e.g. {@code http_requests_total}). */
    public String metricName() {
        if (nameLen == cachedNameBytes.length
                && Arrays.equals(nameArr, nameOff, nameOff + nameLen, cachedNameBytes, 0, nameLen)) {
            return cachedName;
        }
        cachedNameBytes = Arrays.copyOfRange(nameArr, nameOff, nameOff + nameLen);
        cachedName = new String(cachedNameBytes, StandardCharsets.UTF_8);
        return cachedName;
    }

    /** Number of labels of the sample, not counting the metric name. */
    public int labelCount() {
        return labels.count;
    }

    public String labelName(int i) {
        return labelNameString(labels, i);
    }

    public String labelValue(int i) {
        return labels.value(buf, i);
    }

    /** The full label set of the sample, including {@code __name__}. Allocates; the result is immutable. */
    public Labels labels() {
        String[] nv = new String[2 + 2 * labels.count];
        nv[0] = Labels.METRIC_NAME;
        nv[1] = metricName();
        for (int i = 0; i < labels.count; i++) {
            nv[2 + 2 * i] = labelNameString(labels, i);
            nv[3 + 2 * i] = labels.value(buf, i);
        }
        return Labels.of(nv);
    }

    /** The sample value. Counter and gauge values, bucket counts, sums: exactly as written. */
    public double value() {
        return value;
    }

    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    /**
     * The sample's timestamp in milliseconds since the epoch; only meaningful when {@link #hasTimestamp()}.
     * OpenMetrics seconds are multiplied by 1000 and truncated toward zero, as Prometheus does; values beyond the
     * range of a long saturate.
     */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** Whether the sample carries an exemplar (OpenMetrics only). */
    public boolean hasExemplar() {
        return hasExemplar;
    }

    /** The exemplar's label set (may be empty). Allocates. */
    public Labels exemplarLabels() {
        if (!hasExemplar) {
            return Labels.EMPTY;
        }
        String[] nv = new String[2 * exemplarLabels.count];
        for (int i = 0; i < exemplarLabels.count; i++) {
            nv[2 * i] = labelNameString(exemplarLabels, i);
            nv[2 * i + 1] = exemplarLabels.value(buf, i);
        }
        return Labels.of(nv);
    }

    public double exemplarValue() {
        return exemplarValue;
    }

    public boolean exemplarHasTimestamp() {
        return exemplarHasTimestamp;
    }

    public long exemplarTimestampMillis() {
        return exemplarTimestampMillis;
    }

    /**
     * Whether the current sample is an OpenMetrics {@code _created} sample of a counter, histogram or summary: its
     * value is the creation time of the series in seconds since the epoch, not a measurement. Callers that follow
     * Prometheus 3 turn it into a created timestamp instead of storing it as a sample.
     */
    public boolean isCreatedTimestamp() {
        return suffix == SFX_CREATED && fam != null && fam.type != MetricType.UNKNOWN;
    }

    /** The family the current sample belongs to, with the metadata known so far. */
    public MetricFamily family() {
        return fam.snapshot();
    }

    /** The 1-based line number of the current sample. */
    public int lineNumber() {
        return lineNo;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Syntax.

    private void parseSample() {
        int p = om ? lineStart : skipBlanks(lineStart);
        seriesStart = p;
        labels.count = 0;
        nameArr = null;
        nameLen = 0;
        hasExemplar = false;
        if (buf[p] != '{') {
            int s = p;
            p = scanMetricName(p);
            if (p == s) {
                throw error(p, "expected a metric name, found " + describe(p));
            }
            nameArr = buf;
            nameOff = s;
            nameLen = p - s;
            if (!om) {
                p = skipBlanks(p);
            }
        }
        int beforeLabels = p;
        if (p < lineEnd && buf[p] == '{') {
            p = parseLabelSet(p, labels, true);
        }
        if (nameArr == null) {
            throw error(seriesStart, "sample has no metric name");
        }
        seriesEnd = p;
        if (!om) {
            while (seriesEnd > seriesStart && isBlank(buf[seriesEnd - 1])) {
                seriesEnd--;
            }
        }
        checkDuplicateLabels(labels, true);
        // Value. The text format needs no blank between a closing brace and the value ("a{b="c"}1"), and blanks
        // after the name were already skipped.
        if (om) {
            p = expectSeparator(p, "value");
        } else if (p > beforeLabels || (p < lineEnd && isBlank(buf[p]))) {
            p = skipBlanks(p);
        } else if (p == seriesStart || !isBlank(buf[p - 1])) {
            p = expectSeparator(p, "value");
        }
        int vs = p;
        p = scanToken(p);
        if (p == vs) {
            throw error(p, "missing value");
        }
        value = om ? FloatSyntax.parseOpenMetrics(buf, vs, p) : FloatSyntax.parseGo(buf, vs, p);
        if (FloatSyntax.isInvalid(value)) {
            throw error(vs, "invalid value \"" + text(vs, p) + "\"");
        }
        hasTimestamp = false;
        if (om) {
            parseOpenMetricsTail(p);
        } else {
            parseTextTail(p);
        }
    }

    private void parseTextTail(int p) {
        p = skipBlanks(p);
        if (p == lineEnd) {
            return;
        }
        int ts = p;
        p = scanToken(p);
        // Prometheus' lexer takes digits only; expfmt (strict) also takes a sign.
        boolean signOk = strict || (buf[ts] != '-' && buf[ts] != '+');
        if (!signOk || !FloatSyntax.parseLong(buf, ts, p, longOut)) {
            throw error(ts, "invalid timestamp \"" + text(ts, p) + "\": expected integer milliseconds");
        }
        hasTimestamp = true;
        timestampMillis = longOut[0];
        p = skipBlanks(p);
        if (p != lineEnd) {
            throw error(p, "unexpected text after the timestamp: " + describe(p));
        }
    }

    private void parseOpenMetricsTail(int p) {
        if (p == lineEnd) {
            return;
        }
        // p is at the single space after the value.
        p++;
        if (p < lineEnd && buf[p] != '#') {
            int ts = p;
            p = scanToken(p);
            double seconds = parseOpenMetricsTimestamp(ts, p);
            hasTimestamp = true;
            timestampSeconds = seconds;
            timestampMillis = (long) (seconds * 1000.0);
            if (p == lineEnd) {
                return;
            }
            p++;
        }
        if (p >= lineEnd || buf[p] != '#') {
            throw error(p, "expected a timestamp or an exemplar (\" # {...}\"), found " + describe(p));
        }
        parseExemplar(p);
    }

    private double parseOpenMetricsTimestamp(int s, int e) {
        if (s == e) {
            throw error(s, "missing timestamp");
        }
        double seconds = FloatSyntax.parseDecimal(buf, s, e);
        if (FloatSyntax.isInvalid(seconds)) {
            throw error(s, "invalid timestamp \"" + text(s, e) + "\": expected seconds as a decimal number");
        }
        return seconds;
    }

    /** {@code # {labels} value [timestamp]} up to the end of the line. */
    private void parseExemplar(int p) {
        if (p + 2 >= lineEnd || buf[p + 1] != ' ' || buf[p + 2] != '{') {
            throw error(p, "malformed exemplar: expected \"# {\"");
        }
        exemplarLabels.count = 0;
        p = parseLabelSet(p + 2, exemplarLabels, false);
        checkDuplicateLabels(exemplarLabels, false);
        int codePoints = 0;
        for (int i = 0; i < exemplarLabels.count; i++) {
            codePoints += codePoints(exemplarLabels.ns[i], exemplarLabels.ne[i]);
            codePoints += codePoints(exemplarLabels.vs[i], exemplarLabels.ve[i]);
        }
        if (strict && codePoints > MAX_EXEMPLAR_CODE_POINTS) {
            throw error(p, "exemplar label set has " + codePoints + " code points, more than "
                    + MAX_EXEMPLAR_CODE_POINTS);
        }
        if (p >= lineEnd || buf[p] != ' ') {
            throw error(p, "expected a space and the exemplar value, found " + describe(p));
        }
        p++;
        int vs = p;
        p = scanToken(p);
        if (p == vs) {
            throw error(p, "missing exemplar value");
        }
        exemplarValue = FloatSyntax.parseOpenMetrics(buf, vs, p);
        if (FloatSyntax.isInvalid(exemplarValue)) {
            throw error(vs, "invalid exemplar value \"" + text(vs, p) + "\"");
        }
        exemplarHasTimestamp = false;
        if (p < lineEnd) {
            p++;
            int ts = p;
            p = scanToken(p);
            double seconds = parseOpenMetricsTimestamp(ts, p);
            exemplarHasTimestamp = true;
            exemplarTimestampMillis = (long) (seconds * 1000.0);
            if (p != lineEnd) {
                throw error(p, "unexpected text after the exemplar timestamp: " + describe(p));
            }
        }
        hasExemplar = true;
    }

    /**
     * Parses {@code {...}} at {@code p} into {@code into}; returns the position after the closing brace. A quoted
     * string that is not followed by {@code =} is the metric name (Prometheus 3 UTF-8 names), allowed once.
     */
    private int parseLabelSet(int p, LabelRefs into, boolean allowName) {
        p++; // '{'
        p = skipBlanksText(p);
        if (p < lineEnd && buf[p] == '}') {
            return p + 1;
        }
        while (true) {
            if (p >= lineEnd) {
                throw error(p, "unterminated label set");
            }
            int ns;
            int ne;
            boolean nameEscaped;
            if (buf[p] == '"') {
                ns = p + 1;
                ne = scanQuoted(p);
                nameEscaped = escaped;
                p = skipBlanksText(ne + 1);
                if (p < lineEnd && (buf[p] == ',' || buf[p] == '}')) {
                    if (!allowName || nameArr != null) {
                        throw error(ns - 1, allowName ? "metric name given twice" : "expected a label name");
                    }
                    setQuotedName(ns, ne, nameEscaped);
                    p = afterLabel(p);
                    if (p < 0) {
                        return -p;
                    }
                    continue;
                }
            } else {
                ns = p;
                p = scanLabelName(p);
                ne = p;
                nameEscaped = false;
                if (ns == ne) {
                    throw error(p, "expected a label name, found " + describe(p));
                }
                p = skipBlanksText(p);
            }
            if (p >= lineEnd || buf[p] != '=') {
                throw error(p, "expected '=' after label name, found " + describe(p));
            }
            p = skipBlanksText(p + 1);
            if (p >= lineEnd || buf[p] != '"') {
                throw error(p, "expected a quoted label value, found " + describe(p));
            }
            int vs = p + 1;
            int ve = scanQuoted(p);
            into.add(ns, ne, nameEscaped, vs, ve, escaped);
            p = skipBlanksText(ve + 1);
            p = afterLabel(p);
            if (p < 0) {
                return -p;
            }
        }
    }

    /** After a label: ',' continues (returns the next position), '}' ends (returns minus the position after it). */
    private int afterLabel(int p) {
        if (p < lineEnd && buf[p] == '}') {
            return -(p + 1);
        }
        if (p < lineEnd && buf[p] == ',') {
            p = skipBlanksText(p + 1);
            if (p < lineEnd && buf[p] == '}') {
                if (om) {
                    throw error(p, "trailing comma in label set");
                }
                return -(p + 1);
            }
            return p;
        }
        throw error(p, "expected ',' or '}' in label set, found " + describe(p));
    }

    private boolean escaped;
    /** The metric name of a HELP/TYPE/UNIT line, as {@link #scanMetadataName} found it. */
    private byte[] metaNameSrc;
    private int metaNameStart;
    private int metaNameEnd;

    /** Scans a quoted string starting at the quote at {@code p}; returns the index of the closing quote. */
    private int scanQuoted(int p) {
        int q = p + 1;
        escaped = false;
        while (true) {
            if (q >= lineEnd) {
                if (om || strict || lineEnd >= end) {
                    break;
                }
                // Prometheus' text lexer lets a quoted label value run over a raw line break: extend the line.
                int nl = indexOf(buf, (byte) '\n', lineEnd + 1, end);
                lineEnd = nl < 0 ? end : nl;
                pos = nl < 0 ? end : nl + 1;
                continue;
            }
            byte c = buf[q];
            if (c == '"') {
                return q;
            }
            if (c == '\\') {
                if (q + 1 >= lineEnd) {
                    break;
                }
                byte n = buf[q + 1];
                if (!om && strict && n != '\\' && n != '"' && n != 'n') {
                    throw error(q, "invalid escape sequence \"\\" + (char) (n & 0xff) + "\" in quoted string");
                }
                escaped = true;
                q += 2;
                continue;
            }
            q++;
        }
        throw error(p, "unterminated quoted string");
    }

    private void setQuotedName(int s, int e, boolean isEscaped) {
        if (s == e) {
            throw error(s, "empty metric name");
        }
        if (!isEscaped) {
            nameArr = buf;
            nameOff = s;
            nameLen = e - s;
            return;
        }
        byte[] scratch = nameScratch[0];
        if (scratch.length < e - s) {
            scratch = new byte[e - s];
            nameScratch[0] = scratch;
        }
        nameArr = scratch;
        nameOff = 0;
        nameLen = unescape(buf, s, e, scratch);
    }

    private void checkDuplicateLabels(LabelRefs refs, boolean sampleLabels) {
        int n = refs.count;
        for (int i = 0; i < n; i++) {
            if (sampleLabels && bytesEqual(refs.ns[i], refs.ne[i], "__name__")) {
                throw error(refs.ns[i], "label __name__ is not allowed in a label set with a metric name");
            }
            for (int j = 0; j < i; j++) {
                boolean same = refs.nesc[i] || refs.nesc[j]
                        // escaped quoted names: equal raw bytes are not required for equal names
                        ? labelNameString(refs, i).equals(labelNameString(refs, j))
                        : refs.ne[i] - refs.ns[i] == refs.ne[j] - refs.ns[j]
                                && Arrays.equals(buf, refs.ns[i], refs.ne[i], buf, refs.ns[j], refs.ne[j]);
                if (same) {
                    throw error(refs.ns[i], "duplicate label name \"" + text(refs.ns[i], refs.ne[i]) + "\"");
                }
            }
        }
    }

    private int expectSeparator(int p, String what) {
        if (om) {
            if (p >= lineEnd || buf[p] != ' ') {
                throw error(p, "expected a single space before the " + what + ", found " + describe(p));
            }
            return p + 1;
        }
        if (p >= lineEnd || !isBlank(buf[p])) {
            throw error(p, "expected whitespace before the " + what + ", found " + describe(p));
        }
        return skipBlanks(p);
    }

    /** A value or timestamp token: up to a space (and, in the text format, a tab) or the end of the line. */
    private int scanToken(int p) {
        if (om) {
            while (p < lineEnd && buf[p] != ' ') {
                p++;
            }
        } else {
            while (p < lineEnd && !isBlank(buf[p])) {
                p++;
            }
        }
        return p;
    }

    /**
     * Scans the metric name of a metadata line at {@code p}, bare or quoted (UTF-8 names), into
     * {@link #metaNameSrc}[{@link #metaNameStart}, {@link #metaNameEnd}) (an unescaped copy when the quoted name held
     * escapes); returns the position after it.
     */
    private int scanMetadataName(int p) {
        if (p < lineEnd && buf[p] == '"') {
            int ne = scanQuoted(p);
            if (escaped) {
                metaNameSrc = decode(p + 1, ne, true).getBytes(StandardCharsets.UTF_8);
                metaNameStart = 0;
                metaNameEnd = metaNameSrc.length;
            } else {
                metaNameSrc = buf;
                metaNameStart = p + 1;
                metaNameEnd = ne;
            }
            return ne + 1;
        }
        int end = scanMetricName(p);
        metaNameSrc = buf;
        metaNameStart = p;
        metaNameEnd = end;
        return end;
    }

    private int scanMetricName(int p) {
        if (p < lineEnd && isNameStart(buf[p])) {
            p++;
            while (p < lineEnd && (isNameStart(buf[p]) || (buf[p] >= '0' && buf[p] <= '9'))) {
                p++;
            }
        }
        return p;
    }

    private int scanLabelName(int p) {
        if (p < lineEnd && isLabelStart(buf[p])) {
            p++;
            while (p < lineEnd && (isLabelStart(buf[p]) || (buf[p] >= '0' && buf[p] <= '9'))) {
                p++;
            }
        }
        return p;
    }

    private static boolean isNameStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isLabelStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private int skipBlanks(int p) {
        while (p < lineEnd && isBlank(buf[p])) {
            p++;
        }
        return p;
    }

    /** The text format allows blanks between label tokens; OpenMetrics does not. */
    private int skipBlanksText(int p) {
        return om ? p : skipBlanks(p);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Metadata lines.

    private void parseOpenMetricsComment() {
        int len = lineEnd - lineStart;
        if (len == 5 && bytesEqual(lineStart, lineEnd, "# EOF")) {
            eofSeen = true;
            return;
        }
        int p = lineStart + 1;
        if (p >= lineEnd || buf[p] != ' ') {
            throw error(p, "expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"");
        }
        p++;
        int ks = p;
        while (p < lineEnd && buf[p] != ' ') {
            p++;
        }
        int kind = keyword(ks, p);
        if (kind == 0) {
            throw error(ks, "unknown metadata line \"" + text(ks, p) + "\": expected HELP, TYPE or UNIT");
        }
        if (p >= lineEnd) {
            throw error(p, "expected a metric name after " + text(ks, p));
        }
        p++;
        int ns = p;
        p = scanMetadataName(p);
        byte[] nameSrc = metaNameSrc;
        int nameS = metaNameStart;
        int nameE = metaNameEnd;
        if (nameE == nameS) {
            throw error(ns, "expected a metric name, found " + describe(ns));
        }
        if (p >= lineEnd || buf[p] != ' ') {
            throw error(p, "expected a space after the metric name, found " + describe(p));
        }
        p++;
        int rest = p;
        if (fam == null || !fam.nameIs(nameSrc, nameS, nameE - nameS)) {
            closeOpenMetricsFamily(ns);
            fam = openFamily(nameSrc, nameS, nameE - nameS);
        } else if (fam.hasSamples && strict) {
            throw error(lineStart, "metadata for " + fam.name + " after its samples");
        }
        String name = fam.name;
        switch (kind) {
            case 1 -> {
                if (fam.helpSet && strict) {
                    throw error(lineStart, "second HELP line for " + name);
                }
                fam.helpSet = true;
                if (fam.help == null || !Arrays.equals(buf, rest, lineEnd, fam.helpRaw, 0, fam.helpRaw.length)) {
                    fam.help = unescapeHelp(rest, lineEnd, true);
                    fam.helpRaw = Arrays.copyOfRange(buf, rest, lineEnd);
                }
            }
            case 2 -> {
                if (fam.typeDeclared && strict) {
                    throw error(lineStart, "second TYPE line for " + name);
                }
                MetricType type = openMetricsType(rest, lineEnd);
                fam.type = type;
                fam.typeDeclared = true;
                fam.allowed = allowedSuffixes(type);
            }
            default -> {
                if (fam.unitSet && strict) {
                    throw error(lineStart, "second UNIT line for " + name);
                }
                if (fam.unit == null || !Arrays.equals(buf, rest, lineEnd, fam.unitRaw, 0, fam.unitRaw.length)) {
                    fam.unit = text(rest, lineEnd);
                    fam.unitRaw = Arrays.copyOfRange(buf, rest, lineEnd);
                }
                String unit = fam.unit;
                int cut = name.length() - unit.length() - 1;
                if (!unit.isEmpty() && (cut < 0 || !name.endsWith(unit) || name.charAt(cut) != '_')) {
                    throw error(rest, "metric " + name + " does not end with its unit \"_" + unit + "\"");
                }
                fam.unitSet = true;
            }
        }
        fam.invalidate();
    }

    /** 1 = HELP, 2 = TYPE, 3 = UNIT, 0 = other. */
    private int keyword(int s, int e) {
        if (bytesEqual(s, e, "HELP")) {
            return 1;
        }
        if (bytesEqual(s, e, "TYPE")) {
            return 2;
        }
        if (bytesEqual(s, e, "UNIT")) {
            return 3;
        }
        return 0;
    }

    private static final MetricType[] OM_TYPES = {MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM,
        MetricType.GAUGEHISTOGRAM, MetricType.SUMMARY, MetricType.INFO, MetricType.STATESET, MetricType.UNKNOWN};

    private MetricType openMetricsType(int s, int e) {
        for (MetricType t : OM_TYPES) {
            if (bytesEqual(s, e, t.wireName())) {
                return t;
            }
        }
        throw error(s, "invalid metric type \"" + text(s, e) + "\"");
    }

    /**
     * An OpenMetrics family starting now: found by name bytes in the table kept across inputs (so its strings are
     * reused), and reset to "nothing declared yet".
     */
    private FamilyState openFamily(byte[] b, int off, int len) {
        FamilyState f = textFamilies.find(b, off, len);
        if (f == null) {
            f = new FamilyState(new String(b, off, len, StandardCharsets.UTF_8), MetricType.UNKNOWN);
            textFamilies.put(f);
        }
        f.revive(textFamilies.generation);
        return f;
    }

    private static int allowedSuffixes(MetricType type) {
        return switch (type) {
            case COUNTER -> (1 << SFX_TOTAL) | (1 << SFX_CREATED);
            case SUMMARY -> (1 << SFX_NONE) | (1 << SFX_COUNT) | (1 << SFX_SUM) | (1 << SFX_CREATED);
            case HISTOGRAM -> (1 << SFX_COUNT) | (1 << SFX_SUM) | (1 << SFX_BUCKET) | (1 << SFX_CREATED);
            case GAUGEHISTOGRAM -> (1 << SFX_GCOUNT) | (1 << SFX_GSUM) | (1 << SFX_BUCKET);
            case INFO -> 1 << SFX_INFO;
            default -> 1 << SFX_NONE;
        };
    }

    private static int textAllowedSuffixes(MetricType type) {
        return switch (type) {
            case SUMMARY -> (1 << SFX_NONE) | (1 << SFX_COUNT) | (1 << SFX_SUM);
            case HISTOGRAM -> (1 << SFX_COUNT) | (1 << SFX_SUM) | (1 << SFX_BUCKET);
            default -> 1 << SFX_NONE;
        };
    }

    /** Text format: {@code # HELP name text}, {@code # TYPE name type}, or any other comment (ignored). */
    private void parseTextComment(int p) {
        p = skipBlanks(p);
        int ks = p;
        while (p < lineEnd && !isBlank(buf[p])) {
            p++;
        }
        int kind = keyword(ks, p);
        if (kind != 1 && kind != 2) {
            return; // an ordinary comment
        }
        p = skipBlanks(p);
        if (p == lineEnd) {
            return; // "# HELP" alone is a comment for expfmt as well
        }
        int ns = p;
        p = scanMetadataName(p);
        byte[] nameSrc = metaNameSrc;
        int nameS = metaNameStart;
        int nameE = metaNameEnd;
        if (nameE == nameS || (p < lineEnd && !isBlank(buf[p]))) {
            throw error(ns, "invalid metric name in " + (kind == 1 ? "HELP" : "TYPE") + " line");
        }
        p = skipBlanks(p);
        if (p == lineEnd) {
            return; // "# HELP name" or "# TYPE name" with nothing after it: a plain comment, as in expfmt
        }
        FamilyState f = textFamily(nameSrc, nameS, nameE - nameS);
        String name = f.name;
        if (kind == 1) {
            if (f.helpSet && strict) {
                throw error(lineStart, "second HELP line for " + name);
            }
            f.helpSet = true;
            if (f.help == null || !Arrays.equals(buf, p, lineEnd, f.helpRaw, 0, f.helpRaw.length)) {
                f.help = unescapeHelp(p, lineEnd, false);
                f.helpRaw = Arrays.copyOfRange(buf, p, lineEnd);
                f.invalidate();
            }
        } else {
            int ts = p;
            while (p < lineEnd && !isBlank(buf[p])) {
                p++;
            }
            MetricType type;
            if (bytesEqual(ts, p, "counter")) {
                type = MetricType.COUNTER;
            } else if (bytesEqual(ts, p, "gauge")) {
                type = MetricType.GAUGE;
            } else if (bytesEqual(ts, p, "histogram")) {
                type = MetricType.HISTOGRAM;
            } else if (bytesEqual(ts, p, "summary")) {
                type = MetricType.SUMMARY;
            } else if (bytesEqual(ts, p, "untyped")) {
                type = MetricType.UNKNOWN;
            } else {
                throw error(ts, "invalid metric type \"" + text(ts, p) + "\"");
            }
            if (skipBlanks(p) != lineEnd) {
                throw error(p, "unexpected text after the metric type");
            }
            if (strict && f.typeDeclared) {
                throw error(lineStart, "second TYPE line for " + name);
            }
            if (strict && f.hasSamples) {
                throw error(lineStart, "TYPE line for " + name + " after its samples");
            }
            f.type = type; // snapshot() compares, so an unchanged family keeps its MetricFamily object
            f.typeDeclared = true;
            f.allowed = textAllowedSuffixes(type);
        }
    }

    /**
     * The text-format family for these name bytes in the current input: an existing one, one revived from an
     * earlier input (keeping its strings), or a new untyped family.
     */
    private FamilyState textFamily(byte[] b, int off, int len) {
        FamilyState f = textFamilies.find(b, off, len);
        if (f == null) {
            f = new FamilyState(new String(b, off, len, StandardCharsets.UTF_8), MetricType.UNKNOWN);
            f.allowed = 1 << SFX_NONE;
            f.generation = textFamilies.generation;
            textFamilies.put(f);
        } else if (f.generation != textFamilies.generation) {
            f.revive(textFamilies.generation);
        }
        return f;
    }

    /** An existing family of the current input with these name bytes, or null. */
    private FamilyState currentTextFamily(byte[] b, int off, int len) {
        FamilyState f = textFamilies.find(b, off, len);
        return f != null && f.generation == textFamilies.generation ? f : null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Family resolution and validation.

    private void acceptTextSample() {
        if (fam == null || (suffix = fam.suffixOf(nameArr, nameOff, nameLen)) < 0) {
            FamilyState f = currentTextFamily(nameArr, nameOff, nameLen);
            if (f == null) {
                // name_bucket, name_sum, name_count of a histogram or summary declared as name.
                for (int sfx = SFX_COUNT; sfx <= SFX_BUCKET && f == null; sfx++) {
                    int base = nameLen - SUFFIX_BYTES[sfx].length;
                    if (base > 0 && endsWith(nameArr, nameOff, nameLen, SUFFIXES[sfx])) {
                        FamilyState b = currentTextFamily(nameArr, nameOff, base);
                        if (b != null && (b.allowed & (1 << sfx)) != 0) {
                            f = b;
                        }
                    }
                }
            }
            if (f == null) {
                f = textFamily(nameArr, nameOff, nameLen);
            }
            fam = f;
            suffix = f.suffixOf(nameArr, nameOff, nameLen);
            if (suffix < 0) {
                suffix = SFX_NONE; // e.g. "x" sampled after "# TYPE x histogram": kept in x's family
            }
        }
        fam.hasSamples = true;
        if (strict) {
            if (fam.type == MetricType.HISTOGRAM && suffix == SFX_BUCKET) {
                requireNumericLabel("le", true);
            } else if (fam.type == MetricType.SUMMARY && suffix == SFX_NONE) {
                requireNumericLabel("quantile", true);
            }
        }
    }

    private double requireNumericLabel(String name, boolean goSyntax) {
        int i = labels.indexOf(buf, name);
        if (i < 0) {
            throw error(seriesStart, "missing label \"" + name + "\"");
        }
        double d = labelAsDouble(i, goSyntax);
        if (FloatSyntax.isInvalid(d)) {
            throw error(labels.vs[i], "label " + name + "=\"" + labels.value(buf, i) + "\" is not a number");
        }
        return d;
    }

    double labelAsDouble(int i, boolean goSyntax) {
        if (labels.vesc[i]) {
            byte[] v = labels.value(buf, i).getBytes(StandardCharsets.UTF_8);
            return goSyntax ? FloatSyntax.parseGo(v, 0, v.length) : FloatSyntax.parseOpenMetrics(v, 0, v.length);
        }
        return goSyntax ? FloatSyntax.parseGo(buf, labels.vs[i], labels.ve[i])
                : FloatSyntax.parseOpenMetrics(buf, labels.vs[i], labels.ve[i]);
    }

    /** Returns false when the sample must be skipped (never, today); throws on invalid samples. */
    private boolean acceptOpenMetricsSample() {
        if (fam == null || (suffix = fam.suffixOf(nameArr, nameOff, nameLen)) < 0) {
            closeOpenMetricsFamily(lineStart);
            fam = openFamily(nameArr, nameOff, nameLen);
            suffix = SFX_NONE;
        }
        fam.hasSamples = true;
        if (hasExemplar && !strict) {
            // Prometheus 2.x decides by the sample name alone.
            if (!endsWith(nameArr, nameOff, nameLen, "_total") && !endsWith(nameArr, nameOff, nameLen, "_bucket")) {
                throw error(lineStart, "metric " + metricName() + " does not support exemplars");
            }
        } else if (hasExemplar && !((suffix == SFX_BUCKET
                && (fam.type == MetricType.HISTOGRAM || fam.type == MetricType.GAUGEHISTOGRAM))
                || (suffix == SFX_TOTAL && fam.type == MetricType.COUNTER))) {
            throw error(lineStart, "exemplars are only allowed on counter _total and histogram _bucket samples");
        }
        if (rules != null) {
            rules.check();
        }
        return true;
    }

    private void closeOpenMetricsFamily(int at) {
        if (fam == null) {
            return;
        }
        FamilyState f = fam;
        fam = null;
        if (!strict) {
            return;
        }
        if (rules != null) {
            rules.closeFamily(f, at);
        }
        for (int sfx = 0; sfx < SUFFIXES.length; sfx++) {
            if (sfx == SFX_NONE || (f.allowed & (1 << sfx)) != 0) {
                String n = f.name + SUFFIXES[sfx];
                if (!seenNames.add(n)) {
                    throw error(at, "metric name " + n + " clashes with an earlier family");
                }
            }
        }
        if (f.unitSet && !f.unit.isEmpty()) {
            if (f.type == MetricType.INFO || f.type == MetricType.STATESET) {
                throw error(at, "metric " + f.name + " of type " + f.type.wireName() + " cannot have a unit");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Package-private access for OpenMetricsRules.

    FamilyState familyState() {
        return fam;
    }

    int suffix() {
        return suffix;
    }

    LabelRefs labelRefs() {
        return labels;
    }

    byte[] buf() {
        return buf;
    }

    double timestampSeconds() {
        return timestampSeconds;
    }

    ExpositionParseException errorAtLine(String reason) {
        return error(lineStart, reason);
    }

    ExpositionParseException errorAt(int p, String reason) {
        return error(p, reason);
    }

    static final int BUCKET = SFX_BUCKET;
    static final int COUNT = SFX_COUNT;
    static final int GCOUNT = SFX_GCOUNT;
    static final int SUM = SFX_SUM;
    static final int GSUM = SFX_GSUM;
    static final int TOTAL = SFX_TOTAL;
    static final int NONE = SFX_NONE;

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers.

    private ExpositionParseException error(int p, String reason) {
        return new ExpositionParseException(Math.max(lineNo, 1), p - lineStart + 1, reason);
    }

    private String describe(int p) {
        if (p >= lineEnd) {
            return "end of line";
        }
        int c = buf[p] & 0xff;
        if (c < 0x20 || c >= 0x7f) {
            return "byte 0x" + Integer.toHexString(c);
        }
        return "'" + (char) c + "'";
    }

    private String text(int s, int e) {
        return new String(buf, s, e - s, StandardCharsets.UTF_8);
    }

    private boolean bytesEqual(int s, int e, String ascii) {
        if (e - s != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[s + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String decode(int s, int e, boolean isEscaped) {
        if (!isEscaped) {
            return text(s, e);
        }
        byte[] out = new byte[e - s];
        int n = unescape(buf, s, e, out);
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Label-value escapes: \\ \" \n; any other escape is kept as written. Returns the decoded length. */
    static int unescape(byte[] src, int s, int e, byte[] out) {
        int w = 0;
        for (int i = s; i < e; i++) {
            byte c = src[i];
            if (c == '\\' && i + 1 < e) {
                byte n = src[i + 1];
                if (n == '\\' || n == '"') {
                    out[w++] = n;
                    i++;
                    continue;
                }
                if (n == 'n') {
                    out[w++] = '\n';
                    i++;
                    continue;
                }
            }
            out[w++] = c;
        }
        return w;
    }

    /** HELP text: \\ and \n are escapes (and \" in OpenMetrics); anything else is kept as written. */
    private String unescapeHelp(int s, int e, boolean quoteEscape) {
        boolean any = false;
        for (int i = s; i < e; i++) {
            if (buf[i] == '\\') {
                any = true;
                break;
            }
        }
        if (!any) {
            return text(s, e);
        }
        byte[] out = new byte[e - s];
        int w = 0;
        for (int i = s; i < e; i++) {
            byte c = buf[i];
            if (c == '\\' && i + 1 < e) {
                byte n = buf[i + 1];
                if (n == '\\' || (quoteEscape && n == '"')) {
                    out[w++] = n;
                    i++;
                    continue;
                }
                if (n == 'n') {
                    out[w++] = '\n';
                    i++;
                    continue;
                }
            }
            out[w++] = c;
        }
        return new String(out, 0, w, StandardCharsets.UTF_8);
    }

    private int codePoints(int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if ((buf[i] & 0xc0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    private String labelNameString(LabelRefs refs, int i) {
        int s = refs.ns[i];
        int e = refs.ne[i];
        if (refs.nesc[i]) {
            return decode(s, e, true);
        }
        int h = 0;
        for (int k = s; k < e; k++) {
            h = 31 * h + buf[k];
        }
        int slot = (h ^ (h >>> 16)) & (labelNameCache.length - 1);
        String cached = labelNameCache[slot];
        if (cached != null && cached.length() == e - s) {
            boolean same = true;
            for (int k = 0; k < e - s; k++) {
                if (cached.charAt(k) != (buf[s + k] & 0xff)) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return cached;
            }
        }
        String str = text(s, e);
        if (str.length() == e - s) { // pure ASCII: safe to compare byte-for-char next time
            labelNameCache[slot] = str;
        }
        return str;
    }

    private static boolean endsWith(byte[] b, int off, int len, String ascii) {
        int n = ascii.length();
        if (len < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[off + len - n + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** References into the input for one label set; grows as needed and is reused. */
    static final class LabelRefs {
        int count;
        int[] ns = new int[16];
        int[] ne = new int[16];
        int[] vs = new int[16];
        int[] ve = new int[16];
        boolean[] nesc = new boolean[16];
        boolean[] vesc = new boolean[16];

        void add(int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd, boolean valueEscaped) {
            if (count == ns.length) {
                int n = count * 2;
                ns = Arrays.copyOf(ns, n);
                ne = Arrays.copyOf(ne, n);
                vs = Arrays.copyOf(vs, n);
                ve = Arrays.copyOf(ve, n);
                nesc = Arrays.copyOf(nesc, n);
                vesc = Arrays.copyOf(vesc, n);
            }
            ns[count] = nameStart;
            ne[count] = nameEnd;
            nesc[count] = nameEscaped;
            vs[count] = valueStart;
            ve[count] = valueEnd;
            vesc[count] = valueEscaped;
            count++;
        }

        String value(byte[] buf, int i) {
            if (!vesc[i]) {
                return new String(buf, vs[i], ve[i] - vs[i], StandardCharsets.UTF_8);
            }
            byte[] out = new byte[ve[i] - vs[i]];
            int n = unescape(buf, vs[i], ve[i], out);
            return new String(out, 0, n, StandardCharsets.UTF_8);
        }

        /** Index of the label with this (unquoted ASCII) name, or -1. */
        int indexOf(byte[] buf, String name) {
            for (int i = 0; i < count; i++) {
                int len = ne[i] - ns[i];
                if (len != name.length()) {
                    continue;
                }
                boolean same = true;
                for (int k = 0; k < len; k++) {
                    if (buf[ns[i] + k] != name.charAt(k)) {
                        same = false;
                        break;
                    }
                }
                if (same) {
                    return i;
                }
            }
            return -1;
        }

        boolean valueEquals(byte[] buf, int i, String ascii) {
            int len = ve[i] - vs[i];
            if (len != ascii.length()) {
                return false;
            }
            for (int k = 0; k < len; k++) {
                if (buf[vs[i] + k] != ascii.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        /** Order-independent 64-bit hash of the label set, leaving out label {@code skip} (or none if -1). */
        long groupHash(byte[] buf, int skip) {
            long h = 0;
            for (int i = 0; i < count; i++) {
                if (i == skip) {
                    continue;
                }
                long x = 0xcbf29ce484222325L;
                for (int k = ns[i]; k < ne[i]; k++) {
                    x = (x ^ buf[k]) * 0x100000001b3L;
                }
                x = (x ^ 0xff) * 0x100000001b3L;
                for (int k = vs[i]; k < ve[i]; k++) {
                    x = (x ^ buf[k]) * 0x100000001b3L;
                }
                x ^= x >>> 33;
                x *= 0xff51afd7ed558ccdL;
                x ^= x >>> 33;
                h += x; // commutative: label order in the line does not matter
            }
            return h;
        }
    }

    /** What the parser knows about one family. */
    static final class FamilyState {
        final String name;
        final byte[] nameBytes;
        MetricType type;
        boolean typeDeclared;
        String help;
        String unit;
        boolean hasSamples;
        int allowed;
        private MetricFamily snapshot;
        // Text format only: reuse across inputs (see FamilyTable).
        int generation;
        boolean helpSet;
        byte[] helpRaw = new byte[0];
        boolean unitSet;
        byte[] unitRaw = new byte[0];

        FamilyState(String name, MetricType type) {
            this.name = name;
            this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
            this.type = type;
        }

        void invalidate() {
            snapshot = null;
        }

        /**
         * Starts a new input: the family is undeclared again, but its HELP string and snapshot are kept so that an
         * identical declaration reuses them.
         */
        void revive(int gen) {
            generation = gen;
            typeDeclared = false;
            helpSet = false;
            unitSet = false;
            hasSamples = false;
            allowed = 1 << SFX_NONE;
            type = MetricType.UNKNOWN; // snapshot() notices if the family ends up different from last time
        }

        MetricFamily snapshot() {
            MetricFamily s = snapshot;
            String h = helpSet ? help : "";
            String u = unitSet ? unit : "";
            if (s == null || s.type() != type || !s.help().equals(h) || !s.unit().equals(u)) {
                s = new MetricFamily(name, type, h, u);
                snapshot = s;
            }
            return s;
        }

        boolean nameIs(byte[] b, int off, int len) {
            return len == nameBytes.length && Arrays.equals(b, off, off + len, nameBytes, 0, len);
        }

        /** The suffix code of a sample name in this family, or -1 when the name does not belong here. */
        int suffixOf(byte[] b, int off, int len) {
            int n = nameBytes.length;
            if (len < n || !Arrays.equals(b, off, off + n, nameBytes, 0, n)) {
                return -1;
            }
            int rest = len - n;
            if (rest == 0) {
                return (allowed & 1) != 0 ? SFX_NONE : -1;
            }
            for (int sfx = 1; sfx < SUFFIX_BYTES.length; sfx++) {
                byte[] s = SUFFIX_BYTES[sfx];
                if ((allowed & (1 << sfx)) != 0 && s.length == rest
                        && Arrays.equals(b, off + n, off + len, s, 0, rest)) {
                    return sfx;
                }
            }
            return -1;
        }
    }
}
