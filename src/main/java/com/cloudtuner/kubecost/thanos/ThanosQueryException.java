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

    /**
     * Whether no answer came at all (the connection failed or broke): a fault of the way to the
     * server, not of one query's data, so asking for fewer tenants would not help.
     */
    public boolean unanswered() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof tools.jackson.core.exc.JacksonIOException) {
                return true;
            }
        }
        return false;
    }
}
