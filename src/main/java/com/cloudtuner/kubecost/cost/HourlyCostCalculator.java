package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns the exporter's raw samples of one tenant window into hourly cost rows. This class is the
 * whole of the billing rules; it does no I/O.
 *
 * <ol>
 *   <li>Hours are UTC: hour h is [h, h+1h); a sample belongs to the hour its timestamp falls in.</li>
 *   <li>A sample is valid when its value is finite and, where its cluster has an
 *       {@code exporter_scrape_success} series, that series was 1 at the sample's time
 *       (see {@link HealthTimeline}).</li>
 *   <li>Cost of a series in an hour = mean of its valid samples × 1 hour. An efficiency is the mean
 *       of its valid samples, null when there is none. Coverage = the share of the hour backed by
 *       valid cost samples: each sample backs one scrape interval of its series (the median gap
 *       between its samples), overlapping backing counts once, the total is capped at 1.</li>
 *   <li>A row exists when at least one valid cost sample does, zero values included; an hour without
 *       one has no row. A cost column without valid samples in an hour that has a row is 0.</li>
 *   <li>Series differing only in labels other than tenant, cluster, namespace and currency
 *       (HA replicas) are one series: their samples are pooled into one mean, never summed.</li>
 *   <li>Per cluster-hour with cluster-level data, {@code __unallocated__} holds cluster − Σ namespaces
 *       per cost column (network and load balancer costs are cluster-only, so they land there whole);
 *       its efficiencies are null. The cluster's own figures are returned as {@link ClusterHour}s.</li>
 *   <li>In {@link MetricMode#TOTAL} each cost sample is divided by the exporter window's hours first.</li>
 * </ol>
 */
public final class HourlyCostCalculator {

    private static final long HOUR_MS = 3_600_000L;
    private static final int QUANTITIES = Quantity.values().length;

    private final CostRules rules;

    public HourlyCostCalculator(CostRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Rows for every hour in [windowStart, windowEnd); both must be whole UTC hours. */
    public CostResult compute(Instant windowStart, Instant windowEnd, Collection<Series> series) {
        long from = windowStart.toEpochMilli();
        long to = windowEnd.toEpochMilli();
        if (from % HOUR_MS != 0 || to % HOUR_MS != 0 || to < from) {
            throw new IllegalArgumentException("window must be whole UTC hours: " + windowStart + ".." + windowEnd);
        }
        Map<ClusterRef, List<Series>> healthSeries = new HashMap<>();
        Map<RowRef, List<Series>> costSeries = new LinkedHashMap<>();
        for (Series s : series) {
            if (s.metric().scope() == ExporterMetric.Scope.HEALTH) {
                healthSeries.computeIfAbsent(new ClusterRef(s.tenant(), s.cluster()), k -> new ArrayList<>()).add(s);
            } else {
                String namespace = s.metric().scope() == ExporterMetric.Scope.NAMESPACE ? s.namespace() : null;
                costSeries.computeIfAbsent(new RowRef(s.tenant(), s.cluster(), namespace), k -> new ArrayList<>()).add(s);
            }
        }
        Map<ClusterRef, HealthTimeline> health = new HashMap<>();
        healthSeries.forEach((ref, list) ->
                health.put(ref, HealthTimeline.of(list, rules.healthLookback().toMillis())));

        List<CostRow> namespaceRows = new ArrayList<>();
        List<ClusterHour> clusterHours = new ArrayList<>();
        for (Map.Entry<RowRef, List<Series>> group : costSeries.entrySet()) {
            RowRef ref = group.getKey();
            HealthTimeline timeline = health.get(new ClusterRef(ref.tenant, ref.cluster));
            Map<Long, HourAccumulator> hours = accumulate(group.getValue(), timeline, from, to);
            for (Map.Entry<Long, HourAccumulator> hour : hours.entrySet()) {
                HourAccumulator acc = hour.getValue();
                if (!acc.hasCostSample()) {
                    continue;
                }
                Instant start = Instant.ofEpochMilli(hour.getKey());
                if (ref.namespace == null) {
                    clusterHours.add(new ClusterHour(ref.tenant, ref.cluster, start, acc.currency,
                            acc.costs(), acc.efficiencies(), acc.coverage()));
                } else {
                    namespaceRows.add(new CostRow(ref.tenant, ref.cluster, ref.namespace, start, acc.currency,
                            acc.costs(), acc.efficiencies(), acc.coverage()));
                }
            }
        }
        List<CostRow> rows = withUnallocated(namespaceRows, clusterHours);
        rows.sort(Comparator.comparing(CostRow::tenant).thenComparing(CostRow::cluster)
                .thenComparing(CostRow::namespace).thenComparing(CostRow::hour));
        clusterHours.sort(Comparator.comparing(ClusterHour::tenant).thenComparing(ClusterHour::cluster)
                .thenComparing(ClusterHour::hour));
        return new CostResult(rows, clusterHours);
    }

    private Map<Long, HourAccumulator> accumulate(List<Series> group, HealthTimeline health, long from, long to) {
        Map<Long, HourAccumulator> hours = new TreeMap<>();
        double rateFactor = rules.toRatePerHour();
        long fallbackInterval = rules.defaultScrapeInterval().toMillis();
        for (Series s : group) {
            Quantity quantity = s.metric().quantity();
            long interval = ScrapeInterval.estimateMillis(s.timestamps(), fallbackInterval);
            long currentHour = Long.MIN_VALUE;
            HourAccumulator acc = null;
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                double v = s.values()[i];
                if (t < from || t >= to || !Double.isFinite(v) || (health != null && !health.healthyAt(t))) {
                    continue;
                }
                long hour = Math.floorDiv(t, HOUR_MS) * HOUR_MS;
                if (hour != currentHour) {
                    currentHour = hour;
                    acc = hours.computeIfAbsent(hour, h -> new HourAccumulator());
                }
                if (quantity.isCost()) {
                    acc.addCost(quantity, v * rateFactor, t, interval, s, hour);
                } else {
                    acc.add(quantity, v);
                }
            }
        }
        return hours;
    }

    /** Adds the {@code __unallocated__} row of every cluster-hour that has cluster-level data. */
    private static List<CostRow> withUnallocated(List<CostRow> namespaceRows, List<ClusterHour> clusterHours) {
        Map<ClusterHourRef, ClusterHour> clusters = new HashMap<>();
        for (ClusterHour c : clusterHours) {
            clusters.put(new ClusterHourRef(c.tenant(), c.cluster(), c.hour()), c);
        }
        Map<ClusterHourRef, Costs> namespaceSums = new HashMap<>();
        List<CostRow> rows = new ArrayList<>();
        for (CostRow row : namespaceRows) {
            ClusterHourRef ref = new ClusterHourRef(row.tenant(), row.cluster(), row.hour());
            ClusterHour cluster = clusters.get(ref);
            if (cluster != null && row.namespace().equals(CostRow.UNALLOCATED)) {
                continue; // an exporter-reported __unallocated__ is part of the remainder computed below
            }
            if (cluster != null && !cluster.currency().equals(row.currency())) {
                throw new CostDataException("cluster " + row.cluster() + " reports " + cluster.currency()
                        + " but namespace " + row.namespace() + " reports " + row.currency() + " in hour " + row.hour());
            }
            namespaceSums.merge(ref, row.costs(), Costs::plus);
            rows.add(row);
        }
        for (ClusterHour c : clusterHours) {
            Costs allocated = namespaceSums.getOrDefault(new ClusterHourRef(c.tenant(), c.cluster(), c.hour()), Costs.ZERO);
            rows.add(new CostRow(c.tenant(), c.cluster(), CostRow.UNALLOCATED, c.hour(), c.currency(),
                    c.costs().minus(allocated), Efficiencies.NONE, c.coverage()));
        }
        return rows;
    }

    private record ClusterRef(String tenant, String cluster) {
    }

    private record RowRef(String tenant, String cluster, String namespace) {
    }

    private record ClusterHourRef(String tenant, String cluster, Instant hour) {
    }

    /** Sums, counts and backed intervals of one row-hour. */
    private static final class HourAccumulator {
        // Deviations from each quantity's first sample are summed, so a rate that is constant
        // through the hour comes back exactly (0.7756, not 0.7755999999999994).
        private final double[] first = new double[QUANTITIES];
        private final double[] deviationSum = new double[QUANTITIES];
        private final int[] count = new int[QUANTITIES];
        private final List<long[]> backed = new ArrayList<>(); // {start, end} of each valid cost sample
        private String currency;

        void add(Quantity q, double v) {
            int i = q.ordinal();
            if (count[i] == 0) {
                first[i] = v;
            } else {
                deviationSum[i] += v - first[i];
            }
            count[i]++;
        }

        void addCost(Quantity q, double ratePerHour, long t, long interval, Series s, long hour) {
            String c = s.currency() == null ? "" : s.currency();
            if (currency == null) {
                currency = c;
            } else if (!currency.equals(c)) {
                throw new CostDataException("cluster " + s.cluster()
                        + (s.namespace() == null ? "" : " namespace " + s.namespace())
                        + " reports both " + currency + " and " + c + " in hour " + Instant.ofEpochMilli(hour));
            }
            add(q, ratePerHour);
            backed.add(new long[] {t, t + interval});
        }

        boolean hasCostSample() {
            return !backed.isEmpty();
        }

        private Double meanOrNull(Quantity q) {
            int i = q.ordinal();
            return count[i] == 0 ? null : first[i] + deviationSum[i] / count[i];
        }

        private double mean(Quantity q) {
            Double mean = meanOrNull(q);
            return mean == null ? 0.0 : mean;
        }

        /** Mean rate per hour times one hour. */
        Costs costs() {
            return new Costs(mean(Quantity.COST), mean(Quantity.CPU_COST), mean(Quantity.RAM_COST),
                    mean(Quantity.PV_COST), mean(Quantity.NETWORK_COST), mean(Quantity.LB_COST));
        }

        Efficiencies efficiencies() {
            return new Efficiencies(meanOrNull(Quantity.CPU_EFFICIENCY), meanOrNull(Quantity.RAM_EFFICIENCY),
                    meanOrNull(Quantity.TOTAL_EFFICIENCY));
        }

        double coverage() {
            backed.sort(Comparator.comparingLong(a -> a[0]));
            long covered = 0;
            long runStart = Long.MIN_VALUE;
            long runEnd = Long.MIN_VALUE;
            for (long[] b : backed) {
                if (b[0] > runEnd) {
                    covered += runEnd - runStart;
                    runStart = b[0];
                    runEnd = b[1];
                } else {
                    runEnd = Math.max(runEnd, b[1]);
                }
            }
            covered += runEnd - runStart;
            return Math.min(1.0, covered / (double) HOUR_MS);
        }
    }
}
