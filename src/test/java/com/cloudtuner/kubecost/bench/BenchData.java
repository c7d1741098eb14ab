package com.cloudtuner.kubecost.bench;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.simulate.ExporterDataset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** A day of demo exporter data for many tenants, as the calculator receives it. */
final class BenchData {

    static final String PREFIX = "cloudtuner_kubecost_";
    static final Instant DAY = Instant.parse("2025-10-13T00:00:00Z");

    private BenchData() {
    }

    static ExporterDataset dataset(int tenants) {
        return DemoScenario.generate(PREFIX, IntStream.range(0, tenants).mapToObj(i -> "tenant-" + i).toList(), DAY, 24, 1);
    }

    /** Series per tenant, in the shape the Thanos reader hands to the calculator. */
    static List<List<Series>> seriesByTenant(ExporterDataset data, int tenants) {
        List<List<Series>> byTenant = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            byTenant.add(new ArrayList<>());
        }
        for (ExporterDataset.SeriesData s : data.allSeries()) {
            ExporterMetric metric = null;
            for (ExporterMetric m : ExporterMetric.values()) {
                if (m.metricName(PREFIX).equals(s.metric())) {
                    metric = m;
                }
            }
            long[] t = new long[s.size()];
            double[] v = new double[s.size()];
            for (int k = 0; k < s.size(); k++) {
                t[k] = s.time(k);
                v[k] = s.value(k);
            }
            String tenant = s.labels().get("tenant_id");
            byTenant.get(Integer.parseInt(tenant.substring("tenant-".length())))
                    .add(new Series(metric, tenant, s.labels().get("cluster"), s.labels().get("namespace"),
                            s.labels().get("currency"), t, v));
        }
        return byTenant;
    }
}
