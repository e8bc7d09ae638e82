package io.atalaya.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body into memory, undoing {@code Content-Encoding: gzip} or {@code deflate}, and refuses bodies
 * larger than the limit before they are fully read (a decompression bomb stops at the limit, not at the heap).
 */
public final class BodyReader {
    private BodyReader() {
    }

    /** The body bytes; {@code [0, length)} of the returned array is valid. */
    public record Body(byte[] bytes, int length) {
    }

    public static Body read(IngestRequest req, long maxBytes) {
        return read(req, maxBytes, null);
    }

    /**
     * Like {@link #read(IngestRequest, long)}, reading into {@code reuse} when given (a buffer kept from an earlier
     * request, so that steady traffic does not allocate a body buffer per request). The returned body's array is
     * {@code reuse} or, when the body did not fit, a larger one the caller may keep for next time.
     */
    public static Body read(IngestRequest req, long maxBytes, byte[] reuse) {
        String encoding = req.header("Content-Encoding");
        try (InputStream raw = req.body(); InputStream in = decoder(encoding, raw)) {
            byte[] buf = reuse != null && reuse.length > 0 ? reuse : new byte[(int) Math.min(maxBytes + 1, 64 * 1024)];
            int len = 0;
            while (true) {
                if (len == buf.length || len > maxBytes) {
                    if (len > maxBytes) {
                        throw new IngestException(413, "request body exceeds the limit of " + maxBytes + " bytes"
                                + (encoding == null ? "" : " (after " + encoding + " decompression)"));
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1, (long) buf.length * 2));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                len += n;
            }
            if (len > maxBytes) {
                throw new IngestException(413, "request body exceeds the limit of " + maxBytes + " bytes");
            }
            return new Body(buf, len);
        } catch (ZipException e) {
            throw IngestException.badRequest("cannot decompress " + encoding + " body: " + e.getMessage());
        } catch (java.io.EOFException e) {
            throw IngestException.badRequest("truncated " + (encoding == null ? "" : encoding + " ") + "body");
        } catch (IOException e) {
            throw new IngestException(400, "cannot read request body: " + e.getMessage(), e);
        }
    }

    private static InputStream decoder(String encoding, InputStream raw) throws IOException {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        return switch (encoding.trim().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new GZIPInputStream(raw, 64 * 1024);
            case "deflate" -> new InflaterInputStream(raw);
            default -> throw new IngestException(415, "unsupported Content-Encoding \"" + encoding
                    + "\": use gzip, deflate or none");
        };
    }
}
