package io.atalaya.bench.load;

import io.atalaya.bench.workload.NodeExporterWorkload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a workload scrape by scrape and host by host, handing each host-scrape to an encoder, and cuts the stream
 * into payloads of about {@code samplesPerRequest} samples (a host-scrape is never split, so a payload may be
 * smaller; a payload holds at least one host-scrape). Series of one host stay in time order across the payloads.
 */
final class PayloadSource {
    /** Encodes host-scrapes into one payload at a time. Not thread-safe. */
    interface Encoder {
        /** Starts a new payload. */
        void begin();

        /**
         * Appends the samples of workload host {@code h} at the current scrape: series
         * [h·seriesPerHost, (h+1)·seriesPerHost) with values from {@code values}, all at {@code timestampMs}.
         */
        void host(NodeExporterWorkload load, int h, long timestampMs, double[] values);

        /** Finishes the payload and returns its body (a new array). */
        byte[] finish();
    }

    /**
     * Takes each finished payload: its body (a new array, handed over), its sample count and the latest timestamp in
     * it (how far in data time a connection that has sent it has come).
     */
    interface Sink {
        void accept(byte[] body, int samples, long lastTimestampMs) throws IOException;
    }

    private PayloadSource() {
    }

    /** Encodes {@code scrapes} scrapes of every host of {@code load} (which must be fresh) into payloads. */
    static List<Payload> encode(NodeExporterWorkload load, int scrapes, int samplesPerRequest, Encoder encoder) {
        List<Payload> out = new ArrayList<>();
        try {
            encode(load, scrapes, samplesPerRequest, encoder, (body, samples, last) -> out.add(new Payload(body, samples)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a list does not throw
        }
        return out;
    }

    /** As {@link #encode(NodeExporterWorkload, int, int, Encoder)}, handing each payload to {@code out} as it ends. */
    static void encode(NodeExporterWorkload load, int scrapes, int samplesPerRequest, Encoder encoder, Sink out)
            throws IOException {
        double[] values = new double[load.seriesCount()];
        int perHost = load.seriesPerHost();
        int inPayload = 0;
        long last = Long.MIN_VALUE;
        encoder.begin();
        for (int s = 0; s < scrapes; s++) {
            load.nextScrape(values);
            for (int h = 0; h < load.hosts(); h++) {
                if (inPayload > 0 && inPayload + perHost > samplesPerRequest) {
                    out.accept(encoder.finish(), inPayload, last);
                    encoder.begin();
                    inPayload = 0;
                    last = Long.MIN_VALUE;
                }
                long t = load.hostTimestamp(h);
                encoder.host(load, h, t, values);
                inPayload += perHost;
                last = Math.max(last, t);
            }
        }
        if (inPayload > 0) {
            out.accept(encoder.finish(), inPayload, last);
        }
    }
}
