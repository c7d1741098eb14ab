package com.cloudtuner.kubecost.simulate;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plausible exporter output for demos and benchmarks: per tenant a production and a staging
 * cluster with a few namespaces, scraped every 60 s. Rates change once an hour (a daily curve)
 * and are constant within it, so each hour's cost equals that hour's rate and anyone can check a
 * row by eye. Cluster totals are the namespaces plus idle capacity, network and load balancers.
 */
public final class DemoScenario {

    private static final String[] NAMESPACES = {"kube-system", "monitoring", "payments", "web", "batch"};
    private static final long SCRAPE_MS = 60_000;

    private DemoScenario() {
    }

    public static ExporterDataset generate(String prefix, List<String> tenants, Instant from, int hours, long seed) {
        ExporterDataset data = new ExporterDataset();
        for (String tenant : tenants) {
            Random random = new Random(seed * 31 + tenant.hashCode());
            addCluster(data, prefix, tenant, "prod", 5, 1.0, random, from, hours);
            addCluster(data, prefix, tenant, "staging", 3, 0.25, random, from, hours);
        }
        return data;
    }

    private static void addCluster(ExporterDataset data, String prefix, String tenant, String cluster, int namespaces,
                                   double scale, Random random, Instant from, int hours) {
        long offset = 1000L * random.nextInt(60); // where in the minute this cluster is scraped
        long start = from.toEpochMilli() + offset;
        int samplesPerHour = (int) (3_600_000 / SCRAPE_MS);
        int n = hours * samplesPerHour;
        double[] cpuBase = new double[namespaces];
        double[] ramBase = new double[namespaces];
        double[] pvBase = new double[namespaces];
        double[] eff = new double[namespaces];
        for (int i = 0; i < namespaces; i++) {
            cpuBase[i] = round(scale * (0.05 + random.nextDouble() * 0.6));
            ramBase[i] = round(scale * (0.02 + random.nextDouble() * 0.3));
            pvBase[i] = round(scale * random.nextDouble() * 0.05);
            eff[i] = 0.2 + random.nextDouble() * 0.7;
        }
        double idle = round(scale * 0.4);
        double network = round(scale * 0.03);
        double lb = round(scale * 0.025);

        Map<ExporterMetric, ExporterDataset.SeriesData> clusterSeries = new LinkedHashMap<>();
        for (ExporterMetric m : ExporterMetric.values()) {
            if (m.scope() == ExporterMetric.Scope.CLUSTER) {
                clusterSeries.put(m, data.series(m.metricName(prefix), ExporterDataset.exporterLabels(tenant, cluster, null)));
            }
        }
        ExporterDataset.SeriesData health = data.series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS.metricName(prefix),
                Map.of("tenant_id", tenant, "cluster", cluster));
        @SuppressWarnings("unchecked")
        Map<ExporterMetric, ExporterDataset.SeriesData>[] nsSeries = new Map[namespaces];
        for (int i = 0; i < namespaces; i++) {
            nsSeries[i] = new LinkedHashMap<>();
            for (ExporterMetric m : ExporterMetric.values()) {
                if (m.scope() == ExporterMetric.Scope.NAMESPACE) {
                    nsSeries[i].put(m, data.series(m.metricName(prefix), ExporterDataset.exporterLabels(tenant, cluster, NAMESPACES[i])));
                }
            }
        }
        for (int k = 0; k < n; k++) {
            long t = start + k * SCRAPE_MS;
            int hourOfDay = (int) Math.floorMod(Math.floorDiv(t, 3_600_000L), 24L);
            double load = round(1 + 0.3 * Math.sin(2 * Math.PI * (hourOfDay - 8) / 24.0));
            double cpuSum = 0;
            double ramSum = 0;
            double pvSum = 0;
            for (int i = 0; i < namespaces; i++) {
                double cpu = round(cpuBase[i] * load);
                double ram = ramBase[i];
                double pv = pvBase[i];
                cpuSum += cpu;
                ramSum += ram;
                pvSum += pv;
                Map<ExporterMetric, ExporterDataset.SeriesData> s = nsSeries[i];
                s.get(ExporterMetric.NAMESPACE_TOTAL_COST).add(t, round(cpu + ram + pv));
                s.get(ExporterMetric.NAMESPACE_CPU_COST).add(t, cpu);
                s.get(ExporterMetric.NAMESPACE_RAM_COST).add(t, ram);
                s.get(ExporterMetric.NAMESPACE_PV_COST).add(t, pv);
                s.get(ExporterMetric.NAMESPACE_CPU_EFFICIENCY).add(t, eff[i] * load / 1.3);
                s.get(ExporterMetric.NAMESPACE_RAM_EFFICIENCY).add(t, eff[i]);
                s.get(ExporterMetric.NAMESPACE_TOTAL_EFFICIENCY).add(t, eff[i] * (1 + load / 1.3) / 2);
            }
            double cpuTotal = cpuSum + idle * 0.6;
            double ramTotal = ramSum + idle * 0.4;
            clusterSeries.get(ExporterMetric.CLUSTER_TOTAL_COST).add(t, round(cpuTotal + ramTotal + pvSum + network + lb));
            clusterSeries.get(ExporterMetric.CLUSTER_CPU_COST).add(t, round(cpuTotal));
            clusterSeries.get(ExporterMetric.CLUSTER_RAM_COST).add(t, round(ramTotal));
            clusterSeries.get(ExporterMetric.CLUSTER_PV_COST).add(t, round(pvSum));
            clusterSeries.get(ExporterMetric.CLUSTER_NETWORK_COST).add(t, network);
            clusterSeries.get(ExporterMetric.CLUSTER_LB_COST).add(t, lb);
            clusterSeries.get(ExporterMetric.CLUSTER_CPU_EFFICIENCY).add(t, 0.55 * load / 1.3);
            clusterSeries.get(ExporterMetric.CLUSTER_RAM_EFFICIENCY).add(t, 0.6);
            clusterSeries.get(ExporterMetric.CLUSTER_TOTAL_EFFICIENCY).add(t, 0.58);
            health.add(t, 1);
        }
    }

    /** Four decimals: demo numbers a reader can add up. */
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
