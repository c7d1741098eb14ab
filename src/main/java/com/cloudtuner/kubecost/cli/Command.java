package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import com.cloudtuner.kubecost.simulate.Incident;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A validated command line. */
public sealed interface Command {

    /**
     * @param now         null for the current time
     * @param currentHour {@code --current-hour}: also the hours not yet complete, as provisional rows
     */
    record Hourly(Instant now, List<String> tenants, boolean currentHour) implements Command {
    }

    /** @param window [from, to) rounded to whole hours and clamped to the last complete hour */
    record Backfill(Window window, List<String> tenants, boolean dryRun, boolean eraseMissing) implements Command {
    }

    record Migrate() implements Command {
    }

    /**
     * @param shape     null for the demo's clusters
     * @param incidents what goes wrong in the series, in the order given (none: the demo's healthy data)
     */
    record Simulate(Path out, Instant from, int hours, List<String> tenants, long seed, Shape shape, List<Incident> incidents)
            implements Command {
    }

    /** Per tenant {@code clusters} clusters of {@code namespaces} namespaces, scraped every {@code scrapeSeconds}. */
    record Shape(int clusters, int namespaces, int scrapeSeconds) {
    }

    /**
     * Read-only diagnosis of Thanos, the exporter's series, the tenants and ClickHouse.
     *
     * @param now        null for the current time
     * @param staleAfter a cluster whose last sample is older than this is stale
     * @param maxLag     a watermark further behind the last complete hour than this is a problem
     */
    record Check(Instant now, List<String> tenants, Duration staleAfter, Duration maxLag, boolean json, boolean problemsOnly)
            implements Command {
    }

    /** Why the stored row of one namespace (or {@code __unallocated__}) in one hour is what it is. */
    record Explain(String tenant, String cluster, String namespace, Instant hour, boolean json) implements Command {
    }

    /**
     * Hours to backfill: Thanos has data the view lacks or holds differently, and hours of low coverage.
     *
     * @param window      [from, to) rounded to whole hours and clamped to the last complete hour
     * @param minCoverage rows below this coverage are reported
     */
    record Gaps(Window window, List<String> tenants, double minCoverage, boolean json, boolean backfill) implements Command {
    }

    record Help() implements Command {
    }
}
