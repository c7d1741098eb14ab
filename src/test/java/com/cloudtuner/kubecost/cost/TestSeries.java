package com.cloudtuner.kubecost.cost;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/** A series of tenant "t", cluster "c" for the rules' unit tests: a value at each time, USD unless it is health. */
public final class TestSeries {

    private TestSeries() {
    }

    /** Sum and count of the series' samples in each hour of the window: what the store answers. */
    public static SeriesHours hourlySums(Series s, Window window) {
        double[] sums = new double[window.hours()];
        int[] counts = new int[window.hours()];
        for (int i = 0; i < s.size(); i++) {
            long t = s.timestamps()[i];
            if (t >= window.startMs() && t < window.endMs()) {
                int h = (int) ((t - window.startMs()) / Window.HOUR_MS);
                sums[h] += s.values()[i];
                counts[h]++;
            }
        }
        return new SeriesHours(s.ref(), window.startMs(), sums, counts);
    }

    static Series of(ExporterMetric metric, String namespace, String replica, List<Long> times, LongToDoubleFunction value) {
        long[] ts = times.stream().mapToLong(Long::longValue).toArray();
        double[] vs = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            vs[i] = value.applyAsDouble(ts[i]);
        }
        String currency = metric.scope() == ExporterMetric.Scope.HEALTH ? null : "USD";
        return new Series(metric, "t", "c", namespace, currency, replica, ts, vs);
    }
}
