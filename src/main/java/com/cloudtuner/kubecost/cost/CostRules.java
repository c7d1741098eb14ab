package com.cloudtuner.kubecost.cost;

import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of the cost rules.
 *
 * @param metricMode            whether cost samples are rates or totals over {@code exporterWindow}
 * @param exporterWindow        the window a {@link MetricMode#TOTAL} sample covers
 * @param healthLookback        how old the latest scrape-success sample may be and still speak for a cost sample
 */
public record CostRules(MetricMode metricMode, Duration exporterWindow, Duration healthLookback) {

    public static final CostRules DEFAULTS =
            new CostRules(MetricMode.RATE, Duration.ofHours(1), Duration.ofMinutes(5));

    public CostRules {
        Objects.requireNonNull(metricMode, "metricMode");
        requirePositive(exporterWindow, "exporterWindow");
        requirePositive(healthLookback, "healthLookback");
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Factor that turns one sample of a cost series into a rate per hour. */
    double toRatePerHour() {
        return metricMode == MetricMode.RATE ? 1.0 : 3_600_000.0 / exporterWindow.toMillis();
    }
}
