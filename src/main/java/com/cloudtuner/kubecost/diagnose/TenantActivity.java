package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.exporter.ExporterSource;
import com.cloudtuner.kubecost.cost.AuditedSeries;
import com.cloudtuner.kubecost.cost.ClusterKey;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.HealthTimeline;
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
        Map<ClusterKey, Builder> clusters = new TreeMap<>(Comparator.comparing(ClusterKey::tenant).thenComparing(ClusterKey::cluster));
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
                Builder c = clusters.computeIfAbsent(new ClusterKey(s.tenant(), s.cluster()), Builder::new);
                for (long t : s.timestamps()) {
                    long hour = Window.hourOf(t);
                    if (hour <= now.toEpochMilli()) {
                        c.hadData(hour, s.namespace());
                    }
                }
            }
        } else {
            totals.addAll(reader.readRaw(ExporterMetric.CLUSTER_TOTAL_COST, batch, day).series());
            for (SeriesHours s : sums.series()) {
                Builder c = clusters.computeIfAbsent(ClusterKey.of(s.ref()), Builder::new);
                for (int i = 0; i < s.hours(); i++) {
                    if (s.counts()[i] > 0 && s.hourStart(i) <= now.toEpochMilli()) {
                        c.hadData(s.hourStart(i), s.ref().namespace());
                    }
                }
            }
            health.addAll(sums.health());
        }
        for (Series h : health) {
            clusters.computeIfAbsent(new ClusterKey(h.tenant(), h.cluster()), Builder::new).health.add(h);
        }
        List<Series> auditInput = new ArrayList<>(totals);
        auditInput.addAll(health);
        for (AuditedSeries a : calculator.audit(day.start(), day.end(), auditInput)) {
            clusters.computeIfAbsent(new ClusterKey(a.series().tenant(), a.series().cluster()), Builder::new).totals.add(a);
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
        final Set<Long> hoursWithData = new TreeSet<>();
        long lastHourWithData = Long.MIN_VALUE;

        void hadData(long hour, String namespace) {
            lastHourWithData = Math.max(lastHourWithData, hour);
            hoursWithData.add(hour);
            if (namespace != null) {
                namespaces.add(namespace);
            }
        }

        Builder(ClusterKey key) {
            this.tenant = key.tenant();
            this.cluster = key.cluster();
        }

        ClusterActivity build(Window day, Instant now) {
            long nowMs = now.toEpochMilli();
            HealthTimeline timeline = HealthTimeline.of(health, 0);
            long last = timeline.latestAtOrBefore(nowMs);
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
            // rule 2's pooling: replicas reporting the same instant, a 0 wins
            Double success = timeline.latestAtOrBefore(nowMs) == Long.MIN_VALUE ? null : timeline.failingAt(nowMs) ? 0.0 : 1.0;
            Long since = timeline.failingSince(nowMs);
            List<Instant> unhealthy = timeline.failingHours(day.startMs(), nowMs).stream().map(Instant::ofEpochMilli).toList();
            ZeroRuns zeros = ZeroRuns.of(totals, nowMs);
            return new ClusterActivity(tenant, cluster, namespaces.size(), last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last),
                    exact, success, since == null ? null : Instant.ofEpochMilli(since), unhealthy, zeros.runs, zeros.allZero,
                    hoursWithData.stream().map(Instant::ofEpochMilli).toList());
        }
    }

    /** Runs of counted zeros, merged across replicas of the cluster total. */
    private record ZeroRuns(List<ClusterActivity.ZeroRun> runs, boolean allZero) {

        static final long REPLICA_SLACK_MS = 60_000;

        static ZeroRuns of(Collection<AuditedSeries> totals, long nowMs) {
            List<ClusterActivity.ZeroRun> runs = new ArrayList<>();
            boolean anyCounted = false;
            boolean anyNonZero = false;
            for (AuditedSeries a : totals) {
                long[] t = a.series().timestamps();
                double[] v = a.series().values();
                ClusterActivity.ZeroRun run = null;
                for (int i = 0; i < t.length && t[i] <= nowMs; i++) {
                    if (a.verdicts()[i] != SampleVerdict.COUNTED) {
                        continue; // dropped samples neither start nor end a run of counted zeros
                    }
                    anyCounted = true;
                    if (v[i] == 0.0) {
                        Instant at = Instant.ofEpochMilli(t[i]);
                        run = run == null ? new ClusterActivity.ZeroRun(at, at, 1) : new ClusterActivity.ZeroRun(run.first(), at,
                                run.samples() + 1);
                    } else {
                        anyNonZero = true;
                        if (run != null) {
                            runs.add(run);
                        }
                        run = null;
                    }
                }
                if (run != null) {
                    runs.add(run);
                }
            }
            if (!anyNonZero) {
                return new ZeroRuns(List.of(), anyCounted);
            }
            runs.sort(Comparator.comparing(ClusterActivity.ZeroRun::first));
            List<ClusterActivity.ZeroRun> merged = new ArrayList<>();
            for (ClusterActivity.ZeroRun r : runs) {
                ClusterActivity.ZeroRun cur = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                // HA replicas report one restart as runs a scrape offset apart: one run
                if (cur != null && !r.first().isAfter(cur.last().plusMillis(REPLICA_SLACK_MS))) {
                    merged.set(merged.size() - 1, new ClusterActivity.ZeroRun(cur.first(),
                            r.last().isAfter(cur.last()) ? r.last() : cur.last(), Math.max(cur.samples(), r.samples())));
                } else {
                    merged.add(r);
                }
            }
            return new ZeroRuns(merged, false);
        }
    }
}
