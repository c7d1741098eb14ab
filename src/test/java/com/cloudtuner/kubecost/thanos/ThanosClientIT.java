package com.cloudtuner.kubecost.thanos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.simulate.ExporterDataset;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a real Prometheus (the API Thanos Query serves), every endpoint it uses. */
@ExtendWith(RealServers.class)
class ThanosClientIT {

    private static final Instant H = Instant.parse("2025-10-13T10:00:00Z");
    private static final String ODD = "a\"b}c\\d\ne";

    private static ThanosClient client;

    @BeforeAll
    static void load(PrometheusServer prometheus) {
        ExporterDataset data = new ExporterDataset();
        // one sample a minute on the minute from H-1h to H+2h (inclusive): value = minutes since H
        ExporterDataset.SeriesData odd = data.series("kw_gauge", Map.of("tenant_id", ODD, "cluster", "x"));
        ExporterDataset.SeriesData plain = data.series("kw_gauge", Map.of("tenant_id", "plain", "cluster", "x"));
        for (long m = -60; m <= 120; m++) {
            odd.add(H.toEpochMilli() + m * 60_000, m);
            plain.add(H.toEpochMilli() + m * 60_000, -m);
        }
        prometheus.load(data);
        client = new ThanosClient(new ThanosProperties(URI.create(prometheus.url()), null, null, null, List.of(),
                Duration.ofSeconds(10), "0s", 0, Duration.ofMillis(1)));
    }

    @Test
    void rawSamplesAreExactlyThoseOfTheHalfOpenWindow() {
        List<PromSeries> series = client.rawSamples(PromQl.selector("kw_gauge", Map.of("tenant_id", ODD)), H, H.plusSeconds(3600));
        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.labels()).containsEntry("tenant_id", ODD);
            assertThat(s.size()).isEqualTo(60); // H .. H+59m; the sample at H+1h belongs to the next window
            assertThat(s.timestamps()[0]).isEqualTo(H.toEpochMilli());
            assertThat(s.timestamps()[59]).isEqualTo(H.plusSeconds(59 * 60).toEpochMilli());
            for (int i = 0; i < 60; i++) {
                assertThat(s.values()[i]).isEqualTo(i);
            }
        });
    }

    @Test
    void labelValuesAndSeriesFindTheEscapedTenant() {
        assertThat(client.labelValues("tenant_id", "{__name__=~\"kw_.+\"}", H, H.plusSeconds(3600)))
                .containsExactlyInAnyOrder(ODD, "plain");
        assertThat(client.series(PromQl.selector("kw_gauge", Map.of("tenant_id", ODD)), H, H.plusSeconds(3600)))
                .singleElement().satisfies(labels -> assertThat(labels).containsEntry("tenant_id", ODD).containsEntry("cluster", "x"));
    }

    @Test
    void rangeQueriesAreJoinedAcrossRequests() {
        Instant from = H.minusSeconds(3600);
        Instant to = H.plusSeconds(2 * 3600); // the 3 hours the data spans
        // a 1 s step over 3 h is 10,801 points: one request
        List<PromSeries> oneRequest = client.queryRange(PromQl.selector("kw_gauge", Map.of("tenant_id", "plain")), from, to,
                Duration.ofSeconds(1));
        assertThat(oneRequest).singleElement().satisfies(s -> assertThat(s.size()).isEqualTo(3 * 3600 + 1));
        // a 0.5 s step needs 21,601 points: split into requests, then joined without a gap or a repeat
        List<PromSeries> split = client.queryRange(PromQl.selector("kw_gauge", Map.of("tenant_id", "plain")), from, to,
                Duration.ofMillis(500));
        assertThat(split).singleElement().satisfies(s -> {
            assertThat(s.size()).isEqualTo(2 * 3 * 3600 + 1);
            for (int i = 1; i < s.size(); i++) {
                assertThat(s.timestamps()[i] - s.timestamps()[i - 1]).isEqualTo(500);
            }
            assertThat(s.values()[0]).isEqualTo(60.0);
            assertThat(s.values()[s.size() - 1]).isEqualTo(-120.0);
        });
    }

    @Test
    void aBadQueryFailsWithTheServersReason() {
        assertThatThrownBy(() -> client.rawSamples("kw_gauge{", H, H.plusSeconds(3600)))
                .isInstanceOf(ThanosQueryException.class).hasMessageContaining("parse error");
    }
}
