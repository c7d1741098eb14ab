package com.cloudtuner.kubecost.e2e;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static com.cloudtuner.kubecost.testing.Exporter.always;
import static com.cloudtuner.kubecost.testing.Exporter.labels;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.Exporter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongPredicate;
import java.util.function.LongToDoubleFunction;

/**
 * Thirty hours of exporter data holding every fault the cost rules handle, for comparing the
 * aggregated read with the raw one on the same store. Values are random (seeded) so sums are not
 * round numbers; what matters here is that both reads agree, not what they agree on.
 *
 * <ul>
 *   <li>{@code ha}: an HA pair 30 s apart; replica b misses the first half of hour 1; both miss
 *       minutes 20..40 of hour 3 (the counts cannot tell their overlap);</li>
 *   <li>{@code restart}: scrape_success 0 and zero costs in hour 2 minutes 10..20; NaN in hour 4;
 *       +Inf in hour 5; +Inf and -Inf in one hour 6 series; a failure at 7:58 reaching into hour 8;</li>
 *   <li>{@code fast}: a 15 s scrape; a namespace appearing at 7:30 and one ending at 20:00;
 *       negative (credit) and zero rates; an exporter-reported {@code __unallocated__};</li>
 *   <li>{@code boundary}: scraped exactly on the minute, so samples sit on hour boundaries and on
 *       the edges of the backfilled range and of its chunks; and a 70 s scrape starting on the hour;</li>
 *   <li>{@code nohealth}: no scrape_success series; a 2-hour gap; a namespace with one sample in
 *       the range; one with two samples 40 minutes apart; a 90 s scrape cluster;</li>
 *   <li>{@code team.a} and {@code teamxa}, {@code acme} and {@code acme-eu}: ids a regex could mix up;</li>
 *   <li>{@code money}: a cluster in EUR whose namespace reports USD in hour 9: both reads refuse that hour;</li>
 *   <li>{@code jitter}: scrapes 60 s apart give or take 5 s (cluster c1) and 20 s (c2); {@code delayed}: two
 *       scrapes of hour 4 40 s late, one of them into hour 5; {@code hourly}: one scrape an hour; {@code faster}:
 *       a 60 s scrape, 30 s from hour 10 on. Coverage must not depend on the read mode or the window.</li>
 * </ul>
 */
final class FaultScenario {

    static final Instant START = Instant.parse("2025-10-13T00:00:00Z");
    static final int HOURS = 30;
    static final long D0 = START.toEpochMilli();
    static final long END = D0 + HOURS * HOUR;
    static final List<String> TENANTS = List.of("acme", "acme-eu", "boundary", "delayed", "fast", "faster", "ha", "hourly",
            "jitter", "money", "nohealth", "restart", "team.a", "teamxa");
    static final String FAILING_TENANT = "money";

    private FaultScenario() {
    }

    static Exporter generate() {
        Exporter e = new Exporter();
        Random random = new Random(20251013);
        // ha: two replicas
        for (String replica : List.of("a", "b")) {
            long offset = replica.equals("a") ? 5_000 : 35_000;
            LongPredicate scraped = t -> !(hour(t) == 3 && minute(t) >= 20 && minute(t) < 40)
                    && !(replica.equals("b") && hour(t) == 1 && minute(t) < 30);
            cluster(e, "ha", "c1", offset, MINUTE, scraped, random, 3, "prometheus_replica", replica);
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "ha", "cluster", "c1", "prometheus_replica", replica),
                    D0 + offset, END, MINUTE, scraped, t -> 1);
        }
        // restart: health zeros, NaN, infinities
        LongPredicate down = t -> hour(t) == 2 && minute(t) >= 10 && minute(t) < 20 || hour(t) == 7 && minute(t) >= 58;
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "restart", "cluster", "c1"), D0 + 11_000, END, MINUTE,
                always(), t -> down.test(t) ? 0 : 1);
        double[] base = randomRates(random, 3);
        for (int ns = 0; ns < 3; ns++) {
            int n = ns;
            namespace(e, "restart", "c1", "ns" + n, D0 + 11_000, MINUTE, always(), t -> {
                if (down.test(t)) {
                    return 0;
                }
                if (n == 0 && hour(t) == 4 && minute(t) < 3) {
                    return Double.NaN;
                }
                if (n == 1 && hour(t) == 5 && minute(t) == 30) {
                    return Double.POSITIVE_INFINITY;
                }
                if (n == 2 && hour(t) == 6 && (minute(t) == 10 || minute(t) == 11)) {
                    return minute(t) == 10 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                }
                return base[n] * (1 + hour(t) / 10.0);
            });
        }
        clusterTotals(e, "restart", "c1", D0 + 11_000, MINUTE, always(), t -> down.test(t) ? 0 : 9.5);
        // fast: 15 s scrape, namespaces coming and going, credits, zeros, an exporter-reported __unallocated__
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "fast", "cluster", "c1"), D0 + 3_000, END, 15_000,
                always(), t -> 1);
        namespace(e, "fast", "c1", "steady", D0 + 3_000, 15_000, always(), t -> 2.25 + random.nextDouble());
        namespace(e, "fast", "c1", "credit", D0 + 3_000, 15_000, always(), t -> -0.5 - random.nextDouble() / 10);
        namespace(e, "fast", "c1", "zero", D0 + 3_000, 15_000, always(), t -> 0);
        namespace(e, "fast", "c1", "newcomer", D0 + 7 * HOUR + 30 * MINUTE + 3_000, END, 15_000, always(), t -> 0.75 + random.nextDouble());
        namespace(e, "fast", "c1", "leaver", D0 + 3_000, D0 + 20 * HOUR, 15_000, always(), t -> 1.5);
        namespace(e, "fast", "c1", "__unallocated__", D0 + 3_000, 15_000, always(), t -> 0.1);
        clusterTotals(e, "fast", "c1", D0 + 3_000, 15_000, always(), t -> 8 + random.nextDouble());
        // boundary: on the minute, samples on every hour boundary and on the range's ends
        cluster(e, "boundary", "c1", 0, MINUTE, always(), random, 2);
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "boundary", "cluster", "c1"), D0, END, MINUTE,
                always(), t -> 1);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("boundary", "c1", "edges"), D0 - 5 * MINUTE, END + 5 * MINUTE,
                5 * MINUTE, always(), t -> t < D0 || t >= END ? 1000 : 1 + hour(t));
        // a 70 s scrape from D0 puts a sample on the hour every 7 hours, in hours of 52 samples instead of 51:
        // both counts are complete hours, so only the hour's exact range keeps the sum right
        cluster(e, "boundary", "odd", 0, 70_000, always(), random, 2);
        e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", "boundary", "cluster", "odd"), D0, END, 70_000,
                always(), t -> 1);
        // nohealth: no health series, a gap, sparse series, a slower scrape
        LongPredicate gap = t -> !(hour(t) >= 12 && hour(t) < 14);
        cluster(e, "nohealth", "c1", 17_000, MINUTE, gap, random, 2);
        cluster(e, "nohealth", "slow", 23_000, 90_000, always(), random, 1);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("nohealth", "c1", "once"), D0 + 15 * HOUR + 17_000,
                D0 + 15 * HOUR + 18_000, MINUTE, always(), t -> 4.5);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("nohealth", "c1", "twice"), D0 + 16 * HOUR + 10 * MINUTE,
                D0 + 17 * HOUR, 40 * MINUTE, always(), t -> 3.25);
        // look-alike ids
        for (String tenant : List.of("team.a", "teamxa", "acme", "acme-eu")) {
            cluster(e, tenant, "prod", 1_000 * (1 + tenant.length()), MINUTE, always(), random, 2);
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", "prod"),
                    D0 + 1_000 * (1 + tenant.length()), END, MINUTE, always(), t -> 1);
        }
        // money: a currency conflict in hour 9
        e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, ExporterLabelsWith.currency(labels("money", "c1", null), "EUR"),
                D0 + 9_000, END, MINUTE, always(), t -> 3);
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels("money", "c1", "web"), D0 + 9 * HOUR + 9_000, D0 + 10 * HOUR,
                MINUTE, always(), t -> 1);
        // scrape timing: jitter, delays, an hourly scrape, an interval change
        scrapes(e, "jitter", "c1", jittered(5_000, random), random);
        scrapes(e, "jitter", "c2", jittered(20_000, random), random);
        scrapes(e, "delayed", "c1", delayed(), random);
        scrapes(e, "hourly", "c1", every(D0 + 17 * MINUTE, HOUR, END), random);
        long[] slow = every(D0 + 2_000, MINUTE, D0 + 10 * HOUR);
        long[] fast = every(D0 + 10 * HOUR + 2_000, 30_000, END);
        long[] both = java.util.stream.LongStream.concat(java.util.Arrays.stream(slow), java.util.Arrays.stream(fast)).toArray();
        scrapes(e, "faster", "c1", both, random);
        return e;
    }

    /** One target's scrapes at the given times: health, cluster total and two namespaces' total and cpu cost. */
    private static void scrapes(Exporter e, String tenant, String cluster, long[] times, Random random) {
        double[] rates = randomRates(random, 2);
        for (long t : times) {
            e.dataset().series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS.metricName(Exporter.PREFIX),
                    Map.of("tenant_id", tenant, "cluster", cluster)).add(t, 1);
            e.dataset().series(ExporterMetric.CLUSTER_TOTAL_COST.metricName(Exporter.PREFIX), labels(tenant, cluster, null))
                    .add(t, 5 + hour(t) % 3);
            for (int n = 0; n < 2; n++) {
                for (ExporterMetric m : List.of(ExporterMetric.NAMESPACE_TOTAL_COST, ExporterMetric.NAMESPACE_CPU_COST)) {
                    e.dataset().series(m.metricName(Exporter.PREFIX), labels(tenant, cluster, "ns" + n))
                            .add(t, rates[n] * (m == ExporterMetric.NAMESPACE_TOTAL_COST ? 1 : 0.5));
                }
            }
        }
    }

    private static long[] every(long from, long step, long to) {
        return java.util.stream.LongStream.iterate(from, t -> t < to, t -> t + step).toArray();
    }

    private static long[] jittered(long jitter, Random random) {
        return java.util.stream.LongStream.iterate(D0 + MINUTE, t -> t < END - MINUTE, t -> t + MINUTE)
                .map(t -> t + (long) ((random.nextDouble() * 2 - 1) * jitter)).toArray();
    }

    /** A 60 s scrape at :30 whose samples at 04:20:30 and 04:59:30 come 40 s late (the second one in hour 5). */
    private static long[] delayed() {
        return java.util.Arrays.stream(every(D0 + 30_000, MINUTE, END))
                .map(t -> hour(t) == 4 && (minute(t) == 20 || minute(t) == 59) ? t + 40_000 : t).toArray();
    }

    /** A cluster with its cost and efficiency series and {@code namespaces} namespaces, random rates changing every hour. */
    private static void cluster(Exporter e, String tenant, String cluster, long offset, long step, LongPredicate scraped,
                                Random random, int namespaces, String... extra) {
        double[] rates = randomRates(random, namespaces);
        double sum = 0;
        for (int n = 0; n < namespaces; n++) {
            double r = rates[n];
            sum += r;
            for (ExporterMetric m : List.of(ExporterMetric.NAMESPACE_TOTAL_COST, ExporterMetric.NAMESPACE_CPU_COST,
                    ExporterMetric.NAMESPACE_RAM_COST, ExporterMetric.NAMESPACE_PV_COST)) {
                double share = m == ExporterMetric.NAMESPACE_TOTAL_COST ? 1 : m == ExporterMetric.NAMESPACE_CPU_COST ? 0.6
                        : m == ExporterMetric.NAMESPACE_RAM_COST ? 0.3 : 0.1;
                e.gauge(m, labels(tenant, cluster, "ns" + n, extra), D0 + offset, END, step, scraped,
                        t -> share * r * (1 + (hour(t) % 7) / 9.0));
            }
            e.gauge(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, labels(tenant, cluster, "ns" + n, extra), D0 + offset, END, step,
                    scraped, t -> 0.1 + (minute(t) % 13) / 20.0);
        }
        double total = sum * 1.5 + 0.4;
        for (ExporterMetric m : List.of(ExporterMetric.CLUSTER_TOTAL_COST, ExporterMetric.CLUSTER_CPU_COST,
                ExporterMetric.CLUSTER_RAM_COST, ExporterMetric.CLUSTER_NETWORK_COST, ExporterMetric.CLUSTER_LB_COST)) {
            double share = m == ExporterMetric.CLUSTER_TOTAL_COST ? 1 : m == ExporterMetric.CLUSTER_CPU_COST ? 0.55
                    : m == ExporterMetric.CLUSTER_RAM_COST ? 0.3 : 0.05;
            e.gauge(m, labels(tenant, cluster, null, extra), D0 + offset, END, step, scraped, t -> share * total * (1 + (hour(t) % 7) / 9.0));
        }
        e.gauge(ExporterMetric.CLUSTER_RAM_EFFICIENCY, labels(tenant, cluster, null, extra), D0 + offset, END, step, scraped,
                t -> 0.33 + (minute(t) % 7) / 30.0);
    }

    private static void namespace(Exporter e, String tenant, String cluster, String namespace, long from, long step,
                                  LongPredicate scraped, LongToDoubleFunction value) {
        namespace(e, tenant, cluster, namespace, from, END, step, scraped, value);
    }

    private static void namespace(Exporter e, String tenant, String cluster, String namespace, long from, long to, long step,
                                  LongPredicate scraped, LongToDoubleFunction value) {
        e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels(tenant, cluster, namespace), from, to, step, scraped, value);
        e.gauge(ExporterMetric.NAMESPACE_CPU_COST, labels(tenant, cluster, namespace), from, to, step, scraped,
                t -> value.applyAsDouble(t) / 2);
    }

    private static void clusterTotals(Exporter e, String tenant, String cluster, long from, long step, LongPredicate scraped,
                                      LongToDoubleFunction value) {
        e.gauge(ExporterMetric.CLUSTER_TOTAL_COST, labels(tenant, cluster, null), from, END, step, scraped, value);
        e.gauge(ExporterMetric.CLUSTER_LB_COST, labels(tenant, cluster, null), from, END, step, scraped, t -> 0.2);
    }

    private static double[] randomRates(Random random, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = 0.05 + random.nextDouble() * 2;
        }
        return r;
    }

    static int hour(long t) {
        return (int) Math.floorDiv(t - D0, HOUR);
    }

    static int minute(long t) {
        return (int) (Math.floorMod(t - D0, HOUR) / MINUTE);
    }

    /** Exporter labels with another currency. */
    private static final class ExporterLabelsWith {
        static Map<String, String> currency(Map<String, String> labels, String currency) {
            Map<String, String> copy = new java.util.LinkedHashMap<>(labels);
            copy.put("currency", currency);
            return copy;
        }
    }
}
