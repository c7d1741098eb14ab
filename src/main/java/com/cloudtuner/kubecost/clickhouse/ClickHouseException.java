package com.cloudtuner.kubecost.clickhouse;

/** A statement ClickHouse refused or could not be reached for; {@link #code()} is the server's error code, 0 if none. */
public class ClickHouseException extends RuntimeException {

    public static final int TABLE_ALREADY_EXISTS = 57;

    private final int code;
    private final boolean retryable;

    public ClickHouseException(int code, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public int code() {
        return code;
    }

    /** Whether ClickHouse refused the user or the password (its error codes for that differ between versions). */
    public boolean credentialsRefused() {
        return ClickHouseHints.credentialsRefused(code);
    }

    /** Whether clickhouse.url leads to ClickHouse's native protocol port instead of its HTTP interface. */
    public boolean nativePort() {
        return ClickHouseHints.nativePort(getCause());
    }

    /** Whether the same statement may succeed when tried again: ClickHouse was not reached or its answer was lost, not a refusal. */
    public boolean retryable() {
        return retryable;
    }
}
