package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.exporter.ExporterLabels;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;

/**
 * Series that lack a label a row needs, and series that carry {@code exported_*} labels: the sign
 * that a scrape job without {@code honor_labels: true} renamed the exporter's own labels and put
 * its target's in their place. One {@code /api/v1/series} request per label, each matching only
 * the faulty series, so a healthy store answers with nothing.
 */
final class SeriesLabels {

    /** A label whose absence (or whose {@code exported_} twin) the check looks for. */
    private record Rule(String code, String label, boolean exported, String metricRegex, String consequence, String fix) {
    }

    private SeriesLabels() {
    }

    static void check(ThanosClient thanos, String prefix, Collection<String> scope, Instant from, Instant to, CheckReport report) {
        List<Rule> rules = new ArrayList<>();
        String anyMetric = prefix + ".+";
        if (scope.isEmpty()) { // a tenant selection cannot find series without a tenant
            rules.add(new Rule("missing_label", ExporterLabels.TENANT, false, anyMetric,
                    "the worker never reads them (no tenant)",
                    "set the tenant: the exporter's tenantId, or the tenant header of Prometheus' remote_write"));
        }
        rules.add(new Rule("missing_label", ExporterLabels.CLUSTER, false, anyMetric,
                "the worker skips them, so their costs are in no row",
                "set the exporter's cluster name (or a relabel rule adding cluster) and make sure no relabeling drops it"));
        rules.add(new Rule("missing_label", ExporterLabels.NAMESPACE, false, prefix + "namespace_.+",
                "the worker skips them, so their costs are in no row",
                "make sure no relabel rule of the exporter's scrape job drops namespace"));
        rules.add(new Rule("missing_label", ExporterLabels.CURRENCY, false, prefix + "(cluster|namespace)_[a-z]+_cost",
                "their rows get an empty currency (and a row whose other series carry one fails: two currencies)",
                "set the currency in Kubecost or the exporter, and make sure no relabeling drops it"));
        for (String label : List.of(ExporterLabels.TENANT, ExporterLabels.CLUSTER, ExporterLabels.NAMESPACE, ExporterLabels.CURRENCY)) {
            rules.add(new Rule("honor_labels_conflict", label, true, anyMetric,
                    "the scrape job's own " + label + " label replaced the exporter's, so the costs are filed under the job's "
                            + label,
                    "set honor_labels: true on the exporter's scrape job (the exporter's labels must win); samples already"
                            + " stored keep these labels, so a backfill of earlier hours gives the same rows"));
        }
        ArrayNode facts = report.exporter().putArray("label_problems");
        int found = 0;
        for (Rule rule : rules) {
            String checked = rule.exported() ? "exported_" + rule.label() : rule.label();
            List<String> matchers = new ArrayList<>();
            matchers.add("__name__=~" + PromQl.quote(rule.metricRegex()));
            matchers.add(checked + (rule.exported() ? "!=\"\"" : "=\"\""));
            if (!scope.isEmpty()) {
                matchers.add(PromQl.anyOf(ExporterLabels.TENANT, scope));
            }
            List<Map<String, String>> series = thanos.series("{" + String.join(",", matchers) + "}", from, to);
            Map<String, List<Map<String, String>>> byTenant = new TreeMap<>();
            for (Map<String, String> s : series) {
                byTenant.computeIfAbsent(s.getOrDefault(ExporterLabels.TENANT, ""), k -> new ArrayList<>()).add(s);
            }
            for (Map.Entry<String, List<Map<String, String>>> e : byTenant.entrySet()) {
                found++;
                List<Map<String, String>> list = e.getValue();
                String where = e.getKey().isEmpty() ? "exporter (series without tenant_id)" : "tenant " + e.getKey();
                String what = list.size() + " series " + (rule.exported() ? "carry " + checked : "lack " + checked)
                        + " (e.g. " + render(list.get(0)) + "): " + rule.consequence();
                if (rule.exported()) {
                    what += " (" + rule.label() + "=" + PromQl.quote(list.get(0).getOrDefault(rule.label(), "")) + " instead of "
                            + PromQl.quote(list.get(0).get(checked)) + ")";
                }
                facts.addObject().put("tenant", e.getKey()).put("code", rule.code()).put("label", checked)
                        .put("series", list.size()).put("example", render(list.get(0)));
                report.add(Finding.problem(rule.code(), where, what, rule.fix()));
            }
        }
        if (found == 0) {
            report.add(Finding.ok("labels", "exporter", "every series has the labels a row needs (tenant_id, cluster, namespace,"
                    + " currency) and none carries exported_* labels (no honor_labels conflict)"));
        }
    }

    private static String render(Map<String, String> labels) {
        Map<String, String> rest = new TreeMap<>(labels);
        String name = rest.remove("__name__");
        StringBuilder sb = new StringBuilder(name == null ? "" : name).append('{');
        String sep = "";
        for (Map.Entry<String, String> l : rest.entrySet()) {
            sb.append(sep).append(l.getKey()).append('=').append(PromQl.quote(l.getValue()));
            sep = ",";
        }
        return sb.append('}').toString();
    }
}
