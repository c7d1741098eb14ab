package com.cloudtuner.kubecost.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.JarProcess;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.Worker;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged jar, run as an operator runs it, against an upstream that echoes every request
 * (proxies and gateways do) in its error answers: no configured secret, in any form, reaches
 * stdout, stderr, the logs or the run ledger. Configuration errors do not print them either.
 */
@ExtendWith(RealServers.class)
class SecretsIT {

    private static final String TOKEN = "tok3n-4b8e-secret";
    private static final String HEADER_VALUE = "hdr-v4lue-secret";
    private static final String THANOS_PASSWORD = "Thanos-Pa55-secret";
    private static final String URL_PASSWORD = "Url-Pa55-secret";
    private static final String CONFIG_PASSWORD = "Hunter2Secret";
    private static final String MIXED_CASE_TOKEN = "Tok3n-4B8E-Mixed";
    private static final String SESSION = "S3ss10n-v4lue-secret";
    private static final String CSRF = "Csrf-v4lue-secret";

    @StartStop
    public final MockWebServer echo = new MockWebServer();

    private void echoEveryRequest() {
        echo.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                StringBuilder headers = new StringBuilder();
                request.getHeaders().forEach(h -> headers.append(h.getFirst()).append(": ").append(h.getSecond()).append('\n'));
                String body = "gateway error; your request was: " + request.getRequestLine() + "\n" + headers
                        + (request.getBody() == null ? "" : request.getBody().utf8());
                return new MockResponse.Builder().code(502).setHeader("Content-Type", "text/plain").body(body).build();
            }
        });
    }

    @Test
    void anUpstreamEchoingTheRequestLeaksNoTokenOrHeaderIntoOutputLogsOrLedger(TestDatabase db) {
        echoEveryRequest();
        Map<String, String> env = clickhouseEnv(db);
        env.put("THANOS_URL", echo.url("/").toString());
        env.put("THANOS_BEARER_TOKEN", TOKEN);
        env.put("THANOS_HEADERS", "X-Api-Key: " + HEADER_VALUE + ", THANOS-TENANT: team-a");
        env.put("THANOS_RETRIES", "0");
        JarProcess.Result r = JarProcess.run(env, "backfill", "--from=2025-10-13", "--to=2025-10-13T02:00:00Z", "--tenant=acme");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(echo.getRequestCount()).isPositive();
        assertThat(r.all()).as("the upstream's echo reached the output, redacted").contains("gateway error").contains(Redactor.MASK);
        assertNoSecret(r.all(), TOKEN, HEADER_VALUE);
        String ledger = db.query("SELECT error FROM k8s_expenses_runs WHERE cloud_account_id = 'acme'").get(0).get("error").asString();
        assertThat(ledger).contains("gateway error").contains(Redactor.MASK);
        assertNoSecret(ledger, TOKEN, HEADER_VALUE);
    }

    /**
     * An upstream that, refusing a request, echoes each of its cookies (the pair, then the value
     * alone), the Authorization header lower-cased and the Cookie header line in base64.
     */
    private void echoThePartsOfEachRequest() {
        echo.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String cookie = request.getHeaders().get("Cookie");
                StringBuilder body = new StringBuilder("denied;");
                for (String pair : cookie.split(";")) {
                    String p = pair.trim();
                    body.append(" cookie ").append(p).append(" value ").append(p.substring(p.indexOf('=') + 1)).append(';');
                }
                body.append(" auth ").append(request.getHeaders().get("Authorization").toLowerCase(Locale.ROOT))
                        .append("; line ").append(base64("Cookie: " + cookie));
                return new MockResponse.Builder().code(502).setHeader("Content-Type", "text/plain").body(body.toString()).build();
            }
        });
    }

    /**
     * Both error columns of the ledger: a tenant's window fails in k8s_expenses_runs (a backfill of
     * one tenant), the run fails in k8s_worker_runs (an hourly run that cannot discover its tenants).
     */
    @Test
    void cookiePairsTheTokenInAnotherCaseAndTheEncodedHeaderLineNeverReachStderrOrEitherLedger(TestDatabase db) {
        echoThePartsOfEachRequest();
        Map<String, String> env = clickhouseEnv(db);
        env.put("THANOS_URL", echo.url("/").toString());
        env.put("THANOS_BEARER_TOKEN", MIXED_CASE_TOKEN);
        env.put("THANOS_HEADERS", "Cookie: session=" + SESSION + "; csrf=" + CSRF);
        env.put("THANOS_RETRIES", "0");
        String[] leaks = {SESSION, CSRF, MIXED_CASE_TOKEN.toLowerCase(Locale.ROOT),
                base64("Cookie: session=" + SESSION + "; csrf=" + CSRF)};
        // what the echo is once each secret in it is masked: every part reached the output, hidden
        String maskedEcho = "denied; cookie *** value ***; cookie *** value ***; auth bearer ***; line ***";

        JarProcess.Result backfill = JarProcess.run(env, "backfill", "--from=2025-10-13", "--to=2025-10-13T02:00:00Z", "--tenant=cookie-eater");
        assertThat(backfill.exitCode()).as(backfill.toString()).isEqualTo(1);
        assertThat(backfill.err()).contains(maskedEcho).doesNotContain(leaks);
        String tenantError = db.query("SELECT error FROM k8s_expenses_runs WHERE cloud_account_id = 'cookie-eater'").get(0)
                .get("error").asString();
        assertThat(tenantError).contains(maskedEcho).doesNotContain(leaks);

        JarProcess.Result hourly = JarProcess.run(env, "hourly");
        assertThat(hourly.exitCode()).as(hourly.toString()).isEqualTo(1);
        assertThat(hourly.err()).contains(maskedEcho).doesNotContain(leaks);
        List<String> runErrors = db.query("SELECT error FROM k8s_worker_runs WHERE mode = 'hourly' AND status = 'failed'").stream()
                .map(row -> row.get("error").asString()).toList();
        assertThat(runErrors).singleElement().asString().contains(maskedEcho).doesNotContain(leaks);
        assertThat(backfill.out() + hourly.out()).doesNotContain(leaks);
    }

    @Test
    void structuredJsonLogsAreOneObjectPerLineAndRedactedToo(TestDatabase db) {
        echoEveryRequest();
        Map<String, String> env = clickhouseEnv(db);
        env.put("THANOS_URL", echo.url("/").toString());
        env.put("THANOS_BEARER_TOKEN", TOKEN);
        env.put("THANOS_RETRIES", "0");
        env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        JarProcess.Result r = JarProcess.run(env, "backfill", "--from=2025-10-13", "--to=2025-10-13T02:00:00Z", "--tenant=acme");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<String> logLines = r.err().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(logLines).as(r.err()).isNotEmpty();
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        for (String line : logLines) {
            assertThat(json.readTree(line).has("message")).as(line).isTrue();
        }
        assertThat(String.join("\n", logLines)).contains("gateway error").contains(Redactor.MASK);
        assertNoSecret(r.all(), TOKEN);
    }

    @Test
    void basicAuthenticationLeaksNeitherThePasswordNorTheHeaderItMakes(TestDatabase db) {
        echoEveryRequest();
        Map<String, String> env = clickhouseEnv(db);
        env.put("THANOS_URL", echo.url("/").toString());
        env.put("THANOS_USERNAME", "reader");
        env.put("THANOS_PASSWORD", THANOS_PASSWORD);
        env.put("THANOS_RETRIES", "0");
        JarProcess.Result r = JarProcess.run(env, "backfill", "--from=2025-10-13", "--to=2025-10-13T02:00:00Z", "--tenant=acme");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.all()).contains("Authorization: Basic " + Redactor.MASK);
        String basic = Base64.getEncoder().encodeToString(("reader:" + THANOS_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertNoSecret(r.all(), THANOS_PASSWORD, basic);
    }

    @Test
    void configurationErrorsDoNotPrintTheSecretsTheyCouldNotParse(TestDatabase db) {
        Map<String, String> badHeader = clickhouseEnv(db);
        badHeader.put("THANOS_HEADERS", HEADER_VALUE); // a value without its "Name:"
        JarProcess.Result r = JarProcess.run(badHeader, "migrate");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("thanos.headers");
        assertNoSecret(r.all(), HEADER_VALUE);

        for (String variable : List.of("THANOS_URL", "CLICKHOUSE_URL")) {
            Map<String, String> badUrl = clickhouseEnv(db);
            badUrl.put(variable, "http://admin:" + URL_PASSWORD + "@not a host:9090");
            JarProcess.Result u = JarProcess.run(badUrl, "migrate");
            assertThat(u.exitCode()).as(variable + " " + u).isEqualTo(2);
            assertThat(u.err()).as(variable).containsIgnoringCase(variable.startsWith("THANOS") ? "thanos.url" : "clickhouse.url");
            assertNoSecret(u.all(), URL_PASSWORD);
        }
    }

    /**
     * Every place Spring Boot takes a setting from, not only the upper-case environment variables;
     * with a host {@link java.net.URI} parses without its user information (the properties refuse
     * it, printing the URL they hide it from) and with one it cannot parse at all (the binder
     * refuses it, printing the value as given: only the secrets known before binding hide it).
     */
    static Stream<Arguments> settingsFromEverywhere() {
        Stream<Arguments> urls = Stream.of("bad_host/", "[bad/").flatMap(host -> {
            String url = "http://bob:" + CONFIG_PASSWORD + "@" + host;
            String json = "{\"clickhouse\":{\"url\":\"" + url + "\"}}";
            return Stream.of(
                    Arguments.of("a system property, " + host, List.of("-Dthanos.url=" + url), Map.of(), "thanos.url"),
                    Arguments.of("SPRING_APPLICATION_JSON, " + host, List.of(), Map.of("SPRING_APPLICATION_JSON", json), "clickhouse.url"),
                    Arguments.of("spring.application.json as a system property, " + host, List.of("-Dspring.application.json=" + json),
                            Map.of(), "clickhouse.url"),
                    Arguments.of("a relaxed environment variable name, " + host, List.of(), Map.of("thanos_url", url), "thanos.url"));
        });
        Arguments malformedJson = Arguments.of("SPRING_APPLICATION_JSON that is no JSON", List.of(),
                Map.of("SPRING_APPLICATION_JSON", "{\"thanos\":{\"password\":" + CONFIG_PASSWORD + "}}"),
                "SPRING_APPLICATION_JSON is not valid JSON");
        return Stream.concat(urls, Stream.of(malformedJson));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsFromEverywhere")
    void aConfigurationErrorPrintsNoPasswordGivenOutsideTheEnvironmentVariablesEither(String what, List<String> jvmOptions,
            Map<String, String> env, String says) {
        JarProcess.Result r = JarProcess.runWithJvm(jvmOptions, env, "hourly");
        assertThat(r.exitCode()).as(what + "\n" + r).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(what + "\n" + r).singleElement()
                .satisfies(line -> assertThat(line).startsWith("kubecost-worker: invalid configuration: ").contains(says));
        assertThat(r.out()).as(what).isEmpty();
        assertNoSecret(r.all(), CONFIG_PASSWORD);
    }

    @Test
    void aClickHousePasswordInTheUrlIsRefusedWithoutBeingPrinted(TestDatabase db) {
        Map<String, String> env = clickhouseEnv(db);
        env.put("CLICKHOUSE_URL", env.get("CLICKHOUSE_URL").replace("http://", "http://default:" + URL_PASSWORD + "@"));
        JarProcess.Result r = JarProcess.run(env, "migrate");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("CLICKHOUSE_PASSWORD");
        assertNoSecret(r.all(), URL_PASSWORD);
    }

    private static Map<String, String> clickhouseEnv(TestDatabase db) {
        return Worker.environment(db.workerArgs());
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoSecret(String text, String... secrets) {
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
