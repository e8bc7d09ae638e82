package io.atalaya.ingest.promrw;

import io.atalaya.codec.promrw.RemoteWriteBatch;
import io.atalaya.common.ObjectPool;
import io.atalaya.codec.promrw.RemoteWriteDecodeException;
import io.atalaya.codec.promrw.RemoteWriteDecoder;
import io.atalaya.ingest.IngestException;
import io.atalaya.ingest.IngestLimits;
import io.atalaya.ingest.IngestMetrics;
import io.atalaya.ingest.IngestRequest;
import io.atalaya.ingest.IngestResponse;
import io.atalaya.ingest.SeriesGuard;
import io.atalaya.ingest.StorageWriter;
import io.atalaya.ingest.WriteOutcome;
import io.atalaya.model.Labels;
import io.atalaya.storage.Appendable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 ({@code prometheus.WriteRequest}) and 2.0
 * ({@code io.prometheus.write.v2.Request}), snappy-compressed protobuf, chosen by the Content-Type's {@code proto}
 * parameter as the 2.0 specification says.
 *
 * <p>Answers: 204 when everything was stored; 400 when the body is malformed (nothing stored) or when some samples
 * were refused (the valid ones are stored; the sender must not retry the rest); 413 over the size limits; 415 for an
 * unknown protobuf message; 5xx only when storage failed and a retry may succeed. For 2.0 the
 * {@code X-Prometheus-Remote-Write-*-Written} headers report what was stored.
 */
public final class RemoteWriteHandler {
    /** Series looked up ahead of the one written (see {@link SeriesCache#touch}). */
    private static final int TOUCH_AHEAD = 8;
    static final String PROTOCOL = "remote_write";
    private static final String V2_PROTO = "io.prometheus.write.v2.Request";

    private final Appendable storage;
    private final IngestLimits limits;
    private final SeriesGuard guard;
    private final IngestMetrics metrics;
    private final ObjectPool<DecodeContext> pool = new ObjectPool<>(DecodeContext::new);
    private final SeriesCache known = new SeriesCache();
    /** Receives what the look-ahead read, so that the compiler keeps the loads; racy on purpose. */
    private int sink;

    /** Decoder state reused across requests: the batch keeps its arrays, so steady traffic allocates little. */
    private static final class DecodeContext {
        final RemoteWriteDecoder decoder = new RemoteWriteDecoder();
        final RemoteWriteBatch batch = new RemoteWriteBatch();
        byte[] body = new byte[64 * 1024];
    }

    public RemoteWriteHandler(Appendable storage, IngestLimits limits, SeriesGuard guard, IngestMetrics metrics) {
        this.storage = storage;
        this.limits = limits;
        this.guard = guard;
        this.metrics = metrics;
    }

    public IngestResponse handle(IngestRequest req) {
        int version = version(req.header("Content-Type"));
        DecodeContext ctx = pool.acquire();
        try {
            int len = readCompressed(req, ctx);
            metrics.bytes(PROTOCOL, len);
            int maxDecompressed = (int) Math.min(Integer.MAX_VALUE - 16, limits.maxBodyBytes());
            try {
                if (version == 2) {
                    ctx.decoder.decodeSnappyV2(ctx.body, 0, len, maxDecompressed, ctx.batch);
                } else {
                    ctx.decoder.decodeSnappyV1(ctx.body, 0, len, maxDecompressed, ctx.batch);
                }
            } catch (RemoteWriteDecodeException e) {
                String msg = e.getMessage();
                throw new IngestException(msg != null && msg.contains("limit") ? 413 : 400,
                        "cannot decode remote write request: " + msg);
            }
            RemoteWriteBatch b = ctx.batch;
            if (b.totalSamples() > limits.maxSamplesPerRequest()) {
                throw new IngestException(413, "request has " + b.totalSamples() + " samples, more than the limit of "
                        + limits.maxSamplesPerRequest());
            }
            return write(b, version);
        } finally {
            pool.release(ctx);
        }
    }

    private IngestResponse write(RemoteWriteBatch b, int version) {
        StorageWriter w = new StorageWriter(storage, guard);
        long histograms = 0;
        int seriesCount = b.seriesCount();
        int touched = known.touch(b, 0, Math.min(seriesCount, TOUCH_AHEAD), w);
        for (int s = 0; s < seriesCount; s++) {
            if ((s & (TOUCH_AHEAD - 1)) == 0) {
                touched += known.touch(b, s + TOUCH_AHEAD, Math.min(seriesCount, s + 2 * TOUCH_AHEAD), w);
            }
            int n = b.sampleCount(s);
            if (b.histogramCount(s) > 0) {
                histograms += b.histogramCount(s);
                w.reject("native_histogram_unsupported", "native histogram samples are not stored yet ("
                        + describe(b, s) + ")");
            }
            if (n == 0) {
                continue;
            }
            SeriesCache.Entry k = known.get(b, s);
            Labels labels;
            long ref;
            int first;
            if (k != null) {
                labels = k.labels();
                ref = k.ref();
                first = 0;
            } else {
                try {
                    labels = b.labels(s);
                } catch (IllegalArgumentException e) {
                    w.reject("invalid_labels", "series " + (s + 1) + " of the request: " + e.getMessage());
                    continue;
                }
                ref = w.addChecked(labels, b.sampleTimestamp(s, 0), b.sampleValue(s, 0));
                if (ref != 0) {
                    known.put(b, s, labels, ref);
                }
                first = 1;
            }
            for (int i = first; i < n; i++) {
                long r = ref != 0 ? w.addKnown(ref, labels, b.sampleTimestamp(s, i), b.sampleValue(s, i))
                        : w.addChecked(labels, b.sampleTimestamp(s, i), b.sampleValue(s, i));
                if (r != 0) {
                    ref = r;
                }
            }
            if (k != null && ref != 0 && ref != k.ref()) {
                known.put(b, s, labels, ref); // the store re-created the series (after a truncation removed it)
            }
            if (version == 2 && b.seriesMetadata(s) != null) {
                w.metadata(labels.metricName(), b.seriesMetadata(s));
            }
        }
        for (RemoteWriteBatch.MetadataEntry m : b.metadata()) {
            w.metadata(m.familyName(), m.metadata());
        }
        sink = touched;
        WriteOutcome out = w.commit();
        metrics.stored(PROTOCOL, out.stored());
        out.rejectedByReason().forEach((reason, count) -> metrics.rejected(PROTOCOL, reason, count));
        Map<String, String> headers = version == 2 ? Map.of(
                "X-Prometheus-Remote-Write-Samples-Written", Long.toString(out.stored()),
                "X-Prometheus-Remote-Write-Histograms-Written", "0",
                "X-Prometheus-Remote-Write-Exemplars-Written", "0") : Map.of();
        if (out.rejected() > 0) {
            return new IngestResponse(400, headers, "text/plain; charset=utf-8", (out.stored() + " samples stored, "
                    + out.rejected() + " refused " + out.rejectedByReason() + ": " + String.join("; ", out.firstErrors())
                    + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return IngestResponse.noContent(headers);
    }

    /** The series' labels for a message, or its position when they are invalid (the refusal must not fail). */
    private static String describe(RemoteWriteBatch b, int s) {
        try {
            return "series " + b.labels(s);
        } catch (IllegalArgumentException e) {
            return "series " + (s + 1) + " of the request, whose labels are invalid too";
        }
    }

    /** Reads the snappy body as is: remote write's Content-Encoding is always snappy, undone by the decoder. */
    private int readCompressed(IngestRequest req, DecodeContext ctx) {
        String enc = req.header("Content-Encoding");
        if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("snappy")) {
            throw new IngestException(415, "unsupported Content-Encoding \"" + enc + "\" for remote write: use snappy");
        }
        long max = limits.maxBodyBytes();
        try (InputStream in = req.body()) {
            int len = 0;
            while (true) {
                if (len > max) {
                    throw new IngestException(413, "request body exceeds the limit of " + max + " bytes");
                }
                if (len == ctx.body.length) {
                    ctx.body = Arrays.copyOf(ctx.body, (int) Math.min(max + 1, (long) len * 2));
                }
                int n = in.read(ctx.body, len, ctx.body.length - len);
                if (n < 0) {
                    return len;
                }
                len += n;
            }
        } catch (IOException e) {
            throw IngestException.badRequest("cannot read request body: " + e.getMessage());
        }
    }

    /** 1 or 2 from the Content-Type; 415 for a protobuf message this server does not know. */
    static int version(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return 1;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        int p = ct.indexOf("proto=");
        if (p < 0) {
            return 1;
        }
        String proto = contentType.substring(p + 6).split(";")[0].trim();
        if (proto.equals(V2_PROTO)) {
            return 2;
        }
        if (proto.equals("prometheus.WriteRequest")) {
            return 1;
        }
        throw new IngestException(415, "unsupported remote write protobuf message \"" + proto
                + "\": use prometheus.WriteRequest or " + V2_PROTO);
    }
}
