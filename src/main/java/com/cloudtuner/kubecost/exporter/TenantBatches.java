package com.cloudtuner.kubecost.exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts tenants into batches that are read with one request per metric: at most {@code maxTenants}
 * tenants and, where that can be kept, at most {@code maxSeries} series of one metric per batch. A
 * tenant larger than the series budget gets a batch of its own.
 */
public final class TenantBatches {

    private TenantBatches() {
    }

    /**
     * @param tenants          in the order they are to be processed
     * @param seriesPerTenant  series of one metric per tenant; a tenant missing counts as 1
     */
    public static List<List<String>> cut(List<String> tenants, Map<String, Integer> seriesPerTenant, int maxSeries, int maxTenants) {
        if (maxSeries < 1 || maxTenants < 1) {
            throw new IllegalArgumentException("batch bounds must be positive");
        }
        List<List<String>> batches = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long series = 0;
        for (String tenant : tenants) {
            int weight = Math.max(1, seriesPerTenant.getOrDefault(tenant, 1));
            if (!current.isEmpty() && (current.size() == maxTenants || series + weight > maxSeries)) {
                batches.add(List.copyOf(current));
                current.clear();
                series = 0;
            }
            current.add(tenant);
            series += weight;
        }
        if (!current.isEmpty()) {
            batches.add(List.copyOf(current));
        }
        return batches;
    }
}
