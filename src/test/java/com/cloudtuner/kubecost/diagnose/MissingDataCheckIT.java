package com.cloudtuner.kubecost.diagnose;

import static com.cloudtuner.kubecost.testing.CheckRuns.finding;
import static com.cloudtuner.kubecost.testing.CheckRuns.findings;
import static com.cloudtuner.kubecost.testing.CheckRuns.problemsWhere;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ClickHouseRunLedger;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.WriteResult;
import com.cloudtuner.kubecost.cost.SampleCounts;
import com.cloudtuner.kubecost.testing.CheckRuns;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code check} sees cost that is missing though every run succeeded: rows removed from ClickHouse
 * after a run wrote them, an exporter hole between hours with data, history before a tenant's first
 * run, and a run that failed before it reached any tenant.
 */
@ExtendWith(RealServers.class)
class MissingDataCheckIT {

    private static final Instant NOW = Instant.parse("2025-10-14T12:10:00Z");
    private static final Instant FROM = Instant.parse("2025-10-13T10:00:00Z");
    /** The end of the last complete hour at NOW (10m settle delay), the hourly run's watermark. */
    private static final Instant COMPLETE = Instant.parse("2025-10-14T12:00:00Z");
    private static final Instant HOLE_START = Instant.parse("2025-10-14T02:00:00Z");
    private static final Instant HOLE_END = Instant.parse("2025-10-14T08:00:00Z");
    private static final Instant REMOVED_START = Instant.parse("2025-10-14T00:00:00Z");
    private static final Instant REMOVED_END = Instant.parse("2025-10-14T06:00:00Z");
    /** Removed too, but the next hourly run computes it again (worker.reprocess-hours 3: 09:00..12:00). */
    private static final Instant REPROCESSED = Instant.parse("2025-10-14T10:00:00Z");

    private static TestDatabase db;
    private static List<String> servers;

    @BeforeAll
    static void load(TestDatabase database, PrometheusServer prometheus) {
        Exporter e = new Exporter();
        new GeneratedTenant("md-erased", "prod", FROM.toEpochMilli(), NOW.toEpochMilli()).writeTo(e);
        new GeneratedTenant("md-holed", "prod", FROM.toEpochMilli(), NOW.toEpochMilli())
                .notScrapedWhen(t -> t >= HOLE_START.toEpochMilli() && t < HOLE_END.toEpochMilli()).writeTo(e);
        new GeneratedTenant("md-new", "prod", FROM.toEpochMilli(), NOW.toEpochMilli()).writeTo(e);
        prometheus.load(e.dataset());
        db = database;
        db.recreate();
        servers = Worker.serverArgs(database, prometheus.url());
        Worker.Result hourly = Worker.run(Worker.withOption(servers, "worker.tenants", "md-erased,md-holed,md-new"),
                "hourly", "--now=" + NOW);
        assertThat(hourly.exitCode()).as(hourly.toString()).isZero();
        Worker.Result backfill = Worker.run(servers, "backfill", "--from=" + FROM, "--to=" + COMPLETE, "--tenant=md-erased",
                "--tenant=md-holed");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        // the runs ran at the machine's clock, long after NOW: the ledger gets the backfill as run within NOW's day
        try (ClickHouseGateway ch = db.newGateway()) {
            List<RunLedger.Entry> entries = new ArrayList<>();
            for (String tenant : List.of("md-erased", "md-holed")) {
                entries.add(new RunLedger.Entry("r-backfill", "backfill", tenant, FROM, COMPLETE, "succeeded", WriteResult.NOTHING,
                        SampleCounts.NONE, 0, NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(29)), "", false));
            }
            new ClickHouseRunLedger(ch).record(entries);
        }
        // six hours of md-erased removed the way an operator's mistake would: a newer version marked deleted
        db.execute("INSERT INTO k8s_expenses (cloud_account_id, cluster, namespace, resource_id, hour, currency, cost, cpu_cost,"
                + " ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, deleted,"
                + " version, computed_at, provisional) SELECT cloud_account_id, cluster, namespace, resource_id, hour, currency, cost,"
                + " cpu_cost, ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, 1,"
                + " version + 1, computed_at, provisional FROM k8s_expenses FINAL WHERE cloud_account_id = 'md-erased'"
                + " AND (hour >= toDateTime(" + REMOVED_START.getEpochSecond() + ") AND hour < toDateTime(" + REMOVED_END.getEpochSecond() + ")"
                + " OR hour = toDateTime(" + REPROCESSED.getEpochSecond() + "))");
    }

    @Test
    void hoursARunWroteWhoseRowsWereRemovedAreAProblemWithTheirBackfill() {
        JsonNode doc = CheckRuns.checkJson(servers, NOW, "--tenant=md-erased");
        assertThat(problemsWhere(doc)).containsExactly("rows_missing tenant md-erased cluster prod");
        // the hourly run at NOW re-processes 09:00..12:00 (worker.reprocess-hours 3): those hours are its, never rows_missing
        assertThat(finding(doc, "rows_missing", "tenant md-erased cluster prod").get("fix").asString())
                .endsWith(" backfill --from=" + REMOVED_START + " --to=" + REMOVED_END + " --tenant=md-erased");
    }

    @Test
    void anExporterHoleBetweenHoursWithDataIsNamedAsANote() {
        // no data, so rightly no rows (a cluster scaled to zero overnight looks the same): a note with the backfill for late data
        JsonNode doc = CheckRuns.checkJson(servers, NOW, "--tenant=md-holed");
        assertThat(problemsWhere(doc)).isEmpty();
        assertThat(findings(doc)).contains("note exporter_hole tenant md-holed cluster prod");
        assertThat(finding(doc, "exporter_hole", "tenant md-holed cluster prod").get("what").asString())
                .contains(HOLE_START + ".." + HOLE_END).endsWith(" backfill --from=" + HOLE_START + " --to=" + HOLE_END + " --tenant=md-holed");
    }

    @Test
    void historyBeforeATenantsFirstRunIsANoteNotAProblem() {
        JsonNode doc = CheckRuns.checkJson(servers, NOW, "--tenant=md-new");
        assertThat(problemsWhere(doc)).isEmpty();
        // the first hourly run computes the last 3 complete hours (worker.reprocess-hours): 09:00..12:00
        assertThat(findings(doc)).contains("note history_not_backfilled tenant md-new cluster prod");
        assertThat(finding(doc, "history_not_backfilled", "tenant md-new cluster prod").get("what").asString())
                .contains(Instant.parse("2025-10-13T13:00:00Z") + ".." + Instant.parse("2025-10-14T09:00:00Z")); // the last day: from 13:00
    }

    @Test
    void aRunThatFailedBeforeAnyTenantIsAProblemUntilALaterRunSucceeds() {
        List<String> unreachable = new ArrayList<>(Worker.withOption(servers, "thanos.url", "http://127.0.0.1:9"));
        unreachable.add("--thanos.retries=0");
        Worker.Result failed = Worker.run(unreachable, "hourly");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        Matcher id = Pattern.compile("run (\\S+) hourly").matcher(failed.err()); // a failed run prints no summary, its id on stderr
        assertThat(id.find()).as(failed.toString()).isTrue();
        String runId = id.group(1);

        // as of the machine's clock, when the run happened (the data of this class are a year older)
        JsonNode doc = CheckRuns.document(Worker.run(servers, "check", "--json"));
        assertThat(runs(doc, runId)).singleElement().satisfies(r -> {
            assertThat(r.get("mode").asString()).isEqualTo("hourly");
            assertThat(r.get("tenants").asInt()).isZero();
            assertThat(r.get("made_good_by_a_later_run").asBoolean()).isFalse();
        });
        assertThat(problemsWhere(doc)).contains("run_failed clickhouse");

        Worker.Result later = Worker.run(Worker.withOption(servers, "worker.tenants", "md-new"), "hourly");
        assertThat(later.exitCode()).as(later.toString()).isZero();
        JsonNode after = CheckRuns.document(Worker.run(servers, "check", "--json"));
        assertThat(runs(after, runId)).singleElement()
                .satisfies(r -> assertThat(r.get("made_good_by_a_later_run").asBoolean()).isTrue());
        assertThat(problemsWhere(after)).doesNotContain("run_failed clickhouse");
        assertThat(findings(after)).contains("note run_failed_made_good clickhouse");
    }

    @Test
    void aRunThatSucceededInTheSecondTheFailedOneEndedMakesItGood() {
        // the ledger keeps seconds: a run started in the second the failed one ended is later, whatever the run ids' order
        Instant second = NOW.minus(Duration.ofHours(2));
        try (ClickHouseGateway ch = db.newGateway()) {
            RunLedger ledger = new ClickHouseRunLedger(ch);
            ledger.record(new RunLedger.Run("z-failed", "hourly", "failed", FROM, COMPLETE, 0, 0, second, second, "label values: HTTP 503", ""));
            ledger.record(new RunLedger.Run("a-later", "hourly", "succeeded", FROM, COMPLETE, 3, 0, second, second, "", ""));
        }
        JsonNode doc = CheckRuns.checkJson(servers, NOW);
        assertThat(runs(doc, "z-failed")).singleElement()
                .satisfies(r -> assertThat(r.get("made_good_by_a_later_run").asBoolean()).isTrue());
        assertThat(findings(doc)).contains("note run_failed_made_good clickhouse").doesNotContain("problem run_failed clickhouse");
    }

    @Test
    void aShardsFailedRunIsMadeGoodByALaterRunOfThatShardNotOfAnother() {
        Instant failed = NOW.minus(Duration.ofMinutes(90));
        try (ClickHouseGateway ch = db.newGateway()) {
            RunLedger ledger = new ClickHouseRunLedger(ch);
            ledger.record(new RunLedger.Run("shard-1-failed", "hourly", "failed", FROM, COMPLETE, 0, 0, failed, failed,
                    "label values: HTTP 503", "1/3"));
            ledger.record(new RunLedger.Run("shard-0-later", "hourly", "succeeded", FROM, COMPLETE, 4, 0, failed.plusSeconds(600),
                    failed.plusSeconds(600), "", "0/3"));
        }
        JsonNode doc = CheckRuns.checkJson(servers, NOW);
        assertThat(runs(doc, "shard-1-failed")).singleElement().satisfies(r -> {
            assertThat(r.get("shard").asString()).isEqualTo("1/3");
            assertThat(r.get("made_good_by_a_later_run").asBoolean()).isFalse();
        });

        try (ClickHouseGateway ch = db.newGateway()) {
            new ClickHouseRunLedger(ch).record(new RunLedger.Run("shard-1-later", "hourly", "succeeded", FROM, COMPLETE, 4, 0,
                    failed.plusSeconds(1200), failed.plusSeconds(1200), "", "1/3"));
        }
        assertThat(runs(CheckRuns.checkJson(servers, NOW), "shard-1-failed")).singleElement()
                .satisfies(r -> assertThat(r.get("made_good_by_a_later_run").asBoolean()).isTrue());
    }

    @Test
    void theTextGroupsFindingsAlikeButForTheirTenantAndProblemsOnlyLeavesTheRestOut() {
        // both tenants' watermarks are current: one ok line for the two, and with --problems no ok line at all
        Worker.Result text = CheckRuns.check(servers, NOW, "--tenant=md-erased", "--tenant=md-holed");
        assertThat(text.exitCode()).isEqualTo(1);
        Worker.Result problemsOnly = CheckRuns.check(servers, NOW, "--tenant=md-erased", "--tenant=md-holed", "--problems");
        assertThat(problemsOnly.exitCode()).isEqualTo(1);
        List<String> lines = problemsOnly.outLines().subList(1, problemsOnly.outLines().size() - 1); // between header and summary
        assertThat(lines).hasSize(1).allMatch(l -> l.startsWith("PROBLEM")); // md-erased's rows_missing
        JsonNode doc = CheckRuns.checkJson(servers, NOW, "--tenant=md-erased", "--tenant=md-holed");
        long okInJson = findings(doc).stream().filter(f -> f.startsWith("ok ")).count();
        long okInText = text.outLines().stream().filter(l -> l.startsWith("ok ")).count();
        assertThat(okInJson).isGreaterThan(okInText); // per-cluster ok findings alike for both tenants print once
        assertThat(text.outLines()).anyMatch(l -> l.startsWith("ok ") && l.contains("(2)"));
    }

    private static List<JsonNode> runs(JsonNode doc, String runId) {
        List<JsonNode> out = new ArrayList<>();
        doc.get("clickhouse").get("failed_whole_runs").forEach(r -> {
            if (r.get("run_id").asString().equals(runId)) {
                out.add(r);
            }
        });
        return out;
    }
}
