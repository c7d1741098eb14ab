package com.cloudtuner.kubecost.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.Migration;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check}'s other diagnoses (those {@link CheckIT} leaves out), against one generated day: a
 * tenant id the tenant pattern refuses, an exporter failing right now, series without cluster or
 * without namespace, a family one tenant lacks while the others have it, an hourly job that stopped
 * for one tenant and never ran for another; and ClickHouse with a migration missing, on a closed
 * port, or a prefix no series has. Each test checks one tenant (or one setting), so its fault is
 * the only problem, except where a diagnosis needs the whole store.
 */
@ExtendWith(RealServers.class)
class CheckMoreIT {

    private static final Instant NOW = Instant.parse("2025-10-14T12:10:00Z");
    private static final long FROM = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();
    private static final long END = NOW.toEpochMilli();
    /** The exporter of tenant down fails from this scrape on (GeneratedTenant scrapes at :07). */
    private static final long DOWN = Instant.parse("2025-10-14T11:40:00Z").toEpochMilli();
    /** The last hourly run for tenant lagging; with the 10m settle delay its watermark is 09:00. */
    private static final Instant LAGGING_LAST_RUN = Instant.parse("2025-10-14T09:10:00Z");
    /** The end of the last complete hour at NOW: 12:00 ends 10m (worker.settle-delay) before 12:10. */
    private static final Instant LAST_COMPLETE_HOUR = Instant.parse("2025-10-14T12:00:00Z");
    /** Stricter than the default, so that the test states the pattern the lines name. */
    private static final String TENANT_PATTERN = "[a-z][a-z0-9-]*";

    private static TestDatabase db;
    private static List<String> servers;

    @BeforeAll
    static void load(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        new GeneratedTenant("healthy", "prod", FROM, END).writeTo(e);
        new GeneratedTenant("nopv", "prod", FROM, END).without(ExporterMetric.NAMESPACE_PV_COST).writeTo(e);
        new GeneratedTenant("down", "prod", FROM, END).unhealthyWhen(t -> t >= DOWN).writeTo(e);
        new GeneratedTenant("Acme Corp", "prod", FROM, END).writeTo(e);
        // one cluster's exporter was installed without its cluster name
        new GeneratedTenant("nocluster", "prod", FROM, END).writeTo(e);
        new GeneratedTenant("nocluster", "edge", FROM, END).withoutLabel("cluster").writeTo(e);
        // one namespace only: without the label, two namespaces' series would be one
        new GeneratedTenant("nonamespace", "prod", FROM, END).namespaces("web").withoutLabel("namespace").writeTo(e);
        new GeneratedTenant("lagging", "prod", FROM, END).writeTo(e);
        new GeneratedTenant("unwritten", "prod", FROM, END).writeTo(e);
        prometheus.load(e.dataset());
        db = database;
        servers = new ArrayList<>(Worker.serverArgs(database, prometheus.url()));
        servers.add("--worker.tenant-pattern=" + TENANT_PATTERN);
        // the hourly job runs for everyone but lagging (its CronJob stopped at 09:10) and unwritten (never run for it)
        Worker.Result hourly = Worker.run(Worker.withOption(servers, "worker.tenants", "healthy,nopv,down,nocluster,nonamespace"),
                "hourly", "--now=" + NOW);
        assertThat(hourly.exitCode()).as(hourly.toString()).isZero();
        Worker.Result lagging = Worker.run(Worker.withOption(servers, "worker.tenants", "lagging"), "hourly", "--now=" + LAGGING_LAST_RUN);
        assertThat(lagging.exitCode()).as(lagging.toString()).isZero();
    }

    private static Worker.Result check(List<String> serverArgs, String... args) {
        return CheckRuns.check(serverArgs, NOW, args);
    }

    private static Worker.Result check(String... args) {
        return check(servers, args);
    }

    /** The problems a --json check found, each as its code and where. */
    private static List<String> problems(List<String> serverArgs, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--json");
        return CheckRuns.problems(check(serverArgs, all.toArray(String[]::new))).stream()
                .map(f -> f.get("code").asString() + " " + f.get("where").asString()).toList();
    }

    private static List<String> problems(String... args) {
        return problems(servers, args);
    }

    private static String problemLine(Worker.Result r, String start) {
        return CheckRuns.problemLine(r, start);
    }

    /** The series one GeneratedTenant writes for a cluster: one per family, namespace families once per namespace. */
    private static int seriesPerCluster(int namespaces) {
        return Arrays.stream(ExporterMetric.values()).mapToInt(m -> m.scope() == ExporterMetric.Scope.NAMESPACE ? namespaces : 1).sum();
    }

    @Test
    void aTenantIdInThanosThatFailsTheTenantPatternIsNamed() {
        Worker.Result r = check("--tenant=Acme Corp");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant \"Acme Corp\":")).contains("has exporter series, but its id does not match"
                        + " worker.tenant-pattern (" + TENANT_PATTERN + "): its costs are never computed",
                "; fix: fix the exporter's tenantId (or the remote_write tenant header), or widen worker.tenant-pattern");
        // the id is not queried, and the other tenants' faults are not this check's
        assertThat(problems("--tenant=Acme Corp")).containsExactly("invalid_tenant_id tenant \"Acme Corp\"");
    }

    @Test
    void aTenantIdInTenantsThatFailsTheTenantPatternIsNamed() {
        Worker.Result r = check(Worker.withOption(servers, "worker.tenants", "healthy,globex_eu"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant \"globex_eu\":")).contains("is in TENANTS, but its id does not match"
                + " worker.tenant-pattern (" + TENANT_PATTERN + "): its costs are never computed", "; fix: correct it in TENANTS");
        assertThat(problems(Worker.withOption(servers, "worker.tenants", "healthy,globex_eu")))
                .contains("invalid_tenant_id tenant \"globex_eu\"");
    }

    @Test
    void aTenantIdGivenWithTenantThatFailsTheTenantPatternIsNamedAsGiven() {
        // not in Thanos, not in TENANTS: not said to be in TENANTS, and nobody else's faults are reported instead
        Worker.Result r = check("--tenant=globex_eu");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant \"globex_eu\":")).contains("was given with --tenant, but its id does not match"
                + " worker.tenant-pattern (" + TENANT_PATTERN + ")", "; fix: correct the --tenant value");
        assertThat(problems("--tenant=globex_eu")).containsExactly("invalid_tenant_id tenant \"globex_eu\"");
    }

    @Test
    void anExporterFailingNowIsNamedWithTheTimeItStarted() {
        Worker.Result r = check("--tenant=down");
        assertThat(r.exitCode()).isEqualTo(1);
        // the first failing scrape was at 11:40:07, 29m53s before 12:10
        assertThat(problemLine(r, "tenant down cluster prod: the exporter reports")).contains("exporter_scrape_success 0 since"
                        + " 2025-10-14T11:40:07Z (29m53s): its cost samples are dropped (rule 2)",
                "; fix: the exporter cannot read Kubecost: look at the exporter's log and Kubecost's cost-model pod");
        // the two hours it has been failing in are unhealthy hours too
        assertThat(problems("--tenant=down")).containsExactly("exporter_failing tenant down cluster prod",
                "unhealthy_hours tenant down cluster prod");
    }

    @Test
    void seriesWithoutClusterAreNamed() {
        Worker.Result r = check("--tenant=nocluster");
        assertThat(r.exitCode()).isEqualTo(1);
        // every series of the edge cluster's exporter; the prod cluster's are fine
        assertThat(problemLine(r, "tenant nocluster:")).contains(seriesPerCluster(2) + " series lack cluster (e.g. cloudtuner_kubecost_",
                "the worker skips them, so their costs are in no row", "; fix: set the exporter's cluster name");
        assertThat(r.out()).contains("ok       tenant nocluster cluster prod:");
        assertThat(problems("--tenant=nocluster")).containsExactly("missing_label tenant nocluster");
    }

    @Test
    void namespaceSeriesWithoutNamespaceAreNamed() {
        Worker.Result r = check("--tenant=nonamespace");
        assertThat(r.exitCode()).isEqualTo(1);
        // the namespace families of its one namespace; cluster and health series have no namespace anyway
        long namespaceFamilies = Arrays.stream(ExporterMetric.values()).filter(m -> m.scope() == ExporterMetric.Scope.NAMESPACE).count();
        assertThat(problemLine(r, "tenant nonamespace:")).contains(namespaceFamilies + " series lack namespace (e.g."
                + " cloudtuner_kubecost_namespace_", "the worker skips them", "; fix: make sure no relabel rule of the exporter's"
                + " scrape job drops namespace");
        assertThat(problems("--tenant=nonamespace")).containsExactly("missing_label tenant nonamespace");
    }

    @Test
    void aFamilyOneTenantLacksWhileOthersHaveItIsNamedOnTheTenantsLine() {
        Worker.Result r = check();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant nopv:")).isEqualTo("PROBLEM  tenant nopv: metric family "
                + ExporterMetric.NAMESPACE_PV_COST.metricName(Exporter.PREFIX) + " missing in the last day (other tenants have"
                + " them): its cost column is 0 in every row; fix: make the exporter publish it (a Helm values change or exporter"
                + " upgrade may have turned it off) and check that no metric_relabel_configs of its scrape job drops it");
        assertThat(problems()).contains("missing_family tenant nopv").doesNotContain("missing_family exporter");
    }

    @Test
    void aWatermarkTooFarBehindIsNamedWithTheBackfillThatCatchesUp() {
        Worker.Result r = check("--tenant=lagging");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "tenant lagging:")).contains("watermark 2025-10-14T09:00:00Z is 3h00m behind the last complete hour ("
                + LAST_COMPLETE_HOUR + "; --max-lag 2h): later hours are not written", "; fix: look at the CronJob's recent Jobs")
                .endsWith(".jar backfill --from=2025-10-14T09:00:00Z --to=" + LAST_COMPLETE_HOUR + " --tenant=lagging");
        assertThat(problems("--tenant=lagging")).containsExactly("watermark_lag tenant lagging");
        assertThat(problems("--tenant=lagging", "--max-lag=3h")).isEmpty();
    }

    @Test
    void aTenantWithDataButNoWatermarkIsNamed() {
        Worker.Result r = check("--tenant=unwritten");
        assertThat(r.exitCode()).isEqualTo(1);
        // older hours: the last day up to the last complete hour
        assertThat(problemLine(r, "tenant unwritten:")).contains("has exporter data but no watermark: no hourly run has written it yet",
                "; fix: the next hourly run does").endsWith(".jar backfill --from=2025-10-13T12:00:00Z --to=" + LAST_COMPLETE_HOUR
                + " --tenant=unwritten");
        assertThat(problems("--tenant=unwritten")).containsExactly("no_watermark tenant unwritten");
    }

    @Test
    void migrationsNotAppliedAreNamedAndNothingIsMigrated(@TempDir Path dir) throws Exception {
        List<Migration> all = MigrationSource.classpath();
        Migration last = all.get(all.size() - 1);
        for (Migration m : all.subList(0, all.size() - 1)) {
            Files.writeString(dir.resolve(m.script()), m.sql());
        }
        String older = db.name() + "_older"; // migrated by the build before this one
        String fresh = db.name() + "_fresh"; // created, never migrated
        try (ClickHouseGateway olderCh = gateway(older); ClickHouseGateway freshCh = gateway(fresh)) {
            olderCh.ensureDatabase();
            new Migrator(olderCh, MigrationSource.directory(dir), Duration.ofMinutes(1), Clock.systemUTC()).migrate();
            freshCh.ensureDatabase();

            List<String> olderArgs = Worker.withOption(servers, "clickhouse.database", older);
            Worker.Result r = check(olderArgs, "--tenant=healthy");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(problemLine(r, "clickhouse ")).contains("database " + older + ": 1 of " + all.size() + " migrations not applied: "
                    + last.script() + "; fix: java -jar kubecost-worker.jar migrate");
            assertThat(problems(olderArgs, "--tenant=healthy")).containsExactly("migrations_pending clickhouse " + db.properties().url()
                    + " database " + older);

            Worker.Result f = check(Worker.withOption(servers, "clickhouse.database", fresh), "--tenant=healthy");
            assertThat(f.exitCode()).isEqualTo(1);
            assertThat(problemLine(f, "clickhouse ")).contains("database " + fresh + ": " + all.size() + " of " + all.size()
                    + " migrations not applied: " + all.stream().map(Migration::script).collect(Collectors.joining(", ")));

            // check applied nothing
            assertThat(olderCh.select("SELECT count() AS n FROM k8s_worker_schema_history").get(0).get("n").asLong())
                    .isEqualTo(all.size() - 1);
            assertThat(db.query("SELECT count() AS n FROM system.tables WHERE database = '" + fresh + "'").get(0).get("n").asLong())
                    .isZero();
        } finally {
            db.execute("DROP DATABASE IF EXISTS `" + older + "`");
            db.execute("DROP DATABASE IF EXISTS `" + fresh + "`");
        }
    }

    private static ClickHouseGateway gateway(String database) {
        ClickHouseProperties p = db.properties();
        return new ClickHouseGateway(new ClickHouseProperties(p.url(), p.user(), p.password(), database, p.socketTimeout(),
                p.migrationLockTimeout(), p.maxInsertRows(), p.retries(), p.retryBackoff()));
    }

    @Test
    void anUnreachableClickHouseIsOneProblemAndThanosIsStillChecked() {
        List<String> closed = new ArrayList<>(Worker.withOption(servers, "clickhouse.url", "http://127.0.0.1:9"));
        closed.add("--clickhouse.retries=0");
        Worker.Result r = check(closed, "--tenant=healthy");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "clickhouse http://127.0.0.1:9 database " + db.name() + ":")).contains(": no answer: ",
                "; fix: check CLICKHOUSE_URL (clickhouse.url, the HTTP port, usually 8123)");
        assertThat(r.out()).contains("ok       tenant healthy cluster prod:");
        assertThat(problems(closed, "--tenant=healthy")).containsExactly("clickhouse_unreachable clickhouse http://127.0.0.1:9 database "
                + db.name());
    }

    @Test
    void aPrefixNoSeriesHasIsNamedWithTheSettingToCheck() {
        // the exporter's names start with cloudtuner_kubecost_; a prefix without the vendor part matches none
        List<String> wrongPrefix = new ArrayList<>(servers);
        wrongPrefix.add("--worker.exporter.prefix=kubecost_");
        Worker.Result r = check(wrongPrefix);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(problemLine(r, "exporter:")).isEqualTo("PROBLEM  exporter: no series named kubecost_* in the last day; fix: check"
                + " worker.exporter.prefix (WORKER_EXPORTER_PREFIX) against the exporter's metric names, and that Prometheus"
                + " remote_writes the exporter's series to Thanos");
        assertThat(problems(wrongPrefix)).containsExactly("no_exporter_series exporter");
    }
}
