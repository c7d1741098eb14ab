package com.cloudtuner.kubecost.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long work, at most every {@code every}: tenants (all their work units ended), work
 * units and tenant-hours done, rows per second and the time left at that pace. A line in the log; on an interactive terminal a bar
 * redrawn in place instead.
 */
final class RunProgress {

    private static final Logger log = LoggerFactory.getLogger(RunProgress.class);
    private static final int BAR = 30;

    private final String runId;
    private final int tenants;
    private final int units;
    private final long hours;
    private final Duration every;
    private final LongSupplier nanos;
    private final PrintStream terminal;
    private final long started;
    private long lastReport;
    private int tenantsDone;
    private int unitsDone;
    private long hoursDone;
    private long rows;

    /** @param terminal where to draw the bar, or null to log lines */
    RunProgress(String runId, int tenants, int units, long hours, Duration every, LongSupplier nanos, PrintStream terminal) {
        this.runId = runId;
        this.tenants = tenants;
        this.units = units;
        this.hours = hours;
        this.every = every;
        this.nanos = nanos;
        this.terminal = terminal;
        this.started = nanos.getAsLong();
        this.lastReport = started;
    }

    /** A terminal when stderr is one (and logs are plain text), else null. */
    static PrintStream terminalOrNull() {
        return System.console() != null ? System.err : null;
    }

    /** @param tenantsFinished the tenants whose last work unit this was (its batch's, when it completes the batch) */
    synchronized void unitEnded(long unitHours, long unitRows, int tenantsFinished) {
        tenantsDone += tenantsFinished;
        unitsDone++;
        hoursDone += unitHours;
        rows += unitRows;
        long now = nanos.getAsLong();
        if (now - lastReport >= every.toNanos() || unitsDone == units && terminal != null) {
            lastReport = now;
            report(now);
        }
    }

    private void report(long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double perSecond = rows / seconds;
        long left = unitsDone == 0 ? 0 : Math.round(seconds * (units - unitsDone) / unitsDone);
        String figures = String.format("%d/%d tenants, %d/%d work units, %d/%d tenant-hours, %d rows, %.0f rows/s, about %s left",
                tenantsDone, tenants, unitsDone, units, hoursDone, hours, rows, perSecond, Duration.ofSeconds(left).toString().substring(2).toLowerCase());
        if (terminal != null) {
            int filled = units == 0 ? BAR : (int) ((long) BAR * unitsDone / units);
            terminal.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + figures + (unitsDone == units ? "\n" : ""));
            terminal.flush();
        } else {
            log.info("run={} progress: {}", runId, figures);
        }
    }
}
