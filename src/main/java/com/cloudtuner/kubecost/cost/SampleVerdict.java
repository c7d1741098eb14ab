package com.cloudtuner.kubecost.cost;

/**
 * Whether a raw sample counts towards its hour's row (rules 1 and 2), and if not, why. The raw
 * computation decides every sample through {@link #of}, so an explanation built from these
 * verdicts is the computation's own decision, not a second opinion.
 */
public enum SampleVerdict {
    /** Inside the window, finite, and not vetoed by the exporter: part of the mean. */
    COUNTED,
    /** Its timestamp lies outside the window computed (rule 1: it belongs to another hour). */
    OUTSIDE_WINDOW,
    /** NaN or infinite. */
    NOT_FINITE,
    /** The latest exporter_scrape_success sample at or before it, within the health look-back, is 0 (rule 2). */
    EXPORTER_UNHEALTHY;

    static SampleVerdict of(long t, double v, long fromMs, long toMs, HealthTimeline health) {
        if (t < fromMs || t >= toMs) {
            return OUTSIDE_WINDOW;
        }
        if (!Double.isFinite(v)) {
            return NOT_FINITE;
        }
        return health.validAt(t) ? COUNTED : EXPORTER_UNHEALTHY;
    }
}
