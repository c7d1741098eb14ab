package com.cloudtuner.kubecost.cost;

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
}
