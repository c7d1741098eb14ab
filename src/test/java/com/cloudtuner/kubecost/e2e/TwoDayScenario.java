package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two days of exporter data for four tenants, with every kind of trouble the cost rules must
 * survive, and the rows those rules must produce from it, derived from the definitions below:
 * rates are constant within an hour, so a row's cost is its rate whenever the hour has any valid
 * scrape, and its coverage is the share of the hour's minutes with a valid scrape.
 *
 * <ul>
 *   <li>acme/prod: a 20-minute scrape gap in hour 5, hour 10 missing entirely, a NaN efficiency in hour 12;</li>
 *   <li>globex/prod: an exporter restart in hour 7 (scrape_success 0 and zero costs for 10 minutes);</li>
 *   <li>globex/dev: a small second cluster, scraped on the minute (a sample on every hour boundary,
 *       which belongs to the hour it starts);</li>
 *   <li>initech/prod: an HA pair, every series scraped by two Prometheus replicas 15 s apart;</li>
 *   <li>everywhere: a namespace with a genuine zero cost, and "late", which appears at hour 30;</li>
 *   <li>{@code we"ird}tenant}: a tenant id the default tenant pattern rejects.</li>
 * </ul>
 */
final class TwoDayScenario {

    static final Instant START = Instant.parse("2025-10-13T00:00:00Z");
    static final int HOURS = 48;
    static final String WEIRD = "we\"ird}tenant";
    static final double IDLE_CPU = 0.3;
    static final double IDLE_RAM = 0.2;
    static final double NETWORK = 0.1;
    static final double LB = 0.05;

    record Namespace(String name, double base, int firstHour) {
    }

    record Cluster(String tenant, String name, long offsetMs, List<String> replicas, List<Namespace> namespaces) {
    }

    static final List<Cluster> CLUSTERS = List.of(
            new Cluster("acme", "prod", 7_000, List.of(), List.of(
                    new Namespace("web", 1.2, 0), new Namespace("db", 0.8, 0), new Namespace("zero", 0, 0), new Namespace("late", 0.5, 30))),
            new Cluster("globex", "prod", 41_000, List.of(), List.of(
                    new Namespace("web", 2.0, 0), new Namespace("db", 1.1, 0), new Namespace("zero", 0, 0), new Namespace("late", 0.4, 30))),
            new Cluster("globex", "dev", 0, List.of(), List.of(new Namespace("web", 0.3, 0), new Namespace("zero", 0, 0))),
            new Cluster("initech", "prod", 3_000, List.of("a", "b"), List.of(
                    new Namespace("web", 0.9, 0), new Namespace("db", 0.6, 0), new Namespace("zero", 0, 0))),
            new Cluster(WEIRD, "prod", 29_000, List.of(), List.of(new Namespace("web", 1.0, 0))));

    private TwoDayScenario() {
    }

    static double rate(Namespace ns, int hour) {
        return ns.base * (1 + (hour % 24) / 48.0);
    }

    /** Whether the exporter of this cluster was scraped in this minute. */
    static boolean scraped(Cluster c, int hour, int minute) {
        if (c.tenant.equals("acme") && hour == 10) {
            return false;
        }
        return !(c.tenant.equals("acme") && hour == 5 && minute >= 20 && minute < 40);
    }

    /** Whether the exporter could read Kubecost at this scrape. */
    static boolean healthy(Cluster c, int hour, int minute) {
        return !(c.tenant.equals("globex") && c.name.equals("prod") && hour == 7 && minute < 10);
    }

    static boolean cpuEfficiencyIsNaN(Cluster c, Namespace ns, int hour) {
        return c.tenant.equals("acme") && ns.name.equals("db") && hour == 12;
    }

    static Exporter generate() {
        Exporter e = new Exporter();
        long start = START.toEpochMilli();
        for (Cluster c : CLUSTERS) {
            List<String> replicas = c.replicas.isEmpty() ? List.of("") : c.replicas;
            for (int r = 0; r < replicas.size(); r++) {
                String replica = replicas.get(r);
                long from = start + c.offsetMs + r * 15_000L;
                long to = start + HOURS * HOUR;
                String[] extra = replica.isEmpty() ? new String[0] : new String[] {"prometheus_replica", replica};
                Map<String, String> health = new LinkedHashMap<>(Map.of("tenant_id", c.tenant, "cluster", c.name));
                if (!replica.isEmpty()) {
                    health.put("prometheus_replica", replica);
                }
                e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, health, from, to, MINUTE, t -> scraped(c, hour(t), minute(t)),
                        t -> healthy(c, hour(t), minute(t)) ? 1 : 0);
                for (Namespace ns : c.namespaces) {
                    Map<String, String> l = Exporter.labels(c.tenant, c.name, ns.name, extra);
                    long nsFrom = from + ns.firstHour * HOUR;
                    for (ExporterMetric m : List.of(ExporterMetric.NAMESPACE_TOTAL_COST, ExporterMetric.NAMESPACE_CPU_COST,
                            ExporterMetric.NAMESPACE_RAM_COST, ExporterMetric.NAMESPACE_PV_COST)) {
                        double share = share(m);
                        e.gauge(m, l, nsFrom, to, MINUTE, t -> scraped(c, hour(t), minute(t)),
                                t -> healthy(c, hour(t), minute(t)) ? share * rate(ns, hour(t)) : 0);
                    }
                    e.gauge(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, l, nsFrom, to, MINUTE, t -> scraped(c, hour(t), minute(t)),
                            t -> cpuEfficiencyIsNaN(c, ns, hour(t)) ? Double.NaN : 0.4);
                    e.gauge(ExporterMetric.NAMESPACE_RAM_EFFICIENCY, l, nsFrom, to, MINUTE, t -> scraped(c, hour(t), minute(t)), t -> 0.5);
                    e.gauge(ExporterMetric.NAMESPACE_TOTAL_EFFICIENCY, l, nsFrom, to, MINUTE, t -> scraped(c, hour(t), minute(t)), t -> 0.45);
                }
                Map<String, String> cl = Exporter.labels(c.tenant, c.name, null, extra);
                for (ExporterMetric m : List.of(ExporterMetric.CLUSTER_TOTAL_COST, ExporterMetric.CLUSTER_CPU_COST,
                        ExporterMetric.CLUSTER_RAM_COST, ExporterMetric.CLUSTER_PV_COST, ExporterMetric.CLUSTER_NETWORK_COST,
                        ExporterMetric.CLUSTER_LB_COST)) {
                    e.gauge(m, cl, from, to, MINUTE, t -> scraped(c, hour(t), minute(t)),
                            t -> healthy(c, hour(t), minute(t)) ? clusterValue(c, m, hour(t)) : 0);
                }
                e.gauge(ExporterMetric.CLUSTER_CPU_EFFICIENCY, cl, from, to, MINUTE, t -> scraped(c, hour(t), minute(t)), t -> 0.5);
            }
        }
        return e;
    }

    private static double share(ExporterMetric m) {
        return switch (m) {
            case NAMESPACE_CPU_COST -> 0.6;
            case NAMESPACE_RAM_COST -> 0.3;
            case NAMESPACE_PV_COST -> 0.1;
            default -> 1.0;
        };
    }

    private static double clusterValue(Cluster c, ExporterMetric m, int hour) {
        double sum = 0;
        for (Namespace ns : c.namespaces) {
            if (hour >= ns.firstHour) {
                sum += rate(ns, hour);
            }
        }
        return switch (m) {
            case CLUSTER_TOTAL_COST -> sum + IDLE_CPU + IDLE_RAM + NETWORK + LB;
            case CLUSTER_CPU_COST -> 0.6 * sum + IDLE_CPU;
            case CLUSTER_RAM_COST -> 0.3 * sum + IDLE_RAM;
            case CLUSTER_PV_COST -> 0.1 * sum;
            case CLUSTER_NETWORK_COST -> NETWORK;
            case CLUSTER_LB_COST -> LB;
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    /**
     * The rows k8s_expenses_current must hold for these tenants, keyed "tenant|cluster|namespace|hour",
     * each {cost, cpu, ram, pv, network, lb, cpu_eff (NaN = null), ram_eff, total_eff, coverage}.
     */
    static Map<String, double[]> expectedRows(List<String> tenants) {
        Map<String, double[]> rows = new TreeMap<>();
        for (Cluster c : CLUSTERS) {
            if (!tenants.contains(c.tenant)) {
                continue;
            }
            for (int h = 0; h < HOURS; h++) {
                int valid = 0;
                for (int m = 0; m < 60; m++) {
                    if (scraped(c, h, m) && healthy(c, h, m)) {
                        valid++;
                    }
                }
                if (valid == 0) {
                    continue; // no row: never an invented zero
                }
                double coverage = valid / 60.0;
                for (Namespace ns : c.namespaces) {
                    if (h < ns.firstHour) {
                        continue;
                    }
                    double r = rate(ns, h);
                    rows.put(key(c.tenant, c.name, ns.name, h), new double[] {r, 0.6 * r, 0.3 * r, 0.1 * r, 0, 0,
                            cpuEfficiencyIsNaN(c, ns, h) ? Double.NaN : 0.4, 0.5, 0.45, coverage});
                }
                // what the cluster reports beyond its namespaces: the idle capacity, network and load balancers
                rows.put(key(c.tenant, c.name, "__unallocated__", h), new double[] {IDLE_CPU + IDLE_RAM + NETWORK + LB,
                        IDLE_CPU, IDLE_RAM, 0, NETWORK, LB, Double.NaN, Double.NaN, Double.NaN, coverage});
            }
        }
        return rows;
    }

    static List<String> tenants() {
        List<String> t = new ArrayList<>();
        CLUSTERS.forEach(c -> {
            if (!t.contains(c.tenant)) {
                t.add(c.tenant);
            }
        });
        return t;
    }

    static String key(String tenant, String cluster, String namespace, int hour) {
        return tenant + "|" + cluster + "|" + namespace + "|" + String.format("%02d", hour);
    }

    static int hour(long t) {
        return (int) Math.floorDiv(t - START.toEpochMilli(), HOUR);
    }

    static int minute(long t) {
        return (int) (Math.floorMod(t - START.toEpochMilli(), HOUR) / MINUTE);
    }
}
