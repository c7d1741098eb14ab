package com.cloudtuner.kubecost.clickhouse;

/** The schema cannot be brought to the state this program expects; nothing else may run. */
public class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
