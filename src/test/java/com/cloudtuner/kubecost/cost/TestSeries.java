package com.cloudtuner.kubecost.cost;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/** A series of tenant "t", cluster "c" for the rules' unit tests: a value at each time, USD unless it is health. */
final class TestSeries {

    private TestSeries() {
    }

    static Series of(ExporterMetric metric, String namespace, String replica, List<Long> times, LongToDoubleFunction value) {
        long[] ts = times.stream().mapToLong(Long::longValue).toArray();
        double[] vs = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            vs[i] = value.applyAsDouble(ts[i]);
        }
        String currency = metric.scope() == ExporterMetric.Scope.HEALTH ? null : "USD";
        return new Series(metric, "t", "c", namespace, currency, replica, 0, ts, vs);
    }
}
