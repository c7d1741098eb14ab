package com.cloudtuner.kubecost.thanos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.secrets.Secrets;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Answers of the wrong shape are never data: each fails the request with a message naming the
 * defect (and none is retried: the same request would get the same answer). Broken transfers are
 * network faults and are retried.
 */
class MalformedAnswerTest {

    private static final Instant START = Instant.parse("2025-10-13T00:00:00Z");
    private static final Instant END = START.plusSeconds(3600);
    private static final String SERIES = "{\"metric\":{\"__name__\":\"m\",\"namespace\":\"a\"},\"values\":[[1760313600,\"1\"],[1760313660,\"2\"]]}";

    @StartStop
    public final MockWebServer server = new MockWebServer();

    private ThanosClient client(int retries) {
        return new ThanosClient(new ThanosProperties(URI.create(server.url("/").toString()), null, null, null, List.of(),
                Duration.ofSeconds(5), "0s", retries, Duration.ofMillis(1)));
    }

    private void answer(String body) {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a scalar result             | {"status":"success","data":{"resultType":"scalar","result":[1760313600,"1"]}}                        | resultType is scalar, expected matrix
            a string result             | {"status":"success","data":{"resultType":"string","result":[1760313600,"x"]}}                        | resultType is string, expected matrix
            a vector for a range query  | {"status":"success","data":{"resultType":"vector","result":[]}}                                      | resultType is vector, expected matrix
            no resultType               | {"status":"success","data":{"result":[]}}                                                            | data has no resultType
            no result                   | {"status":"success","data":{"resultType":"matrix"}}                                                  | data has no result
            numbers for series          | {"status":"success","data":{"resultType":"matrix","result":[1760313600,"1"]}}                        | result element 0 is a number, not a series object
            a number between series     | {"status":"success","data":{"resultType":"matrix","result":[SERIES,7,SERIES]}}                       | result element 1 is a number, not a series object
            a series without metric     | {"status":"success","data":{"resultType":"matrix","result":[{"values":[[1760313600,"1"]]}]}}         | result element 0 has no metric
            a series without values     | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"}}]}}                 | has no values
            a vector's value in a matrix| {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"value":[1,"2"]}]}}        | has 'value' in a matrix answer
            a value that is a number    | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,2]]}]}}       | a sample value of result element 0 is a number, not a string
            a time that is a string     | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["1","2"]]}]}}   | a sample time of result element 0 is a string
            a label that is a number    | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}}       | label a is a number, not a string
            content after the answer    | {"status":"success","data":{"resultType":"matrix","result":[]}} {"status":"success"}                 | more content after the answer
            no data at all              | {"status":"success"}                                                                                 | it has no data
            one label set twice         | {"status":"success","data":{"resultType":"matrix","result":[SERIES,SERIES]}}                         | result element 1 repeats the labels of an earlier series: {
            data given twice            | {"status":"success","data":{"resultType":"matrix","result":[SERIES]},"data":{"resultType":"matrix","result":[]}} | Duplicate
            warnings that are no array  | {"status":"success","warnings":"partial","data":{"resultType":"matrix","result":[]}}                  | warnings is a string, not an array
            a warning that is no string | {"status":"success","warnings":[7],"data":{"resultType":"matrix","result":[]}}                        | a warning is a number, not a string
            a Java float literal        | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1.5f"]]}]}}   | sample value is not a number: 1.5f
            a hexadecimal float         | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"0x1p3"]]}]}}  | sample value is not a number: 0x1p3
            Java's word for infinity    | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"Infinity"]]}]}} | sample value is not a number: Infinity
            an exponent without digits  | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1e"]]}]}}     | sample value is not a number: 1e
            a point alone               | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"-."]]}]}}     | sample value is not a number: -.
            a value with a space        | {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1," 1"]]}]}}     | sample value is not a number:  1
            """)
    void anAnswerOfTheWrongShapeFailsNamingTheDefect(String what, String body, String defect) {
        answer(body.replace("SERIES", SERIES));
        assertThatThrownBy(() -> client(3).rawSamples("m", START, END)).as(what)
                .isInstanceOf(ThanosQueryException.class).hasMessageContaining("unreadable response").hasMessageContaining(defect);
        assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            1.5          | 1.5
            -0.25        | -0.25
            12           | 12
            1e-05        | 0.00001
            2.5E+06      | 2500000
            .5           | 0.5
            3.           | 3
            -7E2         | -700
            1e+06        | 1000000
            1.7976931348623157e+308 | 1.7976931348623157e+308
            5e-324       | 4.9e-324
            """)
    void valuesAsTheServersWriteThemAreRead(String text, double expected) {
        assertThat(SampleValue.parse(text)).isEqualTo(expected);
        assertThat(SampleValue.parse("+Inf")).isInfinite().isPositive();
        assertThat(SampleValue.parse("-Inf")).isInfinite().isNegative();
        assertThat(SampleValue.parse("NaN")).isNaN();
        assertThat(Double.doubleToRawLongBits(SampleValue.parse("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aWellFormedAnswerUnderAnErrorStatusIsNoAnswer() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().code(503).setHeader("Content-Type", "application/json")
                    .body("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}").build());
        }
        assertThatThrownBy(() -> client(1).rawSamples("m", START, END)).isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("HTTP 503 with a body that reads as data");
        assertThat(server.getRequestCount()).as("503 is retried").isEqualTo(2);
    }

    @Test
    void anErrorBodyIsRedactedBeforeItIsCut() {
        String token = "SuperSecretToken-1234567890";
        Redactor.add(Secrets.none().token(token));
        // the token straddles the 200th character of the body the upstream echoes
        String body = "x".repeat(190) + "Bearer " + token + " and more";
        server.enqueue(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/plain").body(body).build());
        assertThatThrownBy(() -> client(0).rawSamples("m", START, END)).isInstanceOf(ThanosQueryException.class)
                .hasMessageNotContaining("Bearer Sup").hasMessageContaining("Bearer ***"); // the cut falls after "Sup"
    }

    @Test
    void retryAfterIsNotWaitedForWhenNoRetryFollows() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "30")
                .setHeader("Content-Type", "text/plain").body("slow down").build());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client(0).rawSamples("m", START, END)).isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("HTTP 429");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the failure").isLessThan(10_000);
    }

    @Test
    void twoSamplesAtOneTimeFailNamingTheSeries() {
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + SERIES + ","
                + "{\"metric\":{\"__name__\":\"m\",\"namespace\":\"b\"},\"values\":[[1760313600,\"1\"],[1760313600,\"5\"]]}]}}");
        assertThatThrownBy(() -> client(0).rawSamples("m", START, END)).isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("{__name__=m, namespace=b}").hasMessageContaining("2025-10-13T00:00:00Z")
                .hasMessageContaining("two samples at one time");
    }

    @Test
    void samplesOutOfOrderFail() {
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"1\"},"
                + "\"values\":[[1760313660,\"1\"],[1760313600,\"2\"]]}]}}");
        assertThatThrownBy(() -> client(0).rawSamples("m", START, END)).isInstanceOf(ThanosQueryException.class)
                .hasMessageContaining("{a=1}").hasMessageContaining("does not come after");
    }

    @Test
    void aNullAmongTenantIdsFailsNamingIt() {
        answer("{\"status\":\"success\",\"data\":[\"acme\",null,\"globex\"]}");
        assertThatThrownBy(() -> client(0).labelValues("tenant_id", "{__name__=~\"m.+\"}", START, END))
                .isInstanceOf(ThanosQueryException.class).hasMessageContaining("element 1 of data is null, not a string");
    }

    @Test
    void aBodyCutOffMidwayIsANetworkFaultAndIsRetried() {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + SERIES + "," + SERIES + "]}}")
                .onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build());
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + SERIES + "]}}");
        assertThat(client(1).rawSamples("m", START, END)).hasSize(1);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aReadTimeoutWhileTheBodyStreamsIsRetried() {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + SERIES + "]}}")
                .onResponseBody(SocketEffect.Stall.INSTANCE).build());
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + SERIES + "]}}");
        ThanosClient impatient = new ThanosClient(new ThanosProperties(URI.create(server.url("/").toString()), null, null, null,
                List.of(), Duration.ofMillis(800), "0s", 1, Duration.ofMillis(1)));
        assertThat(impatient.rawSamples("m", START, END)).hasSize(1);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void retryAfterIsWaitedFor() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1")
                .setHeader("Content-Type", "text/plain").body("slow down").build());
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        long t0 = System.nanoTime();
        assertThat(client(1).rawSamples("m", START, END)).isEmpty();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms until the retry succeeded").isGreaterThanOrEqualTo(1000);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2025-10-13T10:00:00Z");
        assertThat(ThanosHttp.retryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(ThanosHttp.retryAfter("Mon, 13 Oct 2025 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ThanosHttp.retryAfter("Mon, 13 Oct 2025 09:00:00 GMT", now)).isZero();
        assertThat(ThanosHttp.retryAfter("soon", now)).isZero();
        assertThat(ThanosHttp.retryAfter(null, now)).isZero();
    }
}
