package com.cloudtuner.kubecost.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What check says about answers a real Prometheus cannot be made to give: refused credentials, warnings, no build info. */
class ThanosReachabilityTest {

    private static final Instant NOW = Instant.parse("2025-10-14T12:10:00Z");

    @StartStop
    public final MockWebServer server = new MockWebServer();

    private ThanosClient client() {
        return new ThanosClient(new ThanosProperties(URI.create(server.url("/").toString()), "token", null, null, List.of(),
                Duration.ofSeconds(5), "0s", 0, Duration.ofMillis(1)));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static CheckReport report() {
        return new CheckReport(NOW, new Window(Instant.parse("2025-10-13T13:00:00Z"), Instant.parse("2025-10-14T13:00:00Z")), true);
    }

    /** The report as {@code check --json} prints it. */
    private static JsonNode json(CheckReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.printJson(new PrintStream(out, true, StandardCharsets.UTF_8));
        return JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusedCredentialsAreOneProblemNamingTheSettings() {
        server.enqueue(new MockResponse.Builder().code(401).body("Unauthorized").build());
        CheckReport report = report();
        assertThat(ThanosReachability.probe(client(), "http://thanos", report)).isFalse();
        JsonNode doc = json(report);
        assertThat(doc.get("problems").asLong()).isEqualTo(1);
        assertThat(doc.get("findings")).singleElement().satisfies(f -> {
            assertThat(f.get("level").asString()).isEqualTo("problem");
            assertThat(f.get("code").asString()).isEqualTo("thanos_auth");
            assertThat(f.get("where").asString()).isEqualTo("thanos http://thanos");
            assertThat(f.get("fix").asString()).contains("THANOS_BEARER_TOKEN", "THANOS_USERNAME", "THANOS_PASSWORD");
        });
        // it answered, and refused
        assertThat(doc.get("thanos").get("reachable").asBoolean()).isTrue();
        assertThat(doc.get("thanos").get("http_status").asInt()).isEqualTo(401);
    }

    @Test
    void answersWithWarningsAreAProblemBecauseTheJobRefusesThem() {
        server.enqueue(json(200, "{\"status\":\"success\",\"warnings\":[\"No StoreAPIs matched for this query\"],\"data\":[]}"));
        ThanosQueryException e = assertThrows(ThanosQueryException.class,
                () -> client().labelValues("tenant_id", "{__name__=~\"x.+\"}", NOW.minusSeconds(3600), NOW));
        CheckReport report = report();
        report.add(ThanosFailures.problem("thanos http://thanos (tenant discovery)", e));
        JsonNode doc = json(report);
        assertThat(doc.get("healthy").asBoolean()).isFalse();
        assertThat(doc.get("findings")).singleElement().satisfies(f -> {
            assertThat(f.get("level").asString()).isEqualTo("problem");
            assertThat(f.get("code").asString()).isEqualTo("thanos_warnings");
            assertThat(f.get("where").asString()).isEqualTo("thanos http://thanos (tenant discovery)");
            // the server's own warning is passed on, and there is a fix
            assertThat(f.get("what").asString()).contains("No StoreAPIs matched for this query");
            assertThat(f.get("fix").asString()).isNotBlank();
        });
    }

    @Test
    void victoriaMetricsEmptyBuildInfoAndAMissingEndpointAreNoProblem() {
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{}}"));
        CheckReport report = report();
        assertThat(ThanosReachability.probe(client(), "http://vm", report)).isTrue();
        JsonNode vm = json(report);
        assertThat(vm.get("findings")).singleElement().satisfies(f -> {
            assertThat(f.get("level").asString()).isEqualTo("ok");
            assertThat(f.get("code").asString()).isEqualTo("thanos_reachable");
            assertThat(f.get("where").asString()).isEqualTo("thanos http://vm");
        });
        // VictoriaMetrics answers an empty object: no version
        assertThat(vm.get("thanos").get("reachable").asBoolean()).isTrue();
        assertThat(vm.get("thanos").get("build_info")).isEmpty();
        assertThat(vm.get("thanos").get("version").isNull()).isTrue();

        server.enqueue(new MockResponse.Builder().code(404).body("404 page not found").build());
        CheckReport older = report();
        assertThat(ThanosReachability.probe(client(), "http://thanos", older)).isTrue();
        JsonNode doc = json(older);
        assertThat(doc.get("problems").asLong()).isZero();
        assertThat(doc.get("findings")).singleElement().satisfies(f -> {
            assertThat(f.get("level").asString()).isEqualTo("note");
            assertThat(f.get("code").asString()).isEqualTo("thanos_build_info");
        });
        assertThat(doc.get("thanos").get("reachable").asBoolean()).isTrue();
        assertThat(doc.get("thanos").get("http_status").asInt()).isEqualTo(404);
    }
}
