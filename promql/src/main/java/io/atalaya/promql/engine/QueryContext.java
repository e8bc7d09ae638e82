package io.atalaya.promql.engine;

import io.atalaya.storage.Querier;
import io.atalaya.storage.Queryable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-execution state shared by all evaluators of one query: the cancellation flag and deadline, sample accounting
 * against max samples, annotations, and the queriers to close. Only {@link #cancel()} and {@link #interruption()} may be called from
 * another thread.
 */
final class QueryContext {
    private static final String ENV = "query execution";

    final EngineOptions options;
    final Queryable queryable;
    private final long deadlineNanos;
    private volatile boolean cancelled;
    private final List<Querier> queriers = new ArrayList<>();
    private final Map<String, Annotation> annotations = new LinkedHashMap<>();
    private long currentSamples;
    long peakSamples;
    long samplesLoaded;
    long seriesFetched;
    private int checks;

    QueryContext(EngineOptions options, Queryable queryable) {
        this.options = options;
        this.queryable = queryable;
        this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
    }

    void cancel() {
        cancelled = true;
    }

    /** Throws when the query was cancelled or ran out of time. Cheap: the clock is read on the first and then every 256th call. */
    void checkInterrupted() {
        if (cancelled) {
            throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in " + ENV);
        }
        if ((checks++ & 0xff) == 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new QueryException(QueryException.Kind.TIMEOUT, "query timed out in " + ENV);
        }
    }

    /**
     * What {@link #checkInterrupted} would throw, without throwing or touching state: safe to call from the threads
     * that compute series in parallel (it reads the clock on every call).
     */
    QueryException interruption() {
        if (cancelled) {
            return new QueryException(QueryException.Kind.CANCELED, "query was canceled in " + ENV);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            return new QueryException(QueryException.Kind.TIMEOUT, "query timed out in " + ENV);
        }
        return null;
    }

    /** Accounts {@code n} more samples held in memory; fails beyond max samples. */
    void addSamples(long n) {
        currentSamples += n;
        if (currentSamples > peakSamples) {
            peakSamples = currentSamples;
        }
        if (currentSamples > options.maxSamples()) {
            throw new QueryException(QueryException.Kind.TOO_MANY_SAMPLES,
                    "query processing would load too many samples into memory in " + ENV);
        }
    }

    void releaseSamples(long n) {
        currentSamples -= n;
    }

    Querier querier(long mint, long maxt) {
        Querier q = queryable.querier(mint, maxt);
        queriers.add(q);
        return q;
    }

    void annotate(Annotation a) {
        annotations.putIfAbsent(a.text(), a);
    }

    List<Annotation> annotations() {
        return new ArrayList<>(annotations.values());
    }

    void closeQueriers() {
        RuntimeException first = null;
        for (Querier q : queriers) {
            try {
                q.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        queriers.clear();
        if (first != null) {
            throw first;
        }
    }
}
