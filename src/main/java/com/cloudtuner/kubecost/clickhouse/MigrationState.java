package com.cloudtuner.kubecost.clickhouse;

/**
 * Where one migration stands in a database, as {@link Migrator#status} reports it without applying
 * anything.
 *
 * @param script           the file name, {@code V<n>__<name>.sql}
 * @param recordedChecksum the checksum recorded when it was applied; null when it is pending
 * @param fileChecksum     the checksum of this build's file; null when this build does not have it
 */
public record MigrationState(int version, String script, Status status, String recordedChecksum, String fileChecksum) {

    public enum Status {
        /** Applied, and the file is what was applied. */
        APPLIED,
        /** Not applied yet: the next run (or {@code migrate}) applies it. */
        PENDING,
        /** Applied, but the file changed since: every run refuses to start. */
        CHANGED,
        /** Applied by a build that has a migration this one does not. */
        UNKNOWN_TO_THIS_BUILD
    }
}
