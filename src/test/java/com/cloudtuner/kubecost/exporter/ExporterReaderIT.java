package com.cloudtuner.kubecost.exporter;

import static com.cloudtuner.kubecost.testing.Exporter.HOUR;
import static com.cloudtuner.kubecost.testing.Exporter.MINUTE;
import static com.cloudtuner.kubecost.testing.Exporter.always;
import static com.cloudtuner.kubecost.testing.Exporter.labels;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.cost.ExporterMetric;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.simulate.ExporterDataset;
import com.cloudtuner.kubecost.testing.Exporter;
import com.cloudtuner.kubecost.testing.MetricsStore;
import com.cloudtuner.kubecost.testing.PrometheusServer;
import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.VictoriaMetricsServer;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The exporter reads on both engines: exact tenant selection, the probed range semantics, exact hours. */
@ExtendWith(RealServers.class)
class ExporterReaderIT {

    private static final long D0 = Instant.parse("2025-10-13T00:00:00Z").toEpochMilli();
    private static final Window WINDOW = Window.ofMillis(D0, D0 + 3 * HOUR);
    private static final List<String> LOOK_ALIKES = List.of("team.a", "teamxa", "acme", "acme-eu", "a+b", "aab");

    @BeforeAll
    static void load(PrometheusServer prometheus, VictoriaMetricsServer victoria) {
        ExporterDataset data = data();
        prometheus.load(data);
        victoria.load(data);
    }

    /**
     * Each look-alike tenant reports its index + 1 on the minute, exactly on the hour boundaries
     * (value 100 in the minutes before the window, which must never count), with a health series.
     */
    private static ExporterDataset data() {
        Exporter e = new Exporter();
        for (int i = 0; i < LOOK_ALIKES.size(); i++) {
            String tenant = LOOK_ALIKES.get(i);
            double rate = i + 1;
            e.gauge(ExporterMetric.NAMESPACE_TOTAL_COST, labels(tenant, "c", "ns"), D0 - 5 * MINUTE, D0 + 3 * HOUR + 5 * MINUTE,
                    MINUTE, always(), t -> t < D0 || t >= D0 + 3 * HOUR ? 100 : rate);
            e.gauge(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, Map.of("tenant_id", tenant, "cluster", "c"), D0 + 7_000,
                    D0 + 3 * HOUR, MINUTE, always(), t -> 1);
        }
        return e.dataset();
    }

    private static ExporterReader reader(MetricsStore store) {
        ThanosClient client = new ThanosClient(new ThanosProperties(URI.create(store.url()), null, null, null, List.of(),
                Duration.ofSeconds(30), "0s", 0, Duration.ofMillis(1)));
        return new ExporterReader(client, Exporter.PREFIX, Duration.ofMinutes(5));
    }

    @Test
    void onPrometheusEachHourHoldsExactlyItsSamplesAndOnlyTheTenantsAskedFor(PrometheusServer prometheus) {
        assertExactHoursAndTenants(prometheus, RangeSemantics.CLOSED);
    }

    @Test
    void onVictoriaMetricsEachHourHoldsExactlyItsSamplesAndOnlyTheTenantsAskedFor(VictoriaMetricsServer victoria) {
        assertExactHoursAndTenants(victoria, RangeSemantics.LEFT_OPEN);
    }

    private static void assertExactHoursAndTenants(MetricsStore store, RangeSemantics expected) {
        ExporterReader reader = reader(store);
        ExporterSource.SumsRead read = reader.readSums(List.of("team.a", "acme", "a+b"), WINDOW);

        assertThat(reader.rangeSemantics()).as(store.engine()).isEqualTo(expected);
        Map<String, SeriesHours> byTenant = new TreeMap<>();
        read.series().forEach(s -> byTenant.put(s.ref().tenant(), s));
        assertThat(byTenant.keySet()).as(store.engine()).containsExactly("a+b", "acme", "team.a");
        assertThat(read.health()).extracting(s -> s.tenant()).containsExactlyInAnyOrder("team.a", "acme", "a+b");
        for (Map.Entry<String, SeriesHours> e : byTenant.entrySet()) {
            double rate = LOOK_ALIKES.indexOf(e.getKey()) + 1;
            // 60 samples from h:00:00 to h:59:00 in every hour; the sample at h+1h is the next hour's
            assertThat(e.getValue().counts()).as(store.engine() + " " + e.getKey()).containsExactly(60, 60, 60);
            assertThat(e.getValue().sums()).containsExactly(60 * rate, 60 * rate, 60 * rate);
        }
        ExporterSource.RawRead raw = reader.readRaw(List.of("teamxa", "acme-eu"), List.of(), WINDOW, false);
        assertThat(raw.series()).extracting(s -> s.tenant()).containsOnly("teamxa", "acme-eu");
    }
}
