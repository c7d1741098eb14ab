package com.cloudtuner.kubecost.job;

import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Which tenants to process: the configured ones, or those with exporter series in the window. */
public final class TenantDiscovery {

    private final ThanosClient thanos;
    private final String prefix;
    private final Pattern tenantPattern;

    public TenantDiscovery(ThanosClient thanos, String prefix, Pattern tenantPattern) {
        this.thanos = thanos;
        this.prefix = prefix;
        this.tenantPattern = tenantPattern;
    }

    /** Tenants to process, and ids that do not match {@code worker.tenant-pattern} (never queried). */
    public record Tenants(List<String> valid, List<String> invalid) {
    }

    /** Every tenant id on the exporter's series with data in the window, valid or not. */
    public List<String> discover(Window window) {
        if (window.isEmpty()) {
            return List.of();
        }
        return thanos.labelValues(ExporterReader.TENANT, PromQl.metricPrefixSelector(prefix), window.start(), window.end());
    }

    /** The ids that match {@code worker.tenant-pattern}, sorted and without repeats, and those that do not. */
    public Tenants split(List<String> ids) {
        List<String> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String id : new TreeSet<>(ids)) {
            (tenantPattern.matcher(id).matches() ? valid : invalid).add(id);
        }
        return new Tenants(valid, invalid);
    }
}
