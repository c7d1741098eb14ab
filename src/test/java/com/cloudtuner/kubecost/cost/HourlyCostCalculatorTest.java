package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The cost rules on hand-made samples; the numbers in the assertions are worked out in the comments. */
class HourlyCostCalculatorTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long H = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();

    private final HourlyCostCalculator calculator = new HourlyCostCalculator(CostRules.DEFAULTS);

    // ---- rule 1: UTC hours, [h, h+1h)

    @Test
    void aSampleAtTheEndOfAnHourBelongsToTheNextHour() {
        CostResult r = compute(H, H + 2 * HOUR, ns("a", new long[] {H + 59 * MIN, H + HOUR}, new double[] {1, 5}));
        assertThat(rowsOf(r, "a")).extracting(row -> row.hour().toEpochMilli(), row -> row.costs().total())
                .containsExactly(tuple(H, 1.0), tuple(H + HOUR, 5.0));
    }

    @Test
    void samplesOutsideTheWindowAreIgnored() {
        CostResult r = compute(H, H + HOUR, ns("a", new long[] {H - 1, H, H + HOUR}, new double[] {100, 2, 100}));
        assertThat(rowsOf(r, "a")).singleElement().satisfies(row -> assertThat(row.costs().total()).isEqualTo(2.0));
    }

    @Test
    void windowsMustBeWholeHours() {
        assertThatThrownBy(() -> calculator.compute(Instant.ofEpochMilli(H + 1), Instant.ofEpochMilli(H + HOUR), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- rule 2: validity

    @Test
    void nanAndInfiniteSamplesAreNotValid() {
        // 60 scrapes of 2.0, except NaN at minutes 3, 4, 5 and +Inf at minute 40: 56 valid samples of 2.0.
        Series s = nsEveryMinute("a", H, 60, t -> true,
                t -> minuteOf(t) >= 3 && minuteOf(t) <= 5 ? Double.NaN : minuteOf(t) == 40 ? Double.POSITIVE_INFINITY : 2.0);
        CostRow row = single(compute(H, H + HOUR, s), "a");
        assertThat(row.costs().total()).isEqualTo(2.0);
        assertThat(row.coverage()).isCloseTo(56 / 60.0, within(1e-12));
    }

    @Test
    void samplesWhileTheExporterReportsScrapeFailureAreNotValid() {
        // Costs 3.0, but 0 while scrape_success is 0 (minutes 20..29): the zeros are not real.
        LongPredicate down = t -> minuteOf(t) >= 20 && minuteOf(t) < 30;
        Series cost = nsEveryMinute("a", H, 60, t -> true, t -> down.test(t) ? 0.0 : 3.0);
        Series health = everyMinute(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, H, 60, t -> true, t -> down.test(t) ? 0 : 1);
        CostRow row = single(compute(H, H + HOUR, cost, health), "a");
        assertThat(row.costs().total()).isEqualTo(3.0);
        assertThat(row.coverage()).isCloseTo(50 / 60.0, within(1e-12));
    }

    @Test
    void aFailureOlderThanTheLookbackNoLongerInvalidatesSamples() {
        // Health reports 1 for minutes 0..9, then 0 at minute 10, then nothing: with a 5 minute look-back
        // the 0 speaks for minutes 10..15; after that no health sample is recent enough, so samples count.
        Series cost = nsEveryMinute("a", H, 60, t -> true, t -> minuteOf(t) >= 10 && minuteOf(t) <= 15 ? 0.0 : 2.0);
        Series health = everyMinute(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, H, 11, t -> true, t -> minuteOf(t) == 10 ? 0 : 1);
        CostRow row = single(compute(H, H + HOUR, cost, health), "a");
        assertThat(row.costs().total()).isEqualTo(2.0);
        assertThat(row.coverage()).isCloseTo(54 / 60.0, within(1e-12));
    }

    @Test
    void aHealthSampleFromBeforeTheWindowDecidesAboutItsFirstSamples() {
        Series cost = nsEveryMinute("a", H, 60, t -> minuteOf(t) < 10 || minuteOf(t) >= 30, t -> minuteOf(t) < 3 ? 0.0 : 1.0);
        Series health = new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, "t", "c", null, null,
                new long[] {H - 2 * MIN, H + 30 * MIN}, new double[] {0, 0});
        CostRow row = single(compute(H, H + HOUR, cost, health), "a");
        // The 0 at H-2m speaks for minutes 0..3 (at most 5 minutes old); minutes 4..9 have no recent health
        // sample and count; the 0 at minute 30 speaks for minutes 30..35; 36..59 count: 6 + 24 valid samples.
        // The target shows 40 scrapes in the hour (its cost series; health has 1 sample an hour): 30 of 40.
        assertThat(row.coverage()).isCloseTo(30 / 40.0, within(1e-12));
        assertThat(row.costs().total()).isEqualTo(1.0);
    }

    @Test
    void validityDependsOnTheSamplesAroundItNotOnTheWindowRead() {
        // The exporter failed at 11:58; a run reading only 12:00..13:00 must agree with one reading 10:00..13:00.
        long noon = H + 2 * HOUR;
        Series cost = nsEveryMinute("a", H, 180, t -> true, t -> 1.0);
        Series health = new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, "t", "c", null, null,
                new long[] {noon - 2 * MIN}, new double[] {0});
        CostRow wide = rowsOf(compute(H, H + 3 * HOUR, cost, health), "a").get(2);
        CostRow narrow = single(compute(noon, noon + HOUR, cost, health), "a");
        assertThat(narrow).isEqualTo(wide);
        assertThat(narrow.coverage()).isCloseTo(56 / 60.0, within(1e-12)); // minutes 0..3: at most 5 minutes after the failure
    }

    @Test
    void withoutAHealthSeriesEveryFiniteSampleIsValid() {
        CostRow row = single(compute(H, H + HOUR, nsEveryMinute("a", H, 60, t -> true, t -> 0.5)), "a");
        assertThat(row.costs().total()).isEqualTo(0.5);
        assertThat(row.coverage()).isEqualTo(1.0);
    }

    // ---- rule 3: mean x 1 hour, efficiencies, coverage

    @Test
    void costIsTheMeanOfTheHoursValidSamples() {
        // a ramp 0, 1, ..., 59 $/h: mean (0 + 59) / 2 = 29.5, times one hour
        Series cost = nsEveryMinute("a", H, 60, t -> true, t -> minuteOf(t));
        Series eff = everyMinute(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, "a", H, 60, t -> true, t -> minuteOf(t) < 30 ? 0.2 : 0.6);
        CostRow row = single(compute(H, H + HOUR, cost, eff), "a");
        assertThat(row.costs().total()).isCloseTo(29.5, within(1e-12));
        assertThat(row.efficiencies().cpu()).isCloseTo(0.4, within(1e-12));
        assertThat(row.efficiencies().ram()).isNull();
        assertThat(row.efficiencies().total()).isNull();
    }

    @Test
    void anEfficiencyWithoutValidSamplesIsNull() {
        Series cost = nsEveryMinute("a", H, 60, t -> true, t -> 1);
        Series eff = everyMinute(ExporterMetric.NAMESPACE_RAM_EFFICIENCY, "a", H, 60, t -> true, t -> Double.NaN);
        assertThat(single(compute(H, H + HOUR, cost, eff), "a").efficiencies().ram()).isNull();
    }

    @Test
    void coverageIsTheShareOfTheTargetsScrapesThatCarriedTheRow() {
        // the exporter answered 60 one-minute scrapes (its health series); the namespace is in 40 of them
        Series cost = nsEveryMinute("a", H + 17_000, 60, t -> minuteOf(t) < 30 || minuteOf(t) >= 50, t -> 1);
        Series health = everyMinute(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, H + 17_000, 60, t -> true, t -> 1);
        assertThat(single(compute(H, H + HOUR, cost, health), "a").coverage()).isCloseTo(40 / 60.0, within(1e-12));
    }

    @Test
    void withoutReferenceSeriesTheBusiestSeriesOfTheTargetSetsTheScrapes() {
        // no health or cluster series: namespace b's 60 samples show the target's scrapes, a has 40 of them
        Series a = nsEveryMinute("a", H, 60, t -> minuteOf(t) < 40, t -> 1);
        Series b = nsEveryMinute("b", H, 60, t -> true, t -> 1);
        CostResult r = compute(H, H + HOUR, a, b);
        assertThat(single(r, "a").coverage()).isCloseTo(40 / 60.0, within(1e-12));
        assertThat(single(r, "b").coverage()).isEqualTo(1.0);
    }

    @Test
    void everyCostColumnIsTheMeanOfItsOwnSeries() {
        List<Series> all = new ArrayList<>();
        all.add(everyMinute(ExporterMetric.NAMESPACE_TOTAL_COST, "a", H, 60, t -> true, t -> 6));
        all.add(everyMinute(ExporterMetric.NAMESPACE_CPU_COST, "a", H, 60, t -> true, t -> 3));
        all.add(everyMinute(ExporterMetric.NAMESPACE_RAM_COST, "a", H, 60, t -> true, t -> 2));
        all.add(everyMinute(ExporterMetric.NAMESPACE_PV_COST, "a", H, 60, t -> true, t -> 1));
        Costs c = single(calculator.compute(Instant.ofEpochMilli(H), Instant.ofEpochMilli(H + HOUR), all), "a").costs();
        assertThat(c).isEqualTo(new Costs(6, 3, 2, 1, 0, 0));
    }

    // ---- rule 4: presence, not positivity

    @Test
    void validZeroSamplesGiveARowWithZeroCost() {
        CostRow row = single(compute(H, H + HOUR, nsEveryMinute("a", H, 60, t -> true, t -> 0)), "a");
        assertThat(row.costs()).isEqualTo(Costs.ZERO);
        assertThat(row.coverage()).isEqualTo(1.0);
    }

    @Test
    void anHourWithoutValidSamplesHasNoRow() {
        // data in hour 0 and hour 2; hour 1 only has NaN
        Series s = nsEveryMinute("a", H, 180, t -> true, t -> t >= H + HOUR && t < H + 2 * HOUR ? Double.NaN : 4.0);
        assertThat(rowsOf(compute(H, H + 3 * HOUR, s), "a")).extracting(row -> row.hour().toEpochMilli())
                .containsExactly(H, H + 2 * HOUR);
    }

    // ---- rule 5: HA replicas

    @Test
    void replicasOfOneSeriesArePooledNotSummed() {
        // Two Series with one identity are two replicas: the reader drops labels like prometheus_replica.
        Series a = nsEveryMinute("a", H, 60, t -> true, t -> 4.0);
        Series b = nsEveryMinute("a", H + 30_000, 60, t -> true, t -> 4.0);
        CostRow row = single(compute(H, H + HOUR, a, b), "a");
        assertThat(row.costs().total()).isEqualTo(4.0);
        assertThat(row.coverage()).isEqualTo(1.0);
    }

    @Test
    void replicasThatDisagreeAverage() {
        Series a = nsEveryMinute("a", H, 60, t -> true, t -> 4.0);
        Series b = nsEveryMinute("a", H + 10_000, 60, t -> true, t -> 6.0);
        assertThat(single(compute(H, H + HOUR, a, b), "a").costs().total()).isEqualTo(5.0);
    }

    @Test
    void aGapInBothReplicasLowersCoverageOnce() {
        LongPredicate gap = t -> minuteOf(t) < 40;
        Series a = nsEveryMinute("a", H, 60, gap, t -> 1);
        Series b = nsEveryMinute("a", H, 60, gap, t -> 1);
        Series health = everyMinute(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, null, H, 60, t -> true, t -> 1);
        assertThat(single(compute(H, H + HOUR, a, b, health), "a").coverage()).isCloseTo(40 / 60.0, within(1e-12));
    }

    // ---- rule 6: __unallocated__

    @Test
    void unallocatedHoldsTheClusterBeyondItsNamespaces() {
        List<Series> all = new ArrayList<>();
        all.add(clusterConstant(ExporterMetric.CLUSTER_TOTAL_COST, 10));
        all.add(clusterConstant(ExporterMetric.CLUSTER_CPU_COST, 6));
        all.add(clusterConstant(ExporterMetric.CLUSTER_RAM_COST, 3));
        all.add(clusterConstant(ExporterMetric.CLUSTER_PV_COST, 0.5));
        all.add(clusterConstant(ExporterMetric.CLUSTER_NETWORK_COST, 0.25));
        all.add(clusterConstant(ExporterMetric.CLUSTER_LB_COST, 0.25));
        all.add(clusterConstant(ExporterMetric.CLUSTER_CPU_EFFICIENCY, 0.5));
        all.add(everyMinute(ExporterMetric.NAMESPACE_TOTAL_COST, "a", H, 60, t -> true, t -> 4));
        all.add(everyMinute(ExporterMetric.NAMESPACE_CPU_COST, "a", H, 60, t -> true, t -> 2));
        all.add(everyMinute(ExporterMetric.NAMESPACE_RAM_COST, "a", H, 60, t -> true, t -> 1.5));
        all.add(everyMinute(ExporterMetric.NAMESPACE_PV_COST, "a", H, 60, t -> true, t -> 0.5));
        all.add(everyMinute(ExporterMetric.NAMESPACE_TOTAL_COST, "b", H, 60, t -> true, t -> 3));
        all.add(everyMinute(ExporterMetric.NAMESPACE_CPU_COST, "b", H, 60, t -> true, t -> 2));
        all.add(everyMinute(ExporterMetric.NAMESPACE_RAM_COST, "b", H, 60, t -> true, t -> 1));
        CostResult r = calculator.compute(Instant.ofEpochMilli(H), Instant.ofEpochMilli(H + HOUR), all);

        CostRow unallocated = single(r, CostRow.UNALLOCATED);
        // 10 - 4 - 3 = 3; cpu 6 - 2 - 2 = 2; ram 3 - 1.5 - 1 = 0.5; pv 0.5 - 0.5 = 0; network and lb whole
        assertThat(unallocated.costs()).isEqualTo(new Costs(3, 2, 0.5, 0, 0.25, 0.25));
        assertThat(unallocated.efficiencies()).isEqualTo(Efficiencies.NONE);
        assertThat(r.rows().stream().mapToDouble(row -> row.costs().total()).sum()).isEqualTo(10.0);
        assertThat(r.clusterHours()).singleElement().satisfies(c -> {
            assertThat(c.costs()).isEqualTo(new Costs(10, 6, 3, 0.5, 0.25, 0.25));
            assertThat(c.efficiencies().cpu()).isEqualTo(0.5);
        });
    }

    @Test
    void aRemainderThatIsOnlyRoundingOfTheNamespacesSumIsZero() {
        // in binary floating point 0.1 + 0.2 = 0.30000000000000004, so 0.3 - (0.1 + 0.2) = -5.55e-17
        assertThat(0.3 - (0.1 + 0.2)).isNotZero();
        CostResult r = compute(H, H + HOUR, clusterConstant(ExporterMetric.CLUSTER_TOTAL_COST, 0.3),
                clusterConstant(ExporterMetric.CLUSTER_PV_COST, 0.3),
                nsEveryMinute("a", H, 60, t -> true, t -> 0.1), nsEveryMinute("b", H, 60, t -> true, t -> 0.2),
                everyMinute(ExporterMetric.NAMESPACE_PV_COST, "a", H, 60, t -> true, t -> 0.1),
                everyMinute(ExporterMetric.NAMESPACE_PV_COST, "b", H, 60, t -> true, t -> 0.2));
        CostRow unallocated = single(r, CostRow.UNALLOCATED);
        assertThat(unallocated.costs().total()).isEqualTo(0.0);
        assertThat(unallocated.costs().pv()).isEqualTo(0.0);
    }

    @Test
    void aSmallRealRemainderIsKept() {
        // 1 - 0.999999 = 1.0e-6 of a 1 $/h cluster: a millionth, far above rounding (1e-9 of 1)
        CostResult r = compute(H, H + HOUR, clusterConstant(ExporterMetric.CLUSTER_TOTAL_COST, 1),
                nsEveryMinute("a", H, 60, t -> true, t -> 0.999999));
        assertThat(single(r, CostRow.UNALLOCATED).costs().total()).isCloseTo(1.0e-6, within(1e-15));
    }

    @Test
    void noClusterLevelDataMeansNoUnallocatedRow() {
        CostResult r = compute(H, H + HOUR, nsEveryMinute("a", H, 60, t -> true, t -> 1));
        assertThat(r.rows()).extracting(CostRow::namespace).containsExactly("a");
        assertThat(r.clusterHours()).isEmpty();
    }

    @Test
    void anExporterReportedUnallocatedNamespaceIsPartOfTheRemainder() {
        CostResult r = compute(H, H + HOUR, clusterConstant(ExporterMetric.CLUSTER_TOTAL_COST, 10),
                nsEveryMinute("a", H, 60, t -> true, t -> 4), nsEveryMinute(CostRow.UNALLOCATED, H, 60, t -> true, t -> 1));
        assertThat(r.rows()).extracting(CostRow::namespace, row -> row.costs().total())
                .containsExactlyInAnyOrder(tuple("a", 4.0),
                        tuple(CostRow.UNALLOCATED, 6.0));
    }

    @Test
    void aNamespaceInAnotherCurrencyThanItsClusterRefusesOnlyThatClusterHour() {
        // hour 0: the cluster reports EUR, namespace a USD; hour 1: both USD
        Series cluster = new Series(ExporterMetric.CLUSTER_TOTAL_COST, "t", "c", null, "EUR", new long[] {H}, new double[] {1});
        Series clusterLater = new Series(ExporterMetric.CLUSTER_TOTAL_COST, "t", "c", null, "USD", new long[] {H + HOUR},
                new double[] {5});
        CostResult r = compute(H, H + 2 * HOUR, cluster, clusterLater, nsEveryMinute("a", H, 120, t -> true, t -> 1));
        assertThat(r.refused()).containsOnlyKeys(ClusterHourKey.ofMillis("t", "c", H));
        assertThat(r.rows()).extracting(row -> row.hour().toEpochMilli(), CostRow::namespace)
                .containsExactlyInAnyOrder(tuple(H + HOUR, "a"), tuple(H + HOUR, CostRow.UNALLOCATED));
        assertThat(r.clusterHours()).extracting(c -> c.hour().toEpochMilli()).containsExactly(H + HOUR);
    }

    @Test
    void aCurrencyChangeInsideAnHourRefusesThatClusterHourAndNoOther() {
        // cluster c's namespace reports USD until 12:30 and EUR from then on; cluster d stays in USD
        long change = H + 2 * HOUR + 30 * MIN;
        Series before = nsEveryMinute("a", H, 180, t -> t < change, t -> 1);
        Series after = recast(nsEveryMinute("a", H, 180, t -> t >= change, t -> 1), "c", "EUR");
        Series other = recast(nsEveryMinute("a", H, 180, t -> true, t -> 1), "d", "USD");
        CostResult r = compute(H, H + 3 * HOUR, before, after, other);
        assertThat(r.refused()).containsOnlyKeys(ClusterHourKey.ofMillis("t", "c", H + 2 * HOUR));
        assertThat(r.refused().values()).singleElement().asString().contains("USD").contains("EUR");
        assertThat(r.rows()).extracting(CostRow::cluster, row -> row.hour().toEpochMilli())
                .containsExactlyInAnyOrder(tuple("c", H), tuple("c", H + HOUR), tuple("d", H), tuple("d", H + HOUR),
                        tuple("d", H + 2 * HOUR));
    }

    private static Series recast(Series s, String cluster, String currency) {
        return new Series(s.metric(), s.tenant(), cluster, s.namespace(), currency, s.timestamps(), s.values());
    }

    // ---- rule 7: totals over the exporter's window

    @Test
    void totalModeDividesBySamplesWindowHours() {
        HourlyCostCalculator totals = new HourlyCostCalculator(
                new CostRules(MetricMode.TOTAL, Duration.ofHours(24), Duration.ofMinutes(5)));
        Series cost = nsEveryMinute("a", H, 60, t -> true, t -> 48.0); // $48 per 24 h = $2 per hour
        Series eff = everyMinute(ExporterMetric.NAMESPACE_CPU_EFFICIENCY, "a", H, 60, t -> true, t -> 0.5);
        CostRow row = single(totals.compute(Instant.ofEpochMilli(H), Instant.ofEpochMilli(H + HOUR), List.of(cost, eff)), "a");
        assertThat(row.costs().total()).isEqualTo(2.0);
        assertThat(row.efficiencies().cpu()).isEqualTo(0.5);
    }

    // ---- helpers

    private CostResult compute(long from, long to, Series... series) {
        return calculator.compute(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), List.of(series));
    }

    private static List<CostRow> rowsOf(CostResult r, String namespace) {
        return r.rows().stream().filter(row -> row.namespace().equals(namespace)).toList();
    }

    private static CostRow single(CostResult r, String namespace) {
        List<CostRow> rows = rowsOf(r, namespace);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static int minuteOf(long t) {
        return (int) ((t - H) / MIN) % 60;
    }

    private static Series ns(String namespace, long[] times, double[] values) {
        return new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", namespace, "USD", times, values);
    }

    private static Series nsEveryMinute(String namespace, long from, int minutes, LongPredicate scraped, LongToDoubleFunction value) {
        return everyMinute(ExporterMetric.NAMESPACE_TOTAL_COST, namespace, from, minutes, scraped, value);
    }

    private static Series clusterConstant(ExporterMetric metric, double value) {
        return everyMinute(metric, null, H, 60, t -> true, t -> value);
    }

    private static Series everyMinute(ExporterMetric metric, String namespace, long from, int minutes,
                                      LongPredicate scraped, LongToDoubleFunction value) {
        List<Long> times = new ArrayList<>();
        for (int k = 0; k < minutes; k++) {
            long t = from + k * MIN;
            if (scraped.test(t)) {
                times.add(t);
            }
        }
        return TestSeries.of(metric, namespace, "", times, value);
    }
}
