package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.thanos.PromSeries;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Duration;
import java.util.List;

/**
 * How every hourly {@code query_range} is asked and read: one point per hour, evaluated at the
 * hour's last millisecond, so that a range selector of one hour covers exactly that hour (with the
 * server's range semantics deciding about a sample on the hour).
 */
final class HourlyPoints {

    private HourlyPoints() {
    }

    /** One point per hour of {@code hours}. */
    static List<PromSeries> query(ThanosClient thanos, String expr, Window hours) {
        return thanos.queryRange(expr, hours.start().plusMillis(Window.HOUR_MS - 1), hours.end().minusMillis(1), Duration.ofHours(1));
    }

    /** The start of the hour a point stands for, in epoch milliseconds. */
    static long hourStart(long pointMs) {
        return pointMs + 1 - Window.HOUR_MS;
    }

    /** The index in {@code window} of the hour a point stands for. */
    static int index(Window window, long pointMs) {
        return (int) ((hourStart(pointMs) - window.startMs()) / Window.HOUR_MS);
    }
}
