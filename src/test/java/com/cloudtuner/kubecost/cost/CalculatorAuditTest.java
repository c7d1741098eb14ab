package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-sample verdicts an explanation shows are the decisions the raw computation made. */
class CalculatorAuditTest {

    private static final long MIN = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long H = Instant.parse("2025-10-13T10:00:00Z").toEpochMilli();

    private final HourlyCostCalculator calculator = new HourlyCostCalculator(CostRules.DEFAULTS);

    @Test
    void eachSampleGetsTheReasonTheRulesGiveIt() {
        // samples at 09:59, 10:00, 10:20 (NaN), 10:31 (after a failure at 10:30), 10:40 and 11:00
        long[] t = {H - MIN, H, H + 20 * MIN, H + 31 * MIN, H + 40 * MIN, H + HOUR};
        Series cost = new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", "a", "USD", t,
                new double[] {9, 1, Double.NaN, 7, 3, 9});
        // health 0 at 10:30 and 1 again at 10:36: the 0 vetoes samples in [10:30, 10:36)
        Series health = new Series(ExporterMetric.EXPORTER_SCRAPE_SUCCESS, "t", "c", null, null,
                new long[] {H, H + 30 * MIN, H + 36 * MIN}, new double[] {1, 0, 1});

        List<AuditedSeries> audit = calculator.audit(Instant.ofEpochMilli(H), Instant.ofEpochMilli(H + HOUR), List.of(cost, health));

        assertThat(audit).singleElement().satisfies(a -> {
            assertThat(a.verdicts()).containsExactly(SampleVerdict.OUTSIDE_WINDOW, SampleVerdict.COUNTED, SampleVerdict.NOT_FINITE,
                    SampleVerdict.EXPORTER_UNHEALTHY, SampleVerdict.COUNTED, SampleVerdict.OUTSIDE_WINDOW);
            assertThat(a.vetoedBy()[3]).isEqualTo(H + 30 * MIN);
        });
        // the counted samples (1 and 3) are exactly what the row's mean is made of
        CostResult rows = calculator.compute(Instant.ofEpochMilli(H), Instant.ofEpochMilli(H + HOUR), List.of(cost, health));
        assertThat(rows.rows()).singleElement().satisfies(r -> assertThat(r.costs().total()).isEqualTo(2.0));
    }
}
