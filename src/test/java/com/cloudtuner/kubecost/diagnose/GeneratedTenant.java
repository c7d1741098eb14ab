package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * One tenant's exporter in one cluster for the diagnosis tests: every metric family, the cluster
 * and its namespaces, scraped every minute 7 s past the minute, with constant rates (cluster 10 $/h,
 * each namespace 3 $/h). Each fault the tools diagnose is one switch.
 */
final class GeneratedTenant {

    static final long OFFSET = 7_000;
    static final double CLUSTER_COST = 10;
    static final double NAMESPACE_COST = 3;

    private final String tenant;
    private final String cluster;
    private List<String> namespaces = List.of("web", "batch");
    private long from;
    private long to;
    private final Set<ExporterMetric> omitted = EnumSet.noneOf(ExporterMetric.class);
    private LongPredicate scraped = t -> true;
    private LongPredicate unhealthy = t -> false;
    private LongPredicate zeros = t -> false;
    private final Set<String> droppedLabels = new HashSet<>();
    private String scrapeJobNamespace;

    GeneratedTenant(String tenant, String cluster, long from, long to) {
        this.tenant = tenant;
        this.cluster = cluster;
        this.from = from;
        this.to = to;
    }

    GeneratedTenant namespaces(String... names) {
        this.namespaces = List.of(names);
        return this;
    }

    /** The exporter does not publish this family. */
    GeneratedTenant without(ExporterMetric metric) {
        omitted.add(metric);
        return this;
    }

    /** No scrape at these times (a restart, an outage). */
    GeneratedTenant notScrapedWhen(LongPredicate gap) {
        LongPredicate before = scraped;
        scraped = t -> before.test(t) && !gap.test(t);
        return this;
    }

    /** exporter_scrape_success is 0 at these times. */
    GeneratedTenant unhealthyWhen(LongPredicate when) {
        this.unhealthy = when;
        return this;
    }

    /** Every cost is 0 at these times, while scrape success stays 1 (Kubecost had no data yet). */
    GeneratedTenant zeroCostsWhen(LongPredicate when) {
        this.zeros = when;
        return this;
    }

    /** Cost series without a currency label (Kubecost configured without one). */
    GeneratedTenant withoutCurrency() {
        return withoutLabel("currency");
    }

    /** Every series without this label (an exporter not configured with it, or a relabel rule dropping it). */
    GeneratedTenant withoutLabel(String label) {
        droppedLabels.add(label);
        return this;
    }

    /**
     * The scrape job's target namespace took the namespace label (no honor_labels): the exporter's
     * own namespace becomes exported_namespace.
     */
    GeneratedTenant scrapedWithoutHonorLabels(String jobNamespace) {
        this.scrapeJobNamespace = jobNamespace;
        return this;
    }

    void writeTo(Exporter e) {
        for (ExporterMetric m : ExporterMetric.values()) {
            if (omitted.contains(m)) {
                continue;
            }
            switch (m.scope()) {
                case HEALTH -> e.gauge(m, labels(Map.of("tenant_id", tenant, "cluster", cluster)), from + OFFSET, to, MINUTE, scraped,
                        t -> unhealthy.test(t) ? 0 : 1);
                case CLUSTER -> e.gauge(m, labels(Exporter.labels(tenant, cluster, null)), from + OFFSET, to, MINUTE, scraped,
                        t -> value(m, t, CLUSTER_COST));
                case NAMESPACE -> {
                    for (String ns : namespaces) {
                        e.gauge(m, namespaceLabels(m, ns), from + OFFSET, to, MINUTE, scraped, t -> value(m, t, NAMESPACE_COST));
                    }
                }
            }
        }
    }

    private Map<String, String> namespaceLabels(ExporterMetric m, String ns) {
        Map<String, String> labels = labels(Exporter.labels(tenant, cluster, ns));
        if (scrapeJobNamespace != null) {
            labels.put("namespace", scrapeJobNamespace);
            labels.put("exported_namespace", ns);
        }
        return labels;
    }

    private Map<String, String> labels(Map<String, String> exporterLabels) {
        Map<String, String> labels = new LinkedHashMap<>(exporterLabels);
        labels.keySet().removeAll(droppedLabels);
        return labels;
    }

    private double value(ExporterMetric m, long t, double total) {
        if (!m.quantity().isCost()) {
            return 0.5;
        }
        if (zeros.test(t)) {
            return 0;
        }
        return switch (m.quantity()) {
            case COST -> total;
            case CPU_COST -> total / 2;
            case RAM_COST -> total / 4;
            case PV_COST -> total / 8;
            default -> total / 100; // network and load balancer: the cluster's only
        };
    }
}
