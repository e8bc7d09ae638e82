package io.atalaya.ingest;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.model.NameValidation;
import io.atalaya.storage.Appendable;
import io.atalaya.storage.Appender;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.storage.StorageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the samples of one request through one storage transaction: label limits and the cardinality guard first,
 * then the append (the store refuses out-of-order, too old and duplicate samples one by one), then one commit.
 * Valid samples are stored even when others are refused. Not thread-safe: one per request.
 */
public final class StorageWriter {
    private static final int MAX_ERROR_DETAILS = 10;

    private final Appender appender;
    private final SeriesGuard guard;
    private final Map<String, Long> rejected = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private long stored;
    private boolean committed;

    public StorageWriter(Appendable storage, SeriesGuard guard) {
        this.appender = storage.appender();
        this.guard = guard;
    }

    /** Appends one sample, or records why it was refused. */
    public void add(Labels labels, long timestampMs, double value) {
        addChecked(labels, timestampMs, value);
    }

    /**
     * Appends one sample after the label checks and the cardinality guard.
     *
     * @return the store's series reference, or 0 when the sample was refused
     */
    public long addChecked(Labels labels, long timestampMs, double value) {
        String invalid = NameValidation.check(labels, NameValidation.Scheme.UTF8);
        if (invalid != null) {
            reject("invalid_labels", invalid);
            return 0;
        }
        SeriesGuard.Refusal refusal = guard.check(labels);
        if (refusal != null) {
            reject(refusal.reason(), refusal.message());
            return 0;
        }
        return append(0, labels, timestampMs, value);
    }

    /**
     * Appends a sample of a series that already passed {@link #addChecked} (its labels are valid and it exists, so
     * the checks would pass again), with the reference the store gave it. A stale reference is harmless: the store
     * falls back to the labels.
     *
     * @return the series reference, or 0 when the store refused the sample
     */
    public long addKnown(long ref, Labels labels, long timestampMs, double value) {
        return append(ref, labels, timestampMs, value);
    }

    /** See {@link Appender#prefetch}. */
    public int prefetch(long ref) {
        return appender.prefetch(ref);
    }

    private long append(long ref, Labels labels, long timestampMs, double value) {
        try {
            long r = appender.append(ref, labels, timestampMs, value);
            stored++;
            return r;
        } catch (SampleRejectedException e) {
            // Counted always, described only while details are kept: a request of late samples must not pay for
            // formatting thousands of label sets.
            rejected.merge(e.reason().label(), 1L, Long::sum);
            if (errors.size() < MAX_ERROR_DETAILS) {
                errors.add(e.getMessage() + " for series " + labels + " at " + timestampMs);
            }
            return 0;
        }
    }

    public void metadata(String metricName, MetricMetadata metadata) {
        appender.updateMetadata(metricName, metadata);
    }

    /** Records a refusal that happened before storage (e.g. a line that did not parse). */
    public void reject(String reason, String message) {
        rejected.merge(reason, 1L, Long::sum);
        if (errors.size() < MAX_ERROR_DETAILS) {
            errors.add(message);
        }
    }

    /**
     * Makes the stored samples durable.
     *
     * @throws IngestException 500/507-style retryable error when the store cannot persist them
     */
    public WriteOutcome commit() {
        committed = true;
        try {
            appender.commit();
        } catch (StorageException e) {
            throw new IngestException(e.retryable() ? 503 : 500, "cannot store samples: " + e.getMessage(), e);
        }
        return new WriteOutcome(stored, rejected, errors);
    }

    /** Discards everything appended so far (used when a request is refused as a whole). */
    public void rollback() {
        if (!committed) {
            committed = true;
            appender.rollback();
        }
    }
}
