package io.atalaya.tsdb;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.storage.Appender;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.tsdb.head.Head;

/**
 * A head transaction that first checks samples in the {@link PersistedOverlap} zone against the blocks: a sample
 * whose timestamp a block already holds with another value is rejected as a duplicate; one with the same value is
 * accepted (idempotent) and stored again, which the merge on read and compaction fold into one; the rest go to the
 * head, whose own rules (out of bounds, out of order, too old, duplicates of head samples) then apply. Used only
 * while the zone is open (after a clean close, until the head's lower bound passes the zone). Not thread-safe.
 */
final class OverlapCheckingAppender implements Appender {
    private final Appender head;
    private final Head headState;
    private final PersistedOverlap overlap;

    OverlapCheckingAppender(Appender head, Head headState, PersistedOverlap overlap) {
        this.head = head;
        this.headState = headState;
        this.overlap = overlap;
    }

    @Override
    public int prefetch(long ref) {
        return head.prefetch(ref);
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
        // Below the head's bound the head rejects it as out of bounds, which takes precedence.
        if (overlap.covers(t) && t >= headState.minValidTime()
                && overlap.check(labels, t, v) == PersistedOverlap.DIFFERENT) {
            headState.counters().reject(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP);
            throw new SampleRejectedException(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP,
                    "duplicate sample for timestamp: a persisted block holds another value (series " + labels
                            + ", timestamp " + t + ")");
        }
        return head.append(ref, labels, t, v);
    }

    @Override
    public void updateMetadata(String metricName, MetricMetadata metadata) {
        head.updateMetadata(metricName, metadata);
    }

    @Override
    public void commit() {
        head.commit();
    }

    @Override
    public void rollback() {
        head.rollback();
    }
}
