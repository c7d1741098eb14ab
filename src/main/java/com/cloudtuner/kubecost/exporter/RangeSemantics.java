package com.cloudtuner.kubecost.exporter;

/**
 * Whether the server's range selectors include their left end. {@code x[d]} evaluated at t holds
 * the samples in [t - d, t] on Prometheus 2 (and Thanos built on its engine), but (t - d, t] on
 * Prometheus 3 and VictoriaMetrics. Either way, evaluating at h + 1h - 1ms with the range given
 * here covers exactly the hour [h, h+1h), timestamps being whole milliseconds.
 */
public enum RangeSemantics {
    CLOSED("3599999ms"),
    LEFT_OPEN("1h");

    private final String hourRange;

    RangeSemantics(String hourRange) {
        this.hourRange = hourRange;
    }

    /** The range selector's duration that, evaluated at the hour's last millisecond, covers the hour. */
    public String hourRange() {
        return hourRange;
    }
}
