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
     * The failure cause first: for a request that got no answer, the network's failure (say
     * {@code ConnectException: Failed to connect to ...}) and then the request in brackets; for an
     * answer that failed ({@code REQUEST: HTTP 503: ...}), what it said ({@code HTTP 503: ...
     * (REQUEST)}). A batch's long selectors are cut to their number of values
     * ({@link PromQl#withShortMatchers}).
     */
    public String causeFirst() {
        String message = getMessage() == null ? "" : getMessage();
        Throwable cause = getCause();
        if (cause == null || cause instanceof ThanosQueryException || !unanswered()) {
            // the request is described before the first ": " (selectors hold none), what went wrong after it
            int split = message.indexOf(": ");
            return PromQl.withShortMatchers(split < 0 ? message : message.substring(split + 2) + " (" + message.substring(0, split) + ")");
        }
        String request = message.replace(": " + cause, "").replace(cause.toString(), "").strip();
        String first = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return PromQl.withShortMatchers(request.isEmpty() ? first : first + " (" + request + ")");
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
