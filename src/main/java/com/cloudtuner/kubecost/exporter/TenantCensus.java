package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which tenants have exporter series, and how many series each has: what batches are cut by. */
public final class TenantCensus {

    private final ThanosClient thanos;
    private final String prefix;

    public TenantCensus(ThanosClient thanos, String prefix) {
        this.thanos = thanos;
        this.prefix = prefix;
    }

    /** Every tenant id on the exporter's series with data in the window, valid or not. One request. */
    public List<String> discover(Window window) {
        if (window.isEmpty()) {
            return List.of();
        }
        return thanos.labelValues(ExporterLabels.TENANT, PromQl.metricPrefixSelector(prefix), window.start(), window.end());
    }

    /**
     * Per tenant, its namespace series with samples in the window's last hour (at most): the number
     * of series one metric's answer holds for it. One request, whatever the number of tenants.
     */
    public Map<String, Integer> namespaceSeries(Window window) {
        Map<String, Integer> counts = new HashMap<>();
        if (window.isEmpty()) {
            return counts;
        }
        String metric = ExporterMetric.NAMESPACE_TOTAL_COST.metricName(prefix);
        String expr = "count by (" + ExporterLabels.TENANT + ") (count_over_time(" + metric + "["
                + Math.min(window.hours(), 1) + "h]))";
        for (PromSeries s : thanos.instantVector(expr, window.end().minusMillis(1))) {
            String tenant = s.labels().get(ExporterLabels.TENANT);
            if (tenant != null && s.size() == 1) {
                counts.put(tenant, (int) s.values()[0]);
            }
        }
        return counts;
    }
}
