package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 8 on hand-made samples: a provisional row is the hour's mean rate times the part of the hour
 * up to the cluster's latest valid cost sample plus one scrape interval, never past the instant of
 * the computation or the hour's end. Each case's expected figures are worked out in its comment.
 */
class ProvisionalHourTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long H = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();
    private static final double RATE = 2.0; // $/h of namespace a
    private static final double CLUSTER_RATE = 10.0; // $/h of the cluster

    private final HourlyCostCalculator calculator = new HourlyCostCalculator(CostRules.DEFAULTS);

    /**
     * @param scraped      which of the hour's minutes have cost samples
     * @param healthy      whether exporter_scrape_success is 1 at a minute of the hour
     * @param history      whether the cluster has the day before (60 scrapes an hour); without it the
     *                     hour's own busiest series gives the scrapes expected
     * @param asOfMs       instant of the computation, from H
     * @param fraction     part of the hour accrued, by hand
     * @param coverage     valid samples over the scrapes expected
     * @param lastValidMinute the minute of the hour of the cluster's latest valid cost sample
     */
    record Case(String name, LongPredicate scraped, LongPredicate healthy, boolean history, long asOfMs, double fraction,
                double coverage, int lastValidMinute) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        LongPredicate all = t -> true;
        return Stream.of(
                // minutes 0..29 before 10:30: the last at 10:29, one minute later is 10:30 = now: 30/60
                new Case("half an hour", all, all, true, 30 * MIN, 0.5, 30 / 60.0, 29),
                // the sample at 10:30:00 is before 10:30:20; 10:31 is past now, so now: 1820 s of 3600
                new Case("never past now", all, all, true, 30 * MIN + 20_000, 1820 / 3600.0, 31 / 60.0, 30),
                // the exporter stopped after 10:09; at 10:40 the hour has accrued up to 10:10: 10/60
                new Case("stopped exporter", t -> minute(t) < 10, all, true, 40 * MIN, 10 / 60.0, 10 / 60.0, 9),
                // scrape success 0 from 10:20: the last valid sample is 10:19, so 10:20: 20/60; the zeros
                // after it are not valid samples, so the mean stays 2.0
                new Case("unhealthy exporter", all, t -> minute(t) < 20, true, 45 * MIN, 20 / 60.0, 20 / 60.0, 19),
                // a new cluster: no day before, so its 10 scrapes by 10:10 are the scrapes expected, one
                // every 6 minutes: 10:09 + 6 min is past now (10:10): 10/60; coverage 10/10
                new Case("new cluster", all, all, false, 10 * MIN, 10 / 60.0, 1.0, 9),
                // a complete hour not yet settled, at 11:02: 10:59 + 1 min is the hour's end: the whole hour
                new Case("complete hour", all, all, true, 62 * MIN, 1.0, 1.0, 59));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aProvisionalRowHoldsWhatHasAccrued(Case c) {
        // what the store holds at the instant of the computation: nothing later
        long end = Math.min(H + HOUR, H + c.asOfMs());
        List<Series> series = new ArrayList<>();
        series.add(everyMinute(ExporterMetric.NAMESPACE_TOTAL_COST, "a", H, end, c.scraped(),
                t -> c.healthy().test(t) ? RATE : 0.0));
        series.add(everyMinute(ExporterMetric.CLUSTER_TOTAL_COST, null, H, end, c.scraped(),
                t -> c.healthy().test(t) ? CLUSTER_RATE : 0.0));
        series.add(everyMinute(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, c.history() ? H - 23 * HOUR : H, end,
                t -> t < H || c.scraped().test(t), t -> t < H || c.healthy().test(t) ? 1 : 0));
        Window hour = Window.ofMillis(H, H + HOUR);

        CostResult r = calculator.computeProvisional(hour, series, ScrapeHistory.fromSamples(hour, series),
                Instant.ofEpochMilli(H + c.asOfMs()));

        assertThat(r.rows()).extracting(CostRow::namespace).containsExactlyInAnyOrder("a", CostRow.UNALLOCATED);
        CostRow a = row(r, "a");
        assertThat(a.costs().total()).isCloseTo(RATE * c.fraction(), within(1e-12));
        assertThat(a.coverage()).isCloseTo(c.coverage(), within(1e-12));
        // the cluster and its remainder accrue by the same fraction, so the rows still sum to the cluster
        assertThat(row(r, CostRow.UNALLOCATED).costs().total()).isCloseTo((CLUSTER_RATE - RATE) * c.fraction(), within(1e-12));
        // how recent the rows are: the cluster's latest valid cost sample
        assertThat(r.dataUntil("t")).isEqualTo(Instant.ofEpochMilli(H + c.lastValidMinute() * MIN));
        assertThat(r.accrued().get(new ClusterHourKey("t", "c", Instant.ofEpochMilli(H))).fraction()).isCloseTo(c.fraction(), within(1e-12));
        assertThat(r.clusterHours()).singleElement()
                .satisfies(ch -> assertThat(ch.costs().total()).isCloseTo(CLUSTER_RATE * c.fraction(), within(1e-12)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void samplesReadAfterTheInstantChangeNothing(Case c) {
        // the same hour read later, when the store holds all of it: the rows are those of the instant
        Window hour = Window.ofMillis(H, H + HOUR);
        Instant asOf = Instant.ofEpochMilli(H + c.asOfMs());
        CostResult then = calculator.computeProvisional(hour, hourOf(c, Math.min(H + HOUR, H + c.asOfMs())),
                ScrapeHistory.fromSamples(hour, hourOf(c, Math.min(H + HOUR, H + c.asOfMs()))), asOf);
        CostResult later = calculator.computeProvisional(hour, hourOf(c, H + HOUR),
                ScrapeHistory.fromSamples(hour, hourOf(c, H + HOUR)), asOf);
        assertThat(later.rows()).isEqualTo(then.rows());
        assertThat(later.accrued()).isEqualTo(then.accrued());
    }

    private static List<Series> hourOf(Case c, long end) {
        return List.of(
                everyMinute(ExporterMetric.NAMESPACE_TOTAL_COST, "a", H, end, c.scraped(), t -> c.healthy().test(t) ? RATE : 0.0),
                everyMinute(ExporterMetric.CLUSTER_TOTAL_COST, null, H, end, c.scraped(), t -> c.healthy().test(t) ? CLUSTER_RATE : 0.0),
                everyMinute(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, c.history() ? H - 23 * HOUR : H, end,
                        t -> t < H || c.scraped().test(t), t -> t < H || c.healthy().test(t) ? 1 : 0));
    }

    private static CostRow row(CostResult r, String namespace) {
        return r.rows().stream().filter(x -> x.namespace().equals(namespace)).findFirst().orElseThrow();
    }

    private static int minute(long t) {
        return (int) ((t - H) / MIN);
    }

    private static Series everyMinute(ExporterMetric metric, String namespace, long from, long to, LongPredicate scraped,
                                      java.util.function.LongToDoubleFunction value) {
        List<Long> times = new ArrayList<>();
        for (long t = from; t < to; t += MIN) {
            if (scraped.test(t)) {
                times.add(t);
            }
        }
        return TestSeries.of(metric, namespace, "", times, value);
    }
}
