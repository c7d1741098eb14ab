package com.cloudtuner.kubecost.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.thanos.PromSeries;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values that carry samples in arrays are equal by their content, as every other value is. */
class ValuesWithSamplesTest {

    private static Series series(double last) {
        return new Series(ExporterMetric.NAMESPACE_TOTAL_COST, "t", "c", "web", "USD", new long[] {1, 2}, new double[] {1.5, last});
    }

    @Test
    void seriesWithTheSameSamplesAreEqual() {
        assertThat(series(2)).isEqualTo(series(2)).hasSameHashCodeAs(series(2)).isNotEqualTo(series(3));
    }

    @Test
    void hourlySumsWithTheSameFiguresAreEqual() {
        SeriesRef ref = series(2).ref();
        assertThat(new SeriesHours(ref, 0, new double[] {1}, new int[] {2}, new double[] {0}))
                .isEqualTo(new SeriesHours(ref, 0, new double[] {1}, new int[] {2}, new double[] {0}))
                .isNotEqualTo(new SeriesHours(ref, 0, new double[] {1}, new int[] {3}, new double[] {0}));
    }

    @Test
    void auditedSeriesWithTheSameVerdictsAreEqual() {
        SampleVerdict[] counted = {SampleVerdict.COUNTED, SampleVerdict.COUNTED};
        assertThat(new AuditedSeries(series(2), counted.clone(), new long[2]))
                .isEqualTo(new AuditedSeries(series(2), counted.clone(), new long[2]))
                .isNotEqualTo(new AuditedSeries(series(2), new SampleVerdict[] {SampleVerdict.COUNTED, SampleVerdict.NOT_FINITE},
                        new long[2]));
    }

    @Test
    void answersWithTheSameSamplesAreEqual() {
        assertThat(new PromSeries(Map.of("a", "b"), new long[] {1}, new double[] {2}))
                .isEqualTo(new PromSeries(Map.of("a", "b"), new long[] {1}, new double[] {2}))
                .isNotEqualTo(new PromSeries(Map.of("a", "b"), new long[] {1}, new double[] {3}));
    }
}
