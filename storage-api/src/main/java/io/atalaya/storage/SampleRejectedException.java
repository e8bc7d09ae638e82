package io.atalaya.storage;

/**
 * One sample was refused; the rest of the transaction is unaffected. Carries a {@link Reason} for per-reason
 * counters. Stackless: rejections can be frequent under bad input and the stack says nothing useful.
 */
public final class SampleRejectedException extends StorageException {
    /** Why a sample was refused. The names are used as metric label values. */
    public enum Reason {
        OUT_OF_ORDER("out_of_order"),
        TOO_OLD("too_old"),
        DUPLICATE_TIMESTAMP("duplicate_sample_for_timestamp"),
        INVALID_LABELS("invalid_labels"),
        SERIES_LIMIT("series_limit"),
        OUT_OF_BOUNDS("out_of_bounds");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public SampleRejectedException(Reason reason, String message) {
        super(message, null, false);
        this.reason = reason;
    }

    /**
     * No stack trace: a refusal is an expected, per-sample outcome (thousands per second under a bad sender), and its
     * message already says what was refused and why.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public Reason reason() {
        return reason;
    }
}
