package io.atalaya.storage;

/**
 * Iterates float samples in increasing timestamp order, without allocating per sample.
 *
 * <pre>{@code
 * while (it.next()) { use(it.timestamp(), it.value()); }
 * }</pre>
 */
public interface SampleIterator {
    /** Advances to the next sample; false at the end. */
    boolean next();

    /**
     * Advances to the first sample with timestamp ≥ {@code t}, or stays if the current sample already qualifies.
     * Returns false when there is none. Seeking never moves backwards.
     */
    boolean seek(long t);

    /** Timestamp of the current sample, in milliseconds. */
    long timestamp();

    /** Value of the current sample. */
    double value();

    /**
     * Advances up to {@code max} times, storing each sample reached in {@code ts[off + i]}, {@code vs[off + i]}, and
     * returns how many it stored: the same samples {@link #next()} would give. When it returns {@code max} the
     * iterator is positioned at the last one, as after that many calls to {@code next()}; fewer than {@code max} means
     * it is exhausted, as after {@code next()} returned false. Implementations that decode chunks override it with a
     * loop free of per-sample interface calls; callers reading many samples can use it to take them in batches,
     * straight into their own arrays.
     */
    default int nextBatch(long[] ts, double[] vs, int off, int max) {
        int n = 0;
        while (n < max && next()) {
            ts[off + n] = timestamp();
            vs[off + n] = value();
            n++;
        }
        return n;
    }

    /** {@link #nextBatch(long[], double[], int, int)} from index 0. */
    default int nextBatch(long[] ts, double[] vs, int max) {
        return nextBatch(ts, vs, 0, max);
    }

    SampleIterator EMPTY = new SampleIterator() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public boolean seek(long t) {
            return false;
        }

        @Override
        public long timestamp() {
            throw new IllegalStateException("no sample");
        }

        @Override
        public double value() {
            throw new IllegalStateException("no sample");
        }
    };
}
