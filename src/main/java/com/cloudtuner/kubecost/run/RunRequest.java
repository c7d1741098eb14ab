package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to run.
 *
 * @param now      the instant an hourly run is evaluated at
 * @param window   the hours a backfill covers; null for hourly runs
 * @param tenants  explicit tenant ids (already checked against the pattern); empty to discover them
 * @param currentHour an hourly run also computes the hours not yet complete, up to {@code now}, as provisional rows
 * @param shard    the worker's shard: the run processes only its tenants ({@link Shard#ALL}: every tenant)
 */
public record RunRequest(Mode mode, Instant now, Window window, List<String> tenants, boolean dryRun, boolean eraseMissing,
                         boolean currentHour, Shard shard) {

    public enum Mode {
        HOURLY, BACKFILL;

        public String label() {
            return name().toLowerCase();
        }
    }

    public RunRequest {
        tenants = List.copyOf(tenants);
        Objects.requireNonNull(shard, "shard");
        if (mode == Mode.BACKFILL && window == null) {
            throw new IllegalArgumentException("a backfill needs a window");
        }
        if (currentHour && mode != Mode.HOURLY) {
            throw new IllegalArgumentException("only an hourly run computes the current hour");
        }
    }

    public static RunRequest hourly(Instant now, List<String> tenants) {
        return hourly(now, tenants, false);
    }

    public static RunRequest hourly(Instant now, List<String> tenants, boolean currentHour) {
        return new RunRequest(Mode.HOURLY, now, null, tenants, false, false, currentHour, Shard.ALL);
    }

    public static RunRequest backfill(Window window, List<String> tenants, boolean dryRun, boolean eraseMissing) {
        return new RunRequest(Mode.BACKFILL, null, window, tenants, dryRun, eraseMissing, false, Shard.ALL);
    }

    /** The same request for one shard of the tenants. */
    public RunRequest inShard(Shard of) {
        return new RunRequest(mode, now, window, tenants, dryRun, eraseMissing, currentHour, of);
    }
}
