package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import io.atalaya.model.MetricMetadata;
import io.atalaya.storage.Appender;
import io.atalaya.storage.SampleRejectedException;
import io.atalaya.storage.StorageException;
import io.atalaya.tsdb.wal.RecordBuffer;
import io.atalaya.tsdb.wal.WalRecords;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A head transaction. {@link #append} validates at once (so callers get a precise rejection) and buffers;
 * {@link #commit} writes the WAL records (new series, samples, metadata), waits until they are durable, and only
 * then applies the batch to memory (in that order, as Prometheus: never change it). Nothing of the batch is visible
 * before commit; during the apply step a concurrent query may see part of the batch.
 *
 * <p>Not thread-safe. Single use.
 */
final class HeadAppender implements Appender {
    /**
     * Records are split at about this size so that no single WAL record grows with the batch, nor the record buffer
     * each pooled append context keeps for good (1 MiB each made ~130 bytes per series of a 16k-series head).
     */
    static final int MAX_RECORD_BYTES = 128 << 10;
    /** Samples whose series {@link #apply} loads ahead of the one it applies (see {@link #touch}). */
    private static final int TOUCH_AHEAD = 8;
    private final Head head;
    private final CommitLog log;
    // The batch: series, timestamp and value of each sample. The arrays belong to the pooled append context, so a
    // transaction of thousands of samples does not allocate them afresh (they were ~40 bytes per sample).
    private MemSeries[] bs;
    private long[] bt;
    private double[] bv;
    private int n;
    private Map<String, MetricMetadata> metadata;
    private AppendContext ctx;
    private boolean done;
    /** Receives what {@link #touch} read, so that the compiler keeps the loads. */
    private int sink;

    HeadAppender(Head head, CommitLog log) {
        this.head = head;
        this.log = log;
    }

    @Override
    public int prefetch(long ref) {
        MemSeries s = head.series.get(ref);
        return s == null ? 0 : s.hash + (int) s.maxTime + s.pendingSamples;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
        if (done) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        Objects.requireNonNull(labels, "labels");
        if (ctx == null) {
            takeContext();
        }
        MemSeries s = head.resolve(ref, labels);
        while (true) {
            int c;
            synchronized (s) {
                if (!s.removed) {
                    c = s.classify(t, v, this, head.options.outOfOrderWindowMs(), head.minValidTime(), ctx);
                    if (c == MemSeries.OUT_OF_ORDER_OK) {
                        c = checkBatchDuplicate(s, t, v);
                    }
                    if (c == MemSeries.IN_ORDER || c == MemSeries.OUT_OF_ORDER_OK) {
                        s.addPending(t, v, this);
                    }
                } else {
                    c = Integer.MIN_VALUE;
                }
            }
            if (c == Integer.MIN_VALUE) {
                s = head.resolve(0, labels); // garbage-collected meanwhile: take the new one
                continue;
            }
            if (c < 0) {
                throw reject(c, s, t);
            }
            if (c == MemSeries.IDEMPOTENT) {
                head.counters.duplicatesIgnored.increment();
                return s.ref;
            }
            break;
        }
        if (n == bs.length) {
            int cap = Math.max(32, n * 2);
            bs = Arrays.copyOf(bs, cap);
            bt = Arrays.copyOf(bt, cap);
            bv = Arrays.copyOf(bv, cap);
        }
        bs[n] = s;
        bt[n] = t;
        bv[n++] = v;
        return s.ref;
    }

    /** An out-of-order sample may repeat one appended earlier in this transaction. */
    private int checkBatchDuplicate(MemSeries s, long t, double v) {
        for (int i = n - 1; i >= 0; i--) {
            if (bs[i] == s && bt[i] == t) {
                return Double.doubleToRawLongBits(bv[i]) == Double.doubleToRawLongBits(v)
                        ? MemSeries.IDEMPOTENT : MemSeries.REJECT_DUPLICATE;
            }
        }
        return MemSeries.OUT_OF_ORDER_OK;
    }

    private SampleRejectedException reject(int code, MemSeries s, long t) {
        SampleRejectedException.Reason reason;
        String what;
        switch (code) {
            case MemSeries.REJECT_DUPLICATE -> {
                reason = SampleRejectedException.Reason.DUPLICATE_TIMESTAMP;
                what = "duplicate sample for timestamp";
            }
            case MemSeries.REJECT_TOO_OLD -> {
                reason = SampleRejectedException.Reason.TOO_OLD;
                what = "too old sample: older than the out-of-order window of "
                        + head.options.outOfOrderWindowMs() + " ms before the series' newest sample";
            }
            case MemSeries.REJECT_OUT_OF_ORDER -> {
                reason = SampleRejectedException.Reason.OUT_OF_ORDER;
                what = "out of order sample (out-of-order ingestion is disabled)";
            }
            default -> {
                reason = SampleRejectedException.Reason.OUT_OF_BOUNDS;
                what = "out of bounds: older than " + head.minValidTime() + ", data before it is already persisted";
            }
        }
        head.counters.reject(reason);
        return new SampleRejectedException(reason, what + " (series " + s.labels + ", timestamp " + t + ")");
    }

    @Override
    public void updateMetadata(String metricName, MetricMetadata md) {
        if (done) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        if (metadata == null) {
            metadata = new LinkedHashMap<>();
        }
        metadata.put(Objects.requireNonNull(metricName), Objects.requireNonNull(md));
    }

    @Override
    public void commit() {
        if (done) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
        done = true;
        if (n == 0 && metadata == null) {
            release();
            return;
        }
        if (ctx == null) {
            takeContext();
        }
        head.commitLock.readLock().lock();
        try {
            MemSeries[] logged = writeLog(); // null-terminated, in the context's scratch array
            try {
                apply();
                for (int i = 0; logged[i] != null; i++) {
                    logged[i].walLogged = true;
                }
            } finally {
                for (int i = 0; logged[i] != null; i++) {
                    logged[i] = null;
                }
            }
        } finally {
            head.commitLock.readLock().unlock();
            release();
        }
    }

    /** Writes and syncs the WAL records; returns the series whose records it wrote (null-terminated). */
    private MemSeries[] writeLog() {
        MemSeries[] logged = ctx.logged(n + 1);
        if (log == CommitLog.NONE) {
            return logged;
        }
        RecordBuffer rb = ctx.records;
        int nl = 0;
        int limit = Math.min(MAX_RECORD_BYTES, log.maxRecordBytes() - 64);
        try {
            long pos = -1;
            rb.clear();
            WalRecords.beginSeries(rb);
            int inRecord = 0;
            for (int i = 0; i < n; i++) {
                MemSeries s = bs[i];
                if (!s.walLogged && s.logMark != this) {
                    s.logMark = this;
                    WalRecords.addSeries(rb, s.ref, s.labels);
                    logged[nl++] = s;
                    inRecord++;
                    if (rb.length() >= limit) {
                        pos = log.append(rb.array(), 0, rb.length());
                        rb.clear();
                        WalRecords.beginSeries(rb);
                        inRecord = 0;
                    }
                }
            }
            if (inRecord > 0) {
                pos = log.append(rb.array(), 0, rb.length());
            }
            int i = 0;
            while (i < n) {
                rb.clear();
                long base = bt[i];
                WalRecords.beginSamples(rb, base);
                long prev = 0;
                // Each sample takes at most 8 + 2 * 10 bytes, so checking after each keeps the record under the limit.
                while (i < n && rb.length() < limit - 28) {
                    WalRecords.addSample(rb, prev, base, bs[i].ref, bt[i], bv[i]);
                    prev = bs[i].ref;
                    i++;
                }
                pos = log.append(rb.array(), 0, rb.length());
            }
            if (metadata != null) {
                rb.clear();
                WalRecords.beginMetadata(rb);
                metadata.forEach((k, md) -> WalRecords.addMetadata(rb, k, md));
                pos = log.append(rb.array(), 0, rb.length());
            }
            if (pos >= 0) {
                log.awaitDurable(pos);
            }
            return logged;
        } catch (RuntimeException e) {
            head.counters.commitFailures.increment();
            dropPending();
            for (int i = 0; i < nl; i++) {
                logged[i].logMark = null;
                logged[i] = null;
            }
            throw new StorageException("cannot commit " + n + " samples: writing the WAL failed ("
                    + e.getMessage() + "); nothing of the batch was applied, retry later", e, true);
        }
    }

    /**
     * Loads the series of samples {@code from} to {@code to} and their open chunks. Each series of a large batch is
     * cold by the time it is applied; in this short loop the loads of different series do not depend on each other,
     * so the processor overlaps their misses, while in the apply loop each waits behind the previous sample's work.
     */
    private int touch(int from, int to) {
        int x = 0;
        for (int j = from; j < to; j++) {
            x += bs[j].touch();
        }
        return x;
    }

    private void apply() {
        RejectionCounters c = head.counters;
        long window = head.options.outOfOrderWindowMs();
        long chunkRange = head.options.chunkRangeMs();
        long minValid = head.minValidTime();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int applied = 0;
        int ooo = 0;
        int dropped = 0;
        int ignored = 0;
        int touched = touch(0, Math.min(n, TOUCH_AHEAD));
        for (int i = 0; i < n; i++) {
            if ((i & (TOUCH_AHEAD - 1)) == 0) {
                touched += touch(i + TOUCH_AHEAD, Math.min(n, i + 2 * TOUCH_AHEAD));
            }
            MemSeries s = bs[i];
            long t = bt[i];
            int r;
            synchronized (s) {
                head.index(s);
                r = s.commit(t, bv[i], window, minValid, ctx, chunkRange);
                s.endPending(this);
            }
            if (r == MemSeries.IN_ORDER || r == MemSeries.OUT_OF_ORDER_OK) {
                applied++;
                if (r == MemSeries.OUT_OF_ORDER_OK) {
                    ooo++;
                }
                min = Math.min(min, t);
                max = Math.max(max, t);
            } else if (r == MemSeries.IDEMPOTENT) {
                ignored++;
            } else {
                dropped++;
            }
        }
        sink = touched;
        if (metadata != null) {
            head.metadata.putAll(metadata);
        }
        c.appended.add(applied);
        c.outOfOrderAppended.add(ooo);
        c.droppedAtCommit.add(dropped);
        c.duplicatesIgnored.add(ignored);
        if (applied > 0) {
            head.observeTimes(min, max);
        }
    }

    @Override
    public void rollback() {
        if (done) {
            return;
        }
        done = true;
        dropPending();
        release();
    }

    private void dropPending() {
        for (int i = 0; i < n; i++) {
            MemSeries s = bs[i];
            synchronized (s) {
                s.endPending(this);
            }
        }
    }

    private void takeContext() {
        ctx = head.takeContext();
        bs = ctx.batchSeries;
        bt = ctx.batchT;
        bv = ctx.batchV;
    }

    private void release() {
        if (ctx != null) {
            Arrays.fill(bs, 0, n, null);
            ctx.keepBatch(bs, bt, bv);
            head.returnContext(ctx);
            ctx = null;
        }
    }
}
