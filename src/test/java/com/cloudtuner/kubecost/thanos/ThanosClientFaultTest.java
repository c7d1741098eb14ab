package com.cloudtuner.kubecost.thanos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** Faults a real Prometheus cannot be made to produce: overload, garbage, warnings, hangs. */
class ThanosClientFaultTest {

    private static final Instant START = Instant.parse("2025-10-13T00:00:00Z");
    private static final Instant END = START.plusSeconds(3600);
    private static final String MATRIX = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"m","tenant_id":"t"},"values":[[1760313599.999,"9"],[1760313600,"1.5"],[1760313660.5,"NaN"],[1760313720,"+Inf"]]}]}}""";

    @StartStop
    public final MockWebServer server = new MockWebServer();

    private ThanosClient client(int retries, String bearer, String user, List<String> headers, Duration timeout) {
        return new ThanosClient(new ThanosProperties(URI.create(server.url("/prefix/").toString()), bearer, user,
                user == null ? null : "s3cret", headers, timeout, "0s", retries, Duration.ofMillis(1)));
    }

    private ThanosClient client(int retries) {
        return client(retries, null, null, List.of(), Duration.ofSeconds(5));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void retriesAnOverloadedServerAndReturnsTheRawSamplesOfTheWindow() {
        server.enqueue(json(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}"));
        server.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());
        server.enqueue(json(200, MATRIX));

        List<PromSeries> series = client(2).rawSamples("m{tenant_id=\"t\"}", START, END);

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.labels()).containsEntry("tenant_id", "t");
            // the sample 1 ms before the window is dropped; the others keep their exact times and values
            assertThat(s.timestamps()).containsExactly(1760313600000L, 1760313660500L, 1760313720000L);
            assertThat(s.values()[0]).isEqualTo(1.5);
            assertThat(s.values()[1]).isNaN();
            assertThat(s.values()[2]).isEqualTo(Double.POSITIVE_INFINITY);
        });
    }

    @Test
    void asksForCompleteRawDataEndingJustBeforeTheWindowEnd() throws Exception {
        server.enqueue(json(200, MATRIX));
        client(0, "tok3n", null, List.of("THANOS-TENANT: team-a", "X-Extra: 1"), Duration.ofSeconds(5))
                .rawSamples("m{tenant_id=\"t\"}", START, END);

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prefix/api/v1/query");
        Map<String, String> form = form(request);
        assertThat(form).containsEntry("query", "m{tenant_id=\"t\"}[3600000ms]")
                .containsEntry("time", "1760317199.999")
                .containsEntry("partial_response", "false")
                .containsEntry("dedup", "true")
                .containsEntry("max_source_resolution", "0s");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer tok3n");
        assertThat(request.getHeaders().get("THANOS-TENANT")).isEqualTo("team-a");
        assertThat(request.getHeaders().get("X-Extra")).isEqualTo("1");
    }

    @Test
    void sendsBasicAuthentication() throws Exception {
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":[\"a\",\"b\"]}"));
        List<String> values = client(0, null, "reader", List.of(), Duration.ofSeconds(5))
                .labelValues("tenant_id", "{__name__=~\"x.+\"}", START, END);
        assertThat(values).containsExactly("a", "b");
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prefix/api/v1/label/tenant_id/values");
        assertThat(request.getUrl().queryParameter("match[]")).isEqualTo("{__name__=~\"x.+\"}");
        assertThat(request.getUrl().queryParameter("partial_response")).isEqualTo("false");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic cmVhZGVyOnMzY3JldA=="); // reader:s3cret
    }

    @Test
    void givesUpAfterTheConfiguredRetries() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(json(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}"));
        }
        assertThatThrownBy(() -> client(2).rawSamples("m", START, END))
                .isInstanceOf(ThanosQueryException.class).hasMessageContaining("overloaded").hasMessageContaining("503");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anAnswerWithWarningsIsNotDataAndIsNotRetried() {
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]},"
                + "\"warnings\":[\"store gateway unreachable: partial data\"]}"));
        assertThatThrownBy(() -> client(3).rawSamples("m", START, END))
                .isInstanceOf(ThanosQueryException.class).hasMessageContaining("warnings").hasMessageContaining("store gateway");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anErrorStatusFailsWithTheServersReason() {
        server.enqueue(json(422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query would load too many samples\"}"));
        assertThatThrownBy(() -> client(3).rawSamples("m", START, END))
                .isInstanceOf(ThanosQueryException.class).hasMessageContaining("too many samples");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void garbageFailsTheRequest() {
        server.enqueue(new MockResponse.Builder().code(200).body("<html>login page</html>").build());
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"2\"]"));
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"two\"]]}]}}"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client(0).rawSamples("m", START, END))
                    .isInstanceOf(ThanosQueryException.class).hasMessageContaining("unreadable response");
        }
    }

    @Test
    void aHungServerFailsAfterTheTimeout() {
        server.enqueue(new MockResponse.Builder().code(200).body(MATRIX).bodyDelay(5, TimeUnit.SECONDS).build());
        assertThatThrownBy(() -> client(0, null, null, List.of(), Duration.ofMillis(300)).rawSamples("m", START, END))
                .isInstanceOf(ThanosQueryException.class);
    }

    @Test
    void rangeQueriesAreSplitSoNoAnswerExceedsTheServersPointLimit() throws Exception {
        // two days at a 10 s step: 17,281 points, more than 11,000
        Instant end = START.plusSeconds(2 * 86_400);
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"1\"},\"values\":[[1760313600,\"1\"]]}]}}"));
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"1\"},\"values\":[[1760480000,\"2\"]]}]}}"));

        List<PromSeries> series = client(0).queryRange("m", START, end, Duration.ofSeconds(10));

        assertThat(server.getRequestCount()).isEqualTo(2);
        long covered = 0;
        double previousEnd = -1;
        for (int i = 0; i < 2; i++) {
            Map<String, String> form = form(server.takeRequest(1, TimeUnit.SECONDS));
            double s = Double.parseDouble(form.get("start"));
            double e = Double.parseDouble(form.get("end"));
            long points = Math.round((e - s) / 10) + 1;
            assertThat(points).isLessThanOrEqualTo(WorkerProperties.MAX_POINTS_PER_SERIES);
            assertThat(s).isEqualTo(previousEnd < 0 ? START.getEpochSecond() : previousEnd + 10);
            previousEnd = e;
            covered += points;
        }
        assertThat(previousEnd).isEqualTo(end.getEpochSecond());
        assertThat(covered).isEqualTo(2 * 8640 + 1);
        assertThat(series).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(1.0, 2.0));
    }

    @Test
    void aRangeAnswerOffTheRequestedGridFailsRatherThanShiftingTheHours() {
        // a query frontend aligning start to the step answers on the hour, not at the hour's last millisecond
        server.enqueue(json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"a\":\"1\"},\"values\":[[1760317200,\"1\"]]}]}}"));
        assertThatThrownBy(() -> client(0).queryRange("m", START.plusMillis(3_599_999), END.plusSeconds(3600).minusMillis(1),
                Duration.ofHours(1))).isInstanceOf(ThanosQueryException.class).hasMessageContaining("off the requested grid");
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        Arrays.stream(request.getBody().utf8().split("&")).forEach(pair -> {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        });
        return form;
    }
}
