package com.cloudtuner.kubecost.clickhouse;

/** What a write's fresh rows are, and so what it may replace and tombstone ({@link WritePlan}). */
public enum WriteKind {
    /** Rows of complete hours; a cluster-hour without fresh rows keeps its stored rows. */
    FINAL,
    /** Rows of complete hours; every stored row of the window the fresh rows lack is tombstoned ({@code --erase-missing}). */
    ERASING,
    /** Rows of hours not yet complete, as of the write: they never replace a final row. */
    PROVISIONAL;

    boolean provisional() {
        return this == PROVISIONAL;
    }
}
