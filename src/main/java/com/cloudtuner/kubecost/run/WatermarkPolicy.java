package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every decision about watermarks, in one place. An hour is complete once {@code settleDelay} has
 * passed after its end. In an hourly run each tenant gets every complete hour after its watermark
 * plus the last {@code reprocessHours} complete hours again (late samples); a tenant seen for the
 * first time gets only those; nothing reaches back further than {@code maxCatchUp} (the rest is
 * named for a backfill). Afterwards a watermark moves forward over the hours written without a gap
 * from the window's start, never back.
 */
public final class WatermarkPolicy {

    private final Duration settleDelay;
    private final int reprocessHours;
    private final Duration maxCatchUp;

    public WatermarkPolicy(Duration settleDelay, int reprocessHours, Duration maxCatchUp) {
        this.settleDelay = settleDelay;
        this.reprocessHours = reprocessHours;
        this.maxCatchUp = maxCatchUp;
    }

    /** End of the last complete hour as of {@code now}. */
    public Instant completeUntil(Instant now) {
        return Window.floorHour(now.minus(settleDelay));
    }

    /**
     * The hours an hourly run with {@code --current-hour} computes provisionally as of {@code now}:
     * those after the last complete one, up to the end of the hour {@code now} is in. They never
     * move a watermark.
     */
    public Window provisionalWindow(Instant now) {
        return new Window(completeUntil(now), Window.floorHour(now).plus(1, ChronoUnit.HOURS));
    }

    /**
     * The provisional hours of a tenant with this watermark (null: none yet): never hours before its
     * watermark, which are final already (a run evaluated in the past); possibly none.
     */
    public Window provisionalWindow(Instant now, Instant watermark) {
        Window hours = provisionalWindow(now);
        if (watermark == null || !watermark.isAfter(hours.start())) {
            return hours;
        }
        return new Window(watermark.isBefore(hours.end()) ? watermark : hours.end(), hours.end());
    }

    /** How far a watermark is behind the last complete hour as of {@code now}; zero when it is not behind. */
    public Duration lag(Instant watermark, Instant now) {
        Instant complete = completeUntil(now);
        return watermark.isBefore(complete) ? Duration.between(watermark, complete) : Duration.ZERO;
    }

    /** Whether the next hourly run writes {@code hour} of a tenant with this watermark: an hour at or after it. */
    public static boolean nextHourlyRunWrites(Instant hour, Instant watermark) {
        return watermark != null && !hour.isBefore(watermark);
    }

    private Instant oldestAllowed(Instant end) {
        return Window.ceilHour(end.minus(maxCatchUp));
    }

    /** The first hour an hourly run as of {@code now} computes again whatever the watermarks (worker.reprocess-hours). */
    public Instant reprocessedFrom(Instant now) {
        return reprocessFrom(completeUntil(now));
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

    /** The hours an hourly run computes for a tenant whose watermark is {@code watermark} (null: first sighting). */
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

    /**
     * End of the hours written without a gap from the start of the plan's window: the chunks are
     * the window's chunks in order, {@code written} says which were written.
     */
    public static Instant writtenUntil(Window window, List<Window> chunks, List<Boolean> written) {
        Instant until = window.start();
        for (int i = 0; i < chunks.size() && written.get(i); i++) {
            until = chunks.get(i).end();
        }
        return until;
    }

    /**
     * Where an hourly run moves the tenant's watermark: a tenant seen for the first time gets one
     * at {@code writtenUntil} whatever happened (nothing written: the start of its first window, so
     * the next run catches up from there; no hours to compute: where they would have begun); a
     * known tenant's moves to {@code writtenUntil} when it wrote hours past it; otherwise it stays.
     * A provisional computation (hours not yet complete) never moves one, nor is it a first sighting.
     */
    public static Optional<Instant> advance(TenantPlan plan, Instant writtenUntil) {
        if (plan.provisional()) {
            return Optional.empty();
        }
        if (plan.watermark() == null) {
            return Optional.of(writtenUntil);
        }
        boolean wroteHours = writtenUntil.isAfter(plan.window().start());
        return wroteHours && writtenUntil.isAfter(plan.watermark()) ? Optional.of(writtenUntil) : Optional.empty();
    }
}
