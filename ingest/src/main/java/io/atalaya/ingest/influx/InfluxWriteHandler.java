package io.atalaya.ingest.influx;

import io.atalaya.codec.influx.InfluxBatch;
import io.atalaya.codec.influx.SampleSink;
import io.atalaya.codec.influx.InfluxMappingOptions;
import io.atalaya.codec.influx.InfluxSeriesMapper;
import io.atalaya.codec.influx.LineError;
import io.atalaya.codec.influx.LineProtocolParser;
import io.atalaya.codec.influx.Precision;
import io.atalaya.ingest.BodyReader;
import io.atalaya.ingest.IngestException;
import io.atalaya.ingest.IngestLimits;
import io.atalaya.ingest.IngestMetrics;
import io.atalaya.ingest.IngestRequest;
import io.atalaya.ingest.IngestResponse;
import io.atalaya.ingest.SeriesGuard;
import io.atalaya.ingest.StorageWriter;
import io.atalaya.ingest.WriteOutcome;
import io.atalaya.common.ObjectPool;
import io.atalaya.model.Labels;
import io.atalaya.storage.Appendable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * InfluxDB line protocol: {@code POST /write} (1.x: {@code db}, {@code rp}, {@code precision}) and
 * {@code POST /api/v2/write} (2.x: {@code org}, {@code bucket}, {@code precision}), gzip bodies allowed.
 *
 * <p>Series: metric name {@code <measurement>_<field>} (configurable), tags become labels, the database (1.x) or
 * bucket (2.x) becomes the label {@code db} or {@code bucket}. Integer, unsigned, float and boolean fields become
 * float samples; string fields are refused per line. As InfluxDB does, valid lines are stored and the invalid ones
 * reported: 204 when all were stored, otherwise 400 with InfluxDB's error JSON ("partial write: ...") naming the
 * line numbers.
 */
public final class InfluxWriteHandler {
    static final String PROTOCOL = "influx";

    private final Appendable storage;
    private final IngestLimits limits;
    private final SeriesGuard guard;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final InfluxSeriesMapper v1Mapper;
    private final InfluxSeriesMapper v2Mapper;
    private final ObjectPool<RequestState> pool = new ObjectPool<>(RequestState::new);

    /**
     * What one request needs and the next may reuse: parser, batch and body buffer keep their arrays, so steady
     * traffic allocates little per request.
     */
    private final class RequestState implements SampleSink {
        /** Past these sizes a request's buffers are dropped rather than kept idle in the pool. */
        private static final int MAX_KEPT_BODY_BYTES = 8 << 20;
        private static final int MAX_KEPT_POINTS = 100_000;

        final LineProtocolParser parser = new LineProtocolParser();
        InfluxBatch batch = new InfluxBatch();
        final List<LineError> refused = new ArrayList<>();
        byte[] body;
        StorageWriter writer;

        @Override
        public void accept(Labels labels, long timestampMs, double value) {
            writer.addChecked(labels, timestampMs, value);
        }

        /**
         * The handle is the store's series reference: the mapper keeps it with the series' labels, so a known series
         * skips the label checks, the cardinality guard and the store's lookup by labels (see
         * {@link StorageWriter#addKnown}).
         */
        @Override
        public long accept(Labels labels, long handle, long timestampMs, double value) {
            if (handle != 0) {
                long ref = writer.addKnown(handle, labels, timestampMs, value);
                return ref != 0 ? ref : handle; // 0: this sample was refused (e.g. out of order), the series stays
            }
            return writer.addChecked(labels, timestampMs, value);
        }

        void clear() {
            if (batch.size() > MAX_KEPT_POINTS) {
                batch = new InfluxBatch();
            } else {
                batch.reset();
            }
            if (body != null && body.length > MAX_KEPT_BODY_BYTES) {
                body = null;
            }
            refused.clear();
            writer = null;
        }
    }

    public InfluxWriteHandler(Appendable storage, IngestLimits limits, SeriesGuard guard, IngestMetrics metrics,
                              Clock clock, InfluxMappingOptions mapping) {
        this.storage = storage;
        this.limits = limits;
        this.guard = guard;
        this.metrics = metrics;
        this.clock = clock;
        this.v1Mapper = new InfluxSeriesMapper(mapping.withExtraLabel("db"));
        this.v2Mapper = new InfluxSeriesMapper(mapping.withExtraLabel("bucket"));
    }

    /** {@code /write}. */
    public IngestResponse writeV1(IngestRequest req) {
        String db = req.param("db");
        if (db == null || db.isEmpty()) {
            return IngestResponse.json(400, "{\"error\":\"database is required\"}");
        }
        return write(req, db, v1Mapper, false);
    }

    /** {@code /api/v2/write}. */
    public IngestResponse writeV2(IngestRequest req) {
        String bucket = req.param("bucket");
        if (bucket == null || bucket.isEmpty()) {
            return IngestResponse.json(400, "{\"code\":\"invalid\",\"message\":\"bucket is required\"}");
        }
        return write(req, bucket, v2Mapper, true);
    }

    private IngestResponse write(IngestRequest req, String dbLabel, InfluxSeriesMapper mapper, boolean v2) {
        Precision precision;
        try {
            String p = req.param("precision");
            precision = Precision.parse(p == null ? "ns" : p);
        } catch (IllegalArgumentException e) {
            return error(v2, 400, e.getMessage());
        }
        RequestState st = pool.acquire();
        try {
            return write(req, dbLabel, mapper, v2, precision, st);
        } finally {
            st.clear();
            pool.release(st);
        }
    }

    private IngestResponse write(IngestRequest req, String dbLabel, InfluxSeriesMapper mapper, boolean v2,
                                 Precision precision, RequestState st) {
        BodyReader.Body body = BodyReader.read(req, limits.maxBodyBytes(), st.body);
        st.body = body.bytes();
        metrics.bytes(PROTOCOL, body.length());
        InfluxBatch batch = st.batch;
        st.parser.parse(body.bytes(), 0, body.length(), precision, clock.millis() * 1_000_000L, batch);
        if (batch.size() > limits.maxSamplesPerRequest()) {
            throw new IngestException(413, "request has " + batch.size() + " points, more than the limit of "
                    + limits.maxSamplesPerRequest());
        }
        StorageWriter w = new StorageWriter(storage, guard);
        st.writer = w;
        List<LineError> refused = st.refused;
        refused.addAll(batch.errors());
        int lineErrors = batch.errorCount();
        mapper.map(batch, dbLabel, st, refused);
        WriteOutcome out = w.commit();
        metrics.stored(PROTOCOL, out.stored());
        metrics.rejected(PROTOCOL, "invalid_line", lineErrors);
        metrics.rejected(PROTOCOL, "string_field", refused.size() - batch.errors().size());
        out.rejectedByReason().forEach((reason, n) -> metrics.rejected(PROTOCOL, reason, n));
        long dropped = lineErrors + (refused.size() - batch.errors().size()) + out.rejected();
        if (dropped == 0) {
            return IngestResponse.noContent();
        }
        StringBuilder msg = new StringBuilder("partial write:");
        int shown = 0;
        for (LineError e : refused) {
            if (shown++ == 10) {
                msg.append(" ...");
                break;
            }
            msg.append(' ').append(e).append(';');
        }
        for (String e : out.firstErrors()) {
            if (shown++ >= 10) {
                break;
            }
            msg.append(' ').append(e).append(';');
        }
        msg.append(" dropped=").append(dropped);
        return error(v2, 400, msg.toString());
    }

    private static IngestResponse error(boolean v2, int status, String message) {
        String m = jsonString(message);
        return IngestResponse.json(status, v2 ? "{\"code\":\"invalid\",\"message\":" + m + "}" : "{\"error\":" + m + "}");
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
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
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
