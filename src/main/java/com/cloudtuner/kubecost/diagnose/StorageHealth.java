package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.MigrationState;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.run.WatermarkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ClickHouse as the job needs it, read-only: reachable with these credentials, every migration
 * applied with the checksum of this build's file (nothing is applied here), each tenant's watermark
 * close to the last complete hour, no run of the last day that failed and was not made good, and no
 * hours left behind past {@code worker.max-catch-up} ({@link SkippedHours}).
 */
final class StorageHealth {

    private static final int UNKNOWN_DATABASE = 81;

    private final ClickHouseGateway ch;
    private final Migrator migrator;
    private final Watermarks watermarks;
    private final RunLedger ledger;
    private final WatermarkPolicy policy;
    private final ExpenseStore store;

    StorageHealth(ClickHouseGateway ch, Migrator migrator, Watermarks watermarks, RunLedger ledger, WatermarkPolicy policy,
                  ExpenseStore store) {
        this.ch = ch;
        this.store = store;
        this.migrator = migrator;
        this.watermarks = watermarks;
        this.ledger = ledger;
        this.policy = policy;
    }

    /**
     * @param scope     the tenants given with --tenant; empty for all
     * @param processed tenants the hourly run processes and that have data: each should have a recent watermark
     */
    void check(String url, Collection<String> scope, Collection<String> processed, Map<String, List<ClusterActivity>> activity,
               Instant now, Duration maxLag, CheckReport report) {
        String where = "clickhouse " + url + " database " + ch.database();
        ObjectNode facts = report.clickhouse().put("url", url).put("database", ch.database());
        String version;
        try {
            version = ch.select("SELECT version() AS v").get(0).get("v").asString();
        } catch (ClickHouseException e) {
            facts.put("reachable", false).put("error", e.getMessage());
            report.add(unreachable(where, e, ch.database()));
            return;
        }
        facts.put("reachable", true).put("version", version);
        try {
            if (!migrations(where, version, facts, report)) {
                return; // the tables the other checks read may not exist yet
            }
            // a tenant without a current watermark is a problem of its own; its rows lag with it
            newestRows(watermarks(processed, now, maxLag, report), now, maxLag, report);
            FailedRuns.ofTenants(ledger, scope, now, report);
            SkippedHours.report(ledger, scope, now, report);
            if (scope.isEmpty()) { // a run's own failure names no tenant: it concerns all of them
                FailedRuns.whole(ledger, now, report);
            }
            if (!activity.isEmpty()) {
                rowsMissing(activity, now, report);
            }
        } catch (ClickHouseException e) {
            report.add(Finding.problem("clickhouse_error", where, e.getMessage(),
                    "the job's runs fail the same way: fix what the message names (grants, table, server log)"));
        }
    }

    private static Finding unreachable(String where, ClickHouseException e, String database) {
        if (e.code() == UNKNOWN_DATABASE) {
            return Finding.problem("clickhouse_no_database", where, "the database does not exist",
                    "java -jar kubecost-worker.jar migrate (creates it and the tables), or correct CLICKHOUSE_DATABASE"
                            + " (clickhouse.database)");
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Authentication failed") || message.contains("password is incorrect") || message.contains("Unknown user")
                || e.credentialsRefused()) {
            return Finding.problem("clickhouse_auth", where, "ClickHouse refused the credentials: " + message,
                    "set CLICKHOUSE_USER and CLICKHOUSE_PASSWORD (clickhouse.user, clickhouse.password)");
        }
        if (e.nativePort()) {
            return Finding.problem("clickhouse_native_port", where, "the native protocol's port answered: " + message,
                    "set CLICKHOUSE_URL (clickhouse.url) to ClickHouse's HTTP port: 8123 by default, 8443 with TLS");
        }
        return Finding.problem("clickhouse_unreachable", where, "no answer: " + message,
                "check CLICKHOUSE_URL (clickhouse.url, the HTTP port, usually 8123) and that ClickHouse is reachable from here");
    }

    /** False when migrations are pending. */
    private boolean migrations(String where, String version, ObjectNode facts, CheckReport report) {
        List<MigrationState> states = migrator.status();
        ArrayNode list = facts.putArray("migrations");
        List<String> pending = new ArrayList<>();
        int applied = 0;
        for (MigrationState m : states) {
            list.addObject().put("script", m.script()).put("status", m.status().name().toLowerCase())
                    .put("recorded_checksum", m.recordedChecksum()).put("file_checksum", m.fileChecksum());
            switch (m.status()) {
                case APPLIED -> applied++;
                case PENDING -> pending.add(m.script());
                case CHANGED -> report.add(Finding.problem("migration_changed", where, "migration db/migration/" + m.script()
                                + " was changed after it was applied (checksum recorded " + m.recordedChecksum().substring(0, 12)
                                + ", file now " + m.fileChecksum().substring(0, 12) + "): every run refuses to start",
                        "restore the file as it was applied and put the change in a new migration V<n>__<name>.sql"));
                case UNKNOWN_TO_THIS_BUILD -> report.add(Finding.note("migration_unknown", where, m.script()
                        + " was applied by a newer build; this one does not have it"));
            }
        }
        if (!pending.isEmpty()) {
            report.add(Finding.problem("migrations_pending", where, pending.size() + " of " + states.size() + " migrations not applied: "
                            + String.join(", ", pending),
                    "java -jar kubecost-worker.jar migrate (or let the next run apply them, worker.migrate-on-start)"));
        }
        if (pending.isEmpty() && states.stream().noneMatch(m -> m.status() == MigrationState.Status.CHANGED)) {
            report.add(Finding.ok("clickhouse", where, "ClickHouse " + version + " answers; all " + applied
                    + " migrations of this build applied, checksums intact"));
        }
        return pending.isEmpty();
    }

    /**
     * Each processed tenant with a current watermark: its newest row of the last day, behind the last
     * complete hour by no more than {@code maxLag}, as its watermark is. A tenant whose watermark
     * keeps up while its rows stopped: its exporter stopped, or its data are all refused or invalid.
     */
    private void newestRows(Collection<String> tenants, Instant now, Duration maxLag, CheckReport report) {
        if (tenants.isEmpty()) {
            return;
        }
        Instant complete = policy.completeUntil(now);
        Window day = new Window(Window.floorHour(now).minus(Duration.ofDays(1)), Window.floorHour(now).plus(Duration.ofHours(1)));
        Map<String, Instant> newest = store.newestData(tenants, day);
        for (String tenant : tenants) {
            Instant until = newest.get(tenant);
            Duration lag = until == null ? null : until.isBefore(complete) ? Duration.between(until, complete) : Duration.ZERO;
            report.tenant(tenant).put("newest_row_data", Json.instant(until))
                    .put("newest_row_lag_seconds", lag == null ? null : lag.toSeconds());
            if (lag == null || lag.compareTo(maxLag) > 0) {
                report.add(Finding.problem("rows_stale", "tenant " + tenant, (until == null ? "no row in the last day"
                                : "its newest row reaches " + until + ", " + Texts.age(lag) + " before the last complete hour " + complete)
                                + " although its watermark is current (--max-lag " + Texts.duration(maxLag) + ")",
                        "see its clusters' exporter findings and the runs' refused hours; hours with data but no rows: gaps"));
            }
        }
    }

    /** Reports each processed tenant's watermark; returns the tenants whose watermark is current. */
    private Set<String> watermarks(Collection<String> processed, Instant now, Duration maxLag, CheckReport report) {
        Map<String, Instant> marks = watermarks.all();
        Instant expected = policy.completeUntil(now);
        Set<String> current = new TreeSet<>();
        for (String tenant : processed) {
            Instant mark = marks.get(tenant);
            ObjectNode t = report.tenant(tenant).put("watermark", Json.instant(mark));
            String where = "tenant " + tenant;
            if (mark == null) {
                report.add(Finding.problem("no_watermark", where, "has exporter data but no watermark: no hourly run has written"
                                + " it yet (none ran for it, or every one failed for it)",
                        "the next hourly run does (kubectl -n kubecost-worker create job NAME --from=cronjob/kubecost-worker); older hours with: "
                                + Texts.backfill(new Window(Window.floorHour(now.minus(Duration.ofDays(1))), expected), tenant)));
                continue;
            }
            Duration lag = policy.lag(mark, now);
            t.put("watermark_lag_seconds", lag.toSeconds());
            if (lag.compareTo(maxLag) > 0) {
                report.add(Finding.problem("watermark_lag", where, "watermark " + mark + " is " + Texts.age(lag) + " behind the last"
                                + " complete hour (" + expected + "; --max-lag " + Texts.duration(maxLag) + "): later hours are not written",
                        "look at the CronJob's recent Jobs and their logs (and failed runs below); the next successful hourly run"
                                + " catches up, or now: " + Texts.backfill(new Window(mark, expected), tenant)));
            } else {
                current.add(tenant);
            }
        }
        if (!current.isEmpty()) {
            report.add(Finding.ok("watermarks", "clickhouse", current.size() + " tenant" + (current.size() == 1 ? "'s" : "s'")
                    + " watermark within " + Texts.duration(maxLag) + " of the last complete hour " + expected));
        }
        return current;
    }

    /** See {@link MissingHours#rowsMissing}: the stored rows, watermarks and runs of the last day's tenants with data. */
    private void rowsMissing(Map<String, List<ClusterActivity>> activity, Instant now, CheckReport report) {
        Window day = report.day();
        Map<String, List<Window>> succeeded = new HashMap<>();
        Map<String, List<Window>> processed = new HashMap<>();
        // a run over an hour of the day started after that hour: the day's runs are all there are
        for (RunLedger.Entry e : ledger.entries(day.start(), now.truncatedTo(ChronoUnit.SECONDS), activity.keySet())) {
            if (!e.provisional()) {
                Window w = new Window(e.windowStart(), e.windowEnd());
                processed.computeIfAbsent(e.tenant(), k -> new ArrayList<>()).add(w);
                if (e.status().equals("succeeded")) {
                    succeeded.computeIfAbsent(e.tenant(), k -> new ArrayList<>()).add(w);
                }
            }
        }
        MissingHours.rowsMissing(activity, store.clusterHoursWithRows(activity.keySet(), day), watermarks.all(), succeeded, processed,
                policy.completeUntil(now), policy.reprocessedFrom(now), report);
    }

}
