package com.cloudtuner.kubecost.job;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads every exporter series of one tenant for one window, one request per metric. */
public final class ExporterReader {

    static final String TENANT = "tenant_id";
    static final String CLUSTER = "cluster";
    static final String NAMESPACE = "namespace";
    static final String CURRENCY = "currency";

    private final ThanosClient thanos;
    private final String prefix;
    private final Duration healthLookback;

    public ExporterReader(ThanosClient thanos, String prefix, Duration healthLookback) {
        this.thanos = thanos;
        this.prefix = prefix;
        this.healthLookback = healthLookback;
    }

    /** What one read returned; {@code malformed} counts series without the labels a cost row needs. */
    public record Read(List<Series> series, int malformed, long samples) {
    }

    public Read read(String tenant, Window window) {
        List<Series> series = new ArrayList<>();
        int malformed = 0;
        long samples = 0;
        for (ExporterMetric metric : ExporterMetric.values()) {
            String selector = PromQl.selector(metric.metricName(prefix), Map.of(TENANT, tenant));
            // Health samples from just before the window vouch for its first cost samples.
            var from = metric.scope() == ExporterMetric.Scope.HEALTH ? window.start().minus(healthLookback) : window.start();
            for (PromSeries s : thanos.rawSamples(selector, from, window.end())) {
                String cluster = s.labels().get(CLUSTER);
                String namespace = s.labels().get(NAMESPACE);
                if (cluster == null || (metric.scope() == ExporterMetric.Scope.NAMESPACE && namespace == null)) {
                    malformed++;
                    continue;
                }
                series.add(new Series(metric, tenant, cluster, namespace, s.labels().get(CURRENCY), s.timestamps(), s.values()));
                samples += s.size();
            }
        }
        return new Read(series, malformed, samples);
    }
}
