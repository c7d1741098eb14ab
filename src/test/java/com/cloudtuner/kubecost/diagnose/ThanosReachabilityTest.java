package com.cloudtuner.kubecost.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

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
        return new CheckReport(NOW, new Window(Instant.parse("2025-10-13T13:00:00Z"), Instant.parse("2025-10-14T13:00:00Z")));
    }

    @Test
    void refusedCredentialsAreOneProblemNamingTheSettings() {
        server.enqueue(new MockResponse.Builder().code(401).body("Unauthorized").build());
        CheckReport report = report();
        assertThat(ThanosReachability.probe(client(), "http://thanos", report)).isFalse();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("thanos_auth");
            assertThat(f.line()).startsWith("PROBLEM  thanos http://thanos: Thanos refused the request (HTTP 401)")
                    .contains("fix: set THANOS_BEARER_TOKEN, or THANOS_USERNAME and THANOS_PASSWORD");
        });
    }

    @Test
    void answersWithWarningsAreAProblemBecauseTheJobRefusesThem() {
        server.enqueue(json(200, "{\"status\":\"success\",\"warnings\":[\"No StoreAPIs matched for this query\"],\"data\":[]}"));
        ThanosQueryException e = assertThrows(ThanosQueryException.class,
                () -> client().labelValues("tenant_id", "{__name__=~\"x.+\"}", NOW.minusSeconds(3600), NOW));
        Finding f = ThanosFailures.problem("thanos http://thanos (tenant discovery)", e);
        assertThat(f.code()).isEqualTo("thanos_warnings");
        assertThat(f.line()).contains("answers carry warnings", "No StoreAPIs matched", "fix: a store, sidecar or receiver");
    }

    @Test
    void victoriaMetricsEmptyBuildInfoAndAMissingEndpointAreNoProblem() {
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{}}"));
        CheckReport report = report();
        assertThat(ThanosReachability.probe(client(), "http://vm", report)).isTrue();
        assertThat(report.findings()).singleElement().satisfies(f -> assertThat(f.line())
                .isEqualTo("ok       thanos http://vm: answers (build info without a version, as VictoriaMetrics gives it)"));

        server.enqueue(new MockResponse.Builder().code(404).body("404 page not found").build());
        CheckReport older = report();
        assertThat(ThanosReachability.probe(client(), "http://thanos", older)).isTrue();
        assertThat(older.problems()).isZero();
        assertThat(older.findings()).singleElement().satisfies(f -> assertThat(f.level()).isEqualTo(Finding.Level.NOTE));
    }
}
