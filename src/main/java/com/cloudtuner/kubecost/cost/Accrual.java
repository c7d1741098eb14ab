package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule 8, the hour in progress: a provisional row holds the cost accrued so far, the hour's mean
 * rate over its valid samples (rule 3) times the part of the hour elapsed up to the cluster's latest
 * valid cost sample plus one scrape interval, never past the instant of the computation nor the
 * hour's end. The scrape interval is one hour over the scrapes rule 3 expects of the cluster in
 * the hour. One fraction per cluster-hour scales every cost column of all its rows, so
 * {@code __unallocated__} still balances against the cluster; efficiencies and coverage are those
 * of a complete hour (coverage shows how much of the hour is still to come).
 */
final class Accrual {

    private final Map<ClusterHourKey, Double> fractions;
    private final Map<ClusterHourKey, Long> latestSamples;

    private Accrual(Map<ClusterHourKey, Double> fractions, Map<ClusterHourKey, Long> latestSamples) {
        this.fractions = fractions;
        this.latestSamples = latestSamples;
    }

    static Accrual of(Map<RowRef, Map<Long, RowHour>> rowHours, ScrapeHistory history, Coverage.Busiest busiest, Instant asOf) {
        Map<ClusterHourKey, Long> latest = new HashMap<>();
        rowHours.forEach((ref, hours) -> hours.forEach((hour, acc) -> {
            if (acc.lastCostSampleMs() != Long.MIN_VALUE) {
                latest.merge(ref.at(hour), acc.lastCostSampleMs(), Math::max);
            }
        }));
        Map<ClusterHourKey, Double> fractions = new HashMap<>();
        latest.forEach((key, last) -> {
            ClusterKey cluster = new ClusterKey(key.tenant(), key.cluster());
            long hour = key.hour().toEpochMilli();
            int expected = history.expected(cluster, hour, busiest.of(cluster, hour));
            fractions.put(key, fraction(hour, last, expected, asOf.toEpochMilli()));
        });
        return new Accrual(fractions, latest);
    }

    /** The part of the hour starting at {@code hourMs} accrued by {@code asOfMs}, as rule 8 counts it. */
    static double fraction(long hourMs, long lastValidSampleMs, int expectedScrapes, long asOfMs) {
        long interval = Window.HOUR_MS / Math.max(1, expectedScrapes);
        long end = Math.min(Math.min(lastValidSampleMs + interval, asOfMs), hourMs + Window.HOUR_MS);
        return Math.max(0, end - hourMs) / (double) Window.HOUR_MS;
    }

    /** Per cluster-hour, its latest valid cost sample and the part of the hour accrued. */
    Map<ClusterHourKey, AccruedHour> accrued() {
        Map<ClusterHourKey, AccruedHour> accrued = new HashMap<>();
        latestSamples.forEach((key, t) -> accrued.put(key, new AccruedHour(Instant.ofEpochMilli(t), fractions.get(key))));
        return accrued;
    }

    List<CostRow> rows(List<CostRow> rows) {
        return rows.stream().map(r -> new CostRow(r.tenant(), r.cluster(), r.namespace(), r.hour(), r.currency(),
                scaled(r.costs(), r.clusterHour()), r.efficiencies(), r.coverage())).toList();
    }

    List<ClusterHour> clusterHours(List<ClusterHour> clusters) {
        return clusters.stream().map(c -> new ClusterHour(c.tenant(), c.cluster(), c.hour(), c.currency(),
                scaled(c.costs(), c.key()), c.efficiencies(), c.coverage())).toList();
    }

    private Costs scaled(Costs c, ClusterHourKey key) {
        double f = fractions.getOrDefault(key, 1.0);
        return new Costs(c.total() * f, c.cpu() * f, c.ram() * f, c.pv() * f, c.network() * f, c.lb() * f);
    }
}
