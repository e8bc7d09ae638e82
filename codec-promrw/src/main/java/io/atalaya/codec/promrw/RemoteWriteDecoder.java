package io.atalaya.codec.promrw;

import io.atalaya.common.proto.ProtoWireReader;
import java.util.Arrays;

/**
 * Hand-written protobuf decoder for Prometheus remote write 1.0 ({@code prometheus.WriteRequest}) and 2.0
 * ({@code io.prometheus.write.v2.Request}) into a reusable {@link RemoteWriteBatch}.
 *
 * <p>Wire format rules applied: varints of at most 10 bytes, every length checked against the bytes that remain in
 * the enclosing message before use (so truncated or hostile input can never make it allocate more than the input
 * size), known fields with the wrong wire type rejected, unknown fields of wire types 0, 1, 2 and 5 skipped, groups
 * rejected, repeated scalars accepted both packed and unpacked. Strings are not checked for UTF-8 validity here
 * (invalid bytes become U+FFFD when turned into strings); names and limits are the ingest layer's business.
 *
 * <p>Errors are {@link RemoteWriteDecodeException}s naming the field path (e.g. {@code timeseries[2].samples[0]})
 * and the byte offset. Not thread-safe; one instance per thread, reused across requests.
 */
public final class RemoteWriteDecoder extends ProtoWireReader {
    private final Snappy snappy = new Snappy();

    // Error context, composed into a path only when an error is raised.
    private String section = "";
    private int seriesIndex = -1;
    private String item = "";
    private int itemIndex = -1;

    // Remote write 2.0 symbol table and label-ref scratch.
    private int symbolCount;
    private int[] symOff = new int[256];
    private int[] symLen = new int[256];
    private int[] refs = new int[64];
    private int refCount;

    /**
     * Decompresses a snappy block (checking the announced size against {@code maxDecompressedBytes} first) and
     * decodes a remote write 1.0 request. The batch refers to this decoder's internal buffer afterwards.
     */
    public void decodeSnappyV1(byte[] body, int offset, int length, int maxDecompressedBytes, RemoteWriteBatch into) {
        snappy.decompress(body, offset, length, maxDecompressedBytes);
        decodeV1(snappy.buffer(), 0, snappy.length(), into);
    }

    /** Like {@link #decodeSnappyV1} for a remote write 2.0 request. */
    public void decodeSnappyV2(byte[] body, int offset, int length, int maxDecompressedBytes, RemoteWriteBatch into) {
        snappy.decompress(body, offset, length, maxDecompressedBytes);
        decodeV2(snappy.buffer(), 0, snappy.length(), into);
    }

    /** Decodes an uncompressed {@code prometheus.WriteRequest} in place. */
    public void decodeV1(byte[] data, int offset, int length, RemoteWriteBatch into) {
        checkRange(data, offset, length);
        begin(data, offset);
        into.reset(data, 1);
        int end = offset + length;
        int series = 0;
        int meta = 0;
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            if (field == 1) {
                section = "timeseries";
                seriesIndex = series++;
                int len = lengthOf(wt, end);
                seriesV1(pos + len, into);
            } else if (field == 3) {
                section = "metadata";
                seriesIndex = meta++;
                int len = lengthOf(wt, end);
                metadataV1(pos + len, into);
            } else {
                skip(wt, end);
            }
            section = "";
            seriesIndex = -1;
        }
    }

    /** Decodes an uncompressed {@code io.prometheus.write.v2.Request} in place. */
    public void decodeV2(byte[] data, int offset, int length, RemoteWriteBatch into) {
        checkRange(data, offset, length);
        begin(data, offset);
        into.reset(data, 2);
        int end = offset + length;
        // Pass 1: the symbol table (it may legally follow the series on the wire).
        symbolCount = 0;
        int symbols = 0;
        while (pos < end) {
            int tag = readTag(end);
            if (tag >>> 3 == 4) {
                section = "symbols";
                seriesIndex = symbols++;
                int len = lengthOf(tag & 7, end);
                addSymbol(pos, len);
                pos += len;
                section = "";
                seriesIndex = -1;
            } else {
                skip(tag & 7, end);
            }
        }
        if (symbolCount > 0 && symLen[0] != 0) {
            throw new RemoteWriteDecodeException("symbols[0]", -1, "the first symbol must be the empty string");
        }
        // Pass 2: the series.
        pos = offset;
        int series = 0;
        while (pos < end) {
            int tag = readTag(end);
            if (tag >>> 3 == 5) {
                section = "timeseries";
                seriesIndex = series++;
                int len = lengthOf(tag & 7, end);
                seriesV2(pos + len, into);
                section = "";
                seriesIndex = -1;
            } else {
                skip(tag & 7, end);
            }
        }
    }

    private void begin(byte[] data, int offset) {
        start(data, offset);
        section = "";
        seriesIndex = -1;
        item = "";
        itemIndex = -1;
    }

    private static void checkRange(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") outside array of " + data.length);
        }
    }

    // ------------------------------------------------------------------------------------------- remote write 1.0

    private void seriesV1(int end, RemoteWriteBatch b) {
        int s = b.beginSeries();
        int labels = 0;
        int samples = 0;
        int exemplars = 0;
        int hist = 0;
        // The span of the Label fields, while nothing else comes between them.
        int rawStart = -1;
        int rawEnd = -1;
        boolean contiguous = true;
        while (pos < end) {
            int tagPos = pos;
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            switch (field) {
                case 1 -> {
                    enter("labels", labels++);
                    int len = lengthOf(wt, end);
                    label(pos + len, b, false);
                    if (rawStart < 0) {
                        rawStart = tagPos;
                    } else if (rawEnd != tagPos) {
                        contiguous = false;
                    }
                    rawEnd = pos;
                }
                case 2 -> {
                    enter("samples", samples++);
                    int len = lengthOf(wt, end);
                    sample(pos + len, b);
                }
                case 3 -> {
                    enter("exemplars", exemplars++);
                    int len = lengthOf(wt, end);
                    exemplarV1(pos + len, b);
                }
                case 4 -> {
                    enter("histograms", hist++);
                    int len = lengthOf(wt, end);
                    histogram(pos + len);
                }
                default -> skip(wt, end);
            }
            leave();
        }
        b.histograms[s] = hist;
        if (rawStart >= 0 && contiguous) {
            b.rawLabels(s, rawStart, rawEnd - rawStart);
        }
        b.endSeries(s);
    }

    /** {@code Label {string name = 1; string value = 2;}}; consumes up to {@code end}. */
    private void label(int end, RemoteWriteBatch b, boolean exemplar) {
        // The shape every sender writes, name then value, each shorter than 128 bytes: read it in one go. Anything
        // else (or any doubt) takes the general loop below, which gives the same result for these bytes.
        int p = pos;
        byte[] d = buf;
        if (!exemplar && end - p >= 4 && d[p] == 0x0A) {
            int nl = d[p + 1];
            int t = p + 2 + nl;
            if (nl >= 0 && t + 2 <= end && d[t] == 0x12) {
                int vl = d[t + 1];
                if (vl >= 0 && t + 2 + vl == end) {
                    b.addLabel(p + 2, nl, t + 2, vl);
                    pos = end;
                    return;
                }
            }
        }
        int no = 0;
        int nl = 0;
        int vo = 0;
        int vl = 0;
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            if (field == 1) {
                nl = lengthOf(wt, end);
                no = pos;
                pos += nl;
            } else if (field == 2) {
                vl = lengthOf(wt, end);
                vo = pos;
                pos += vl;
            } else {
                skip(wt, end);
            }
        }
        if (exemplar) {
            b.addExemplarLabel(no, nl, vo, vl);
        } else {
            b.addLabel(no, nl, vo, vl);
        }
    }

    /** {@code Sample {double value = 1; int64 timestamp = 2;}}. */
    private void sample(int end, RemoteWriteBatch b) {
        double value = 0;
        long timestamp = 0;
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            if (field == 1) {
                expectWireType(wt, WT_I64, "value");
                value = Double.longBitsToDouble(readFixed64(end));
            } else if (field == 2) {
                expectWireType(wt, WT_VARINT, "timestamp");
                timestamp = readVarint(end);
            } else {
                skip(wt, end);
            }
        }
        b.addSample(timestamp, value);
    }

    /** {@code Exemplar {repeated Label labels = 1; double value = 2; int64 timestamp = 3;}}. */
    private void exemplarV1(int end, RemoteWriteBatch b) {
        int e = b.beginExemplar();
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            if (field == 1) {
                int len = lengthOf(wt, end);
                label(pos + len, b, true);
            } else if (field == 2) {
                expectWireType(wt, WT_I64, "value");
                b.exValue[e] = Double.longBitsToDouble(readFixed64(end));
            } else if (field == 3) {
                expectWireType(wt, WT_VARINT, "timestamp");
                b.exTs[e] = readVarint(end);
            } else {
                skip(wt, end);
            }
        }
        b.endExemplar(e);
    }

    /**
     * A native histogram: every field is walked with its declared wire type so malformed data is still rejected,
     * but nothing is stored (see {@link RemoteWriteBatch#histogramCount}). Field numbers are the same in 1.0 and 2.0.
     */
    private void histogram(int end) {
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            switch (field) {
                case 1, 4, 6, 14, 15 -> { // count_int, schema, zero_count_int, reset_hint, timestamp
                    expectWireType(wt, WT_VARINT, "histogram field " + field);
                    readVarint(end);
                }
                case 2, 3, 5, 7 -> { // count_float, sum, zero_threshold, zero_count_float
                    expectWireType(wt, WT_I64, "histogram field " + field);
                    readFixed64(end);
                }
                case 8, 11 -> { // negative_spans, positive_spans: BucketSpan {sint32 offset = 1; uint32 length = 2;}
                    int len = lengthOf(wt, end);
                    int spanEnd = pos + len;
                    while (pos < spanEnd) {
                        int t = readTag(spanEnd);
                        skip(t & 7, spanEnd);
                    }
                }
                case 9, 12 -> { // negative_deltas, positive_deltas: repeated sint64, packed or not
                    if (wt == WT_LEN) {
                        int len = lengthOf(wt, end);
                        int packedEnd = pos + len;
                        while (pos < packedEnd) {
                            readVarint(packedEnd);
                        }
                    } else {
                        expectWireType(wt, WT_VARINT, "histogram field " + field);
                        readVarint(end);
                    }
                }
                case 10, 13 -> { // negative_counts, positive_counts: repeated double, packed or not
                    if (wt == WT_LEN) {
                        int len = lengthOf(wt, end);
                        if (len % 8 != 0) {
                            throw error("packed doubles of length " + len + " (not a multiple of 8)");
                        }
                        pos += len;
                    } else {
                        expectWireType(wt, WT_I64, "histogram field " + field);
                        readFixed64(end);
                    }
                }
                default -> skip(wt, end);
            }
        }
    }

    /** {@code MetricMetadata {MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5;}}. */
    private void metadataV1(int end, RemoteWriteBatch b) {
        int type = 0;
        String family = "";
        String help = "";
        String unit = "";
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            switch (field) {
                case 1 -> {
                    expectWireType(wt, WT_VARINT, "type");
                    type = (int) readVarint(end);
                }
                case 2 -> family = readString(wt, end);
                case 4 -> help = readString(wt, end);
                case 5 -> unit = readString(wt, end);
                default -> skip(wt, end);
            }
        }
        b.metadata.add(new RemoteWriteBatch.MetadataEntry(family,
                new io.atalaya.model.MetricMetadata(RemoteWriteBatch.typeOf(type), help, unit)));
    }

    // ------------------------------------------------------------------------------------------- remote write 2.0

    private void addSymbol(int off, int len) {
        if (symbolCount == symOff.length) {
            symOff = Arrays.copyOf(symOff, symbolCount * 2);
            symLen = Arrays.copyOf(symLen, symbolCount * 2);
        }
        symOff[symbolCount] = off;
        symLen[symbolCount] = len;
        symbolCount++;
    }

    private void seriesV2(int end, RemoteWriteBatch b) {
        int s = b.beginSeries();
        refCount = 0;
        int samples = 0;
        int exemplars = 0;
        int hist = 0;
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            switch (field) {
                case 1 -> {
                    enter("labels_refs", refCount);
                    readRefs(wt, end);
                }
                case 2 -> {
                    enter("samples", samples++);
                    int len = lengthOf(wt, end);
                    sample(pos + len, b);
                }
                case 3 -> {
                    enter("histograms", hist++);
                    int len = lengthOf(wt, end);
                    histogram(pos + len);
                }
                case 4 -> {
                    enter("exemplars", exemplars++);
                    int len = lengthOf(wt, end);
                    exemplarV2(pos + len, b);
                }
                case 5 -> {
                    enter("metadata", -1);
                    int len = lengthOf(wt, end);
                    metadataV2(pos + len, b, s);
                }
                case 6 -> {
                    enter("created_timestamp", -1);
                    expectWireType(wt, WT_VARINT, "created_timestamp");
                    b.created[s] = readVarint(end);
                }
                default -> skip(wt, end);
            }
            leave();
        }
        enter("labels_refs", -1);
        if ((refCount & 1) != 0) {
            throw error("odd number of label references (" + refCount + "): they must be name/value pairs");
        }
        for (int i = 0; i < refCount; i += 2) {
            int n = symbol(refs[i]);
            int v = symbol(refs[i + 1]);
            b.addLabel(symOff[n], symLen[n], symOff[v], symLen[v]);
        }
        leave();
        b.histograms[s] = hist;
        b.endSeries(s);
    }

    private int symbol(int ref) {
        if (ref < 0 || ref >= symbolCount) {
            throw error("symbol reference " + (ref & 0xffffffffL) + " out of range (" + symbolCount + " symbols)");
        }
        return ref;
    }

    /** Repeated uint32, packed (wire type 2) or one varint per field (wire type 0). */
    private void readRefs(int wt, int end) {
        if (wt == WT_LEN) {
            int len = lengthOf(wt, end);
            int packedEnd = pos + len;
            while (pos < packedEnd) {
                addRef((int) readVarint(packedEnd));
            }
        } else {
            expectWireType(wt, WT_VARINT, "labels_refs");
            addRef((int) readVarint(end));
        }
    }

    private void addRef(int r) {
        if (refCount == refs.length) {
            refs = Arrays.copyOf(refs, refCount * 2);
        }
        refs[refCount++] = r;
    }

    /** {@code Exemplar {repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3;}}. */
    private void exemplarV2(int end, RemoteWriteBatch b) {
        int e = b.beginExemplar();
        int seriesRefs = refCount; // exemplar refs go after the series' refs in the same scratch, then are removed
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            if (field == 1) {
                readRefs(wt, end);
            } else if (field == 2) {
                expectWireType(wt, WT_I64, "value");
                b.exValue[e] = Double.longBitsToDouble(readFixed64(end));
            } else if (field == 3) {
                expectWireType(wt, WT_VARINT, "timestamp");
                b.exTs[e] = readVarint(end);
            } else {
                skip(wt, end);
            }
        }
        int n = refCount - seriesRefs;
        if ((n & 1) != 0) {
            throw error("odd number of exemplar label references (" + n + ")");
        }
        for (int i = seriesRefs; i < refCount; i += 2) {
            int nm = symbol(refs[i]);
            int v = symbol(refs[i + 1]);
            b.addExemplarLabel(symOff[nm], symLen[nm], symOff[v], symLen[v]);
        }
        refCount = seriesRefs;
        b.endExemplar(e);
    }

    /** {@code Metadata {MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4;}}. */
    private void metadataV2(int end, RemoteWriteBatch b, int s) {
        while (pos < end) {
            int tag = readTag(end);
            int field = tag >>> 3;
            int wt = tag & 7;
            switch (field) {
                case 1 -> {
                    expectWireType(wt, WT_VARINT, "type");
                    long t = readVarint(end);
                    b.metricType[s] = (byte) (t >= 0 && t <= 7 ? t : 0);
                }
                case 3 -> {
                    expectWireType(wt, WT_VARINT, "help_ref");
                    int r = symbol((int) readVarint(end));
                    b.helpOff[s] = symOff[r];
                    b.helpLen[s] = symLen[r];
                }
                case 4 -> {
                    expectWireType(wt, WT_VARINT, "unit_ref");
                    int r = symbol((int) readVarint(end));
                    b.unitOff[s] = symOff[r];
                    b.unitLen[s] = symLen[r];
                }
                default -> skip(wt, end);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ wire level

    private void enter(String name, int index) {
        item = name;
        itemIndex = index;
    }

    private void leave() {
        item = "";
        itemIndex = -1;
    }

    @Override
    protected RemoteWriteDecodeException error(String reason) {
        StringBuilder path = new StringBuilder(section);
        if (seriesIndex >= 0) {
            path.append('[').append(seriesIndex).append(']');
        }
        if (!item.isEmpty()) {
            path.append('.').append(item);
            if (itemIndex >= 0) {
                path.append('[').append(itemIndex).append(']');
            }
        }
        return new RemoteWriteDecodeException(path.toString(), pos - base, reason);
    }
}
