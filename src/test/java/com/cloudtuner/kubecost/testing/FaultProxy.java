package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.ByteString;

/**
 * Stands between the worker and a real server (Prometheus, VictoriaMetrics or ClickHouse): forwards
 * every request untouched and records it, answers 503 to the requests a test picks (say, every
 * query for one tenant), and can add latency to each request.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "keep-alive", "accept-encoding");

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(5)).build();
    private final String target;
    private final List<String> requests = new ArrayList<>();
    private volatile Predicate<String> failing = request -> false;
    private volatile Predicate<String> rewriting = request -> false;
    private volatile String rewrittenBody;
    private volatile long delayMs;
    private volatile Predicate<String> transforming = request -> false;
    private volatile java.util.function.UnaryOperator<String> transform = java.util.function.UnaryOperator.identity();
    private final List<Trigger> triggers = new ArrayList<>();

    /** What happens to the n-th request a predicate matches. */
    private record Trigger(Predicate<String> request, int n, int[] seen, Runnable afterForwarding, MockResponse answer,
                           boolean loseAnswer) {
    }

    public FaultProxy(String target) {
        this(target, null, false);
    }

    /**
     * The same proxy serving HTTPS with {@code tls} (see {@link TestCa#serverSocketFactory}), and
     * refusing clients without a certificate when {@code requireClientCertificate}.
     */
    public static FaultProxy https(String target, SSLSocketFactory tls, boolean requireClientCertificate) {
        return new FaultProxy(target, tls, requireClientCertificate);
    }

    private FaultProxy(String target, SSLSocketFactory tls, boolean requireClientCertificate) {
        this.target = target.replaceAll("/$", "");
        if (tls != null) {
            server.useHttps(tls);
        }
        if (requireClientCertificate) {
            server.requireClientAuth();
        }
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        try {
            server.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    /** Fail requests whose decoded URL and body contain {@code text}; null to fail none. */
    public void failRequestsContaining(String text) {
        failing = text == null ? r -> false : r -> r.contains(text);
    }

    /**
     * Answer requests whose decoded URL and body contain {@code text} with HTTP 200 and this body
     * instead of forwarding them (an upstream that answers with something other than data).
     */
    public void answerRequestsContaining(String text, String body) {
        rewrittenBody = body;
        rewriting = r -> r.contains(text);
    }

    /**
     * Forward requests matching {@code request} and hand the server's answer body through {@code body}
     * before passing it on (an upstream that alters what it relays, say drops a series).
     */
    public void transformAnswers(Predicate<String> request, java.util.function.UnaryOperator<String> body) {
        transform = body;
        transforming = request;
    }

    /** After forwarding the {@code n}-th request matching {@code request}, and before answering it, run {@code action}. */
    public synchronized void afterForwardingNth(Predicate<String> request, int n, Runnable action) {
        triggers.add(new Trigger(request, n, new int[1], action, null, false));
    }

    /**
     * Answer the {@code n}-th request matching {@code request}, and every later one, with this status
     * and body instead of forwarding it (a server that keeps refusing, say a statement too large).
     */
    public synchronized void answerFromNth(Predicate<String> request, int n, int status, String body) {
        triggers.add(new Trigger(request, n, new int[1], null,
                new MockResponse.Builder().code(status).setHeader("Content-Type", "text/plain").body(body).build(), false));
    }

    /** Forward the {@code n}-th request matching {@code request}, then answer 502 instead of the server's answer: applied, answer lost. */
    public synchronized void loseAnswerOfNth(Predicate<String> request, int n) {
        triggers.add(new Trigger(request, n, new int[1], null, null, true));
    }

    /** Hold every request this long before forwarding it (a far-away server). */
    public void delayEachRequest(Duration delay) {
        delayMs = delay.toMillis();
    }

    /** Every request so far, as its decoded target and body. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    public synchronized void clearRequests() {
        requests.clear();
    }

    private MockResponse handle(RecordedRequest request) {
        ByteString body = request.getBody() == null ? ByteString.EMPTY : request.getBody();
        String text = URLDecoder.decode(request.getTarget() + " " + body.string(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        synchronized (this) {
            requests.add(text);
        }
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs); // the latency under test, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Trigger fired = null;
        synchronized (this) {
            for (Trigger t : triggers) {
                if (t.request().test(text) && (++t.seen()[0] == t.n() || t.answer() != null && t.seen()[0] > t.n())) {
                    fired = t;
                }
            }
        }
        if (fired != null && fired.answer() != null) {
            return fired.answer();
        }
        if (rewriting.test(text)) {
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(rewrittenBody).build();
        }
        if (failing.test(text)) {
            return new MockResponse.Builder().code(503).setHeader("Content-Type", "application/json")
                    .body("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"injected fault\"}").build();
        }
        Request.Builder forward = new Request.Builder().url(target + request.getTarget());
        Headers.Builder headers = new Headers.Builder();
        request.getHeaders().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getFirst().toLowerCase())) {
                headers.add(h.getFirst(), h.getSecond());
            }
        });
        forward.headers(headers.build());
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            String type = request.getHeaders().get("Content-Type");
            forward.method(request.getMethod(), RequestBody.create(body, type == null ? null : MediaType.parse(type)));
        }
        try (Response response = http.newCall(forward.build()).execute()) {
            MockResponse.Builder answer = new MockResponse.Builder().code(response.code());
            response.headers().forEach(h -> {
                if (!HOP_BY_HOP.contains(h.getFirst().toLowerCase()) && !h.getFirst().equalsIgnoreCase("content-encoding")) {
                    answer.addHeader(h.getFirst(), h.getSecond());
                }
            });
            byte[] bytes = response.body().bytes();
            if (fired != null && fired.afterForwarding() != null) {
                fired.afterForwarding().run();
            }
            if (fired != null && fired.loseAnswer()) {
                return new MockResponse.Builder().code(502).body("the answer was lost on the way").build();
            }
            if (transforming.test(text)) {
                bytes = transform.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            return answer.body(new okio.Buffer().write(bytes)).build();
        } catch (IOException e) {
            return new MockResponse.Builder().code(502).body(e.toString()).build();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
