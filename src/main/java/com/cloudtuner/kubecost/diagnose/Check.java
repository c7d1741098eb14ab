package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.Command;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.exporter.ExporterLabels;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.exporter.RangeSemantics;
import com.cloudtuner.kubecost.exporter.TenantBatches;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code check}: reads Thanos and ClickHouse through the job's own clients and configuration and
 * reports what would make the job's numbers wrong or missing. Changes nothing anywhere.
 */
final class Check {

    private final ThanosClient thanos;
    private final ExporterReader reader;
    private final StorageHealth storage;
    private final HourlyCostCalculator calculator;
    private final TenantIds tenantIds;
    private final Settings settings;

    /** What the check is told about where it looks: the servers' addresses (redacted) and the job's settings. */
    record Settings(String thanosUrl, String clickhouseUrl, WorkerProperties worker) {
    }

    Check(ThanosClient thanos, ExporterReader reader, StorageHealth storage, HourlyCostCalculator calculator, TenantIds tenantIds,
          Settings settings) {
        this.thanos = thanos;
        this.reader = reader;
        this.storage = storage;
        this.calculator = calculator;
        this.tenantIds = tenantIds;
        this.settings = settings;
    }

    CheckReport run(Command.Check command, Instant now) {
        Instant hour = Window.floorHour(now);
        Window day = new Window(hour.minus(Duration.ofHours(23)), hour.plus(Duration.ofHours(1)));
        CheckReport report = new CheckReport(now, day, command.tenants().isEmpty());
        Map<String, List<ClusterActivity>> activity = new TreeMap<>();
        List<String> processed = checkThanos(command, now, day, report, activity);
        storage.check(settings.clickhouseUrl(), command.tenants(), processed, activity, now, command.maxLag(), report);
        return report;
    }

    /**
     * The Thanos part; returns the tenants with data that the hourly run processes (for their
     * watermarks), and puts what their clusters did in the last day into {@code activity}.
     */
    private List<String> checkThanos(Command.Check command, Instant now, Window day, CheckReport report,
                                     Map<String, List<ClusterActivity>> activity) {
        String url = settings.thanosUrl();
        WorkerProperties worker = settings.worker();
        if (!ThanosReachability.probe(thanos, url, report)) {
            return List.of();
        }
        String prefix = worker.exporter().prefix();
        List<String> discovered;
        try {
            discovered = reader.discover(day);
        } catch (ThanosQueryException e) {
            report.add(ThanosFailures.problem("thanos " + url + " (tenant discovery)", e));
            return List.of();
        }
        TenantIds.Split split = tenantIds.split(discovered);
        TenantIds.Split configured = tenantIds.split(worker.tenants());
        TenantIds.Split selected = tenantIds.split(command.tenants());
        Set<String> invalid = new TreeSet<>(split.invalid());
        invalid.addAll(configured.invalid());
        invalid.addAll(selected.invalid());
        // examined: the tenants given, else TENANTS and everyone seen; only valid ids reach a query
        Set<String> examined = new TreeSet<>(selected.valid());
        if (command.tenants().isEmpty()) {
            examined.addAll(configured.valid());
            examined.addAll(split.valid());
        }
        List<String> scope = selected.valid();

        // tenants given, none of them valid: nothing to look at (an empty scope would mean every tenant)
        if (command.tenants().isEmpty() || !scope.isEmpty()) {
            guarded(report, url, "metric families", () -> MetricFamilies.report(
                    MetricFamilies.read(thanos, prefix, scope, day.start(), now), prefix, scope, report));
            guarded(report, url, "series labels", () -> SeriesLabels.check(thanos, prefix, scope, day.start(), now, report));
        }

        List<String> present = examined.stream().filter(split.valid()::contains).toList();
        boolean activityRead = guarded(report, url, "the exporter's series of the last day",
                () -> activity.putAll(activity(present, day, now)));
        rangeSemantics(url, report);
        Map<String, Map<String, BitSet>> presence = new TreeMap<>();
        guarded(report, url, "tenant presence", () -> presence.putAll(reader.presence(day)));
        new TenantRoster(worker.tenants(), command.tenants(), discovered, invalid, presence, activity, activityRead,
                tenant -> pastClusters(prefix, tenant, now), worker.tenantPattern()).report(day, now, command.staleAfter(), report);
        activity.values().forEach(clusters -> clusters.forEach(c -> ClusterFindings.report(c, now, command.staleAfter(), report)));
        MissingHours.holes(activity, report);

        for (String t : examined) {
            report.tenant(t).put("in_tenants_setting", configured.valid().contains(t)).put("matches_tenant_pattern", true)
                    .put("in_thanos", split.valid().contains(t)).put("given_with_tenant_option", selected.valid().contains(t));
        }
        return processed(activity.keySet(), configured.valid().isEmpty() ? split.valid() : configured.valid());
    }

    /** The tenants with data that the hourly run processes: TENANTS, or everyone discovered. */
    private static List<String> processed(Set<String> withData, List<String> runsFor) {
        Set<String> runs = new LinkedHashSet<>(runsFor);
        return withData.stream().filter(runs::contains).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** What each tenant's clusters did in the last day, read batch by batch as the job cuts them. */
    private Map<String, List<ClusterActivity>> activity(List<String> tenants, Window day, Instant now) {
        WorkerProperties.Batch batch = settings.worker().batch();
        Map<String, List<ClusterActivity>> activity = new TreeMap<>();
        for (List<String> tenantsOfBatch : TenantBatches.cut(tenants, reader.namespaceSeries(day), batch.maxSeries(), batch.maxTenants())) {
            activity.putAll(TenantActivity.read(reader, calculator, tenantsOfBatch, day, now));
        }
        return activity;
    }

    /** How the server's range selectors treat their ends, as the reads so far probed them. */
    private void rangeSemantics(String url, CheckReport report) {
        RangeSemantics semantics = reader.rangeSemantics();
        report.thanos().put("range_semantics", semantics == null ? null : semantics.name().toLowerCase());
        boolean answersClean = report.findings().stream()
                .noneMatch(f -> f.level() == Finding.Level.PROBLEM && f.code().startsWith("thanos_"));
        report.add(semantics == null
                ? Finding.note("range_semantics", "thanos " + url, "range semantics not probed (no sample to probe on in the last day)")
                : Finding.ok("range_semantics", "thanos " + url, "range selectors are " + (semantics == RangeSemantics.CLOSED
                ? "closed [t-d, t] (Prometheus 2, Thanos)" : "left-open (t-d, t] (Prometheus 3, VictoriaMetrics)")
                + (answersClean ? "; answers so far came without warnings" : "")));
    }

    /** The clusters a tenant had in the last 30 days (an index lookup, no samples read). */
    private Set<String> pastClusters(String prefix, String tenant, Instant now) {
        if (!tenantIds.split(List.of(tenant)).invalid().isEmpty()) {
            return Set.of();
        }
        String match = "{__name__=~" + PromQl.quote(prefix + ".+") + "," + PromQl.anyOf(ExporterLabels.TENANT, List.of(tenant)) + "}";
        try {
            return new TreeSet<>(thanos.labelValues(ExporterLabels.CLUSTER, match, now.minus(Duration.ofDays(30)), now));
        } catch (ThanosQueryException e) {
            return Set.of();
        }
    }

    /** Runs one part of the Thanos check; a failing request becomes a problem line (false) and the others go on. */
    private static boolean guarded(CheckReport report, String url, String part, Runnable step) {
        try {
            step.run();
            return true;
        } catch (ThanosQueryException e) {
            report.add(ThanosFailures.problem("thanos " + url + " (" + part + ")", e));
            return false;
        }
    }
}
