package com.cloudtuner.kubecost.queries;

import com.cloudtuner.kubecost.config.ClickHouseProperties;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a SELECT over ClickHouse's HTTP interface in {@code FORMAT JSON}, which, unlike the
 * JSONEachRow the worker's gateway reads, also carries the column types ("meta") and the
 * WITH TOTALS row ("totals"): both are part of the reader contract.
 */
final class JsonFormatQuery {

    /** @param types column name to ClickHouse type, in column order; @param totals null without WITH TOTALS */
    record Result(Map<String, String> types, List<JsonNode> rows, JsonNode totals) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private JsonFormatQuery() {
    }

    static Result run(ClickHouseProperties ch, String select) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((ch.user() + ":" + ch.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ch.url().toString().replaceAll("/$", "")
                        + "/?database=" + URLEncoder.encode(ch.database(), StandardCharsets.UTF_8)))
                .header("Authorization", "Basic " + credentials)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(select + "\nFORMAT JSON", StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new AssertionError("ClickHouse answered " + response.statusCode() + ": " + response.body() + "\nto:\n" + select);
        }
        JsonNode json = JsonMapper.builder().build().readTree(response.body());
        Map<String, String> types = new LinkedHashMap<>();
        json.get("meta").forEach(c -> types.put(c.get("name").asString(), c.get("type").asString()));
        List<JsonNode> rows = new ArrayList<>();
        json.get("data").forEach(rows::add);
        return new Result(types, rows, json.get("totals"));
    }
}
