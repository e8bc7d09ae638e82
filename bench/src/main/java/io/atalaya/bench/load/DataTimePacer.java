package io.atalaya.bench.load;

/**
 * Keeps the connections of a load run together in data time, as the hosts of a fleet scraped together are: a
 * connection may send a body only while its latest timestamp is at most {@code maxLeadMs} ahead of the slowest
 * connection's next body. Without it, connections drift apart (one carrying more hosts, or served more slowly, falls
 * behind), and once the others have moved the server's head more than its out-of-order window ahead, the lagging
 * connection's samples are refused as too old (Prometheus: HTTP 500 "too old sample"), which measures the driver's
 * pacing, not the server. The slowest connection never waits, so the pacer cannot deadlock.
 */
final class DataTimePacer {
    private final long[] position;
    private final long maxLeadMs;
    private long waitedNanos;

    /**
     * @param firstTimestamps the latest timestamp of each connection's first body ({@code Long.MAX_VALUE}: none)
     * @param maxLeadMs       how far in data time a connection may run ahead of the slowest
     */
    DataTimePacer(long[] firstTimestamps, long maxLeadMs) {
        this.position = firstTimestamps.clone();
        this.maxLeadMs = maxLeadMs;
    }

    /**
     * Waits until a body whose latest timestamp is {@code timestampMs} may go.
     *
     * @return false when {@code deadlineNanos} ({@link System#nanoTime()}) passed first
     */
    synchronized boolean await(long timestampMs, long deadlineNanos) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            while (timestampMs > slowest() + maxLeadMs) {
                long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    return false;
                }
                wait(Math.min(leftMs, 100));
            }
            return true;
        } finally {
            waitedNanos += System.nanoTime() - t0;
        }
    }

    /** Connection {@code c} has sent a body; its next one ends at {@code nextTimestampMs} (MAX_VALUE: it is done). */
    synchronized void moved(int c, long nextTimestampMs) {
        position[c] = nextTimestampMs;
        notifyAll();
    }

    /** Time the connections spent waiting for slower ones, summed over connections. */
    synchronized long waitedNanos() {
        return waitedNanos;
    }

    private long slowest() {
        long min = Long.MAX_VALUE;
        for (long p : position) {
            min = Math.min(min, p);
        }
        return min;
    }
}
