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
        List<String> all() {
            List<String> all = new ArrayList<>(valid);
            all.addAll(invalid);
            return all;
        }
    }

    public Tenants discover(Window window) {
        if (window.isEmpty()) {
            return new Tenants(List.of(), List.of());
        }
        return split(thanos.labelValues(ExporterReader.TENANT, PromQl.metricPrefixSelector(prefix),
                window.start(), window.end()));
    }

    public Tenants split(List<String> ids) {
        List<String> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String id : new TreeSet<>(ids)) {
            (tenantPattern.matcher(id).matches() ? valid : invalid).add(id);
        }
        return new Tenants(valid, invalid);
    }
}
