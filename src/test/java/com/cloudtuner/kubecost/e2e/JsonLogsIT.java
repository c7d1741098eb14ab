package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.simulate.DemoScenario;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.JarProcess;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jar with JSON logs ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}), as a log platform reads
 * them: every stderr line one JSON object, the run's id a field of each, tenant and window fields
 * where a line is about a tenant, counts as numbers; and with Thanos unreachable, a few short
 * failure lines that lead with the cause.
 */
@ExtendWith(RealServers.class)
class JsonLogsIT {

    private static final Instant D0 = Instant.parse("2025-10-13T00:00:00Z");
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static PrometheusServer prometheus;

    @BeforeAll
    static void load(PrometheusServer prom) {
        prom.load(DemoScenario.generate(Exporter.PREFIX, TENANTS, D0, 24, 11));
        prometheus = prom;
    }

    @Test
    void everyLineOfARunIsJsonWithTheRunIdAndTenantLinesNameTenantAndWindow(TestDatabase db) {
        db.recreate();
        JarProcess.Result r = JarProcess.run(jsonLogs(env(db, prometheus.url())), "backfill", "--from=2025-10-13", "--to=2025-10-14");
        assertThat(r.exitCode()).as(r.toString()).isZero();

        List<JsonNode> lines = jsonLines(r);
        Set<String> runIds = lines.stream().map(l -> l.path("run_id").asString("")).collect(Collectors.toSet());
        assertThat(runIds).as(r.err()).singleElement().satisfies(id -> assertThat(id).isNotBlank());
        List<JsonNode> tenantLines = lines.stream().filter(l -> l.has("tenant")).toList();
        assertThat(tenantLines).extracting(l -> l.get("tenant").asString()).as(r.err()).containsAll(TENANTS);
        assertThat(tenantLines).allSatisfy(l -> assertThat(l.path("window").asString("")).as(l.toString()).isNotBlank());
        // each tenant's outcome: 24 hours of 10 rows
        assertThat(tenantLines).filteredOn(l -> l.has("status"))
                .allSatisfy(l -> assertThat(l.get("rows").asLong()).as(l.toString()).isEqualTo(240));
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.get("exit_code").asInt()).as(last.toString()).isZero();
        assertThat(last.get("tenants").asInt()).isEqualTo(3);
    }

    @Test
    void withThanosUnreachableTheFailureLinesAreFewShortAndLeadWithTheCause(TestDatabase db) throws IOException {
        db.recreate();
        Map<String, String> env = jsonLogs(env(db, "http://127.0.0.1:" + Worker.closedPort()));
        env.put("THANOS_RETRIES", "0");
        JarProcess.Result r = JarProcess.run(env, "backfill", "--from=2025-10-13", "--to=2025-10-15",
                "--tenant=acme", "--tenant=globex", "--tenant=initech");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);

        List<JsonNode> lines = jsonLines(r);
        assertThat(lines).allSatisfy(l -> assertThat(l.path("run_id").asString("")).as(l.toString()).isNotBlank());
        List<String> failures = lines.stream().filter(l -> "ERROR".equals(l.path("log").path("level").asString("")))
                .map(l -> l.get("message").asString()).toList();
        assertThat(failures).as(r.err()).isNotEmpty().hasSizeLessThanOrEqualTo(6)
                .allSatisfy(m -> assertThat(m.length()).as(m).isLessThanOrEqualTo(400));
        // the cause before the request it failed (whose selector is what made the old lines 850 characters long)
        assertThat(failures).filteredOn(m -> m.contains("ConnectException")).isNotEmpty().allSatisfy(m -> {
            int request = m.indexOf("query");
            if (request >= 0) {
                assertThat(m.indexOf("ConnectException")).as(m).isLessThan(request);
            }
        });
    }

    private static List<JsonNode> jsonLines(JarProcess.Result r) {
        List<String> raw = r.err().lines().toList();
        assertThat(raw).as(r.err()).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        return raw.stream().map(JSON::readTree).toList();
    }

    private static Map<String, String> jsonLogs(Map<String, String> env) {
        env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        return env;
    }

    private static Map<String, String> env(TestDatabase db, String thanosUrl) {
        return Worker.environment(Worker.serverArgs(db, thanosUrl));
    }
}
