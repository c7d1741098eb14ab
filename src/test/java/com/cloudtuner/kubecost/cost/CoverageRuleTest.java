package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 3's coverage is one number for a row-hour, whatever window a run reads and however it reads
 * it: a day of generated scrapes per case, computed raw over the whole day, raw over each hour
 * alone, and from hourly sums; every way gives every hour the coverage worked out here from the
 * generated timestamps (valid samples over the larger of the (upper) median of the target's non-zero hourly
 * scrape counts over the day ending with the hour, and the hour's busiest series).
 */
class CoverageRuleTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = Window.HOUR_MS;
    private static final long D0 = Instant.parse("2025-10-13T00:00:00Z").toEpochMilli();
    private static final Window DAY = Window.ofMillis(D0, D0 + 24 * HOUR);

    private final HourlyCostCalculator calculator = new HourlyCostCalculator(CostRules.DEFAULTS);

    /** One target's scrapes over the day (the health and cluster series), and the times the namespace has samples. */
    record Case(String name, long[] scrapes, LongPredicate namespacePresent) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Random random = new Random(7);
        return Stream.of(
                new Case("a scrape every 60 s, +-20 s jitter", jittered(60_000, 20_000, random), t -> true),
                new Case("scrape times delayed twice in an hour", delayed(), t -> true),
                new Case("one scrape an hour", every(HOUR, 17 * MIN, t -> true), t -> true),
                new Case("interval 60 s, 30 s from 10:00", intervalChange(60_000, 30_000), t -> true),
                new Case("interval 30 s, 60 s from 10:00", intervalChange(30_000, 60_000), t -> true),
                new Case("exporter down 05:40-06:20", every(MIN, 3_000, t -> !(t >= D0 + 5 * HOUR + 40 * MIN
                        && t < D0 + 6 * HOUR + 20 * MIN)), t -> true),
                new Case("namespace appears at 07:30", every(MIN, 3_000, t -> true), t -> t >= D0 + 7 * HOUR + 30 * MIN),
                new Case("target appears at 03:45", every(MIN, 3_000, t -> t >= D0 + 3 * HOUR + 45 * MIN), t -> true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyWindowAndBothReadsGiveTheCoverageOfTheRule(Case c) {
        List<Series> series = seriesOf(c);
        double[] expected = expectedCoverage(c);

        CostResult wholeDay = calculator.compute(DAY, series);
        AggregatedCosts fromSums = calculator.computeFromSums(DAY, series.stream().filter(s -> s.metric().scope()
                != ExporterMetric.Scope.HEALTH).map(s -> TestSeries.hourlySums(s, DAY)).toList(),
                series.stream().filter(s -> s.metric().scope() == ExporterMetric.Scope.HEALTH).toList(),
                ScrapeHistory.fromSamples(DAY, series), java.util.Set.of());
        assertThat(fromSums.needsRaw()).isEmpty();
        for (int h = 0; h < 24; h++) {
            long hour = D0 + h * HOUR;
            CostResult alone = calculator.compute(Window.ofMillis(hour, hour + HOUR), series);
            Double want = Double.isNaN(expected[h]) ? null : expected[h];
            assertThat(coverage(wholeDay, hour)).as(c + " hour " + h + ", whole day raw").isEqualTo(want);
            assertThat(coverage(alone, hour)).as(c + " hour " + h + ", the hour alone").isEqualTo(want);
            assertThat(coverage(fromSums.rows(), hour)).as(c + " hour " + h + ", hourly sums").isEqualTo(want);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hoursTheCaseNamesHaveTheCoverageWorkedOutByHand(Case c) {
        CostResult r = calculator.compute(DAY, seriesOf(c));
        switch (c.name()) {
            case "one scrape an hour" -> assertThat(coverage(r, D0 + 5 * HOUR)).isEqualTo(1.0);
            case "exporter down 05:40-06:20" -> {
                assertThat(coverage(r, D0 + 5 * HOUR)).isCloseTo(40 / 60.0, within(1e-12));
                assertThat(coverage(r, D0 + 6 * HOUR)).isCloseTo(40 / 60.0, within(1e-12));
            }
            case "namespace appears at 07:30" -> assertThat(coverage(r, D0 + 7 * HOUR)).isCloseTo(30 / 60.0, within(1e-12));
            case "interval 60 s, 30 s from 10:00" -> assertThat(coverage(r, D0 + 10 * HOUR)).isEqualTo(1.0);
            // the documented limit: for half a day after a slower scrape the median still expects the faster one
            case "interval 30 s, 60 s from 10:00" -> assertThat(coverage(r, D0 + 10 * HOUR)).isCloseTo(0.5, within(1e-12));
            // the documented limit: a target's first hour has nothing before it to be measured against
            case "target appears at 03:45" -> assertThat(coverage(r, D0 + 3 * HOUR)).isEqualTo(1.0);
            default -> assertThat(r.rows()).isNotEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aReplacedExporterPodIsMeasuredAgainstTheClustersPastAndTheBetterReplicaCounts() {
        // pod a scrapes every minute until 10:05 (its last sample 10:04:02), pod b from 10:50 on; both carry the
        // namespace. Hour 10: the cluster expects its day's 60 scrapes; pod b's 10 samples are the better target's
        long stop = D0 + 10 * HOUR + 5 * MIN;
        long start = D0 + 10 * HOUR + 50 * MIN;
        long[] a = every(MIN, 2_000, t -> t < stop);
        long[] b = every(MIN, 2_000, t -> t >= start);
        List<Series> series = new ArrayList<>();
        for (String[] pod : new String[][] {{"pod=a"}, {"pod=b"}}) {
            long[] times = pod[0].equals("pod=a") ? a : b;
            series.add(new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, "t", "c", null, null, pod[0], times, ones(times.length)));
            series.add(new Series(ExporterMetric.CLUSTER_TOTAL_COST, "t", "c", null, "USD", pod[0], times, ones(times.length)));
            series.add(new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", "ns", "USD", pod[0], times, ones(times.length)));
        }
        long hour10 = D0 + 10 * HOUR;
        CostResult wholeDay = calculator.compute(DAY, series);
        CostResult alone = calculator.compute(Window.ofMillis(hour10, hour10 + HOUR), series);
        AggregatedCosts fromSums = calculator.computeFromSums(DAY, series.stream().filter(s -> s.metric().scope()
                != ExporterMetric.Scope.HEALTH).map(s -> TestSeries.hourlySums(s, DAY)).toList(),
                series.stream().filter(s -> s.metric().scope() == ExporterMetric.Scope.HEALTH).toList(),
                ScrapeHistory.fromSamples(DAY, series), java.util.Set.of());
        for (CostResult r : List.of(wholeDay, alone, fromSums.rows())) {
            assertThat(coverage(r, hour10)).isCloseTo(10 / 60.0, within(1e-12));
        }
        assertThat(coverage(wholeDay, D0 + 9 * HOUR)).isEqualTo(1.0);
        assertThat(coverage(wholeDay, D0 + 11 * HOUR)).isEqualTo(1.0); // pod b's first whole hour: the cluster's 60
    }

    /** Per hour of the day: the rule worked out on the generated timestamps by plain counting; NaN where no row. */
    private static double[] expectedCoverage(Case c) {
        int[] scrapes = new int[24];
        int[] present = new int[24];
        for (long t : c.scrapes()) {
            int h = (int) ((t - D0) / HOUR);
            scrapes[h]++;
            if (c.namespacePresent().test(t)) {
                present[h]++;
            }
        }
        double[] out = new double[24];
        for (int h = 0; h < 24; h++) {
            List<Integer> day = new ArrayList<>();
            for (int k = Math.max(0, h - 23); k <= h; k++) {
                if (scrapes[k] > 0) {
                    day.add(scrapes[k]);
                }
            }
            day.sort(Integer::compare);
            int median = day.isEmpty() ? 0 : day.get(day.size() / 2); // of an even number, the upper one
            out[h] = present[h] == 0 ? Double.NaN : Math.min(1.0, present[h] / (double) Math.max(median, scrapes[h]));
        }
        return out;
    }

    private static Double coverage(CostResult r, long hour) {
        return r.rows().stream().filter(row -> row.namespace().equals("ns") && row.hour().toEpochMilli() == hour)
                .map(CostRow::coverage).findFirst().orElse(null);
    }

    private static List<Series> seriesOf(Case c) {
        long[] ns = Arrays.stream(c.scrapes()).filter(c.namespacePresent()).toArray();
        return List.of(
                new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, "t", "c", null, null, c.scrapes(), ones(c.scrapes().length)),
                new Series(ExporterMetric.CLUSTER_TOTAL_COST, "t", "c", null, "USD", c.scrapes(), ones(c.scrapes().length)),
                new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", "ns", "USD", ns, ones(ns.length)));
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 0.5);
        return v;
    }

    private static long[] every(long step, long offset, LongPredicate keep) {
        List<Long> times = new ArrayList<>();
        for (long t = D0 + offset; t < D0 + 24 * HOUR; t += step) {
            if (keep.test(t)) {
                times.add(t);
            }
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] jittered(long step, long jitter, Random random) {
        List<Long> times = new ArrayList<>();
        for (long t = D0 + step; t < D0 + 24 * HOUR - step; t += step) {
            times.add(t + (long) ((random.nextDouble() * 2 - 1) * jitter));
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    /** A 60 s scrape whose times drift 40 s late twice in hour 4, so one hour boundary moves a sample. */
    private static long[] delayed() {
        long[] t = every(MIN, 30_000, x -> true);
        for (int i = 0; i < t.length; i++) {
            long h = (t[i] - D0) / HOUR;
            long m = (t[i] - D0) % HOUR / MIN;
            if (h == 4 && (m == 20 || m == 59)) {
                t[i] += 40_000;
            }
        }
        return t;
    }

    private static long[] intervalChange(long before, long after) {
        long change = D0 + 10 * HOUR;
        List<Long> times = new ArrayList<>();
        for (long t = D0 + 2_000; t < D0 + 24 * HOUR; t += t < change ? before : after) {
            times.add(t);
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }
}
