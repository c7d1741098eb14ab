package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Stands between the worker and the real Prometheus and answers 503 to the requests a test picks
 * (say, every query for one tenant); everything else is forwarded untouched.
 */
public final class FaultProxy implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient();
    private final String target;
    private volatile Predicate<String> failing = request -> false;

    public FaultProxy(String target) {
        this.target = target;
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
        return server.url("/").toString();
    }

    /** Fail requests whose decoded URL and body contain {@code text}; null to fail none. */
    public void failRequestsContaining(String text) {
        failing = text == null ? r -> false : r -> r.contains(text);
    }

    private MockResponse handle(RecordedRequest request) {
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        String text = URLDecoder.decode(request.getTarget() + " " + body, StandardCharsets.UTF_8);
        if (failing.test(text)) {
            return new MockResponse.Builder().code(503).setHeader("Content-Type", "application/json")
                    .body("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"injected fault\"}").build();
        }
        Request.Builder forward = new Request.Builder().url(target.replaceAll("/$", "") + request.getTarget());
        if ("POST".equals(request.getMethod())) {
            forward.post(RequestBody.create(body, MediaType.get("application/x-www-form-urlencoded")));
        }
        try (Response response = http.newCall(forward.build()).execute()) {
            return new MockResponse.Builder().code(response.code())
                    .setHeader("Content-Type", response.header("Content-Type", "application/json"))
                    .body(response.body().string()).build();
        } catch (IOException e) {
            return new MockResponse.Builder().code(502).body(e.toString()).build();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
