package io.atalaya.promql.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small pool, shared by every query of the process, that runs the per-series part of an evaluation (decoding plus
 * the range function) on all cores. Its size is fixed at the number of processors, so concurrent queries share the
 * cores instead of each creating threads. The calling thread always works too: when the pool is busy with other
 * queries, a query still progresses at the speed of its own thread and never waits for a free worker.
 */
final class SeriesWorkers {
    /** The fewest items handed out at once. */
    static final int SLICE = 16;
    /**
     * Slices per thread: enough that a thread slowed by other work leaves its share to the others, few enough that
     * slices stay long. Consecutive series mostly share the compressed frames of a block, and each thread
     * decompresses the frames it reads, so a frame is read twice only where two threads' slices meet.
     */
    private static final int SLICES_PER_THREAD = 4;

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "promql-series-worker");
        t.setDaemon(true);
        return t;
    });

    /** Off only in tests, which compare the parallel path against the one-thread path it must equal. */
    static volatile boolean enabled = true;

    private SeriesWorkers() {
    }

    /** Runs one slice of work: items {@code [from, to)}. */
    interface SliceTask {
        void run(int from, int to);
    }

    /** Whether {@code items} are worth splitting over threads (a handful of series is faster on one). */
    static boolean worthSplitting(int items) {
        return enabled && POOL != null && items > SLICE;
    }

    /**
     * Runs {@code task} over {@code [0, items)} in slices of consecutive items, on the caller and up to
     * {@code THREADS - 1} pool threads, and returns when every slice has run. A task that throws makes the remaining
     * slices be skipped; the exception is rethrown here (a slice's own exceptions are the task's business: it
     * records them per item when the order of errors matters).
     */
    static void run(int items, SliceTask task) {
        if (items <= 0) {
            return;
        }
        if (!worthSplitting(items)) {
            task.run(0, items);
            return;
        }
        int slice = Math.max(SLICE, (items + THREADS * SLICES_PER_THREAD - 1) / (THREADS * SLICES_PER_THREAD));
        int slices = (items + slice - 1) / slice;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        RuntimeException[] failure = new RuntimeException[1];
        Runnable worker = () -> {
            int s;
            while ((s = next.getAndIncrement()) < slices) {
                try {
                    if (!stop.get()) {
                        task.run(s * slice, Math.min(items, (s + 1) * slice));
                    }
                } catch (RuntimeException | Error e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e instanceof RuntimeException re ? re : new RuntimeException(e);
                        }
                    }
                    stop.set(true); // the remaining slices are claimed but skipped
                } finally {
                    if (done.incrementAndGet() >= slices) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        };
        int helpers = Math.min(THREADS - 1, slices - 1);
        for (int i = 0; i < helpers; i++) {
            try {
                POOL.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the caller does the rest
            }
        }
        worker.run();
        // Every slice is claimed by someone (skipped ones too), so done reaches slices.
        while (done.get() < slices) {
            LockSupport.park(SeriesWorkers.class);
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }
}
