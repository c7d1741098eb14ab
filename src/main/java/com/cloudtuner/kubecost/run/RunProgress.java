package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.terminal.StatusLine;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Progress of long work: tenants (counted when their batch's last work unit ends), work units and
 * tenant-hours done, rows per second and the time left ({@link Eta}). On a terminal a bar redrawn in
 * place ({@link StatusLine}), at most every {@code barEvery}; otherwise a log line at most every
 * {@code logEvery}, its figures also as fields for JSON logs.
 */
final class RunProgress {

    private static final Logger log = LoggerFactory.getLogger(RunProgress.class);
    private static final int BAR = 30;

    private final String runId;
    private final int tenants;
    private final int units;
    private final long hours;
    private final LongSupplier nanos;
    private final StatusLine bar;
    private final long every;
    private final long started;
    private final Eta eta;
    private long lastReport;
    private int tenantsDone;
    private int unitsDone;
    private long hoursDone;
    private long rows;

    /**
     * @param parallelism work units processed at once, for the {@link Eta}
     * @param bar         where to draw the bar; when null or not {@link StatusLine#available}, log lines instead
     */
    RunProgress(String runId, int tenants, int units, long hours, int parallelism, Duration barEvery, Duration logEvery,
                LongSupplier nanos, StatusLine bar) {
        this.runId = runId;
        this.tenants = tenants;
        this.units = units;
        this.hours = hours;
        this.nanos = nanos;
        this.bar = bar != null && bar.available() ? bar : null;
        this.every = (this.bar != null ? barEvery : logEvery).toNanos();
        this.started = nanos.getAsLong();
        this.lastReport = started;
        this.eta = new Eta(parallelism);
    }

    /** @param tenantsFinished the tenants whose last work unit this was (its batch's, when it completes the batch) */
    synchronized void unitEnded(long unitHours, long unitRows, int tenantsFinished) {
        tenantsDone += tenantsFinished;
        unitsDone++;
        hoursDone += unitHours;
        rows += unitRows;
        long now = nanos.getAsLong();
        eta.unitEnded(now, hoursDone);
        boolean last = unitsDone == units;
        if (last && bar != null) {
            bar.finish(barText(now));
        } else if (now - lastReport >= every) {
            lastReport = now;
            if (bar != null) {
                bar.draw(barText(now));
            } else {
                logLine(now);
            }
        }
    }

    private String barText(long now) {
        int filled = hours == 0 ? BAR : (int) (BAR * hoursDone / hours);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + figures(now);
    }

    private String figures(long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        return String.format("%d/%d tenants, %d/%d work units, %d/%d tenant-hours, %d rows, %.0f rows/s, %s",
                tenantsDone, tenants, unitsDone, units, hoursDone, hours, rows, rows / seconds,
                left(now).map(d -> "about " + d.toString().substring(2).toLowerCase() + " left").orElse("estimating the time left"));
    }

    private Optional<Duration> left(long now) {
        return eta.left(now, hoursDone, hours);
    }

    private void logLine(long now) {
        LoggingEventBuilder line = log.atInfo().setMessage("run={} progress: {}").addArgument(runId).addArgument(figures(now))
                .addKeyValue("tenants_done", tenantsDone).addKeyValue("tenants", tenants)
                .addKeyValue("units_done", unitsDone).addKeyValue("units", units)
                .addKeyValue("tenant_hours_done", hoursDone).addKeyValue("tenant_hours", hours)
                .addKeyValue("rows", rows);
        left(now).ifPresent(d -> line.addKeyValue("seconds_left", d.toSeconds()));
        line.log();
    }
}
