package io.atalaya.tsdb;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.SeriesSet;
import io.atalaya.tsdb.block.BlockStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The samples of the blocks in the "overlap zone" {@code [zoneStart, zoneEnd]}: the last out-of-order window before
 * the newest persisted sample. After a clean close the head starts empty, yet samples in that window are still
 * accepted (as they were before the stop, when the head held them); for them the duplicate rule (same timestamp and
 * same value: idempotent; different value: rejected) must look at the blocks, which this class does.
 *
 * <p>A series' zone samples are read from the blocks on first need and cached (the zone is at most one out-of-order
 * window, and only series that receive late samples are loaded). Blocks are immutable and compaction keeps every
 * sample, so a cached answer stays right for the life of the zone. Thread-safe.
 */
final class PersistedOverlap {
    static final int ABSENT = 0;
    static final int SAME = 1;
    static final int DIFFERENT = 2;

    private final BlockStore blocks;
    private final long zoneStart;
    private final long zoneEnd;
    private final ConcurrentHashMap<Labels, ZoneSamples> cache = new ConcurrentHashMap<>();

    PersistedOverlap(BlockStore blocks, long zoneStart, long zoneEnd) {
        this.blocks = blocks;
        this.zoneStart = zoneStart;
        this.zoneEnd = zoneEnd;
    }

    long zoneEnd() {
        return zoneEnd;
    }

    /** True when {@code t} is in the zone, so the blocks may hold a sample at {@code t}. */
    boolean covers(long t) {
        return t >= zoneStart && t <= zoneEnd;
    }

    /** Whether the blocks hold a sample of {@code labels} at {@code t}: {@link #ABSENT}, {@link #SAME} or {@link #DIFFERENT}. */
    int check(Labels labels, long t, double v) {
        ZoneSamples z = cache.computeIfAbsent(labels, this::load);
        int i = Arrays.binarySearch(z.ts, 0, z.n, t);
        if (i < 0) {
            return ABSENT;
        }
        return z.bits[i] == Double.doubleToRawLongBits(v) ? SAME : DIFFERENT;
    }

    /** Series whose zone samples are cached (for tests and statistics). */
    int cachedSeries() {
        return cache.size();
    }

    private ZoneSamples load(Labels labels) {
        List<Matcher> matchers = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            matchers.add(Matcher.equal(labels.name(i), labels.value(i)));
        }
        ZoneSamples z = new ZoneSamples();
        try (Querier q = blocks.querier(zoneStart, zoneEnd)) {
            SeriesSet set = q.select(false, SelectHints.range(zoneStart, zoneEnd), matchers);
            SampleIterator it = null;
            while (set.next()) {
                if (!set.at().labels().equals(labels)) {
                    continue; // a series with more labels than these
                }
                it = set.at().iterator(it);
                while (it.next()) {
                    long t = it.timestamp();
                    if (t >= zoneStart && t <= zoneEnd) {
                        z.add(t, Double.doubleToRawLongBits(it.value()));
                    }
                }
            }
        }
        return z;
    }

    /** Sorted timestamps and raw value bits of one series in the zone. */
    private static final class ZoneSamples {
        long[] ts = new long[0];
        long[] bits = new long[0];
        int n;

        void add(long t, long b) {
            if (n == ts.length) {
                int cap = Math.max(8, n * 2);
                ts = Arrays.copyOf(ts, cap);
                bits = Arrays.copyOf(bits, cap);
            }
            ts[n] = t;
            bits[n++] = b;
        }
    }
}
