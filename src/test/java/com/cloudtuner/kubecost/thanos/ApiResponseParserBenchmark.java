package com.cloudtuner.kubecost.thanos;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A raw-samples answer for one metric of a 100-namespace tenant over a day (144,000 samples):
 * the streaming parser against the obvious alternative, Jackson's tree model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ApiResponseParserBenchmark {

    private byte[] body;
    private final JsonMapper mapper = JsonMapper.builder().build();

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < 100; s++) {
            sb.append(s == 0 ? "" : ",").append("{\"metric\":{\"__name__\":\"cloudtuner_kubecost_namespace_total_cost\",")
                    .append("\"tenant_id\":\"acme\",\"cluster\":\"prod\",\"namespace\":\"ns-").append(s).append("\",\"currency\":\"USD\"},\"values\":[");
            for (int k = 0; k < 1440; k++) {
                sb.append(k == 0 ? "" : ",").append('[').append(1760313607 + 60L * k).append(".5,\"").append(0.125 * (s % 7) + k % 3).append("\"]");
            }
            sb.append("]}");
        }
        body = sb.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public long baselineJacksonTree() {
        JsonNode root = mapper.readTree(new ByteArrayInputStream(body));
        long n = 0;
        for (JsonNode series : root.get("data").get("result")) {
            for (JsonNode point : series.get("values")) {
                n += Math.round(point.get(0).asDouble() * 1000) + (long) SampleValue.parse(point.get(1).asString());
            }
        }
        return n;
    }

    @Benchmark
    public List<PromSeries> streamingParser() {
        return ApiResponseParser.parse(new ByteArrayInputStream(body), new SeriesReader(ResultType.MATRIX), "bench");
    }
}
