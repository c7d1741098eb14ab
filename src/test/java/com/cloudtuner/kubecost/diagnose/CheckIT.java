package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.ClickHouseRunLedger;
import static com.cloudtuner.kubecost.testing.CheckRuns.cluster;
import static com.cloudtuner.kubecost.testing.CheckRuns.finding;
import static com.cloudtuner.kubecost.testing.CheckRuns.findings;
import static com.cloudtuner.kubecost.testing.CheckRuns.problemsWhere;
import static com.cloudtuner.kubecost.testing.CheckRuns.strings;
import static com.cloudtuner.kubecost.testing.CheckRuns.tenant;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.Migration;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cost.SampleCounts;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.testing.CheckRuns;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code check} against one generated day in which every tenant carries one fault from the field:
 * a tenant id that changed, a metric family the exporter stopped publishing, series without their
 * currency, a cluster that stopped reporting, zeros after a restart, hours with the exporter
 * unhealthy, a scrape job without honor_labels, a failed run in the ledger; and a database whose
 * applied migration was edited. Each test checks one tenant, so its fault is the only problem.
 */
@ExtendWith(RealServers.class)
class CheckIT {

    private static final Instant NOW = Instant.parse("2025-10-14T12:10:00Z");
    private static final long FROM = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();
    private static final long END = NOW.toEpochMilli();
    private static final long SWITCH = Instant.parse("2025-10-14T06:00:00Z").toEpochMilli();
    private static final long STALE_END = Instant.parse("2025-10-14T09:10:00Z").toEpochMilli();
    private static final long RESTART = Instant.parse("2025-10-14T03:00:00Z").toEpochMilli();

    private static TestDatabase db;
    private static List<String> servers;

    @BeforeAll
    static void load(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        new GeneratedTenant("healthy", "prod", FROM, END).writeTo(e);
        new GeneratedTenant("ledger", "prod", FROM, END).writeTo(e);
        // the exporter's tenantId and the remote_write header disagree from SWITCH on
        new GeneratedTenant("acme", "prod", FROM, SWITCH).writeTo(e);
        new GeneratedTenant("acme-prod", "prod", SWITCH, END).writeTo(e);
        new GeneratedTenant("nopv", "prod", FROM, END).without(ExporterMetric.NAMESPACE_PV_COST).writeTo(e);
        new GeneratedTenant("nocurrency", "prod", FROM, END).withoutCurrency().writeTo(e);
        new GeneratedTenant("stale", "a", FROM, END).writeTo(e);
        new GeneratedTenant("stale", "b", FROM, STALE_END).writeTo(e);
        // a restart: three scrapes missing, then seven scrapes of zeros while scrape success says 1
        new GeneratedTenant("restart", "prod", FROM, END)
                .notScrapedWhen(t -> t >= RESTART && t < RESTART + 3 * MINUTE)
                .zeroCostsWhen(t -> t >= RESTART + 3 * MINUTE && t < RESTART + 10 * MINUTE).writeTo(e);
        // unhealthy in two hours; its zeros then are dropped by rule 2, so they are no restart zeros
        long h5 = Instant.parse("2025-10-14T05:00:00Z").toEpochMilli();
        long h8 = Instant.parse("2025-10-14T08:00:00Z").toEpochMilli();
        java.util.function.LongPredicate down = t -> t >= h5 + 10 * MINUTE && t < h5 + 13 * MINUTE
                || t >= h8 + 20 * MINUTE && t < h8 + 22 * MINUTE;
        new GeneratedTenant("flaky", "prod", FROM, END).unhealthyWhen(down).zeroCostsWhen(down).writeTo(e);
        new GeneratedTenant("honor", "prod", FROM, END).scrapedWithoutHonorLabels("kubecost").writeTo(e);
        prometheus.load(e.dataset());
        db = database;
        servers = Worker.serverArgs(database, prometheus.url());
        Worker.Result hourly = Worker.run(servers, "hourly", "--now=" + NOW);
        assertThat(hourly.exitCode()).as(hourly.toString()).isZero();
    }

    private static Worker.Result check(String... args) {
        return CheckRuns.check(servers, NOW, args);
    }

    /** {@code check --json} with these arguments: the document, its exit code and problem count checked against each other. */
    private static JsonNode checkJson(String... args) {
        return CheckRuns.checkJson(servers, NOW, args);
    }

    /** How the findings of the test database's ClickHouse are placed. */
    private static String clickhouse(String database) {
        return "clickhouse " + db.properties().url() + " database " + database;
    }

    private static String thanos(JsonNode doc) {
        return "thanos " + doc.get("thanos").get("url").asString();
    }

    /** The label a finding's text line starts with, by its JSON level. */
    private static String label(String level) {
        return switch (level) {
            case "ok" -> "ok      ";
            case "note" -> "note    ";
            case "problem" -> "PROBLEM ";
            default -> throw new AssertionError("level " + level);
        };
    }

    @Test
    void aHealthyTenantPassesEveryCheck() {
        JsonNode doc = checkJson("--tenant=healthy");
        assertThat(doc.get("healthy").asBoolean()).isTrue();
        assertThat(doc.get("problems").asLong()).isZero();
        assertThat(findings(doc)).containsExactly(
                "ok thanos_reachable " + thanos(doc),
                "ok families exporter",
                "ok labels exporter",
                "ok range_semantics " + thanos(doc),
                "ok cluster tenant healthy cluster prod",
                "ok clickhouse " + clickhouse(db.name()),
                "ok watermarks clickhouse",
                "ok runs clickhouse",
                // its only run is the hourly one at NOW: the day's hours before 09:00 were never processed
                "note history_not_backfilled tenant healthy cluster prod");
        assertThat(doc.get("thanos").get("reachable").asBoolean()).isTrue();
        assertThat(doc.get("thanos").get("version").asString()).startsWith("2.42");
        // every family, each present for the one tenant looked at
        assertThat(doc.get("exporter").get("families")).hasSize(ExporterMetric.values().length)
                .allSatisfy(f -> assertThat(f.get("tenants").asInt()).as(f.toString()).isEqualTo(1));
        assertThat(doc.get("exporter").get("label_problems")).isEmpty();
        // scraped every minute at :07 until 12:10: the last at 12:09:07, 53 s before NOW
        JsonNode prod = cluster(doc, "healthy", "prod");
        assertThat(prod.get("namespaces").asInt()).isEqualTo(2);
        assertThat(prod.get("last_sample_age_seconds").asLong()).isEqualTo(53);
        assertThat(prod.get("stale").asBoolean()).isFalse();
        assertThat(prod.get("exporter_scrape_success").asDouble()).isEqualTo(1.0);
        assertThat(prod.get("unhealthy_hours")).isEmpty();
        assertThat(prod.get("zero_runs")).isEmpty();
        JsonNode ch = doc.get("clickhouse");
        assertThat(ch.get("reachable").asBoolean()).isTrue();
        assertThat(ch.get("migrations")).hasSize(MigrationSource.classpath().size())
                .allSatisfy(m -> assertThat(m.get("status").asString()).as(m.toString()).isEqualTo("applied"));
        assertThat(ch.get("failed_runs")).isEmpty();
        // the hourly run at 12:10 wrote up to 12:00, the end of the last complete hour (10m settle delay)
        assertThat(tenant(doc, "healthy").get("watermark_lag_seconds").asLong()).isZero();
    }

    @Test
    void jsonIsOneDocumentWithTheFactsBehindTheLines() {
        JsonNode doc = checkJson("--tenant=healthy");
        assertThat(doc.get("healthy").asBoolean()).isTrue();
        assertThat(doc.get("thanos").get("range_semantics").asString()).isEqualTo("closed");
        JsonNode cluster = doc.get("tenants").get(0).get("clusters").get(0);
        assertThat(cluster.get("cluster").asString()).isEqualTo("prod");
        assertThat(cluster.get("last_sample").asString()).isEqualTo("2025-10-14T12:09:07Z");
        assertThat(doc.get("tenants").get(0).get("watermark").asString()).isEqualTo("2025-10-14T12:00:00Z");
        // its newest rows, of 11:00, reach 12:00, the end of the last complete hour
        assertThat(doc.get("tenants").get(0).get("newest_row_data").asString()).isEqualTo("2025-10-14T12:00:00Z");
        assertThat(doc.get("tenants").get(0).get("newest_row_lag_seconds").asLong()).isZero();

        // the text has a line for each finding of the document, in its order, between a heading and a summary;
        // stale's two clusters' notes alike but for the cluster share one line that counts them
        for (String tenant : List.of("--tenant=healthy", "--tenant=stale")) {
            JsonNode json = checkJson(tenant);
            Worker.Result text = check(tenant);
            assertThat(text.exitCode()).isEqualTo(json.get("problems").asLong() == 0 ? ExitCodes.OK : ExitCodes.FAILED);
            List<String> lines = text.outLines();
            int line = 1;
            for (JsonNode f : json.get("findings")) {
                String start = label(f.get("level").asString()) + " ";
                String where = f.get("where").asString();
                while (line < lines.size() - 1 && !(lines.get(line).startsWith(start) && lines.get(line).contains(where))) {
                    line++;
                }
                assertThat(line).as(text.out() + "\nno line for " + f).isLessThan(lines.size() - 1);
            }
            assertThat(lines).as(text.out()).hasSize(json.get("findings").size() + 2 - (tenant.endsWith("stale") ? 1 : 0));
        }
    }

    @Test
    void aTenantIdThatChangedIsNamedWithTheTenantThatAppearedInItsPlace() {
        JsonNode doc = checkJson("--tenant=acme");
        assertThat(problemsWhere(doc)).contains("tenant_id_changed tenant acme", "stale_cluster tenant acme cluster prod");
        // acme's last scrape was at 05:59:07; acme-prod's first at 06:00:07, with the same cluster
        JsonNode changed = tenant(doc, "acme").get("id_changed");
        assertThat(changed.get("to").asString()).isEqualTo("acme-prod");
        assertThat(strings(changed.get("shared_clusters"))).containsExactly("prod");
        assertThat(changed.get("since").asString()).isEqualTo("2025-10-14T05:59:07Z");
        // 12:10:00 - 05:59:07 = 6 h 10 min 53 s
        JsonNode prod = cluster(doc, "acme", "prod");
        assertThat(prod.get("last_sample").asString()).isEqualTo("2025-10-14T05:59:07Z");
        assertThat(prod.get("last_sample_age_seconds").asLong()).isEqualTo(6 * 3600 + 10 * 60 + 53);
        assertThat(prod.get("stale").asBoolean()).isTrue();

        // with TENANTS set, the tenant that appeared is explained by that line, not reported again as unknown
        JsonNode configured = CheckRuns.checkJson(Worker.withOption(servers, "worker.tenants", "acme,healthy"), NOW);
        assertThat(problemsWhere(configured)).contains("tenant_id_changed tenant acme", "tenant_not_configured tenant nopv")
                .doesNotContain("tenant_not_configured tenant acme-prod");
        assertThat(tenant(configured, "acme").get("id_changed").get("to").asString()).isEqualTo("acme-prod");
    }

    @Test
    void aTenantExpectedButAbsentFromThanosIsNamed() {
        JsonNode doc = checkJson("--tenant=ghost");
        assertThat(problemsWhere(doc)).contains("tenant_absent tenant ghost");
        JsonNode ghost = tenant(doc, "ghost");
        assertThat(ghost.get("given_with_tenant_option").asBoolean()).isTrue();
        assertThat(ghost.get("in_tenants_setting").asBoolean()).isFalse();
        assertThat(ghost.get("in_thanos").asBoolean()).isFalse();
        assertThat(ghost.get("clusters")).isNull();
    }

    @Test
    void aMetricFamilyTheExporterDoesNotPublishIsNamed() {
        JsonNode doc = checkJson("--tenant=nopv");
        assertThat(problemsWhere(doc)).containsExactly("missing_family exporter");
        // the one tenant looked at has every family but namespace_pv_cost
        String pv = ExporterMetric.NAMESPACE_PV_COST.metricName(Exporter.PREFIX);
        assertThat(doc.get("exporter").get("families")).hasSize(ExporterMetric.values().length)
                .allSatisfy(f -> assertThat(f.get("tenants").asInt()).as(f.toString()).isEqualTo(f.get("name").asString().equals(pv) ? 0 : 1));
    }

    @Test
    void seriesWithoutALabelARowNeedsAreNamed() {
        JsonNode doc = checkJson("--tenant=nocurrency");
        assertThat(problemsWhere(doc)).containsExactly("missing_label tenant nocurrency");
        // 6 cluster and 4 namespace cost families x 2 namespaces; efficiencies carry no currency anyway
        assertThat(doc.get("exporter").get("label_problems")).singleElement().satisfies(p -> {
            assertThat(p.get("tenant").asString()).isEqualTo("nocurrency");
            assertThat(p.get("code").asString()).isEqualTo("missing_label");
            assertThat(p.get("label").asString()).isEqualTo("currency");
            assertThat(p.get("series").asInt()).isEqualTo(14);
            assertThat(p.get("example").asString()).startsWith(Exporter.PREFIX).doesNotContain("currency=");
        });
    }

    @Test
    void aClusterThatStoppedReportingIsStaleWhileTheOtherIsNot() {
        JsonNode doc = checkJson("--tenant=stale");
        assertThat(problemsWhere(doc)).containsExactly("stale_cluster tenant stale cluster b");
        assertThat(finding(doc, "cluster", "tenant stale cluster a").get("level").asString()).isEqualTo("ok");
        // the last scrape of b was at 09:09:07, 3 h 0 min 53 s before 12:10; a's at 12:09:07
        JsonNode b = cluster(doc, "stale", "b");
        assertThat(b.get("last_sample").asString()).isEqualTo("2025-10-14T09:09:07Z");
        assertThat(b.get("last_sample_age_seconds").asLong()).isEqualTo(3 * 3600 + 53);
        assertThat(b.get("stale").asBoolean()).isTrue();
        JsonNode a = cluster(doc, "stale", "a");
        assertThat(a.get("last_sample_age_seconds").asLong()).isEqualTo(53);
        assertThat(a.get("stale").asBoolean()).isFalse();
        JsonNode lenient = checkJson("--tenant=stale", "--stale-after=4h");
        assertThat(problemsWhere(lenient)).isEmpty();
        assertThat(cluster(lenient, "stale", "b").get("stale").asBoolean()).isFalse();
    }

    @Test
    void zerosAfterARestartThatTheRulesCountAreNamedWithTheExporterSettingThatAvoidsThem() {
        JsonNode doc = checkJson("--tenant=restart");
        assertThat(problemsWhere(doc)).containsExactly("restart_zeros tenant restart cluster prod");
        // 03:00:07..03:02:07 not scraped, then the seven scrapes 03:03:07..03:09:07 at 0
        assertThat(cluster(doc, "restart", "prod").get("zero_runs")).singleElement().satisfies(run -> {
            assertThat(run.get("first").asString()).isEqualTo("2025-10-14T03:03:07Z");
            assertThat(run.get("last").asString()).isEqualTo("2025-10-14T03:09:07Z");
            assertThat(run.get("samples").asInt()).isEqualTo(7);
        });
        // the fix names the exporter's health metric, and the explain command for the run's hour
        assertThat(finding(doc, "restart_zeros", "tenant restart cluster prod").get("fix").asString())
                .contains("exporter_scrape_success")
                .contains("explain --tenant=restart --cluster=prod --namespace=__unallocated__ --hour=2025-10-14T03:00:00Z");
    }

    @Test
    void hoursWithTheExporterUnhealthyAreNamedAndTheirDroppedZerosAreNoRestart() {
        JsonNode doc = checkJson("--tenant=flaky");
        assertThat(problemsWhere(doc)).containsExactly("unhealthy_hours tenant flaky cluster prod");
        JsonNode prod = cluster(doc, "flaky", "prod");
        assertThat(strings(prod.get("unhealthy_hours"))).containsExactly("2025-10-14T05:00:00Z", "2025-10-14T08:00:00Z");
        assertThat(prod.get("zero_runs")).isEmpty();
        // healthy again since 08:22
        assertThat(prod.get("exporter_scrape_success").asDouble()).isEqualTo(1.0);
        assertThat(prod.get("failing_since").isNull()).isTrue();
    }

    @Test
    void aScrapeJobWithoutHonorLabelsIsNamedWithItsFix() {
        JsonNode doc = checkJson("--tenant=honor");
        assertThat(problemsWhere(doc)).containsExactly("honor_labels_conflict tenant honor");
        // 7 namespace families x 2 namespaces, each carrying the job's namespace in place of its own
        assertThat(doc.get("exporter").get("label_problems")).singleElement().satisfies(p -> {
            assertThat(p.get("code").asString()).isEqualTo("honor_labels_conflict");
            assertThat(p.get("label").asString()).isEqualTo("exported_namespace");
            assertThat(p.get("series").asInt()).isEqualTo(14);
            assertThat(p.get("example").asString()).contains("namespace=\"kubecost\"");
        });
        assertThat(finding(doc, "honor_labels_conflict", "tenant honor").get("fix").asString()).contains("honor_labels: true");
    }

    @Test
    void aFailedRunOfTheLastDayIsNamedWithTheCommandThatRedoesIt() {
        try (ClickHouseGateway ch = db.newGateway()) {
            new ClickHouseRunLedger(ch).record(List.of(new RunLedger.Entry("r-failed", "backfill", "ledger",
                    Instant.parse("2025-10-13T00:00:00Z"), Instant.parse("2025-10-14T00:00:00Z"), "failed", WriteResult.NOTHING,
                    SampleCounts.NONE, 0, NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(2)), "Thanos answered HTTP 503", false)));
        }
        JsonNode doc = checkJson("--tenant=ledger");
        assertThat(problemsWhere(doc)).containsExactly("failed_run tenant ledger");
        assertThat(doc.get("clickhouse").get("failed_runs")).singleElement().satisfies(run -> {
            assertThat(run.get("run_id").asString()).isEqualTo("r-failed");
            assertThat(run.get("mode").asString()).isEqualTo("backfill");
            assertThat(run.get("window_start").asString()).isEqualTo("2025-10-13T00:00:00Z");
            assertThat(run.get("window_end").asString()).isEqualTo("2025-10-14T00:00:00Z");
            assertThat(run.get("started_at").asString()).isEqualTo("2025-10-14T10:10:00Z");
            assertThat(run.get("error").asString()).isEqualTo("Thanos answered HTTP 503");
            assertThat(run.get("made_good_by_a_later_run").asBoolean()).isFalse();
        });
        // the jar's path is the running jar's (RunReport's rule), so only the arguments are fixed here
        assertThat(finding(doc, "failed_run", "tenant ledger").get("fix").asString())
                .endsWith(".jar backfill --from=2025-10-13T00:00:00Z --to=2025-10-14T00:00:00Z --tenant=ledger");
    }

    @Test
    void anAppliedMigrationThatWasEditedIsNamedAndNothingIsMigrated(@TempDir Path dir) throws Exception {
        for (Migration m : MigrationSource.classpath()) {
            String sql = m.version() == 2 ? m.sql() + "\n-- edited after it was applied\n" : m.sql();
            Files.writeString(dir.resolve(m.script()), sql);
        }
        String edited = db.name() + "_edited";
        ClickHouseProperties p = db.properties();
        try (ClickHouseGateway ch = new ClickHouseGateway(new ClickHouseProperties(p.url(), p.user(), p.password(), edited,
                p.socketTimeout(), p.migrationLockTimeout(), p.maxInsertRows(), p.retries(), p.retryBackoff()))) {
            ch.ensureDatabase();
            new Migrator(ch, MigrationSource.directory(dir), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
            JsonNode doc = CheckRuns.checkJson(Worker.withOption(servers, "clickhouse.database", edited), NOW, "--tenant=healthy");
            assertThat(problemsWhere(doc)).contains("migration_changed " + clickhouse(edited));
            // V2 alone: recorded with the checksum of the file as it was applied, the file now another
            assertThat(doc.get("clickhouse").get("migrations")).allSatisfy(m -> {
                boolean v2 = m.get("script").asString().equals("V2__k8s_cluster_expenses.sql");
                assertThat(m.get("status").asString()).as(m.toString()).isEqualTo(v2 ? "changed" : "applied");
                assertThat(m.get("recorded_checksum").asString().equals(m.get("file_checksum").asString())).as(m.toString()).isNotEqualTo(v2);
            });
            // every migration was applied before the edit, and check applied nothing more
            assertThat(ch.select("SELECT count() AS n FROM k8s_worker_schema_history").get(0).get("n").asLong())
                    .isEqualTo(MigrationSource.classpath().size());
        } finally {
            db.execute("DROP DATABASE IF EXISTS `" + edited + "`");
        }
    }

    @Test
    void aMissingDatabaseIsReportedAndNotCreated() {
        String absent = db.name() + "_absent";
        JsonNode doc = CheckRuns.checkJson(Worker.withOption(servers, "clickhouse.database", absent), NOW, "--tenant=healthy");
        assertThat(problemsWhere(doc)).containsExactly("clickhouse_no_database " + clickhouse(absent));
        assertThat(doc.get("clickhouse").get("reachable").asBoolean()).isFalse();
        assertThat(finding(doc, "clickhouse_no_database", clickhouse(absent)).get("fix").asString())
                .contains("java -jar kubecost-worker.jar migrate");
        assertThat(db.query("SELECT count() AS n FROM system.databases WHERE name = '" + absent + "'").get(0).get("n").asLong()).isZero();
    }

    @Test
    void anUnreachableThanosIsOneProblemAndClickHouseIsStillChecked() {
        JsonNode doc = CheckRuns.checkJson(Worker.withOption(servers, "thanos.url", "http://127.0.0.1:9"), NOW, "--tenant=healthy",
                "--thanos.retries=0");
        assertThat(problemsWhere(doc)).containsExactly("thanos_unreachable thanos http://127.0.0.1:9");
        assertThat(doc.get("thanos").get("reachable").asBoolean()).isFalse();
        assertThat(finding(doc, "thanos_unreachable", "thanos http://127.0.0.1:9").get("fix").asString()).contains("THANOS_URL");
        assertThat(finding(doc, "clickhouse", clickhouse(db.name())).get("level").asString()).isEqualTo("ok");
        assertThat(doc.get("clickhouse").get("migrations")).hasSize(MigrationSource.classpath().size());
    }

    @Test
    void badOptionsAreBadInput() {
        Worker.Result r = check("--stale-after=soon");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--stale-after");
        assertThat(r.out()).isEmpty();
    }
}
