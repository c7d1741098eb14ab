package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.exporter.ExporterLabels;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;

/**
 * Which of the exporter's metric families each tenant has in the last day: one label-values
 * request per family (the tenants that have it), so the answer stays small however many series.
 */
final class MetricFamilies {

    private MetricFamilies() {
    }

    /**
     * @param scope the tenants to look at; empty for every tenant
     * @return per family (full name), the tenants that have it
     */
    static Map<ExporterMetric, Set<String>> read(ThanosClient thanos, String prefix, Collection<String> scope, Instant from, Instant to) {
        Map<ExporterMetric, Set<String>> present = new LinkedHashMap<>();
        for (ExporterMetric metric : ExporterMetric.values()) {
            String name = metric.metricName(prefix);
            String match = scope.isEmpty() ? name : PromQl.selector(name, List.of(PromQl.anyOf(ExporterLabels.TENANT, scope)));
            present.put(metric, new HashSet<>(thanos.labelValues(ExporterLabels.TENANT, match, from, to)));
        }
        return present;
    }

    static void report(Map<ExporterMetric, Set<String>> present, String prefix, Collection<String> scope, CheckReport report) {
        ArrayNode facts = report.exporter().put("prefix", prefix).putArray("families");
        Set<String> tenantsWithAny = new HashSet<>();
        List<String> missingEverywhere = new ArrayList<>();
        present.forEach((metric, tenants) -> {
            facts.addObject().put("name", metric.metricName(prefix)).put("tenants", tenants.size());
            tenantsWithAny.addAll(tenants);
            if (tenants.isEmpty()) {
                missingEverywhere.add(metric.metricName(prefix));
            }
        });
        String whose = scope.isEmpty() ? "" : " for tenant" + (scope.size() == 1 ? " " : "s ") + String.join(", ", scope);
        if (tenantsWithAny.isEmpty()) {
            report.add(Finding.problem("no_exporter_series", "exporter", "no series named " + prefix + "*" + whose + " in the last day",
                    "check worker.exporter.prefix (WORKER_EXPORTER_PREFIX) against the exporter's metric names, and that"
                            + " Prometheus remote_writes the exporter's series to Thanos"));
            return;
        }
        for (String name : missingEverywhere) {
            report.add(Finding.problem("missing_family", "exporter", "metric family " + name + " has no series" + whose
                    + " in the last day: " + consequence(name, prefix), fixForMissing()));
        }
        Map<String, List<String>> missingPerTenant = new TreeMap<>();
        present.forEach((metric, tenants) -> {
            if (!tenants.isEmpty()) {
                for (String t : tenantsWithAny) {
                    if (!tenants.contains(t)) {
                        missingPerTenant.computeIfAbsent(t, k -> new ArrayList<>()).add(metric.metricName(prefix));
                    }
                }
            }
        });
        missingPerTenant.forEach((tenant, names) -> {
            ArrayNode missing = report.tenant(tenant).putArray("missing_families");
            names.forEach(missing::add);
            report.add(Finding.problem("missing_family", "tenant " + tenant, "metric famil" + (names.size() == 1 ? "y " : "ies ")
                    + String.join(", ", names) + " missing in the last day (other tenants have them): "
                    + consequence(names.get(0), prefix), fixForMissing()));
        });
        if (missingEverywhere.isEmpty() && missingPerTenant.isEmpty()) {
            report.add(Finding.ok("families", "exporter", "all " + present.size() + " metric families present" + whose
                    + " (prefix " + prefix + ")"));
        }
    }

    private static String consequence(String name, String prefix) {
        String suffix = name.substring(prefix.length());
        if (suffix.equals("exporter_scrape_success")) {
            return "without it rule 2 cannot drop the samples of failed scrapes";
        }
        if (suffix.endsWith("_efficiency")) {
            return "its efficiency columns are NULL";
        }
        return "its cost column is 0 in every row";
    }

    private static String fixForMissing() {
        return "make the exporter publish it (a Helm values change or exporter upgrade may have turned it off) and check"
                + " that no metric_relabel_configs of its scrape job drops it";
    }
}
