package io.atalaya.tsdb;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.tsdb.head.Head;
import io.atalaya.tsdb.wal.WalRecords;
import java.util.HashMap;
import java.util.Map;

/**
 * WAL replay that skips samples a block already holds. Needed in the overlap zone (see {@link PersistedOverlap}):
 * there the WAL may hold samples written before a block that contains them (a crash between the block becoming
 * durable and the WAL being emptied) as well as samples written after it (late samples accepted after a restart).
 * The first are dropped (the block has them), the second replayed. Not thread-safe; one replay.
 */
final class OverlapReplay implements WalRecords.Visitor {
    private final Head.ReplayContext rc;
    private final Head head;
    private final PersistedOverlap overlap;
    private final Map<Long, Labels> labelsByRef = new HashMap<>();
    private long persisted;

    OverlapReplay(Head.ReplayContext rc, Head head, PersistedOverlap overlap) {
        this.rc = rc;
        this.head = head;
        this.overlap = overlap;
    }

    /** Samples skipped because a block holds them. */
    long persisted() {
        return persisted;
    }

    private boolean zoneOpen() {
        return head.minValidTime() <= overlap.zoneEnd();
    }

    @Override
    public void series(long ref, Labels labels) {
        rc.series(ref, labels);
        if (zoneOpen()) {
            labelsByRef.put(ref, labels);
        }
    }

    @Override
    public void sample(long ref, long t, double v) {
        if (overlap.covers(t) && t >= head.minValidTime()) {
            Labels l = labelsByRef.get(ref);
            if (l != null && overlap.check(l, t, v) != PersistedOverlap.ABSENT) {
                persisted++; // the block has it (a different value cannot have been acknowledged: the block wins)
                return;
            }
        }
        rc.sample(ref, t, v);
    }

    @Override
    public void metadata(String metricName, MetricMetadata metadata) {
        rc.metadata(metricName, metadata);
    }

    @Override
    public void minValidTime(long t) {
        rc.minValidTime(t);
        if (!zoneOpen()) {
            labelsByRef.clear();
        }
    }
}
