package com.cloudtuner.kubecost.thanos;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.thanos.ApiResponseParser.DataReader;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Credentials;
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
 * Sends the client's requests with its credentials, sends again what may succeed when asked again
 * (an overloaded server, a broken connection), and turns the HTTP status and body into the answer
 * or a {@link ThanosQueryException}. Counts requests, retries and failures for the run's report.
 */
final class ThanosHttp {

    /** Named after the client, as before the split, so that log settings naming that logger still apply. */
    private static final Logger log = LoggerFactory.getLogger(ThanosClient.class);
    /** The longest a server's Retry-After is honoured; beyond it the retry policy's own backoff applies. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final OkHttpClient http;
    private final ThanosProperties props;
    private final RetryTemplate retry;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    ThanosHttp(ThanosProperties props, ThanosTlsProperties tls) {
        this.props = props;
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
                log.warn("thanos request retry {}: {}", state.getRetryCount(), last instanceof ThanosQueryException q
                        ? q.causeFirst() : PromQl.withShortMatchers(last == null ? retryable.getName() : last.getMessage()));
            }
        });
    }

    <T> T send(Request.Builder request, String what, DataReader<T> reader) {
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

    long errorCount() {
        return errors.get();
    }

    long requestCount() {
        return requests.get();
    }

    long retryCount() {
        return retries.get();
    }

    /** One attempt; {@code last} when no retry follows (then a Retry-After is not waited for). */
    private <T> T exchange(Request request, String what, DataReader<T> reader, boolean last) {
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
                        + text.substring(0, Math.min(200, text.length())).strip() + notFoundHint(code), isRetryable(code));
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
     * A 404 from the query API itself means thanos.url does not lead to it, most often because it
     * ends in /api/v1, which the client adds itself (a server without an optional endpoint, e.g.
     * build info, answers 404 too; its caller expects that and never shows this).
     */
    private String notFoundHint(int code) {
        if (code != 404) {
            return "";
        }
        String path = props.url().getPath();
        return "; thanos.url must be the query API's base URL, without /api/v1 (e.g. http://" + props.url().getHost()
                + (props.url().getPort() < 0 ? "" : ":" + props.url().getPort()) + ")"
                + (path == null || path.isEmpty() || path.equals("/") ? "" : ", here its path is " + path);
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
}
