package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows for {@code k8s_expenses} (namespaces and {@code __unallocated__}) and for
 * {@code k8s_cluster_expenses}, per cluster-hour the samples dropped as not finite or used
 * although negative, and the cluster-hours whose data contradict themselves (no row of them is
 * here: they are left unwritten and reported, with the reason).
 *
 * @param accrued per provisional cluster-hour, how far it has accrued (rule 8); a cluster-hour not
 *                here is complete: its data reach its end
 */
public record CostResult(List<CostRow> rows, List<ClusterHour> clusterHours, Map<ClusterHourKey, SampleCounts> sampleCounts,
                         Map<ClusterHourKey, String> refused, Map<ClusterHourKey, AccruedHour> accrued) {

    public static final CostResult EMPTY = new CostResult(List.of(), List.of());

    public CostResult {
        rows = List.copyOf(rows);
        clusterHours = List.copyOf(clusterHours);
        sampleCounts = Map.copyOf(sampleCounts);
        refused = java.util.Collections.unmodifiableMap(new TreeMap<>(refused));
        accrued = Map.copyOf(accrued);
    }

    public CostResult(List<CostRow> rows, List<ClusterHour> clusterHours, Map<ClusterHourKey, SampleCounts> sampleCounts,
                      Map<ClusterHourKey, String> refused) {
        this(rows, clusterHours, sampleCounts, refused, Map.of());
    }

    public CostResult(List<CostRow> rows, List<ClusterHour> clusterHours) {
        this(rows, clusterHours, Map.of(), Map.of());
    }

    /**
     * How recent the tenant's rows are: the latest instant its cluster-hours' data reach (the end of a
     * complete hour, the latest valid sample of a provisional one); null without rows.
     */
    public Instant dataUntil(String tenant) {
        Instant newest = null;
        for (CostRow r : rows) {
            if (r.tenant().equals(tenant)) {
                AccruedHour a = accrued.get(r.clusterHour());
                Instant until = a == null ? r.hour().plusMillis(Window.HOUR_MS) : a.latestSample();
                newest = newest == null || until.isAfter(newest) ? until : newest;
            }
        }
        return newest;
    }

    /** The sample counts of one tenant's cluster-hours, added up. */
    public SampleCounts sampleCountsOf(String tenant) {
        SampleCounts total = SampleCounts.NONE;
        for (Map.Entry<ClusterHourKey, SampleCounts> e : sampleCounts.entrySet()) {
            if (e.getKey().tenant().equals(tenant)) {
                total = total.plus(e.getValue());
            }
        }
        return total;
    }

    /** The refused cluster-hours of one tenant, with their reasons. */
    public Map<ClusterHourKey, String> refusedOf(String tenant) {
        Map<ClusterHourKey, String> out = new TreeMap<>();
        refused.forEach((k, why) -> {
            if (k.tenant().equals(tenant)) {
                out.put(k, why);
            }
        });
        return out;
    }

    /** All rows of several results, in key order. */
    public static CostResult merged(Iterable<CostResult> results) {
        List<CostRow> rows = new ArrayList<>();
        List<ClusterHour> clusters = new ArrayList<>();
        Map<ClusterHourKey, SampleCounts> counts = new HashMap<>();
        Map<ClusterHourKey, String> refused = new HashMap<>();
        Map<ClusterHourKey, AccruedHour> accrued = new HashMap<>();
        for (CostResult r : results) {
            accrued.putAll(r.accrued());
            rows.addAll(r.rows());
            clusters.addAll(r.clusterHours());
            r.sampleCounts().forEach((k, v) -> counts.merge(k, v, SampleCounts::plus));
            refused.putAll(r.refused());
        }
        return sorted(rows, clusters, counts, refused).withAccrued(accrued);
    }

    CostResult withAccrued(Map<ClusterHourKey, AccruedHour> accruedHours) {
        return new CostResult(rows, clusterHours, sampleCounts, refused, accruedHours);
    }

    /** In key order: tenant, cluster, namespace, hour. */
    static CostResult sorted(List<CostRow> rows, List<ClusterHour> clusterHours, Map<ClusterHourKey, SampleCounts> counts,
                             Map<ClusterHourKey, String> refused) {
        List<CostRow> r = new ArrayList<>(rows);
        r.sort(Comparator.comparing(CostRow::tenant).thenComparing(CostRow::cluster)
                .thenComparing(CostRow::namespace).thenComparing(CostRow::hour));
        List<ClusterHour> c = new ArrayList<>(clusterHours);
        c.sort(Comparator.comparing(ClusterHour::tenant).thenComparing(ClusterHour::cluster).thenComparing(ClusterHour::hour));
        return new CostResult(r, c, counts, refused);
    }
}
