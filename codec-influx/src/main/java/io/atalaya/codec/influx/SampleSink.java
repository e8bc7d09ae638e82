package io.atalaya.codec.influx;

import io.atalaya.model.Labels;

/**
 * Receives the samples produced by {@link InfluxSeriesMapper}; the ingest layer adapts it to a storage appender.
 * Called on the mapping thread, in input order (points in body order, fields in line order).
 */
@FunctionalInterface
public interface SampleSink {
    /**
     * @param labels      the series, with {@code __name__}; immutable, may be kept
     * @param timestampMs milliseconds since the epoch
     * @param value       the sample value
     */
    void accept(Labels labels, long timestampMs, double value);

    /**
     * Like {@link #accept(Labels, long, double)} for a series the mapper remembers: {@code handle} is what this
     * method last returned for the same {@code labels} instance, or 0 the first time. A sink that writes to a store
     * returns the store's reference for the series (0 when it has none), so that later samples of a known series skip
     * the checks and the lookup by labels. The mapper keeps handles per {@link InfluxSeriesMapper}, shared by all its
     * threads: one mapper must feed sinks of one store. By default the handle is ignored.
     *
     * @return the handle to give back with this series' next sample
     */
    default long accept(Labels labels, long handle, long timestampMs, double value) {
        accept(labels, timestampMs, value);
        return 0;
    }
}
