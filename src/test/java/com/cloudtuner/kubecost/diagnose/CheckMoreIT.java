package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.CheckRuns.cluster;
import static com.cloudtuner.kubecost.testing.CheckRuns.finding;
import static com.cloudtuner.kubecost.testing.CheckRuns.strings;
import static com.cloudtuner.kubecost.testing.CheckRuns.tenant;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

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
    /** When tenant quiet's exporter stopped. */
    private static final Instant QUIET_END = Instant.parse("2025-10-14T07:00:00Z");
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
        new GeneratedTenant("quiet", "prod", FROM, QUIET_END.toEpochMilli()).writeTo(e);
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
        // quiet's exporter stopped at 07:00: a run at 07:10 writes its hours up to 07:00, the run at 12:10
        // writes its empty hours up to 12:00, so its watermark keeps up while its rows stopped
        for (Instant at : List.of(QUIET_END.plusSeconds(600), NOW)) {
            Worker.Result quiet = Worker.run(Worker.withOption(servers, "worker.tenants", "quiet"), "hourly", "--now=" + at);
            assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        }
    }

    /** {@code check --json}: the document, its exit code and problem count checked against each other. */
    private static JsonNode checkJson(List<String> serverArgs, String... args) {
        return CheckRuns.checkJson(serverArgs, NOW, args);
    }

    private static JsonNode checkJson(String... args) {
        return checkJson(servers, args);
    }

    /** The problems of a check document, each as its code and where. */
    private static List<String> problems(JsonNode doc) {
        return CheckRuns.problemsWhere(doc);
    }

    /** How the findings about one database of the test's ClickHouse are placed. */
    private static String clickhouse(String database) {
        return "clickhouse " + db.properties().url() + " database " + database;
    }

    /** The series one GeneratedTenant writes for a cluster: one per family, namespace families once per namespace. */
    private static int seriesPerCluster(int namespaces) {
        return Arrays.stream(ExporterMetric.values()).mapToInt(m -> m.scope() == ExporterMetric.Scope.NAMESPACE ? namespaces : 1).sum();
    }

    /** The one label problem a check found. */
    private static JsonNode labelProblem(JsonNode doc) {
        JsonNode list = doc.get("exporter").get("label_problems");
        assertThat(list).as(doc.toString()).hasSize(1);
        return list.get(0);
    }

    /** Where the id came from, as the facts about an invalid tenant id say: in Thanos, in TENANTS, given with --tenant. */
    private static String sources(JsonNode tenant) {
        assertThat(tenant.get("matches_tenant_pattern").asBoolean()).as(tenant.toString()).isFalse();
        return tenant.get("in_thanos").asBoolean() + " " + tenant.get("in_tenants_setting").asBoolean() + " "
                + tenant.get("given_with_tenant_option").asBoolean();
    }

    @Test
    void aTenantIdInThanosThatFailsTheTenantPatternIsNamed() {
        JsonNode doc = checkJson("--tenant=Acme Corp");
        // the id is not queried, and the other tenants' faults are not this check's
        assertThat(problems(doc)).containsExactly("invalid_tenant_id tenant \"Acme Corp\"");
        assertThat(sources(tenant(doc, "Acme Corp"))).isEqualTo("true false true");
        assertThat(finding(doc, "invalid_tenant_id", "tenant \"Acme Corp\"").get("fix").asString())
                .contains("worker.tenant-pattern");
    }

    @Test
    void aTenantIdInTenantsThatFailsTheTenantPatternIsNamed() {
        JsonNode doc = checkJson(Worker.withOption(servers, "worker.tenants", "healthy,globex_eu"));
        assertThat(problems(doc)).contains("invalid_tenant_id tenant \"globex_eu\"");
        assertThat(sources(tenant(doc, "globex_eu"))).isEqualTo("false true false");
        assertThat(finding(doc, "invalid_tenant_id", "tenant \"globex_eu\"").get("fix").asString()).contains("TENANTS");
    }

    @Test
    void aTenantIdGivenWithTenantThatFailsTheTenantPatternIsNamedAsGiven() {
        // not in Thanos, not in TENANTS: not said to be in TENANTS, and nobody else's faults are reported instead
        JsonNode doc = checkJson("--tenant=globex_eu");
        assertThat(problems(doc)).containsExactly("invalid_tenant_id tenant \"globex_eu\"");
        assertThat(sources(tenant(doc, "globex_eu"))).isEqualTo("false false true");
        assertThat(finding(doc, "invalid_tenant_id", "tenant \"globex_eu\"").get("fix").asString()).contains("--tenant")
                .doesNotContain("TENANTS");
    }

    @Test
    void anExporterFailingNowIsNamedWithTheTimeItStarted() {
        JsonNode doc = checkJson("--tenant=down");
        // the two hours it has been failing in are unhealthy hours too
        assertThat(problems(doc)).containsExactly("exporter_failing tenant down cluster prod", "unhealthy_hours tenant down cluster prod");
        // the first failing scrape was at 11:40:07, 29m53s before 12:10
        JsonNode prod = cluster(doc, "down", "prod");
        assertThat(prod.get("failing_since").asString()).isEqualTo("2025-10-14T11:40:07Z");
        assertThat(Duration.between(Instant.parse(prod.get("failing_since").asString()), Instant.parse(doc.get("as_of").asString())))
                .isEqualTo(Duration.ofMinutes(29).plusSeconds(53));
        assertThat(prod.get("exporter_scrape_success").asDouble()).isZero();
        assertThat(strings(prod.get("unhealthy_hours"))).containsExactly("2025-10-14T11:00:00Z", "2025-10-14T12:00:00Z");
        assertThat(prod.get("stale").asBoolean()).isFalse();
    }

    @Test
    void seriesWithoutClusterAreNamed() {
        JsonNode doc = checkJson("--tenant=nocluster");
        assertThat(problems(doc)).containsExactly("missing_label tenant nocluster");
        // every series of the edge cluster's exporter; the prod cluster's are fine
        JsonNode p = labelProblem(doc);
        assertThat(p.get("code").asString() + " " + p.get("label").asString() + " " + p.get("series").asInt())
                .isEqualTo("missing_label cluster " + seriesPerCluster(2));
        assertThat(p.get("example").asString()).startsWith(Exporter.PREFIX).doesNotContain("cluster=");
        assertThat(finding(doc, "cluster", "tenant nocluster cluster prod").get("level").asString()).isEqualTo("ok");
    }

    @Test
    void namespaceSeriesWithoutNamespaceAreNamed() {
        JsonNode doc = checkJson("--tenant=nonamespace");
        assertThat(problems(doc)).containsExactly("missing_label tenant nonamespace");
        // the namespace families of its one namespace; cluster and health series have no namespace anyway
        long namespaceFamilies = Arrays.stream(ExporterMetric.values()).filter(m -> m.scope() == ExporterMetric.Scope.NAMESPACE).count();
        JsonNode p = labelProblem(doc);
        assertThat(p.get("code").asString() + " " + p.get("label").asString() + " " + p.get("series").asInt())
                .isEqualTo("missing_label namespace " + namespaceFamilies);
        assertThat(p.get("example").asString()).startsWith(Exporter.PREFIX + "namespace_");
    }

    @Test
    void aFamilyOneTenantLacksWhileOthersHaveItIsNamedOnTheTenantsLine() {
        JsonNode doc = checkJson();
        assertThat(problems(doc)).contains("missing_family tenant nopv").doesNotContain("missing_family exporter");
        String pv = ExporterMetric.NAMESPACE_PV_COST.metricName(Exporter.PREFIX);
        assertThat(strings(tenant(doc, "nopv").get("missing_families"))).containsExactly(pv);
        // nine tenants in Thanos (Acme Corp too: the families are read for every id); all but nopv publish pv costs
        assertThat(doc.get("exporter").get("tenants_in_thanos").asInt()).isEqualTo(9);
        assertThat(doc.get("exporter").get("families")).allSatisfy(f -> assertThat(f.get("tenants").asInt()).as(f.toString())
                .isEqualTo(f.get("name").asString().equals(pv) ? 8 : 9));
    }

    @Test
    void aWatermarkTooFarBehindIsNamedWithTheBackfillThatCatchesUp() {
        JsonNode doc = checkJson("--tenant=lagging");
        assertThat(problems(doc)).containsExactly("watermark_lag tenant lagging");
        JsonNode lagging = tenant(doc, "lagging");
        assertThat(lagging.get("watermark").asString()).isEqualTo("2025-10-14T09:00:00Z");
        // 09:00 to the last complete hour's end, 12:00
        assertThat(lagging.get("watermark_lag_seconds").asLong()).isEqualTo(Duration.between(Instant.parse("2025-10-14T09:00:00Z"),
                LAST_COMPLETE_HOUR).toSeconds());
        assertThat(finding(doc, "watermark_lag", "tenant lagging").get("fix").asString())
                .endsWith(".jar backfill --from=2025-10-14T09:00:00Z --to=" + LAST_COMPLETE_HOUR + " --tenant=lagging");
        assertThat(problems(checkJson("--tenant=lagging", "--max-lag=3h"))).isEmpty();
    }

    @Test
    void aTenantWhoseRowsStoppedWhileItsWatermarkKeptUpHasStaleRows() {
        JsonNode doc = checkJson("--tenant=quiet");
        assertThat(problems(doc)).contains("rows_stale tenant quiet").doesNotContain("watermark_lag tenant quiet");
        JsonNode quiet = tenant(doc, "quiet");
        assertThat(quiet.get("watermark").asString()).isEqualTo(LAST_COMPLETE_HOUR.toString());
        // its newest rows are of 06:00, reaching 07:00: five hours before the last complete hour's end, 12:00
        assertThat(quiet.get("newest_row_data").asString()).isEqualTo(QUIET_END.toString());
        assertThat(quiet.get("newest_row_lag_seconds").asLong()).isEqualTo(5 * 3600);
        assertThat(problems(checkJson("--tenant=quiet", "--max-lag=5h"))).doesNotContain("rows_stale tenant quiet");
    }

    @Test
    void aTenantWithDataButNoWatermarkIsNamed() {
        JsonNode doc = checkJson("--tenant=unwritten");
        assertThat(problems(doc)).containsExactly("no_watermark tenant unwritten");
        assertThat(tenant(doc, "unwritten").get("watermark").isNull()).isTrue();
        // older hours: the last day up to the last complete hour
        assertThat(finding(doc, "no_watermark", "tenant unwritten").get("fix").asString())
                .endsWith(".jar backfill --from=2025-10-13T12:00:00Z --to=" + LAST_COMPLETE_HOUR + " --tenant=unwritten");
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

            JsonNode o = checkJson(Worker.withOption(servers, "clickhouse.database", older), "--tenant=healthy");
            assertThat(problems(o)).containsExactly("migrations_pending " + clickhouse(older));
            assertThat(o.get("clickhouse").get("migrations")).extracting(m -> m.get("script").asString() + " " + m.get("status").asString())
                    .containsExactlyElementsOf(all.stream().map(m -> m.script() + " " + (m == last ? "pending" : "applied")).toList());

            JsonNode f = checkJson(Worker.withOption(servers, "clickhouse.database", fresh), "--tenant=healthy");
            assertThat(problems(f)).containsExactly("migrations_pending " + clickhouse(fresh));
            assertThat(f.get("clickhouse").get("migrations")).extracting(m -> m.get("script").asString() + " " + m.get("status").asString())
                    .containsExactlyElementsOf(all.stream().map(m -> m.script() + " pending").toList());

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
        JsonNode doc = checkJson(closed, "--tenant=healthy");
        String where = "clickhouse http://127.0.0.1:9 database " + db.name();
        assertThat(problems(doc)).containsExactly("clickhouse_unreachable " + where);
        assertThat(doc.get("clickhouse").get("reachable").asBoolean()).isFalse();
        assertThat(finding(doc, "clickhouse_unreachable", where).get("fix").asString()).contains("CLICKHOUSE_URL");
        assertThat(finding(doc, "cluster", "tenant healthy cluster prod").get("level").asString()).isEqualTo("ok");
        assertThat(cluster(doc, "healthy", "prod").get("stale").asBoolean()).isFalse();
    }

    @Test
    void aPrefixNoSeriesHasIsNamedWithTheSettingToCheck() {
        // the exporter's names start with cloudtuner_kubecost_; a prefix without the vendor part matches none
        List<String> wrongPrefix = new ArrayList<>(servers);
        wrongPrefix.add("--worker.exporter.prefix=kubecost_");
        JsonNode doc = checkJson(wrongPrefix);
        assertThat(problems(doc)).containsExactly("no_exporter_series exporter");
        assertThat(doc.get("exporter").get("prefix").asString()).isEqualTo("kubecost_");
        assertThat(doc.get("exporter").get("families")).hasSize(ExporterMetric.values().length)
                .allSatisfy(f -> assertThat(f.get("tenants").asInt()).as(f.toString()).isZero());
        assertThat(finding(doc, "no_exporter_series", "exporter").get("fix").asString()).contains("worker.exporter.prefix");
    }
}
