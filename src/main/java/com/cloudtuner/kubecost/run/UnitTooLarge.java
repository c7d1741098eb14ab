package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;

/**
 * A work unit that did not fit in the heap. Thrown instead of the {@link OutOfMemoryError} (whose
 * memory is free again once the unit's data is dropped), so the unit is skipped like any failed
 * unit and its tenants are recorded as failed, with the settings that make units smaller.
 */
final class UnitTooLarge extends RuntimeException {

    private UnitTooLarge(String message, Throwable cause) {
        super(message, cause);
    }

    static UnitTooLarge of(int tenants, Window window, int seriesRead, OutOfMemoryError e) {
        long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return new UnitTooLarge("out of memory (" + heapMb + " MB heap) computing " + tenants
                + " tenants x " + window.hours() + " hours (" + seriesRead + " series read so far): lower"
                + " worker.batch.max-series or worker.chunk-hours (or worker.parallelism), or give the JVM more heap", e);
    }
}
