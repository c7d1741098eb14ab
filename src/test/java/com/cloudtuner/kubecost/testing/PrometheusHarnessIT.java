package com.cloudtuner.kubecost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.simulate.ExporterDataset;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The harness's Prometheus serves what a test loads, read back with a plain HTTP client. */
@ExtendWith(RealServers.class)
class PrometheusHarnessIT {

    private static final long T0 = Instant.parse("2025-10-13T00:00:00Z").getEpochSecond();

    @Test
    void servesALoadedSeriesThroughQueryRange(PrometheusServer prometheus) throws Exception {
        ExporterDataset data = new ExporterDataset();
        ExporterDataset.SeriesData s = data.series("harness_gauge", Map.of("tenant_id", "a\"b}c\\d", "cluster", "x"));
        for (int k = 0; k < 60; k++) {
            s.add((T0 + 60L * k) * 1000, k * 0.5);
        }
        prometheus.load(data);

        JsonNode result = queryRange(prometheus.url(), "harness_gauge", T0, T0 + 59 * 60, 60);
        assertThat(result.size()).isEqualTo(1);
        assertThat(result.get(0).get("metric").get("tenant_id").asString()).isEqualTo("a\"b}c\\d");
        List<Double> values = new ArrayList<>();
        for (JsonNode point : result.get(0).get("values")) {
            assertThat(point.get(0).asLong()).isEqualTo(T0 + 60L * values.size());
            values.add(Double.parseDouble(point.get(1).asString()));
        }
        assertThat(values).hasSize(60);
        for (int k = 0; k < 60; k++) {
            assertThat(values.get(k)).isEqualTo(k * 0.5);
        }

        // A second load adds samples to what is there (late data in the hourly tests).
        ExporterDataset late = new ExporterDataset();
        late.series("harness_gauge", Map.of("tenant_id", "a\"b}c\\d", "cluster", "x")).add((T0 + 3600) * 1000, 99);
        prometheus.load(late);
        JsonNode after = queryRange(prometheus.url(), "harness_gauge", T0 + 59 * 60, T0 + 3600, 60);
        assertThat(after.get(0).get("values")).extracting(p -> p.get(1).asString()).containsExactly("29.5", "99");
    }

    private static JsonNode queryRange(String base, String query, long start, long end, int step) throws Exception {
        String url = base + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=" + step;
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JsonMapper.builder().build().readTree(response.body());
        assertThat(body.get("status").asString()).isEqualTo("success");
        return body.get("data").get("result");
    }
}
