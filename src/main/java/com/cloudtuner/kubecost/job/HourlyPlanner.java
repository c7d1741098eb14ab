package com.cloudtuner.kubecost.job;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Which hours an hourly run processes. An hour is complete once {@code settleDelay} has passed
 * after its end. Each tenant gets every complete hour after its watermark plus the last
 * {@code reprocessHours} complete hours again (late samples); a tenant without a watermark gets only
 * those; nothing reaches back further than {@code maxCatchUp}.
 */
public final class HourlyPlanner {

    private final Duration settleDelay;
    private final int reprocessHours;
    private final Duration maxCatchUp;

    public HourlyPlanner(Duration settleDelay, int reprocessHours, Duration maxCatchUp) {
        this.settleDelay = settleDelay;
        this.reprocessHours = reprocessHours;
        this.maxCatchUp = maxCatchUp;
    }

    /** End of the last complete hour as of {@code now}. */
    public Instant completeUntil(Instant now) {
        return Window.floorHour(now.minus(settleDelay));
    }

    private Instant oldestAllowed(Instant end) {
        return Window.ceilHour(end.minus(maxCatchUp));
    }

    private Instant reprocessFrom(Instant end) {
        Instant from = end.minus(reprocessHours, ChronoUnit.HOURS);
        Instant oldest = oldestAllowed(end);
        return from.isBefore(oldest) ? oldest : from;
    }

    /**
     * Where to look for tenants: back to the oldest watermark that is still within reach, so a tenant
     * whose data stopped during an outage still gets its last hours.
     */
    public Window discoveryWindow(Instant now, Map<String, Instant> watermarks) {
        Instant end = completeUntil(now);
        Instant from = reprocessFrom(end);
        Instant oldest = oldestAllowed(end);
        for (Instant w : watermarks.values()) {
            if (w.isBefore(from) && !w.isBefore(oldest)) {
                from = w;
            }
        }
        return new Window(from, end);
    }

    public TenantPlan plan(String tenant, Instant watermark, Instant now) {
        Instant end = completeUntil(now);
        Instant start = reprocessFrom(end);
        Window notCaughtUp = null;
        if (watermark != null && watermark.isBefore(start)) {
            Instant oldest = oldestAllowed(end);
            Instant mark = Window.floorHour(watermark);
            if (mark.isBefore(oldest)) {
                notCaughtUp = new Window(mark, oldest);
                start = oldest;
            } else {
                start = mark;
            }
        }
        return new TenantPlan(tenant, new Window(start, end), watermark, notCaughtUp);
    }
}
