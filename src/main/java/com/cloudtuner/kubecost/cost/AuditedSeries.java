package com.cloudtuner.kubecost.cost;

import java.util.Arrays;

/**
 * One raw series as the raw computation sees it (see {@link HourlyCostCalculator#audit}).
 *
 * @param verdicts   per sample, whether it counts and why not
 * @param vetoedBy   per sample judged {@link SampleVerdict#EXPORTER_UNHEALTHY}, the time of the
 *                   exporter_scrape_success sample that reported 0; 0 for the others
 */
public record AuditedSeries(Series series, SampleVerdict[] verdicts, long[] vetoedBy) {

    public AuditedSeries {
        if (verdicts.length != series.size() || vetoedBy.length != series.size()) {
            throw new IllegalArgumentException("one verdict per sample");
        }
    }

    /** Equal when the same samples got the same verdicts (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof AuditedSeries a && series.equals(a.series) && Arrays.equals(verdicts, a.verdicts)
                && Arrays.equals(vetoedBy, a.vetoedBy);
    }

    @Override
    public int hashCode() {
        return series.hashCode();
    }
}
