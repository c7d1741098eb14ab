package com.cloudtuner.kubecost.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A URL as the worker prints it (configuration errors, the config log line, check): its user
 * information is hidden by its text, whether or not {@link URI} could make out a host and user.
 */
class RedactedUrlTest {

    private static final String PASSWORD = "Hunter2Secret";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a host URI cannot parse                | http://bob:Hunter2Secret@bad_host/         | http://***@bad_host/
            a valid host, port, path and query     | https://bob:Hunter2Secret@thanos:9090/api?x=1 | https://***@thanos:9090/api?x=1
            a password with an @ and a /           | http://bob:p@ss/Hunter2Secret@thanos:9090/ | http://***@thanos:9090/
            a user without a password              | http://Hunter2Secret@thanos:9090/          | http://***@thanos:9090/
            no scheme                              | bob:Hunter2Secret@thanos:9090              | ***@thanos:9090
            no user information                    | http://thanos:9090/prometheus              | http://thanos:9090/prometheus
            """)
    void hidesTheUserInformationByItsText(String what, String url, String printed) {
        assertThat(UrlUserInfo.redacted(url)).isEqualTo(printed);
    }

    @Test
    void aThanosUrlWithAnInvalidHostIsRefusedWithoutItsPassword() {
        URI url = URI.create("http://bob:" + PASSWORD + "@bad_host/");
        assertThat(url.getUserInfo()).as("URI sees no user information here").isNull();
        assertThatThrownBy(() -> new ThanosProperties(url, null, null, null, List.of(), Duration.ofSeconds(60), "0s", 3,
                Duration.ofSeconds(1)))
                .hasMessage("thanos.url must be an http(s) URL, got http://***@bad_host/");
    }

    @Test
    void aClickHouseUrlWithAnInvalidHostIsRefusedWithoutItsPassword() {
        URI url = URI.create("http://bob:" + PASSWORD + "@bad_host/");
        assertThatThrownBy(() -> clickhouse(url)).hasMessage("clickhouse.url must be an http(s) URL, got http://***@bad_host/");
    }

    @Test
    void thePropertiesPrintTheirUrlsWithoutUserInformation() {
        ThanosProperties thanos = new ThanosProperties(URI.create("https://bob:" + PASSWORD + "@thanos:9090/"), null, null, null,
                List.of(), Duration.ofSeconds(60), "0s", 3, Duration.ofSeconds(1));
        assertThat(thanos.toString()).contains("url=https://***@thanos:9090/").doesNotContain(PASSWORD);
        assertThat(clickhouse(URI.create("https://clickhouse:8443/")).toString()).contains("url=https://clickhouse:8443/");
    }

    private static ClickHouseProperties clickhouse(URI url) {
        return new ClickHouseProperties(url, "default", "", "default", Duration.ofSeconds(300), Duration.ofSeconds(30), 100_000, 2,
                Duration.ofSeconds(1));
    }
}
