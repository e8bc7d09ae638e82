package io.atalaya.tsdb.head;

import io.atalaya.storage.SampleRejectedException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the head's append path: samples appended, out-of-order samples accepted, exact duplicates ignored,
 * and rejections per {@link SampleRejectedException.Reason}. Thread-safe; updated once per commit where possible.
 */
public final class RejectionCounters {
    private final EnumMap<SampleRejectedException.Reason, LongAdder> rejected =
            new EnumMap<>(SampleRejectedException.Reason.class);
    final LongAdder appended = new LongAdder();
    final LongAdder outOfOrderAppended = new LongAdder();
    final LongAdder duplicatesIgnored = new LongAdder();
    final LongAdder droppedAtCommit = new LongAdder();
    final LongAdder commitFailures = new LongAdder();

    RejectionCounters() {
        for (SampleRejectedException.Reason r : SampleRejectedException.Reason.values()) {
            rejected.put(r, new LongAdder());
        }
    }

    /** Counts one refusal; public for the checks in front of the head (the blocks' duplicate rule after a restart). */
    public void reject(SampleRejectedException.Reason r) {
        rejected.get(r).increment();
    }

    public long rejected(SampleRejectedException.Reason r) {
        return rejected.get(r).sum();
    }

    /** Rejections per reason label ("out_of_order", "too_old", ...). */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        rejected.forEach((r, c) -> m.put(r.label(), c.sum()));
        return m;
    }

    /** Samples applied to the head (in order and out of order). */
    public long appended() {
        return appended.sum();
    }

    public long outOfOrderAppended() {
        return outOfOrderAppended.sum();
    }

    /** Samples equal to one already stored (same timestamp, same value bits), accepted without effect. */
    public long duplicatesIgnored() {
        return duplicatesIgnored.sum();
    }

    /**
     * Samples accepted by {@code append} but found invalid at commit because a concurrent transaction on the same
     * series committed first.
     */
    public long droppedAtCommit() {
        return droppedAtCommit.sum();
    }

    /** Commits that failed because the WAL could not be written. */
    public long commitFailures() {
        return commitFailures.sum();
    }
}
