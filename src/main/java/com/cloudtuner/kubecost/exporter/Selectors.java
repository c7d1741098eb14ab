package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.thanos.PromQl;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The series selector of a metric for some tenants (and clusters): every read of the exporter's series uses it. */
record Selectors(String prefix) {

    /** {@code metric{tenant_id=~"a|b", cluster=~"c"}}; no cluster matcher when {@code clusters} is empty. */
    String of(ExporterMetric metric, Collection<String> tenants, Collection<String> clusters) {
        List<String> matchers = new ArrayList<>();
        matchers.add(PromQl.anyOf(ExporterLabels.TENANT, tenants));
        if (!clusters.isEmpty()) {
            matchers.add(PromQl.anyOf(ExporterLabels.CLUSTER, clusters));
        }
        return PromQl.selector(metric.metricName(prefix), matchers);
    }
}
