package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import io.atalaya.tsdb.chunk.ChunkEncoder;
import io.atalaya.tsdb.chunk.ChunkEncoding;
import io.atalaya.tsdb.chunk.ChunkIterator;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One series of the head: an open chunk on the heap, sealed chunks off-heap (a list in {@link ChunkSlabs}, newest
 * first, of which the series holds the head), and a sorted buffer of out-of-order samples.
 *
 * <p>Fields up to {@link #hash} never change. Everything else is guarded by the series' monitor
 * ({@code synchronized (series)}); every method here requires the caller to hold it, except where stated.
 */
final class MemSeries {
    static final int IN_ORDER = 0;
    static final int OUT_OF_ORDER_OK = 1;
    static final int IDEMPOTENT = 2;
    static final int REJECT_DUPLICATE = -1;
    static final int REJECT_TOO_OLD = -2;
    static final int REJECT_OUT_OF_ORDER = -3;
    static final int REJECT_OUT_OF_BOUNDS = -4;

    /**
     * Samples after which the open chunk is cut. Twice Prometheus' 120 (blocks hold longer chunks still): with encodings chosen per chunk, the fixed
     * cost of a chunk (first timestamp and value, parameters, slab entry header; ~30 bytes) is a good part of the
     * ~100 bytes that 120 node_exporter samples take, so longer chunks make the head markedly smaller.
     */
    static final int CHUNK_MAX_SAMPLES = 240;
    /** Encoded bytes after which the open chunk is cut: bounds the heap an incompressible series holds. */
    static final int CHUNK_MAX_BYTES = 512;

    /** Below 2^31 (the head refuses more); an int keeps the object a word smaller. */
    final int ref;
    final Labels labels;
    final int hash;
    private final ChunkSlabs slabs;

    private ChunkEncoder open;
    private long openBoundary;
    /** Newest sealed chunk (a slab ref; older ones are linked from it), or {@link ChunkSlabs#NONE}. */
    private long newestSealed = ChunkSlabs.NONE;
    private int sealedCount;
    /** Newest in-order sample. */
    long maxTime = Long.MIN_VALUE;
    long lastBits;
    /** Out-of-order samples, sorted by time; null when none (most series never have any). */
    private OutOfOrder ooo;

    /** Samples appended by open transactions and not yet committed or rolled back; blocks garbage collection. */
    int pendingSamples;
    /** The first open transaction that touched this series; only it tracks its own pending samples here. */
    Object pendingOwner;
    long pendingMaxT;
    long pendingLastBits;
    /** Whether a series record for this series is durable in the WAL. */
    volatile boolean walLogged;
    /** The commit writing this series' record right now (dedupes within a batch; read without the lock). */
    Object logMark;
    /** Whether the series is in the postings index (added at its first commit). */
    boolean indexed;
    /** Set when garbage collection removed the series from the head; holders must look it up again. */
    boolean removed;

    MemSeries(long ref, Labels labels, ChunkSlabs slabs) {
        this.ref = Math.toIntExact(ref);
        this.labels = labels;
        this.hash = labels.hashCode();
        this.slabs = slabs;
    }

    /** Whether the series holds no sample at all. */
    boolean isEmpty() {
        return maxTime == Long.MIN_VALUE && ooo == null;
    }

    /**
     * See {@link ChunkEncoder#touch}: loads what appending the next sample reads first. Called without the series'
     * monitor: it only reads, and whatever it reads is thrown away.
     */
    int touch() {
        ChunkEncoder e = open;
        return e == null ? (int) maxTime : e.touch() + (int) maxTime;
    }

    /**
     * Classifies a sample against the committed state and, when {@code owner} owns the pending state, against the
     * owner's earlier samples of this transaction. Does not change anything.
     */
    int classify(long t, double v, Object owner, long oooWindow, long minValidTime, AppendContext ctx) {
        if (t < minValidTime) {
            return REJECT_OUT_OF_BOUNDS;
        }
        long bits = Double.doubleToRawLongBits(v);
        long max = maxTime;
        long last = lastBits;
        if (pendingOwner == owner && owner != null && pendingMaxT > max) {
            max = pendingMaxT;
            last = pendingLastBits;
        }
        if (t > max) {
            return IN_ORDER;
        }
        if (t == max) {
            return bits == last ? IDEMPOTENT : REJECT_DUPLICATE;
        }
        if (oooWindow == 0) {
            return REJECT_OUT_OF_ORDER;
        }
        if (t < max - oooWindow) {
            return REJECT_TOO_OLD;
        }
        if (lookup(t, ctx)) {
            return ctx.foundBits == bits ? IDEMPOTENT : REJECT_DUPLICATE;
        }
        return OUT_OF_ORDER_OK;
    }

    /** Records that {@code owner} appended (t, v) in its open transaction. */
    void addPending(long t, double v, Object owner) {
        pendingSamples++;
        if (pendingOwner == null) {
            pendingOwner = owner;
            pendingMaxT = Long.MIN_VALUE;
        }
        if (pendingOwner == owner && t > pendingMaxT) {
            pendingMaxT = t;
            pendingLastBits = Double.doubleToRawLongBits(v);
        }
    }

    /** Forgets one pending sample of {@code owner} (commit applied it or rollback dropped it). */
    void endPending(Object owner) {
        pendingSamples--;
        if (pendingOwner == owner) {
            pendingOwner = null;
        }
    }

    /**
     * Applies a sample. Re-checks what {@link #classify} checked, since another transaction may have committed in
     * between; returns the classification (negative: not applied).
     */
    int commit(long t, double v, long oooWindow, long minValidTime, AppendContext ctx, long chunkRange) {
        int c = classify(t, v, null, oooWindow, minValidTime, ctx);
        if (c == IN_ORDER) {
            appendInOrder(t, v, ctx, chunkRange);
        } else if (c == OUT_OF_ORDER_OK) {
            insertOutOfOrder(t, v);
        }
        return c;
    }

    private void appendInOrder(long t, double v, AppendContext ctx, long chunkRange) {
        if (open == null) {
            open = new ChunkEncoder(CHUNK_MAX_SAMPLES, CHUNK_MAX_BYTES, 32);
        }
        if (open.isEmpty()) {
            open.reset(ChunkEncoding.preferredFor(v));
            startChunk(t, v, chunkRange);
        } else if (t >= openBoundary || t - open.minTime() > ChunkSlabs.MAX_SPAN_MS || !open.append(t, v)) {
            ChunkEncoder stored = seal(ctx);
            // The next samples most likely look like the last ones: start with the encoding just chosen for them,
            // so the open chunk on the heap is about as small as the sealed one. Its buffer starts at a quarter of
            // that and grows by half: sized for the whole chunk at once, a buffer would be half empty on average.
            open.resetLike(stored, stored.sizeBytes() / 4);
            startChunk(t, v, chunkRange);
        }
        maxTime = t;
        lastBits = Double.doubleToRawLongBits(v);
    }

    private void startChunk(long t, double v, long chunkRange) {
        open.append(t, v);
        openBoundary = (Math.floorDiv(t, chunkRange) + 1) * chunkRange;
    }

    /**
     * Moves the open chunk off-heap, re-encoded with the best encoding unless it already fits its samples well (it
     * was started with the optimizer's DECIMAL choice for the previous samples and they kept to it: re-optimizing
     * such chunks gains under 1 % of their size on node_exporter data and costs a decode and two encodings).
     * Returns the encoder whose chunk was stored (the open one, or {@code ctx.sealed}); the open encoder is left as
     * it was, for the caller to reset.
     */
    private ChunkEncoder seal(AppendContext ctx) {
        // Every fourth chunk is re-optimized all the same, so that parameters cannot drift away from the data.
        if (open.fitsItsSamples() && (sealedCount & 3) != 3) {
            newestSealed = slabs.store(open, open.maxTime(), newestSealed);
            sealedCount++;
            return open;
        }
        int n = open.numSamples();
        ctx.ensure(n);
        ChunkIterator it = ctx.it.reset(open.array(), 0, open.sizeBytes());
        int i = 0;
        while (it.next()) {
            ctx.ts[i] = it.timestamp();
            ctx.vs[i++] = it.value();
        }
        ctx.optimizer.encode(ctx.ts, ctx.vs, n, ctx.sealed);
        newestSealed = slabs.store(ctx.sealed, open.maxTime(), newestSealed);
        sealedCount++;
        return ctx.sealed;
    }

    private void insertOutOfOrder(long t, double v) {
        OutOfOrder o = ooo;
        if (o == null) {
            o = ooo = new OutOfOrder();
        } else if (o.count == o.t.length) {
            o.t = Arrays.copyOf(o.t, o.count * 2);
            o.v = Arrays.copyOf(o.v, o.count * 2);
        }
        int pos = Arrays.binarySearch(o.t, 0, o.count, t);
        pos = pos < 0 ? -pos - 1 : pos;
        System.arraycopy(o.t, pos, o.t, pos + 1, o.count - pos);
        System.arraycopy(o.v, pos, o.v, pos + 1, o.count - pos);
        o.t[pos] = t;
        o.v[pos] = v;
        o.count++;
    }

    /** Whether a committed sample with timestamp {@code t} exists; its bits go to {@code ctx.foundBits}. */
    boolean lookup(long t, AppendContext ctx) {
        if (ooo != null) {
            int pos = Arrays.binarySearch(ooo.t, 0, ooo.count, t);
            if (pos >= 0) {
                ctx.foundBits = Double.doubleToRawLongBits(ooo.v[pos]);
                return true;
            }
        }
        for (long ref = newestSealed; ref != ChunkSlabs.NONE; ref = slabs.prev(ref)) {
            if (t > slabs.maxTime(ref)) {
                break; // older chunks end earlier still
            }
            if (t >= slabs.minTime(ref)) {
                return find(ctx.it.reset(slabs.chunk(ref)), t, ctx);
            }
        }
        if (open != null && !open.isEmpty() && t >= open.minTime() && t <= open.maxTime()) {
            return find(ctx.it.reset(open.array(), 0, open.sizeBytes()), t, ctx);
        }
        return false;
    }


    private static boolean find(ChunkIterator it, long t, AppendContext ctx) {
        if (it.seek(t) && it.timestamp() == t) {
            ctx.foundBits = Double.doubleToRawLongBits(it.value());
            return true;
        }
        return false;
    }

    /**
     * A copy of what a reader needs for {@code [mint, maxt]}: sealed chunk slices, a copy of the open chunk, and
     * the out-of-order samples in range. Null when nothing overlaps.
     */
    SeriesSnapshot snapshot(long mint, long maxt) {
        // Overlapping sealed chunks, collected newest first (the list order) into the tail of a scratch array.
        long[] overlapping = sealedCount == 0 ? null : new long[sealedCount];
        int n = 0;
        for (long ref = newestSealed; ref != ChunkSlabs.NONE; ref = slabs.prev(ref)) {
            if (slabs.maxTime(ref) < mint) {
                break; // older chunks end earlier still
            }
            if (slabs.minTime(ref) <= maxt) {
                overlapping[sealedCount - 1 - n++] = ref;
            }
        }
        boolean openOverlaps = open != null && !open.isEmpty() && open.maxTime() >= mint && open.minTime() <= maxt;
        OutOfOrder o = ooo;
        int from = o == null ? 0 : lowerBound(o.t, o.count, mint);
        int to = o == null ? 0 : lowerBound(o.t, o.count, maxt == Long.MAX_VALUE ? maxt : maxt + 1);
        if (maxt == Long.MAX_VALUE && o != null) {
            to = o.count;
        }
        if (n == 0 && !openOverlaps && from >= to) {
            return null;
        }
        MemorySegment[] chunks = new MemorySegment[n + (openOverlaps ? 1 : 0)];
        long[] chunkMaxT = new long[chunks.length];
        int k = 0;
        for (int i = sealedCount - n; i < sealedCount; i++) {
            long ref = overlapping[i];
            chunks[k] = slabs.chunk(ref);
            chunkMaxT[k++] = slabs.maxTime(ref);
        }
        if (openOverlaps) {
            chunks[k] = MemorySegment.ofArray(open.toByteArray());
            chunkMaxT[k] = open.maxTime();
        }
        long[] ot = from < to ? Arrays.copyOfRange(o.t, from, to) : null;
        double[] ov = from < to ? Arrays.copyOfRange(o.v, from, to) : null;
        return new SeriesSnapshot(chunks, chunkMaxT, ot, ov);
    }

    private static int lowerBound(long[] a, int n, long key) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Drops everything older than {@code mint}: sealed chunks ending before it, the open chunk when it ends before
     * it, out-of-order samples before it.
     */
    void truncate(long mint) {
        // Chunks end later the newer they are: keep the newest ones ending at or after mint, cut the list there
        // (the dropped chunks' slabs may be freed, so no link may point into them).
        int keep = 0;
        long oldestKept = ChunkSlabs.NONE;
        for (long ref = newestSealed; ref != ChunkSlabs.NONE && slabs.maxTime(ref) >= mint; ref = slabs.prev(ref)) {
            oldestKept = ref;
            keep++;
        }
        if (keep == 0) {
            newestSealed = ChunkSlabs.NONE;
        } else if (keep < sealedCount) {
            slabs.cutPrev(oldestKept);
        }
        sealedCount = keep;
        if (open != null && !open.isEmpty() && open.maxTime() < mint) {
            open = null; // an idle series gives its buffer back
            if (sealedCount == 0) {
                maxTime = Long.MIN_VALUE;
            }
        }
        OutOfOrder o = ooo;
        if (o != null) {
            int drop = lowerBound(o.t, o.count, mint);
            if (drop == o.count) {
                ooo = null;
            } else if (drop > 0) {
                System.arraycopy(o.t, drop, o.t, 0, o.count - drop);
                System.arraycopy(o.v, drop, o.v, 0, o.count - drop);
                o.count -= drop;
            }
        }
    }

    /** Whether garbage collection may remove the series: no data, nothing pending. */
    boolean collectable() {
        return sealedCount == 0 && (open == null || open.isEmpty()) && ooo == null && pendingSamples == 0;
    }

    int chunkCount() {
        return sealedCount + (open != null && !open.isEmpty() ? 1 : 0);
    }

    /** Approximate heap bytes held by this series (object, buffers; labels are shared and not counted). */
    long heapBytes() {
        long b = 104 + (ooo == null ? 0 : 56 + 16L * ooo.t.length);
        if (open != null) {
            b += 112 + open.capacityBytes();
        }
        return b;
    }

    /** Visits every sample in time order (in-order and out-of-order merged); for checkpoints. */
    void forEachSample(long mint, Head.SampleVisitor visitor) {
        SeriesSnapshot s = snapshot(mint, Long.MAX_VALUE);
        if (s == null) {
            return;
        }
        HeadSeriesIterator it = new HeadSeriesIterator();
        it.reset(s, mint, Long.MAX_VALUE);
        while (it.next()) {
            visitor.sample(ref, it.timestamp(), it.value());
        }
    }

    /** A series' out-of-order samples: two parallel arrays sorted by time, {@code count} of them in use. */
    private static final class OutOfOrder {
        long[] t = new long[8];
        double[] v = new double[8];
        int count;
    }
}
