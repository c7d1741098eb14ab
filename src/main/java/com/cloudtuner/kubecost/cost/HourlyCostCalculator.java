package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the exporter's series of a window into hourly cost rows. This class and the two
 * reductions it uses are the whole of the billing rules; none of them does I/O.
 *
 * <ol>
 *   <li>Hours are UTC: hour h is [h, h+1h); a sample belongs to the hour its timestamp falls in.</li>
 *   <li>A sample is valid when its value is finite and the latest {@code exporter_scrape_success}
 *       sample of its tenant and cluster (replicas pooled) at or before it, at most the health
 *       look-back old, is not 0; without such a sample it is valid ({@link HealthTimeline}).</li>
 *   <li>Cost of a series in an hour = mean of its valid samples × 1 hour. An efficiency is the mean
 *       of its valid samples, null when there is none. Coverage = the share of the hour backed by
 *       valid cost samples: each sample backs one scrape interval of its series (the median gap
 *       between its samples in the window), overlapping backing counts once, capped at 1.</li>
 *   <li>A row exists when at least one valid cost sample does, zero values included; an hour without
 *       one has no row. A cost column without valid samples in an hour that has a row is 0.</li>
 *   <li>Series differing only in labels other than tenant, cluster, namespace and currency
 *       (HA replicas) are one series: their samples are pooled into one mean, never summed.</li>
 *   <li>Per cluster-hour with cluster-level data, {@code __unallocated__} holds cluster − Σ namespaces
 *       per cost column (network and load balancer costs are cluster-only, so they land there whole);
 *       its efficiencies are null. The cluster's own figures are returned as {@link ClusterHour}s.</li>
 *   <li>In {@link MetricMode#TOTAL} each cost sample is divided by the exporter window's hours first.</li>
 * </ol>
 *
 * Two inputs give the same rows: raw samples ({@link #compute}, the reference), or the store's
 * hourly sums and counts ({@link #computeFromSums}), which settle most cluster-hours and name the
 * rest to be computed from raw samples.
 */
public final class HourlyCostCalculator {

    private final CostRules rules;

    public HourlyCostCalculator(CostRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public CostRules rules() {
        return rules;
    }

    /** Rows for every hour in [windowStart, windowEnd) from raw samples; both must be whole UTC hours. */
    public CostResult compute(Instant windowStart, Instant windowEnd, Collection<Series> series) {
        Map<ClusterHourKey, SampleCounts> counts = new HashMap<>();
        CostResult rows = assemble(RawReduction.reduce(rules, new Window(windowStart, windowEnd), series, counts));
        return CostResult.sorted(rows.rows(), rows.clusterHours(), counts);
    }

    /**
     * The verdict {@link #compute} gives each sample of the cost and efficiency series, and the
     * interval a counted cost sample backs: what an explanation of a row shows, decided by the same
     * code that computes the row.
     */
    public List<AuditedSeries> audit(Instant windowStart, Instant windowEnd, Collection<Series> series) {
        return RawReduction.audit(rules, new Window(windowStart, windowEnd), series);
    }

    /** The factor that turns one cost sample into a rate per hour: 1 for rates, 1h / window for totals (rule 7). */
    public double ratePerHourFactor() {
        return rules.toRatePerHour();
    }

    /**
     * Rows for every hour of the window from hourly sums and counts of the cost and efficiency
     * series, and the raw health series of the window and its look-back before it.
     */
    public AggregatedCosts computeFromSums(Window window, Collection<SeriesHours> series, Collection<Series> health) {
        AggregateReduction.Result r = AggregateReduction.reduce(rules, window, series, health);
        return new AggregatedCosts(assemble(r.rows()), r.needsRaw(), r.intervals());
    }

    /** Rules 4 to 6: which row-hours are rows, and the {@code __unallocated__} row of each cluster-hour. */
    private static CostResult assemble(Map<RowRef, Map<Long, RowHour>> rowHours) {
        List<CostRow> namespaceRows = new ArrayList<>();
        List<ClusterHour> clusterHours = new ArrayList<>();
        rowHours.forEach((ref, hours) -> hours.forEach((hour, acc) -> {
            if (!acc.hasCostSample()) {
                return;
            }
            Instant start = Instant.ofEpochMilli(hour);
            if (ref.namespace() == null) {
                clusterHours.add(new ClusterHour(ref.tenant(), ref.cluster(), start, acc.currency(),
                        acc.costs(), acc.efficiencies(), acc.coverage()));
            } else {
                namespaceRows.add(new CostRow(ref.tenant(), ref.cluster(), ref.namespace(), start, acc.currency(),
                        acc.costs(), acc.efficiencies(), acc.coverage()));
            }
        }));
        return CostResult.sorted(withUnallocated(namespaceRows, clusterHours), clusterHours, Map.of());
    }

    /** Adds the {@code __unallocated__} row of every cluster-hour that has cluster-level data. */
    private static List<CostRow> withUnallocated(List<CostRow> namespaceRows, List<ClusterHour> clusterHours) {
        Map<ClusterHourKey, ClusterHour> clusters = new HashMap<>();
        for (ClusterHour c : clusterHours) {
            clusters.put(new ClusterHourKey(c.tenant(), c.cluster(), c.hour().toEpochMilli()), c);
        }
        Map<ClusterHourKey, Costs> namespaceSums = new HashMap<>();
        List<CostRow> rows = new ArrayList<>();
        for (CostRow row : namespaceRows) {
            ClusterHourKey key = new ClusterHourKey(row.tenant(), row.cluster(), row.hour().toEpochMilli());
            ClusterHour cluster = clusters.get(key);
            if (cluster != null && row.namespace().equals(CostRow.UNALLOCATED)) {
                continue; // an exporter-reported __unallocated__ is part of the remainder computed below
            }
            if (cluster != null && !cluster.currency().equals(row.currency())) {
                throw new CostDataException("cluster " + row.cluster() + " reports " + cluster.currency()
                        + " but namespace " + row.namespace() + " reports " + row.currency() + " in hour " + row.hour());
            }
            namespaceSums.merge(key, row.costs(), Costs::plus);
            rows.add(row);
        }
        for (ClusterHour c : clusterHours) {
            Costs allocated = namespaceSums.getOrDefault(new ClusterHourKey(c.tenant(), c.cluster(), c.hour().toEpochMilli()), Costs.ZERO);
            rows.add(new CostRow(c.tenant(), c.cluster(), CostRow.UNALLOCATED, c.hour(), c.currency(),
                    c.costs().minus(allocated), Efficiencies.NONE, c.coverage()));
        }
        return rows;
    }
}
