package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.SampleVerdict;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads one batch of tenants' last day the way the job reads a work unit (hourly sums, and the
 * health series raw; every sample raw where the samples are too sparse for sums), plus the cluster
 * totals raw for runs of zeros, and sums it up per cluster.
 * Zeros count only where the cost rules count them: the verdicts come from the calculator.
 */
final class TenantActivity {

    private TenantActivity() {
    }

    /** Per tenant, its clusters' activity (tenants without series in the day are absent). */
    static Map<String, List<ClusterActivity>> read(ExporterReader reader, HourlyCostCalculator calculator, List<String> batch,
                                                   Window day, Instant now) {
        ExporterSource.SumsRead sums = reader.readSums(batch, day);
        Map<List<String>, Builder> clusters = new TreeMap<>(
                Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        List<Series> health = new ArrayList<>();
        List<Series> totals = new ArrayList<>();
        if (sums.unsettled()) {
            // samples too sparse for the hourly sums (as the job then does): the raw samples tell the same
            for (Series s : reader.readRaw(batch, List.of(), day, false).series()) {
                if (s.metric() == ExporterMetric.EXPORTER_SCRAPE_SUCCESS) {
                    health.add(s);
                    continue;
                }
                if (s.metric() == ExporterMetric.CLUSTER_TOTAL_COST) {
                    totals.add(s);
                }
                Builder c = clusters.computeIfAbsent(List.of(s.tenant(), s.cluster()), Builder::new);
                for (long t : s.timestamps()) {
                    long hour = Math.floorDiv(t, Window.HOUR_MS) * Window.HOUR_MS;
                    if (hour <= now.toEpochMilli()) {
                        c.hadData(hour, s.namespace());
                    }
                }
            }
        } else {
            totals.addAll(reader.readRaw(ExporterMetric.CLUSTER_TOTAL_COST, batch, day).series());
            for (SeriesHours s : sums.series()) {
                Builder c = clusters.computeIfAbsent(List.of(s.ref().tenant(), s.ref().cluster()), Builder::new);
                for (int i = 0; i < s.hours(); i++) {
                    if (s.counts()[i] > 0 && s.hourStart(i) <= now.toEpochMilli()) {
                        c.hadData(s.hourStart(i), s.ref().namespace());
                    }
                }
            }
            health.addAll(sums.health());
        }
        for (Series h : health) {
            clusters.computeIfAbsent(List.of(h.tenant(), h.cluster()), Builder::new).health.add(h);
        }
        List<Series> auditInput = new ArrayList<>(totals);
        auditInput.addAll(health);
        for (AuditedSeries a : calculator.audit(day.start(), day.end(), auditInput)) {
            clusters.computeIfAbsent(List.of(a.series().tenant(), a.series().cluster()), Builder::new).totals.add(a);
        }
        Map<String, List<ClusterActivity>> out = new TreeMap<>();
        clusters.values().forEach(b -> out.computeIfAbsent(b.tenant, k -> new ArrayList<>()).add(b.build(day, now)));
        return out;
    }

    private static final class Builder {
        final String tenant;
        final String cluster;
        final Set<String> namespaces = new TreeSet<>();
        final List<Series> health = new ArrayList<>();
        final List<AuditedSeries> totals = new ArrayList<>();
        long lastHourWithData = Long.MIN_VALUE;

        void hadData(long hour, String namespace) {
            lastHourWithData = Math.max(lastHourWithData, hour);
            if (namespace != null) {
                namespaces.add(namespace);
            }
        }

        Builder(List<String> key) {
            this.tenant = key.get(0);
            this.cluster = key.get(1);
        }

        ClusterActivity build(Window day, Instant now) {
            long nowMs = now.toEpochMilli();
            long last = Long.MIN_VALUE;
            // pooled health samples: time -> 0 when any replica reported 0 then (rule 2 trusts the failure)
            TreeMap<Long, Double> pooled = new TreeMap<>();
            for (Series h : health) {
                for (int i = 0; i < h.size(); i++) {
                    long t = h.timestamps()[i];
                    if (t <= nowMs) {
                        pooled.merge(t, h.values()[i], Math::min);
                    }
                }
            }
            if (!pooled.isEmpty()) {
                last = pooled.lastKey();
            }
            for (AuditedSeries a : totals) {
                long[] t = a.series().timestamps();
                for (int i = t.length - 1; i >= 0; i--) {
                    if (t[i] <= nowMs) {
                        last = Math.max(last, t[i]);
                        break;
                    }
                }
            }
            boolean exact = last != Long.MIN_VALUE;
            if (!exact && lastHourWithData != Long.MIN_VALUE) {
                last = Math.min(nowMs, lastHourWithData + Window.HOUR_MS);
            }
            Double success = pooled.isEmpty() ? null : pooled.lastEntry().getValue();
            Instant failingSince = null;
            if (success != null && success == 0.0) {
                long since = pooled.lastKey();
                for (Map.Entry<Long, Double> e : pooled.descendingMap().entrySet()) {
                    if (e.getValue() != 0.0) {
                        break;
                    }
                    since = e.getKey();
                }
                failingSince = Instant.ofEpochMilli(since);
            }
            Set<Long> unhealthy = new TreeSet<>();
            pooled.forEach((t, v) -> {
                if (v == 0.0 && t >= day.startMs()) {
                    unhealthy.add(Math.floorDiv(t, Window.HOUR_MS) * Window.HOUR_MS);
                }
            });
            ZeroRuns zeros = ZeroRuns.of(totals, nowMs);
            return new ClusterActivity(tenant, cluster, namespaces.size(), last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last),
                    exact, success, failingSince, unhealthy.stream().map(Instant::ofEpochMilli).toList(), zeros.runs, zeros.allZero);
        }
    }

    /** Runs of counted zeros, merged across replicas of the cluster total. */
    private record ZeroRuns(List<ClusterActivity.ZeroRun> runs, boolean allZero) {

        static final long REPLICA_SLACK_MS = 60_000;

        static ZeroRuns of(Collection<AuditedSeries> totals, long nowMs) {
            List<long[]> runs = new ArrayList<>(); // {first, last, samples}
            boolean anyCounted = false;
            boolean anyNonZero = false;
            for (AuditedSeries a : totals) {
                long[] t = a.series().timestamps();
                double[] v = a.series().values();
                long[] run = null;
                for (int i = 0; i < t.length && t[i] <= nowMs; i++) {
                    if (a.verdicts()[i] != SampleVerdict.COUNTED) {
                        continue; // dropped samples neither start nor end a run of counted zeros
                    }
                    anyCounted = true;
                    if (v[i] == 0.0) {
                        if (run == null) {
                            run = new long[] {t[i], t[i], 0};
                            runs.add(run);
                        }
                        run[1] = t[i];
                        run[2]++;
                    } else {
                        anyNonZero = true;
                        run = null;
                    }
                }
            }
            if (!anyNonZero) {
                return new ZeroRuns(List.of(), anyCounted);
            }
            runs.sort((x, y) -> Long.compare(x[0], y[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] r : runs) {
                long[] cur = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                // HA replicas report one restart as runs a scrape offset apart: one run
                if (cur != null && r[0] <= cur[1] + REPLICA_SLACK_MS) {
                    cur[1] = Math.max(cur[1], r[1]);
                    cur[2] = Math.max(cur[2], r[2]);
                } else {
                    merged.add(r.clone());
                }
            }
            List<ClusterActivity.ZeroRun> out = merged.stream().map(r -> new ClusterActivity.ZeroRun(Instant.ofEpochMilli(r[0]),
                    Instant.ofEpochMilli(r[1]), (int) r[2])).toList();
            return new ZeroRuns(out, false);
        }
    }
}
