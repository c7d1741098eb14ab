package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Rows from hourly sums: equal to the raw computation where the sums settle a cluster-hour, and
 * the cluster-hours they cannot settle named for a raw read. The sums are made here from the same
 * samples the raw computation gets, by a plain loop.
 */
class AggregatedCostsTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long H = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();
    private static final Window WINDOW = Window.ofMillis(H, H + 3 * HOUR);

    private final HourlyCostCalculator calculator = new HourlyCostCalculator(CostRules.DEFAULTS);

    @Test
    void regularDataGivesTheRawRowsWithoutARawRead() {
        List<Series> health = List.of(series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, "", 7_000, MIN, t -> true, t -> 1));
        List<Series> costs = List.of(
                series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "", 7_000, MIN, t -> minuteOf(t) < 45 || hourOf(t) != 1, t -> 1.25 + minuteOf(t) / 100.0),
                series(ExporterMetric.NAMESPACE_CPU_COST, "a", "", 7_000, MIN, t -> true, t -> 0.5),
                series(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, "a", "", 7_000, MIN, t -> true, t -> 0.1 * (minuteOf(t) % 3)),
                series(ExporterMetric.CLUSTER_TOTAL_COST, null, "", 7_000, MIN, t -> true, t -> 3.0));

        AggregatedCosts aggregated = fromSums(costs, health);
        CostResult raw = calculator.compute(WINDOW.start(), WINDOW.end(), concat(costs, health));

        assertThat(aggregated.needsRaw()).isEmpty();
        assertSameRows(aggregated.rows(), raw);
        // hour 1 of "a" lost 15 minutes of its total cost samples, but cpu_cost kept all: the target backs 60 minutes
        assertThat(aggregated.rows().rows().get(1).coverage()).isEqualTo(1.0);
    }

    @Test
    void anHourTheExporterReportedFailureInIsLeftForTheRawRead() {
        // the exporter reports 0 at 11:58 and then nothing until 12:10: the 0 speaks for samples up to 12:03
        List<Series> health = List.of(series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, "", 7_000, MIN,
                t -> !(hourOf(t) == 1 && minuteOf(t) == 59 || hourOf(t) == 2 && minuteOf(t) < 10),
                t -> hourOf(t) == 1 && minuteOf(t) == 58 ? 0 : 1));
        List<Series> costs = List.of(series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "", 7_000, MIN, t -> true, t -> 2.0));
        AggregatedCosts aggregated = fromSums(costs, health);
        assertThat(aggregated.needsRaw()).containsExactlyInAnyOrder(key(1), key(2));
        assertThat(aggregated.rows().rows()).extracting(r -> r.hour().toEpochMilli()).containsExactly(H);
        CostResult raw = calculator.compute(WINDOW.start(), WINDOW.end(), concat(costs, health));
        assertSameRows(aggregated.completedWith(raw), raw);
    }

    @Test
    void aFailureTheNextHealthySampleEndsBeforeTheHourLeavesTheHourToTheSums() {
        List<Series> health = List.of(series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, "", 7_000, MIN, t -> true,
                t -> hourOf(t) == 1 && minuteOf(t) == 58 ? 0 : 1)); // 11:58:07, healthy again at 11:59:07
        List<Series> costs = List.of(series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "", 7_000, MIN, t -> true, t -> 2.0));
        assertThat(fromSums(costs, health).needsRaw()).containsExactly(key(1));
    }

    @Test
    void aNonFiniteSumIsLeftForTheRawRead() {
        List<Series> costs = List.of(series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "", 7_000, MIN, t -> true,
                t -> hourOf(t) == 2 && minuteOf(t) == 30 ? Double.POSITIVE_INFINITY : 2.0));
        assertThat(fromSums(costs, List.of()).needsRaw()).containsExactly(key(2));
    }

    @Test
    void aSparseSeriesIsMeasuredAgainstItsTargetsScrapesFromTheCountsAlone() {
        // two samples 40 minutes apart in hour 1, on a target whose other namespace is scraped every minute
        List<Series> costs = List.of(
                series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "", 7_000, MIN, t -> true, t -> 1.0),
                new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", "sparse", "USD",
                        new long[] {H + HOUR + 10 * MIN, H + HOUR + 50 * MIN}, new double[] {3, 3}));
        AggregatedCosts aggregated = fromSums(costs, List.of());
        assertThat(aggregated.needsRaw()).isEmpty();
        assertSameRows(aggregated.rows(), calculator.compute(WINDOW.start(), WINDOW.end(), costs));
        assertThat(aggregated.rows().rows().stream().filter(r -> r.namespace().equals("sparse")).findFirst().orElseThrow()
                .coverage()).isCloseTo(2 / 60.0, within(1e-12));
    }

    @Test
    void aSingleSampleOfATargetWithoutOtherSeriesCoversItsHour() {
        // nothing else shows how often the target is scraped: its busiest series, this one, sets it
        List<Series> costs = List.of(new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", "once", "USD",
                new long[] {H + HOUR + 59 * MIN}, new double[] {4}));
        AggregatedCosts aggregated = fromSums(costs, List.of());
        assertThat(aggregated.needsRaw()).isEmpty();
        assertThat(aggregated.rows().rows()).singleElement().satisfies(r -> assertThat(r.coverage()).isEqualTo(1.0));
    }

    @Test
    void replicasPoolIntoOneMeanAndTheFullerReplicaBacksTheHour() {
        List<Series> costs = List.of(
                series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "prometheus_replica=0", 5_000, MIN, t -> true, t -> 4.0),
                series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "prometheus_replica=1", 35_000, MIN,
                        t -> !(hourOf(t) == 1 && minuteOf(t) < 10), t -> 6.0));
        List<Series> health = replicaHealth();
        AggregatedCosts aggregated = fromSums(costs, health);
        assertThat(aggregated.needsRaw()).isEmpty();
        assertSameRows(aggregated.rows(), calculator.compute(WINDOW.start(), WINDOW.end(), concat(costs, health)));
        CostRow hour1 = aggregated.rows().rows().get(1);
        assertThat(hour1.coverage()).isEqualTo(1.0);
        assertThat(hour1.costs().total()).isCloseTo((60 * 4.0 + 50 * 6.0) / 110, within(1e-12)); // never 4 + 6
    }

    @Test
    void replicasMissingTheSameMinutesGiveTheBetterReplicasShare() {
        LongPredicate bothMissHour1 = t -> !(hourOf(t) == 1 && minuteOf(t) >= 20 && minuteOf(t) < 40);
        List<Series> costs = List.of(
                series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "prometheus_replica=0", 5_000, MIN, bothMissHour1, t -> 4.0),
                series(ExporterMetric.NAMESPACE_TOTAL_COST, "a", "prometheus_replica=1", 35_000, MIN,
                        t -> bothMissHour1.test(t) && !(hourOf(t) == 1 && minuteOf(t) < 5), t -> 4.0));
        List<Series> health = replicaHealth();
        AggregatedCosts aggregated = fromSums(costs, health);
        assertThat(aggregated.needsRaw()).isEmpty();
        CostResult raw = calculator.compute(WINDOW.start(), WINDOW.end(), concat(costs, health));
        assertSameRows(aggregated.rows(), raw);
        // replica 0: 40 of its 60 scrapes; replica 1: 35 of 60; the better one counts
        assertThat(raw.rows().get(1).coverage()).isCloseTo(40 / 60.0, within(1e-12));
    }

    private static List<Series> replicaHealth() {
        return List.of(
                series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, "prometheus_replica=0", 5_000, MIN, t -> true, t -> 1),
                series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, "prometheus_replica=1", 35_000, MIN, t -> true, t -> 1));
    }

    // ---- helpers

    private AggregatedCosts fromSums(List<Series> costs, List<Series> health) {
        List<SeriesHours> sums = new ArrayList<>();
        for (Series s : costs) {
            sums.add(sumsOf(s));
        }
        return calculator.computeFromSums(WINDOW, sums, health, ScrapeHistory.fromSamples(WINDOW, concat(costs, health)),
                java.util.Set.of());
    }

    private static SeriesHours sumsOf(Series s) {
        return TestSeries.hourlySums(s, WINDOW);
    }

    private static void assertSameRows(CostResult got, CostResult want) {
        assertThat(got.rows()).hasSameSizeAs(want.rows());
        for (int i = 0; i < want.rows().size(); i++) {
            CostRow w = want.rows().get(i);
            CostRow g = got.rows().get(i);
            assertThat(List.of(g.tenant(), g.cluster(), g.namespace(), g.hour())).isEqualTo(List.of(w.tenant(), w.cluster(), w.namespace(), w.hour()));
            assertThat(g.costs().total()).as(w.toString()).isCloseTo(w.costs().total(), within(1e-12));
            assertThat(g.costs().cpu()).isCloseTo(w.costs().cpu(), within(1e-12));
            assertThat(g.coverage()).as(w.toString()).isEqualTo(w.coverage());
            if (w.efficiencies().cpu() == null) {
                assertThat(g.efficiencies().cpu()).isNull();
            } else {
                assertThat(g.efficiencies().cpu()).isCloseTo(w.efficiencies().cpu(), within(1e-12));
            }
        }
        assertThat(got.clusterHours()).hasSameSizeAs(want.clusterHours());
    }

    private static ClusterHourKey key(int hour) {
        return ClusterHourKey.ofMillis("t", "c", H + hour * HOUR);
    }

    private static Series series(ExporterMetric metric, String namespace, String replica, long offset, long step,
                                 LongPredicate scraped, LongToDoubleFunction value) {
        List<Long> times = new ArrayList<>();
        for (long t = H - 10 * MIN + offset; t < H + 3 * HOUR; t += step) {
            if (scraped.test(t)) {
                times.add(t);
            }
        }
        return TestSeries.of(metric, namespace, replica, times, value);
    }

    private static List<Series> concat(List<Series> a, List<Series> b) {
        List<Series> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int hourOf(long t) {
        return (int) Math.floorDiv(t - H, HOUR);
    }

    private static int minuteOf(long t) {
        return (int) (Math.floorMod(t - H, HOUR) / MIN);
    }
}
