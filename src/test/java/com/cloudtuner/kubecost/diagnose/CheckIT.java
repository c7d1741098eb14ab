package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.ClickHouseRunLedger;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.Migration;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    /** The diagnosis codes of the problems a --json check found. */
    private static List<String> problemCodes(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--json");
        return CheckRuns.problems(check(all.toArray(String[]::new))).stream().map(f -> f.get("code").asString()).toList();
    }

    private static String problemLine(Worker.Result r, String start) {
        return CheckRuns.problemLine(r, start);
    }

    @Test
    void aHealthyTenantPassesEveryCheck() {
        Worker.Result r = check("--tenant=healthy");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("PROBLEM").contains("check: healthy");
        assertThat(r.outLines()).anySatisfy(l -> assertThat(l).startsWith("ok       thanos ").contains("answers, version 2.42"))
                .anySatisfy(l -> assertThat(l).contains("range selectors are closed [t-d, t]"))
                .anySatisfy(l -> assertThat(l).startsWith("ok       exporter: all 17 metric families present"))
                .anySatisfy(l -> assertThat(l).startsWith("ok       tenant healthy cluster prod: 2 namespaces, last sample 53s ago,"
                        + " exporter_scrape_success 1"))
                .anySatisfy(l -> assertThat(l).contains("migrations of this build applied, checksums intact"))
                .anySatisfy(l -> assertThat(l).contains("watermark within 2h of the last complete hour 2025-10-14T12:00:00Z"));
    }

    @Test
    void jsonIsOneDocumentWithTheFactsBehindTheLines() {
        Worker.Result r = check("--tenant=healthy", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JsonMapper.builder().build().readTree(r.out());
        assertThat(doc.get("healthy").asBoolean()).isTrue();
        assertThat(doc.get("thanos").get("range_semantics").asString()).isEqualTo("closed");
        JsonNode cluster = doc.get("tenants").get(0).get("clusters").get(0);
        assertThat(cluster.get("cluster").asString()).isEqualTo("prod");
        assertThat(cluster.get("last_sample").asString()).isEqualTo("2025-10-14T12:09:07Z");
        assertThat(doc.get("tenants").get(0).get("watermark").asString()).isEqualTo("2025-10-14T12:00:00Z");
    }

    @Test
    void aTenantIdThatChangedIsNamedWithTheTenantThatAppearedInItsPlace() {
        Worker.Result r = check("--tenant=acme");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant acme:")).contains("has no series since 2025-10-14T05:59:07Z; tenant acme-prod appeared at"
                + " the same time with the same clusters (prod): remote_write tenant header and the exporter's tenantId differ?");
        assertThat(problemLine(r, "tenant acme cluster prod:")).contains("last sample 6h10m ago");

        // with TENANTS set, the tenant that appeared is explained by that line, not reported again as unknown
        Worker.Result configured = Worker.run(Worker.withOption(servers, "worker.tenants", "acme,healthy"), "check", "--now=" + NOW);
        assertThat(problemLine(configured, "tenant acme:")).contains("tenant acme-prod appeared at the same time");
        assertThat(configured.out()).doesNotContain("tenant acme-prod: has exporter series in the last day but is not in TENANTS")
                .contains("PROBLEM  tenant nopv: has exporter series in the last day but is not in TENANTS");
    }

    @Test
    void aTenantExpectedButAbsentFromThanosIsNamed() {
        Worker.Result r = check("--tenant=ghost");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant ghost:")).contains("has no exporter series in the last day (given with --tenant)");
    }

    @Test
    void aMetricFamilyTheExporterDoesNotPublishIsNamed() {
        Worker.Result r = check("--tenant=nopv");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "exporter:")).contains("metric family cloudtuner_kubecost_namespace_pv_cost has no series for tenant nopv"
                + " in the last day: its cost column is 0 in every row");
        assertThat(problemCodes("--tenant=nopv")).containsExactly("missing_family");
    }

    @Test
    void seriesWithoutALabelARowNeedsAreNamed() {
        Worker.Result r = check("--tenant=nocurrency");
        assertThat(r.exitCode()).isEqualTo(1);
        // 6 cluster and 4 namespace cost families x 2 namespaces; efficiencies carry no currency anyway
        assertThat(problemLine(r, "tenant nocurrency:")).contains("14 series lack currency (e.g. cloudtuner_kubecost_",
                "their rows get an empty currency");
        assertThat(problemCodes("--tenant=nocurrency")).containsExactly("missing_label");
    }

    @Test
    void aClusterThatStoppedReportingIsStaleWhileTheOtherIsNot() {
        Worker.Result r = check("--tenant=stale");
        assertThat(r.exitCode()).isEqualTo(1);
        // the last scrape of b was at 09:09:07, 3 h 0 min 53 s before 12:10
        assertThat(problemLine(r, "tenant stale cluster b:")).contains("last sample 3h00m ago, at 2025-10-14T09:09:07Z; stale after 30m");
        assertThat(r.out()).contains("ok       tenant stale cluster a:");
        assertThat(problemCodes("--tenant=stale")).containsExactly("stale_cluster");
        assertThat(problemCodes("--tenant=stale", "--stale-after=4h")).isEmpty();
    }

    @Test
    void zerosAfterARestartThatTheRulesCountAreNamedWithTheExporterSettingThatAvoidsThem() {
        Worker.Result r = check("--tenant=restart");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant restart cluster prod:"))
                .contains("all-zero cluster costs after a restart: 2025-10-14T03:03:07Z..03:09:07 (7 samples)")
                .contains("fix: make the exporter report exporter_scrape_success 0 until Kubecost has data again")
                .endsWith("explain --tenant=restart --cluster=prod --namespace=__unallocated__ --hour=2025-10-14T03:00:00Z");
        assertThat(problemCodes("--tenant=restart")).containsExactly("restart_zeros");
    }

    @Test
    void hoursWithTheExporterUnhealthyAreNamedAndTheirDroppedZerosAreNoRestart() {
        Worker.Result r = check("--tenant=flaky");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant flaky cluster prod:")).contains("the exporter reported exporter_scrape_success 0 in 2 of"
                + " the last 24 hours (2025-10-14T05:00:00Z, 2025-10-14T08:00:00Z)");
        assertThat(problemCodes("--tenant=flaky")).containsExactly("unhealthy_hours");
    }

    @Test
    void aScrapeJobWithoutHonorLabelsIsNamedWithItsFix() {
        Worker.Result r = check("--tenant=honor");
        assertThat(r.exitCode()).isEqualTo(1);
        // 7 namespace families x 2 namespaces, each carrying the job's namespace in place of its own
        assertThat(problemLine(r, "tenant honor:")).contains("14 series carry exported_namespace", "namespace=\"kubecost\" instead of",
                "fix: set honor_labels: true on the exporter's scrape job");
        assertThat(problemCodes("--tenant=honor")).containsExactly("honor_labels_conflict");
    }

    @Test
    void aFailedRunOfTheLastDayIsNamedWithTheCommandThatRedoesIt() {
        try (ClickHouseGateway ch = db.newGateway()) {
            new ClickHouseRunLedger(ch).record(List.of(new RunLedger.Entry("r-failed", "backfill", "ledger",
                    Instant.parse("2025-10-13T00:00:00Z"), Instant.parse("2025-10-14T00:00:00Z"), "failed", WriteResult.NOTHING,
                    SampleCounts.NONE, 0, NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(2)), "Thanos answered HTTP 503")));
        }
        Worker.Result r = check("--tenant=ledger");
        assertThat(r.exitCode()).isEqualTo(1);
        // the jar's path is the running jar's (RunReport's rule), so only the arguments are fixed here
        assertThat(problemLine(r, "tenant ledger:")).startsWith("PROBLEM  tenant ledger: backfill run r-failed failed at"
                + " 2025-10-14T10:10:00Z for 2025-10-13T00:00:00Z..2025-10-14T00:00:00Z: Thanos answered HTTP 503; fix: fix the cause"
                + " the error names, then: java -jar ").endsWith(".jar backfill --from=2025-10-13T00:00:00Z"
                + " --to=2025-10-14T00:00:00Z --tenant=ledger");
        assertThat(problemCodes("--tenant=ledger")).containsExactly("failed_run");
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
            List<String> args = new ArrayList<>(Worker.withOption(servers, "clickhouse.database", edited));
            Worker.Result r = Worker.run(args, "check", "--now=" + NOW, "--tenant=healthy");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(problemLine(r, "clickhouse ")).contains("database " + edited + ": migration db/migration/V2__k8s_cluster_expenses.sql"
                    + " was changed after it was applied");
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
        Worker.Result r = Worker.run(Worker.withOption(servers, "clickhouse.database", absent), "check", "--now=" + NOW, "--tenant=healthy");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "clickhouse ")).contains("database " + absent + ": the database does not exist",
                "fix: java -jar kubecost-worker.jar migrate");
        assertThat(db.query("SELECT count() AS n FROM system.databases WHERE name = '" + absent + "'").get(0).get("n").asLong()).isZero();
    }

    @Test
    void anUnreachableThanosIsOneProblemAndClickHouseIsStillChecked() {
        Worker.Result r = Worker.run(Worker.withOption(servers, "thanos.url", "http://127.0.0.1:9"), "check", "--now=" + NOW,
                "--tenant=healthy", "--thanos.retries=0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "thanos http://127.0.0.1:9:")).contains("no answer", "fix: check THANOS_URL");
        assertThat(r.out()).contains("migrations of this build applied, checksums intact");
    }

    @Test
    void badOptionsAreBadInput() {
        Worker.Result r = check("--stale-after=soon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--stale-after must be a positive duration");
        assertThat(r.out()).isEmpty();
    }
}
