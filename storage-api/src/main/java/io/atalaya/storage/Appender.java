package io.atalaya.storage;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;

/**
 * A write transaction: append many samples, then {@link #commit()} or {@link #rollback()}. An appender MUST NOT be
 * used after commit or rollback, and MUST NOT be shared between threads. Samples of one series MUST be appended in
 * the order they should be applied.
 *
 * <p>After {@code commit()} returns, the batch is durable under the store's WAL policy and visible to queries.
 * Until then, nothing of the batch is visible.
 */
public interface Appender {
    /**
     * Appends one float sample.
     *
     * @param ref         a series reference returned by an earlier append of this store, or 0 when unknown. A ref is
     *                    a cache hint: it stays valid while the store runs, and an unknown ref falls back to
     *                    {@code labels}.
     * @param labels      the series; MUST be given even with a ref (it is used when the ref is stale)
     * @param timestampMs milliseconds since the epoch
     * @param value       any double, including NaN, ±Inf and {@link io.atalaya.model.StaleMarker#VALUE}
     * @return the series reference to pass next time (never 0)
     * @throws SampleRejectedException when this sample cannot be stored (the transaction stays usable)
     */
    long append(long ref, Labels labels, long timestampMs, double value);

    /**
     * A hint that a sample of series {@code ref} follows soon: the store may load what appending it reads, so that a
     * caller looking a few samples ahead lets the processor overlap the cache misses of several series. Returns a
     * value depending on the loads, which the caller must keep (summed into a field) so that they are not removed.
     */
    default int prefetch(long ref) {
        return 0;
    }

    /** Records TYPE/HELP/UNIT of a metric family; applied on commit. */
    void updateMetadata(String metricName, MetricMetadata metadata);

    /**
     * Makes the batch durable and visible.
     *
     * @throws StorageException when the batch could not be made durable (e.g. disk full); nothing of it is visible
     */
    void commit();

    /** Discards the batch. */
    void rollback();
}
