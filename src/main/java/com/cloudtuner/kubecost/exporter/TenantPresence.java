package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Per tenant and cluster, the hours of a window in which the exporter's main series have samples,
 * for every tenant in one request: what tells that one tenant id stopped when another started.
 */
final class TenantPresence {

    private static final List<ExporterMetric> MAIN = List.of(ExporterMetric.EXPORTER_SCRAPE_SUCCESS,
            ExporterMetric.NAMESPACE_TOTAL_COST, ExporterMetric.CLUSTER_TOTAL_COST);

    private TenantPresence() {
    }

    /** tenant -> cluster -> hours of the window with samples (bit i for the i-th hour). */
    static Map<String, Map<String, BitSet>> read(ThanosClient thanos, String prefix, Window window, RangeSemantics semantics) {
        String range = semantics == null ? "1h" : semantics.hourRange();
        String by = "count by (" + ExporterLabels.TENANT + ", " + ExporterLabels.CLUSTER + ") ";
        // "or" rather than one selector over three names: without their names, series of two metrics
        // could share a label set, which the engine refuses
        String expr = MAIN.stream().map(m -> by + "(count_over_time(" + m.metricName(prefix) + "[" + range + "]))")
                .collect(Collectors.joining(" or "));
        Map<String, Map<String, BitSet>> presence = new TreeMap<>();
        for (PromSeries s : HourlyPoints.query(thanos, expr, window)) {
            String tenant = s.labels().get(ExporterLabels.TENANT);
            String cluster = s.labels().get(ExporterLabels.CLUSTER);
            if (tenant == null || cluster == null) {
                continue; // series lacking them are the label check's to report
            }
            BitSet hours = presence.computeIfAbsent(tenant, k -> new TreeMap<>()).computeIfAbsent(cluster, k -> new BitSet());
            for (long t : s.timestamps()) {
                hours.set(HourlyPoints.index(window, t));
            }
        }
        return presence;
    }
}
