package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The command lines of the read-only tools: check, explain and gaps. */
final class DiagnoseParsers {

    private DiagnoseParsers() {
    }

    static Command.Check check(Options options) {
        Instant now = options.instantOrNull("now");
        Duration staleAfter = options.duration("stale-after", Duration.ofMinutes(30));
        Duration maxLag = options.duration("max-lag", Duration.ofHours(2));
        return new Command.Check(now, options.tenants(), staleAfter, maxLag, options.flag("json"), options.flag("problems"));
    }

    static Command.Explain explain(Options options) {
        for (String required : List.of("tenant", "cluster", "namespace", "hour")) {
            if (!options.has(required) || options.one(required).isEmpty()) {
                throw new UsageException("explain needs --tenant, --cluster, --namespace and --hour, e.g. explain --tenant=acme"
                        + " --cluster=prod --namespace=web --hour=2025-10-13T10:00:00Z");
            }
        }
        if (options.values().get("tenant").size() > 1) {
            throw new UsageException("explain takes one --tenant");
        }
        Instant hour = Window.floorHour(options.instant("hour"));
        if (hour.isAfter(options.currentHour())) {
            throw new UsageException("--hour " + hour + " has not begun yet");
        }
        return new Command.Explain(options.one("tenant"), options.one("cluster"), options.one("namespace"), hour,
                options.flag("json"));
    }

    static Command.Gaps gaps(Options options) {
        double minCoverage = minCoverage(options);
        return new Command.Gaps(options.hours("gaps"), options.tenants(), minCoverage, options.flag("json"), options.flag("backfill"));
    }

    private static double minCoverage(Options options) {
        double minCoverage;
        try {
            minCoverage = Double.parseDouble(options.oneOr("min-coverage", "0.9"));
        } catch (NumberFormatException e) {
            minCoverage = Double.NaN;
        }
        // the negated range also refuses NaN, as given or from text that is no number
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw new UsageException("--min-coverage must be a number from 0 to 1");
        }
        return minCoverage;
    }
}
