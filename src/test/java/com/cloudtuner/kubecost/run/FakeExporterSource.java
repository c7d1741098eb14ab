package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.ScrapeHistory;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.TestSeries;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exporter's data from memory: per tenant a namespace {@code web} at a constant rate, its
 * cluster's total at one more, and the health series, every minute. Sums are summed (TestSeries) from the
 * same samples a raw read gets. Tenants named in {@link #refusing} make any read that asks for them
 * fail as an answered error (a query the server refuses); {@link #unreachable} fails every read.
 */
final class FakeExporterSource implements ExporterSource {

    private static final long MINUTE = 60_000L;

    private final Map<String, List<Series>> byTenant = new HashMap<>();
    final Set<String> refusing = new TreeSet<>();
    boolean unreachable;
    /** A window whose tenant discovery fails; null for none. */
    Window discoveryFails;
    int sumsReads;
    int rawReads;

    /** A tenant with data every minute in [fromMs, toMs): web at {@code rate} $/h, the cluster at rate + 1. */
    FakeExporterSource tenant(String tenant, double rate, long fromMs, long toMs) {
        List<Long> times = new ArrayList<>();
        for (long t = fromMs + 7_000; t < toMs; t += MINUTE) {
            times.add(t);
        }
        long[] ts = times.stream().mapToLong(Long::longValue).toArray();
        byTenant.put(tenant, List.of(
                new Series(ExporterMetric.NAMESPACE_TOTAL_COST, tenant, "c", "web", "USD", ts, filled(ts.length, rate)),
                new Series(ExporterMetric.CLUSTER_TOTAL_COST, tenant, "c", null, "USD", ts, filled(ts.length, rate + 1)),
                new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, tenant, "c", null, null, ts, filled(ts.length, 1))));
        return this;
    }

    @Override
    public List<String> discover(Window window) {
        if (window.equals(discoveryFails)) {
            throw new ThanosQueryException("discovery of " + window + " refused", false);
        }
        return byTenant.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(s -> hasSampleIn(s, window)))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private static boolean hasSampleIn(Series s, Window window) {
        for (long t : s.timestamps()) {
            if (t >= window.startMs() && t < window.endMs()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Map<String, Integer> namespaceSeries(Window window) {
        Map<String, Integer> out = new HashMap<>();
        byTenant.keySet().forEach(t -> out.put(t, 1));
        return out;
    }

    @Override
    public SumsRead readSums(Collection<String> tenants, Window window) {
        sumsReads++;
        check(tenants);
        List<SeriesHours> sums = new ArrayList<>();
        List<Series> health = new ArrayList<>();
        List<Series> all = new ArrayList<>();
        for (String tenant : tenants) {
            for (Series s : byTenant.getOrDefault(tenant, List.of())) {
                all.add(s);
                if (s.metric() == ExporterMetric.EXPORTER_SCRAPE_SUCCESS) {
                    health.add(s);
                } else {
                    sums.add(TestSeries.hourlySums(s, window));
                }
            }
        }
        return SumsRead.of(sums, health, ScrapeHistory.fromSamples(window, all));
    }

    @Override
    public RawRead readRaw(Collection<String> tenants, Collection<String> clusters, Window window, boolean withHistory) {
        rawReads++;
        check(tenants);
        List<Series> out = new ArrayList<>();
        tenants.forEach(t -> out.addAll(byTenant.getOrDefault(t, List.of())));
        return RawRead.of(out, window);
    }

    private void check(Collection<String> tenants) {
        if (unreachable) {
            throw new ThanosQueryException("query: connection refused", true, new IOException("connection refused"));
        }
        List<String> refused = tenants.stream().filter(refusing::contains).toList();
        if (!refused.isEmpty()) {
            throw new ThanosQueryException("query_range sum_over_time(m{tenant_id=~\"" + String.join("|", tenants)
                    + "\"}[1h]): HTTP 422: too many samples", false);
        }
    }

    private static double[] filled(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
