package com.cloudtuner.kubecost.clickhouse;

/** A statement ClickHouse refused or could not be reached for; {@link #code()} is the server's error code, 0 if none. */
public class ClickHouseException extends RuntimeException {

    public static final int TABLE_ALREADY_EXISTS = 57;

    private final int code;

    public ClickHouseException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
