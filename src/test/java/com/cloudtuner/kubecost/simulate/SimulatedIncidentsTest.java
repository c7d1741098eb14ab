package com.cloudtuner.kubecost.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What each incident does to the samples, against the same simulation without it: nothing else changes. */
class SimulatedIncidentsTest {

    private static final Instant FROM = Instant.parse("2025-10-13T00:00:00Z");
    private static final List<String> TENANTS = List.of("acme", "globex");
    private static final String PREFIX = "cloudtuner_kubecost_";

    private static ExporterDataset simulate(Incident... incidents) {
        return new ExporterSimulation(PREFIX, TENANTS, FROM, 24, 1, null, List.of(incidents)).toDataset();
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    /** Every sample as "metric{labels} value @time", the dataset's own order. */
    private static Stream<String> samples(ExporterDataset data, Predicate<ExporterDataset.SeriesData> which) {
        return data.allSeries().stream().filter(which).flatMap(s -> IntStream.range(0, s.size())
                .mapToObj(i -> s.metric() + s.labels() + " " + s.value(i) + " @" + s.time(i)));
    }

    private static Predicate<ExporterDataset.SeriesData> of(String tenant, String cluster) {
        return s -> s.labels().get("tenant_id").equals(tenant) && (cluster == null || s.labels().get("cluster").equals(cluster));
    }

    @Test
    void aHoleLeavesNoSampleOfAnySeriesOfItsClusterInItsSpanAndTouchesNothingElse() {
        long from = ms("2025-10-13T06:00:00Z");
        long to = ms("2025-10-13T09:00:00Z");
        ExporterDataset healthy = simulate();
        ExporterDataset holed = simulate(Incident.hole("acme", "prod", Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)));
        assertThat(holed.allSeries()).hasSameSizeAs(healthy.allSeries());
        assertThat(samples(holed, of("acme", "prod")).toList())
                .containsExactlyElementsOf(samples(healthy, of("acme", "prod")).filter(line -> {
                    long t = Long.parseLong(line.substring(line.lastIndexOf('@') + 1));
                    return t < from || t >= to;
                }).toList());
        // the health series is silent too: the exporter was not scraped, not failing
        assertThat(samples(healthy, of("acme", "prod")).count() - samples(holed, of("acme", "prod")).count())
                .isEqualTo(3 * 60 * (10 + 5 * 7L)); // 3 h of 60 scrapes, of 9 cluster series, the health series and 5 namespaces x 7
        assertThat(samples(holed, of("acme", "staging")).toList()).isEqualTo(samples(healthy, of("acme", "staging")).toList());
        assertThat(samples(holed, of("globex", null)).toList()).isEqualTo(samples(healthy, of("globex", null)).toList());
    }

    @Test
    void aRestartZeroesEveryCostSampleOfItsSpanWhileTheExporterSaysItIsHealthy() {
        long from = ms("2025-10-13T10:00:00Z");
        long to = ms("2025-10-13T10:07:00Z");
        ExporterDataset restarted = simulate(Incident.restart("acme", null, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)));
        List<ExporterDataset.SeriesData> acme = restarted.allSeries().stream().filter(of("acme", null)).toList();
        for (ExporterDataset.SeriesData s : acme) {
            boolean cost = s.metric().endsWith("_cost");
            for (int i = 0; i < s.size(); i++) {
                boolean inSpan = s.time(i) >= from && s.time(i) < to;
                if (cost && inSpan) {
                    assertThat(s.value(i)).as(s.metric() + s.labels()).isZero();
                } else if (cost || s.metric().endsWith("exporter_scrape_success")) {
                    assertThat(s.value(i)).as(s.metric() + s.labels()).isPositive();
                }
            }
        }
        // 7 one-minute scrapes in 7 minutes, per cost series of both clusters (5 + 3 namespaces x 4, 2 clusters x 6)
        long zeros = acme.stream().filter(s -> s.metric().endsWith("_cost"))
                .flatMap(s -> IntStream.range(0, s.size()).filter(i -> s.value(i) == 0).boxed()).count();
        assertThat(zeros).isEqualTo(7L * (8 * 4 + 2 * 6));
        assertThat(samples(restarted, of("globex", null)).toList()).isEqualTo(samples(simulate(), of("globex", null)).toList());
    }

    @Test
    void aCurrencyChangeStartsNewSeriesAtItsInstantWithNoSampleLost() {
        long at = ms("2025-10-13T12:30:00Z");
        ExporterDataset healthy = simulate();
        ExporterDataset changed = simulate(Incident.currency("globex", "staging", Instant.ofEpochMilli(at), "EUR"));
        List<ExporterDataset.SeriesData> eur = changed.allSeries().stream().filter(s -> "EUR".equals(s.labels().get("currency"))).toList();
        // every cost and efficiency series of globex/staging (3 namespaces x 7 + 9 cluster series), none else
        assertThat(eur).hasSize(3 * 7 + 9).allSatisfy(s -> {
            assertThat(s.labels()).containsEntry("tenant_id", "globex").containsEntry("cluster", "staging");
            assertThat(s.time(0)).isGreaterThanOrEqualTo(at).isLessThan(at + 60_000);
        });
        changed.allSeries().stream().filter(s -> "USD".equals(s.labels().get("currency")) && s.labels().get("cluster").equals("staging")
                && s.labels().get("tenant_id").equals("globex")).forEach(s -> assertThat(s.time(s.size() - 1)).isLessThan(at));
        assertThat(samples(changed, of("globex", null)).count()).isEqualTo(samples(healthy, of("globex", null)).count());
        assertThat(samples(changed, of("acme", null)).toList()).isEqualTo(samples(healthy, of("acme", null)).toList());
    }

    @Test
    void aLateTenantsSeriesBeginAtItsInstant() {
        long at = ms("2025-10-13T05:30:00Z");
        ExporterDataset late = simulate(Incident.late("globex", Instant.ofEpochMilli(at)));
        List<ExporterDataset.SeriesData> globex = late.allSeries().stream().filter(of("globex", null)).toList();
        assertThat(globex).isNotEmpty().allSatisfy(s -> assertThat(s.time(0)).isGreaterThanOrEqualTo(at).isLessThan(at + 60_000));
        assertThat(late.allSeries().stream().filter(of("acme", null))).allSatisfy(s -> assertThat(s.time(0)).isLessThan(ms("2025-10-13T00:01:00Z")));
    }

    @Test
    void anIncidentOnAClusterTheSimulationDoesNotHaveIsRefused() {
        Incident hole = Incident.hole("acme", "c3", Instant.parse("2025-10-13T06:00:00Z"), Instant.parse("2025-10-13T07:00:00Z"));
        assertThatThrownBy(() -> new ExporterSimulation(PREFIX, TENANTS, FROM, 24, 1, null, List.of(hole)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prod, staging");
        ExporterSimulation.Shape three = new ExporterSimulation.Shape(3, 2, java.time.Duration.ofSeconds(60));
        assertThat(new ExporterSimulation(PREFIX, TENANTS, FROM, 24, 1, three, List.of(hole)).toDataset().allSeries()).isNotEmpty();
    }
}
