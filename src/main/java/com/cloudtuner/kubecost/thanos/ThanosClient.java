package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.thanos.ApiResponseParser.DataReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The Thanos Query HTTP API (which plain Prometheus serves too). Every request asks for complete,
 * deduplicated data at the configured source resolution; an answer with an error status or with
 * warnings fails with {@link ThanosQueryException}, so partial data can never be mistaken for data.
 */
public final class ThanosClient {

    private final HttpUrl base;
    private final ThanosProperties props;
    private final ThanosHttp http;

    public ThanosClient(ThanosProperties props) {
        this(props, ThanosTlsProperties.none());
    }

    public ThanosClient(ThanosProperties props, ThanosTlsProperties tls) {
        this.props = props;
        this.base = HttpUrl.get(props.url().toString());
        this.http = new ThanosHttp(props, tls);
    }

    /**
     * Every raw sample with a timestamp in [start, end) of the series matching {@code selector}.
     * Uses an instant query of a range selector, so values are what was stored, not points
     * re-evaluated on a step grid (which would carry a sample forward into a gap).
     */
    public List<PromSeries> rawSamples(String selector, Instant start, Instant end) {
        long rangeMs = end.toEpochMilli() - start.toEpochMilli();
        if (rangeMs <= 0) {
            return List.of();
        }
        // Evaluate 1 ms before end: Prometheus 2 includes both ends of a range, Prometheus 3 only
        // the right one; either way [start - 1 ms, end - 1 ms] is fetched and trimmed below.
        Map<String, String> form = form("query", selector + "[" + rangeMs + "ms]", "time", seconds(end.toEpochMilli() - 1));
        List<PromSeries> answer = post("api/v1/query", form, new SeriesReader(ResultType.MATRIX));
        long from = start.toEpochMilli();
        List<PromSeries> trimmed = new ArrayList<>(answer.size());
        for (PromSeries s : answer) {
            int skip = 0;
            while (skip < s.size() && s.timestamps()[skip] < from) {
                skip++;
            }
            trimmed.add(skip == 0 ? s : new PromSeries(s.labels(),
                    Arrays.copyOfRange(s.timestamps(), skip, s.size()),
                    Arrays.copyOfRange(s.values(), skip, s.size())));
        }
        return trimmed;
    }

    /** An instant query of an expression that gives an instant vector, evaluated at {@code time}. */
    public List<PromSeries> instantVector(String expr, Instant time) {
        return post("api/v1/query", form("query", expr, "time", seconds(time.toEpochMilli())), new SeriesReader(ResultType.VECTOR));
    }

    /**
     * A range query over [start, end] at {@code step}, split into requests of at most
     * {@link WorkerProperties#MAX_POINTS_PER_SERIES} points per series; the pieces are joined per series.
     * Every point must lie on the requested grid: a server (or a query frontend aligning ranges to
     * the step) that moves it would silently change what each point covers.
     */
    public List<PromSeries> queryRange(String expr, Instant start, Instant end, Duration step) {
        long stepMs = step.toMillis();
        if (stepMs <= 0) {
            throw new IllegalArgumentException("step must be positive");
        }
        Map<Map<String, String>, List<PromSeries>> pieces = new LinkedHashMap<>();
        long maxSpan = stepMs * (WorkerProperties.MAX_POINTS_PER_SERIES - 1);
        for (long from = start.toEpochMilli(); from <= end.toEpochMilli(); from += maxSpan + stepMs) {
            long to = Math.min(end.toEpochMilli(), from + maxSpan);
            Map<String, String> form = form("query", expr, "start", seconds(from), "end", seconds(to), "step", seconds(stepMs));
            for (PromSeries s : post("api/v1/query_range", form, new SeriesReader(ResultType.MATRIX))) {
                for (long t : s.timestamps()) {
                    if (t < from || t > to || (t - from) % stepMs != 0) {
                        throw new ThanosQueryException("query_range " + expr + ": a point at " + Instant.ofEpochMilli(t)
                                + " is off the requested grid (" + Instant.ofEpochMilli(from) + " every " + step
                                + "); is a query frontend aligning ranges to the step?", false);
                    }
                }
                pieces.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(s);
            }
        }
        List<PromSeries> joined = new ArrayList<>();
        pieces.forEach((labels, parts) -> {
            int n = parts.stream().mapToInt(PromSeries::size).sum();
            long[] t = new long[n];
            double[] v = new double[n];
            int i = 0;
            for (PromSeries p : parts) {
                System.arraycopy(p.timestamps(), 0, t, i, p.size());
                System.arraycopy(p.values(), 0, v, i, p.size());
                i += p.size();
            }
            joined.add(new PromSeries(labels, t, v));
        });
        return joined;
    }

    /** Values of {@code label} on series matching {@code match} with data in [start, end]. */
    public List<String> labelValues(String label, String match, Instant start, Instant end) {
        HttpUrl.Builder url = endpoint("api/v1/label").newBuilder().addPathSegment(label).addPathSegment("values")
                .addQueryParameter("match[]", match)
                .addQueryParameter("start", seconds(start.toEpochMilli()))
                .addQueryParameter("end", seconds(end.toEpochMilli()));
        commonParameters().forEach(url::addQueryParameter);
        return http.send(new Request.Builder().url(url.build()).get(), "label values of " + label, JsonShapes::readStrings);
    }

    /** Label sets of the series matching {@code match} with data in [start, end]. */
    public List<Map<String, String>> series(String match, Instant start, Instant end) {
        Map<String, String> form = form("match[]", match, "start", seconds(start.toEpochMilli()), "end", seconds(end.toEpochMilli()));
        return post("api/v1/series", form, JsonShapes::readLabelSets);
    }

    /**
     * {@code /api/v1/status/buildinfo}: Prometheus and Thanos name their version and revision;
     * VictoriaMetrics answers an empty object. Fails like any other request (a server that does not
     * serve it answers HTTP 404).
     */
    public Map<String, String> buildInfo() {
        return http.send(new Request.Builder().url(endpoint("api/v1/status/buildinfo")).get(), "build info", JsonShapes::readLabels);
    }

    /** Requests that failed for good, after their retries. */
    public long errorCount() {
        return http.errorCount();
    }

    /** Requests sent so far, retries included. */
    public long requestCount() {
        return http.requestCount();
    }

    public long retryCount() {
        return http.retryCount();
    }

    private <T> T post(String path, Map<String, String> form, DataReader<T> reader) {
        FormBody.Builder body = new FormBody.Builder();
        form.forEach(body::add);
        commonParameters().forEach(body::add);
        String what = path.substring(path.lastIndexOf('/') + 1) + " " + form.getOrDefault("query", form.get("match[]"));
        return http.send(new Request.Builder().url(endpoint(path)).post(body.build()), what, reader);
    }

    /** Names and values, in the order they are sent. */
    private static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    /** Thanos-only parameters; plain Prometheus ignores them. */
    private Map<String, String> commonParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("partial_response", "false");
        p.put("dedup", "true");
        p.put("max_source_resolution", props.maxSourceResolution());
        p.put("nocache", "1"); // VictoriaMetrics: a cached answer would hide samples that arrived late
        return p;
    }

    private HttpUrl endpoint(String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }
}
