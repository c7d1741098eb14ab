package com.cloudtuner.kubecost.thanos;

/** A query that did not give complete, trustworthy data; nothing from it may be written. */
public class ThanosQueryException extends RuntimeException {

    private final boolean retryable;

    public ThanosQueryException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ThanosQueryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether the same request may succeed when sent again (server overload, network). */
    public boolean retryable() {
        return retryable;
    }
}
