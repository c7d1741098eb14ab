package com.cloudtuner.kubecost.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.cloudtuner.kubecost.config.ClickHouseProperties;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which failed statements are worth another try ({@link ClickHouseException#retryable()}, what the
 * work unit's write retries on): ClickHouse not reached, its answer lost or late, or something in
 * between answering in its place; never a statement ClickHouse refused, whatever its code. The
 * server here stands in for what a real one cannot be made to do on demand.
 */
class RetryableFailuresTest {

    @StartStop
    public final MockWebServer server = new MockWebServer();

    private static ClickHouseException failedInsert(String url) {
        ClickHouseProperties props = new ClickHouseProperties(URI.create(url), "default", "", "default", Duration.ofMillis(500),
                Duration.ofSeconds(30), 100_000, 2, Duration.ofSeconds(1));
        try (ClickHouseGateway ch = new ClickHouseGateway(props)) {
            return catchThrowableOfType(ClickHouseException.class,
                    () -> ch.insertJsonEachRow("t", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The same answer to the first try and to each of client-v2's own retries. */
    private void answerEveryTry(MockResponse answer) {
        for (int i = 0; i < 5; i++) {
            server.enqueue(answer);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a refusal 18.16 names in its text only       | 500 |     | Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded | 241 | false
            a refusal client-v2 calls retryable (header) | 500 | 241 | Code: 241. DB::Exception: Memory limit (total) exceeded                       | 241 | false
            a syntax error                               | 400 | 62  | Code: 62. DB::Exception: Syntax error                                         | 62  | false
            a proxy that lost the answer                 | 502 |     | the answer was lost on the way                                                | 0   | true
            a proxy whose ClickHouse is down             | 503 |     | no healthy upstream                                                           | 0   | true
            a proxy that gave up waiting                 | 504 |     | upstream request timeout                                                      | 0   | true
            """)
    void anAnswerIsRetriedOnlyWhenClickHouseDidNotGiveIt(String what, int status, String codeHeader, String body, int code,
            boolean retryable) {
        MockResponse.Builder answer = new MockResponse.Builder().code(status).setHeader("Content-Type", "text/plain").body(body);
        if (codeHeader != null) {
            answer.setHeader("X-ClickHouse-Exception-Code", codeHeader);
        }
        answerEveryTry(answer.build());
        ClickHouseException e = failedInsert(server.url("/").toString());
        assertThat(e.code()).as(what).isEqualTo(code);
        assertThat(e.retryable()).as(what + ": " + e.getMessage()).isEqualTo(retryable);
    }

    @Test
    void anAnswerLaterThanTheSocketTimeoutIsRetried() {
        answerEveryTry(new MockResponse.Builder().code(200).headersDelay(2, java.util.concurrent.TimeUnit.SECONDS).build());
        assertThat(failedInsert(server.url("/").toString()).retryable()).isTrue();
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsRetried() {
        answerEveryTry(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build());
        assertThat(failedInsert(server.url("/").toString()).retryable()).isTrue();
    }

    @Test
    void aServerThatRefusesConnectionsIsRetried() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(failedInsert("http://127.0.0.1:" + closed).retryable()).isTrue();
    }
}
