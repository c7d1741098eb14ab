package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.secrets.Redactor;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import tools.jackson.core.exc.JacksonIOException;

/**
 * The Thanos Query HTTP API (which plain Prometheus serves too). Every request asks for complete,
 * deduplicated data at the configured source resolution; an answer with an error status or with
 * warnings fails with {@link ThanosQueryException}, so partial data can never be mistaken for data.
 */
public final class ThanosClient {

    private static final Logger log = LoggerFactory.getLogger(ThanosClient.class);

    private final OkHttpClient http;
    private final HttpUrl base;
    private final ThanosProperties props;
    private final RetryTemplate retry;
    /** The longest a server's Retry-After is honoured; beyond it the retry policy's own backoff applies. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    public ThanosClient(ThanosProperties props) {
        this(props, ThanosTlsProperties.none());
    }

    public ThanosClient(ThanosProperties props, ThanosTlsProperties tls) {
        this.props = props;
        this.base = HttpUrl.get(props.url().toString());
        this.http = ThanosTls.configure(new OkHttpClient.Builder(), props, tls)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(props.timeout())
                .callTimeout(props.timeout())
                .retryOnConnectionFailure(true)
                .build();
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(props.retries())
                .delay(props.retryBackoff())
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(30))
                .predicate(e -> e instanceof ThanosQueryException q && q.retryable())
                .build());
        this.retry.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                Throwable last = state.getLastException();
                retries.incrementAndGet();
                log.warn("thanos request retry {}: {}", state.getRetryCount(),
                        PromQl.withShortMatchers(last == null ? retryable.getName() : last.getMessage()));
            }
        });
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
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", selector + "[" + rangeMs + "ms]");
        form.put("time", seconds(end.toEpochMilli() - 1));
        List<PromSeries> answer = post("api/v1/query", form, ApiResponseParser.samples(ResultType.MATRIX));
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
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", expr);
        form.put("time", seconds(time.toEpochMilli()));
        return post("api/v1/query", form, ApiResponseParser.samples(ResultType.VECTOR));
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
            Map<String, String> form = new LinkedHashMap<>();
            form.put("query", expr);
            form.put("start", seconds(from));
            form.put("end", seconds(to));
            form.put("step", BigDecimal.valueOf(stepMs, 3).toPlainString());
            for (PromSeries s : post("api/v1/query_range", form, ApiResponseParser.samples(ResultType.MATRIX))) {
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
        return send(new Request.Builder().url(url.build()).get(), "label values of " + label,
                ApiResponseParser::readStrings);
    }

    /** Label sets of the series matching {@code match} with data in [start, end]. */
    public List<Map<String, String>> series(String match, Instant start, Instant end) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("match[]", match);
        form.put("start", seconds(start.toEpochMilli()));
        form.put("end", seconds(end.toEpochMilli()));
        return post("api/v1/series", form, ApiResponseParser::readLabelSets);
    }

    /**
     * {@code /api/v1/status/buildinfo}: Prometheus and Thanos name their version and revision;
     * VictoriaMetrics answers an empty object. Fails like any other request (a server that does not
     * serve it answers HTTP 404).
     */
    public Map<String, String> buildInfo() {
        return send(new Request.Builder().url(endpoint("api/v1/status/buildinfo")).get(), "build info",
                ApiResponseParser::readLabels);
    }

    private <T> T post(String path, Map<String, String> form, ApiResponseParser.DataReader<T> reader) {
        FormBody.Builder body = new FormBody.Builder();
        form.forEach(body::add);
        commonParameters().forEach(body::add);
        String what = path.substring(path.lastIndexOf('/') + 1) + " " + form.getOrDefault("query", form.get("match[]"));
        return send(new Request.Builder().url(endpoint(path)).post(body.build()), what, reader);
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

    private <T> T send(Request.Builder request, String what, ApiResponseParser.DataReader<T> reader) {
        if (props.bearerToken() != null) {
            request.header("Authorization", "Bearer " + props.bearerToken());
        } else if (props.username() != null) {
            request.header("Authorization", Credentials.basic(props.username(), props.password() == null ? "" : props.password()));
        }
        props.extraHeaders().forEach(request::header);
        Request built = request.build();
        try {
            return retry.execute(new Retryable<T>() {
                private int attempts;

                @Override
                public T execute() {
                    return exchange(built, what, reader, ++attempts > props.retries());
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            errors.incrementAndGet();
            Throwable last = e.getCause();
            if (last instanceof ThanosQueryException q) {
                throw q;
            }
            throw new ThanosQueryException(what + ": " + last, false, last);
        }
    }

    /** Requests that failed for good, after their retries. */
    public long errorCount() {
        return errors.get();
    }

    /** Requests sent so far, retries included. */
    public long requestCount() {
        return requests.get();
    }

    public long retryCount() {
        return retries.get();
    }

    /** One attempt; {@code last} when no retry follows (then a Retry-After is not waited for). */
    private <T> T exchange(Request request, String what, ApiResponseParser.DataReader<T> reader, boolean last) {
        requests.incrementAndGet();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            int code = response.code();
            String contentType = response.header("Content-Type", "");
            ThanosQueryException failure;
            if (code == 200 || contentType.startsWith("application/json")) {
                try {
                    T answer = ApiResponseParser.parse(body.byteStream(), reader, what + " (HTTP " + code + ")");
                    if (code == 200) {
                        return answer;
                    }
                    // a well-formed answer under an error status is no answer: what a proxy or gateway says is unknown
                    failure = new ThanosQueryException(what + ": HTTP " + code + " with a body that reads as data", isRetryable(code));
                } catch (ThanosQueryException e) {
                    if (code == 200) {
                        throw e;
                    }
                    failure = new ThanosQueryException(e.getMessage(), isRetryable(code), e);
                }
            } else {
                // redacted whole before it is cut: a secret an upstream echoes must not straddle the cut
                String text = Redactor.redact(body.string());
                failure = new ThanosQueryException(what + ": HTTP " + code + ": "
                        + text.substring(0, Math.min(200, text.length())).strip(), isRetryable(code));
            }
            if (!last) {
                waitAsAsked(response);
            }
            throw failure;
        } catch (javax.net.ssl.SSLHandshakeException | javax.net.ssl.SSLPeerUnverifiedException e) {
            // a certificate the worker does not trust (or that does not name the host): asking again changes nothing
            throw new ThanosQueryException(what + ": " + e, false, e);
        } catch (IOException | JacksonIOException e) {
            // the connection failed, or broke while the body streamed in: worth another try
            throw new ThanosQueryException(what + ": " + e, true, e);
        }
    }

    /**
     * An overloaded server (429, 503) may say when to come back ({@code Retry-After}, seconds or an
     * HTTP date): the next attempt waits at least that long, up to {@link #MAX_RETRY_AFTER}.
     */
    private static void waitAsAsked(Response response) {
        if (response.code() != 429 && response.code() != 503) {
            return;
        }
        Duration wait = retryAfter(response.header("Retry-After"), Instant.now());
        if (wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(Math.min(wait.toMillis(), MAX_RETRY_AFTER.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Duration.ZERO;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = java.time.ZonedDateTime.parse(header.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (java.time.DateTimeException notADate) {
                return Duration.ZERO;
            }
        }
    }

    private static boolean isRetryable(int httpCode) {
        return httpCode == 429 || httpCode >= 500;
    }

    private HttpUrl endpoint(String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    private static String seconds(long epochMillis) {
        return BigDecimal.valueOf(epochMillis, 3).toPlainString();
    }
}
