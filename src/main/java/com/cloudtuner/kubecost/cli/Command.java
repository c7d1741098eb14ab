package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A validated command line. */
public sealed interface Command {

    /** @param now null for the current time */
    record Hourly(Instant now, List<String> tenants) implements Command {
    }

    /** @param window [from, to) rounded to whole hours and clamped to the last complete hour */
    record Backfill(Window window, List<String> tenants, boolean dryRun, boolean eraseMissing) implements Command {
    }

    record Migrate() implements Command {
    }

    /** @param shape null for the demo's clusters */
    record Simulate(Path out, Instant from, int hours, List<String> tenants, long seed, Shape shape) implements Command {
    }

    /** Per tenant {@code clusters} clusters of {@code namespaces} namespaces, scraped every {@code scrapeSeconds}. */
    record Shape(int clusters, int namespaces, int scrapeSeconds) {
    }

    record Help() implements Command {
    }
}
