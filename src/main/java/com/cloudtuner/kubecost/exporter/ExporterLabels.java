package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.SeriesRef;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels the exporter puts on its series, and how a returned label set becomes a
 * {@link SeriesRef}. One instance per read: it shares equal label strings between series.
 */
public final class ExporterLabels {

    public static final String TENANT = "tenant_id";
    public static final String CLUSTER = "cluster";
    public static final String NAMESPACE = "namespace";
    public static final String CURRENCY = "currency";

    private final Map<String, String> strings = new HashMap<>();

    ExporterLabels() {
    }

    /**
     * The series' identity, or null when it lacks a label a row needs (its cluster, or the namespace
     * of a namespace series). Labels beyond those the rules read make up the replica text.
     */
    SeriesRef ref(ExporterMetric metric, Map<String, String> labels) {
        String tenant = labels.get(TENANT);
        String cluster = labels.get(CLUSTER);
        String namespace = metric.scope() == ExporterMetric.Scope.NAMESPACE ? labels.get(NAMESPACE) : null;
        if (tenant == null || cluster == null || (metric.scope() == ExporterMetric.Scope.NAMESPACE && namespace == null)) {
            return null;
        }
        String currency = metric.scope() == ExporterMetric.Scope.HEALTH ? null : labels.get(CURRENCY);
        return new SeriesRef(metric, shared(tenant), shared(cluster), shared(namespace), shared(currency),
                shared(replicaOf(metric, labels)));
    }

    /**
     * Every label but the name and those the rules read, sorted, as one text. A health series has
     * no namespace or currency, so its text names the same scrape target as its cost series'.
     */
    private static String replicaOf(ExporterMetric metric, Map<String, String> labels) {
        TreeMap<String, String> rest = new TreeMap<>(labels);
        rest.remove("__name__");
        rest.remove(TENANT);
        rest.remove(CLUSTER);
        if (metric.scope() != ExporterMetric.Scope.HEALTH) {
            rest.remove(NAMESPACE);
            rest.remove(CURRENCY);
        }
        if (rest.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        rest.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    private String shared(String s) {
        return s == null ? null : strings.computeIfAbsent(s, k -> k);
    }
}
