package com.cloudtuner.kubecost.run;

/**
 * How large a work unit the heap holds: what the heap leaves beyond the program itself, shared by
 * the {@code worker.parallelism} units in memory at once, at {@code bytesPerSeriesHour} for each
 * namespace series and hour of a unit (its seven metrics' hourly answers, the rows computed from
 * them, the stored rows compared and the insert). Batches and chunks are cut to fit it, so the
 * default configuration cannot run out of heap on a unit whatever the heap is set to.
 */
record HeapBudget(long perUnitBytes, long bytesPerSeriesHour) {

    /** What Spring, the clients and the JVM's own structures take before any unit is read. */
    static final long PROGRAM_BYTES = 48L << 20;
    /** The least a unit gets, however small the heap: one tenant's hour must always be possible. */
    static final long MIN_UNIT_BYTES = 4L << 20;

    /** The budget of this JVM's heap for the configured parallelism. */
    static HeapBudget configured(com.cloudtuner.kubecost.config.WorkerProperties worker) {
        return of(Runtime.getRuntime().maxMemory(), worker.parallelism(), worker.batch().heapPerSeriesHour().toBytes());
    }

    static HeapBudget of(long maxHeapBytes, int parallelism, long bytesPerSeriesHour) {
        long perUnit = Math.max(MIN_UNIT_BYTES, (maxHeapBytes - PROGRAM_BYTES) / Math.max(1, parallelism));
        return new HeapBudget(perUnit, Math.max(1, bytesPerSeriesHour));
    }

    /** Namespace series a batch may hold when its units span {@code hours} hours (at least 1). */
    int maxSeries(int configured, int hours) {
        long fits = perUnitBytes / (bytesPerSeriesHour * Math.max(1, hours));
        return (int) Math.max(1, Math.min(configured, fits));
    }

    /** The heap a raw sample takes while it is read and computed: its time and value, and its share of the parse. */
    static final long BYTES_PER_RAW_SAMPLE = 40;

    /** Raw samples one read may return: {@code configured}, or fewer where the heap is smaller. */
    long maxRawSamples(long configured) {
        return Math.max(1, Math.min(configured, perUnitBytes / BYTES_PER_RAW_SAMPLE));
    }

    /** Hours a unit of a batch of {@code series} namespace series may span (at least 1). */
    int maxHours(int configured, int series) {
        long fits = perUnitBytes / (bytesPerSeriesHour * Math.max(1, series));
        return (int) Math.max(1, Math.min(configured, fits));
    }
}
