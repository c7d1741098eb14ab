package com.cloudtuner.kubecost.cost;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 *       of its valid samples, null when there is none. Coverage = per scrape target, the valid
 *       samples of the row's fullest cost series over the scrapes its {@link ScrapeHistory} expects
 *       in the hour; the best target counts; capped at 1 ({@link Coverage}).</li>
 *   <li>A row exists when at least one valid cost sample does, zero values included; an hour without
 *       one has no row. A cost column without valid samples in an hour that has a row is 0.</li>
 *   <li>Series differing only in labels other than tenant, cluster, namespace and currency
 *       (HA replicas) are one series: their samples are pooled into one mean, never summed.</li>
 *   <li>Per cluster-hour with cluster-level data, {@code __unallocated__} holds cluster − Σ namespaces
 *       per cost column (network and load balancer costs are cluster-only, so they land there whole);
 *       its efficiencies are null. The cluster's own figures are returned as {@link ClusterHour}s.</li>
 *   <li>In {@link MetricMode#TOTAL} each cost sample is divided by the exporter window's hours first.</li>
 * </ol>
 * An hour not yet complete can be computed as of an instant ({@link #computeProvisional}): its rows
 * hold what has accrued so far ({@link Accrual}).
 * A cluster-hour whose valid cost samples name two currencies (in one row, or a namespace against
 * its cluster) has no rows: it is returned as refused, with the reason.
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

    /**
     * Rows for every hour of the window from raw samples; the reference series' samples of the
     * window's {@linkplain ScrapeHistory#horizonOf horizon} give the scrapes coverage expects.
     */
    public CostResult compute(Window window, Collection<Series> series) {
        return compute(window, series, ScrapeHistory.fromSamples(window, series));
    }

    /** {@link #compute(Window, Collection)} of [windowStart, windowEnd); both must be whole UTC hours. */
    public CostResult compute(java.time.Instant windowStart, java.time.Instant windowEnd, Collection<Series> series) {
        return compute(new Window(windowStart, windowEnd), series);
    }

    /** Rows for every hour of the window from raw samples, with a scrape history read beforehand. */
    public CostResult compute(Window window, Collection<Series> series, ScrapeHistory history) {
        Map<ClusterHourKey, SampleCounts> counts = new HashMap<>();
        Coverage.Busiest busiest = new Coverage.Busiest();
        Map<RowRef, Map<Long, RowHour>> rowHours = RawReduction.reduce(rules, window, series, counts, busiest);
        CostResult rows = assemble(rowHours, history, busiest);
        return CostResult.sorted(rows.rows(), rows.clusterHours(), counts, rows.refused());
    }

    /**
     * Provisional rows of hours not yet complete (or not yet settled) as of {@code asOf}: the samples
     * taken before it, by the rules of {@link #compute}, with each cluster-hour's costs scaled to
     * what has accrued by then ({@link Accrual}).
     */
    public CostResult computeProvisional(Window window, Collection<Series> series, ScrapeHistory history, java.time.Instant asOf) {
        List<Series> taken = series.stream().map(s -> s.before(asOf.toEpochMilli())).toList();
        ScrapeHistory seen = history.asOf(asOf.toEpochMilli(), taken); // what had arrived by then
        Map<ClusterHourKey, SampleCounts> counts = new HashMap<>();
        Coverage.Busiest busiest = new Coverage.Busiest();
        Map<RowRef, Map<Long, RowHour>> rowHours = RawReduction.reduce(rules, window, taken, counts, busiest);
        CostResult rows = assemble(rowHours, seen, busiest);
        Accrual accrued = Accrual.of(rowHours, seen, busiest, asOf);
        return CostResult.sorted(accrued.rows(rows.rows()), accrued.clusterHours(rows.clusterHours()), counts, rows.refused())
                .withAccrued(accrued.accrued());
    }

    /**
     * The verdict {@link #compute} gives each sample of the cost and efficiency series: what an
     * explanation of a row shows, decided by the same code that computes the row.
     */
    public List<AuditedSeries> audit(Window window, Collection<Series> series) {
        return RawReduction.audit(rules, window, series);
    }

    public List<AuditedSeries> audit(java.time.Instant windowStart, java.time.Instant windowEnd, Collection<Series> series) {
        return audit(new Window(windowStart, windowEnd), series);
    }

    /**
     * How rule 3 counted the coverage of one row-hour (namespace null: the cluster's row): per scrape
     * target, the counted samples of the row's fullest cost series, and the scrapes the cluster
     * expects in the hour. Computed by the same reduction as the row itself.
     */
    public List<CoverageTerm> coverageTerms(Window hour, Collection<Series> series, ScrapeHistory history, String tenant,
                                            String cluster, String namespace) {
        Coverage.Busiest busiest = new Coverage.Busiest();
        Map<RowRef, Map<Long, RowHour>> rowHours = RawReduction.reduce(rules, hour, series, new HashMap<>(), busiest);
        RowHour acc = rowHours.getOrDefault(new RowRef(tenant, cluster, namespace), Map.of()).get(hour.startMs());
        List<CoverageTerm> terms = new ArrayList<>();
        if (acc != null) {
            ClusterKey target = new ClusterKey(tenant, cluster);
            int busiestSeries = busiest.of(target, hour.startMs());
            int expected = history.expected(target, hour.startMs(), busiestSeries);
            int dayMedian = history.referenceMedian(target, hour.startMs());
            acc.validByReplica().forEach((replica, valid) ->
                    terms.add(new CoverageTerm(replica, valid, expected, dayMedian, busiestSeries)));
        }
        terms.sort(java.util.Comparator.comparing(CoverageTerm::replica));
        return terms;
    }

    /**
     * One scrape target's part in a row-hour's coverage: {@code expectedScrapes} is the larger of
     * {@code dayMedian} (the cluster's reference series' hourly counts over the day ending with the
     * hour) and {@code busiestSeries} (the cluster's busiest cost series' samples in the hour).
     */
    public record CoverageTerm(String replica, int countedSamples, int expectedScrapes, int dayMedian, int busiestSeries) {
    }

    /**
     * Rows for every hour of the window from hourly sums and counts of the cost and efficiency
     * series, the raw health series of the window and its look-back before it, and the scrape
     * history; {@code suspect} cluster-hours are left for a raw read whatever the sums say.
     */
    public AggregatedCosts computeFromSums(Window window, Collection<SeriesHours> series, Collection<Series> health,
                                           ScrapeHistory history, Set<ClusterHourKey> suspect) {
        Set<ClusterHourKey> needsRaw = new HashSet<>();
        Coverage.Busiest busiest = new Coverage.Busiest();
        Map<RowRef, Map<Long, RowHour>> rowHours = AggregateReduction.reduce(rules, window, series, health, suspect, needsRaw,
                busiest);
        return new AggregatedCosts(assemble(rowHours, history, busiest), needsRaw, history);
    }

    /** Rules 3 to 6: which row-hours are rows, their coverage, and the {@code __unallocated__} row of each cluster-hour. */
    private static CostResult assemble(Map<RowRef, Map<Long, RowHour>> rowHours, ScrapeHistory history, Coverage.Busiest busiest) {
        List<CostRow> namespaceRows = new ArrayList<>();
        List<ClusterHour> clusterHours = new ArrayList<>();
        Map<ClusterHourKey, String> refused = new HashMap<>();
        rowHours.forEach((ref, hours) -> hours.forEach((hour, acc) -> {
            if (!acc.hasCostSample()) {
                return;
            }
            if (acc.contradiction() != null) {
                refused.putIfAbsent(ref.at(hour), acc.contradiction());
                return;
            }
            java.time.Instant start = java.time.Instant.ofEpochMilli(hour);
            double coverage = Coverage.of(ref, hour, acc.validByReplica(), history, busiest);
            if (ref.namespace() == null) {
                clusterHours.add(new ClusterHour(ref.tenant(), ref.cluster(), start, acc.currency(),
                        acc.costs(), acc.efficiencies(), coverage));
            } else {
                namespaceRows.add(new CostRow(ref.tenant(), ref.cluster(), ref.namespace(), start, acc.currency(),
                        acc.costs(), acc.efficiencies(), coverage));
            }
        }));
        List<CostRow> rows = withUnallocated(namespaceRows, clusterHours, refused);
        return CostResult.sorted(withoutRefused(rows, refused), clusterHours.stream()
                .filter(c -> !refused.containsKey(key(c))).toList(), Map.of(), refused);
    }

    /** Adds the {@code __unallocated__} row of every cluster-hour that has cluster-level data. */
    private static List<CostRow> withUnallocated(List<CostRow> namespaceRows, List<ClusterHour> clusterHours,
                                                 Map<ClusterHourKey, String> refused) {
        Map<ClusterHourKey, ClusterHour> clusters = new HashMap<>();
        for (ClusterHour c : clusterHours) {
            clusters.put(key(c), c);
        }
        Map<ClusterHourKey, Costs> namespaceSums = new HashMap<>();
        List<CostRow> rows = new ArrayList<>();
        for (CostRow row : namespaceRows) {
            ClusterHourKey key = row.clusterHour();
            ClusterHour cluster = clusters.get(key);
            if (cluster != null && row.namespace().equals(CostRow.UNALLOCATED)) {
                continue; // an exporter-reported __unallocated__ is part of the remainder computed below
            }
            if (cluster != null && !cluster.currency().equals(row.currency())) {
                refused.putIfAbsent(key, "cluster " + row.cluster() + " reports " + cluster.currency() + " but namespace "
                        + row.namespace() + " reports " + row.currency() + " in hour " + row.hour());
            }
            namespaceSums.merge(key, row.costs(), Costs::plus);
            rows.add(row);
        }
        for (ClusterHour c : clusterHours) {
            Costs allocated = namespaceSums.getOrDefault(key(c), Costs.ZERO);
            rows.add(new CostRow(c.tenant(), c.cluster(), CostRow.UNALLOCATED, c.hour(), c.currency(),
                    c.costs().remainderAfter(allocated), Efficiencies.NONE, c.coverage()));
        }
        return rows;
    }

    private static List<CostRow> withoutRefused(List<CostRow> rows, Map<ClusterHourKey, String> refused) {
        if (refused.isEmpty()) {
            return rows;
        }
        return rows.stream().filter(r -> !refused.containsKey(r.clusterHour()))
                .toList();
    }

    private static ClusterHourKey key(ClusterHour c) {
        return c.key();
    }
}
