package com.cloudtuner.kubecost.config;

import com.cloudtuner.kubecost.cost.MetricMode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code worker.*}: what the job reads, which tenants, and how far back it looks. */
@ConfigurationProperties("worker")
public record WorkerProperties(
        @DefaultValue Exporter exporter,
        @DefaultValue("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String tenantPattern,
        @DefaultValue List<String> tenants,
        @DefaultValue("10m") Duration settleDelay,
        @DefaultValue("3") int reprocessHours,
        @DefaultValue("7d") Duration maxCatchUp,
        @DefaultValue("24") int chunkHours,
        @DefaultValue("4") int parallelism,
        @DefaultValue("true") boolean migrateOnStart,
        @DefaultValue("aggregated") ReadMode readMode,
        @DefaultValue Batch batch,
        @DefaultValue("400d") Duration maxBackfill,
        @DefaultValue("false") boolean currentHour,
        @DefaultValue ShardSettings shard) {

    /** How the exporter's series are read: hourly sums computed by the store, or every raw sample. */
    public enum ReadMode { AGGREGATED, RAW }

    /** Prometheus' limit on points per series in one query_range answer; raw reads keep to it too. */
    public static final int MAX_POINTS_PER_SERIES = 11_000;

    public WorkerProperties {
        tenants = tenants == null ? List.of() : tenants.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        try {
            Pattern.compile(tenantPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("worker.tenant-pattern is not a regular expression: " + e.getDescription());
        }
        if (settleDelay.isNegative()) {
            throw new IllegalArgumentException("worker.settle-delay must not be negative, got " + settleDelay);
        }
        requireAtLeast(reprocessHours, 0, "worker.reprocess-hours");
        if (maxCatchUp.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("worker.max-catch-up must be at least 1h, got " + maxCatchUp);
        }
        if (Duration.ofHours(reprocessHours).compareTo(maxCatchUp) > 0) {
            throw new IllegalArgumentException("worker.reprocess-hours (" + reprocessHours
                    + ") reaches back further than worker.max-catch-up (" + maxCatchUp + ")");
        }
        requireAtLeast(chunkHours, 1, "worker.chunk-hours");
        requireAtLeast(parallelism, 1, "worker.parallelism");
        if (maxBackfill.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("worker.max-backfill must be at least 1h, got " + maxBackfill);
        }
    }

    public Pattern tenantRegex() {
        return Pattern.compile(tenantPattern);
    }

    /**
     * Hours per request: the configured chunk, shortened so that a series scraped every
     * {@code exporter.min-scrape-interval} never returns more than {@link #MAX_POINTS_PER_SERIES} samples.
     */
    public int effectiveChunkHours() {
        long limitHours = MAX_POINTS_PER_SERIES * exporter.minScrapeInterval().toMillis() / 3_600_000L;
        return (int) Math.max(1, Math.min(chunkHours, limitHours));
    }

    /**
     * Tenants read and written together.
     *
     * @param maxSeries      series of one metric a batch's answer may hold (a tenant's namespaces × clusters)
     * @param maxTenants     tenants per batch
     * @param maxRawSamples  raw samples one raw read may hold; raw reads take fewer hours at a time to keep to it
     * @param heapPerSeriesHour the heap a work unit is planned to take per namespace series and hour; batches and
     *                          chunks are cut so that {@code worker.parallelism} units fit in the JVM's heap
     */
    public record Batch(
            @DefaultValue("5000") int maxSeries,
            @DefaultValue("250") int maxTenants,
            @DefaultValue("4000000") long maxRawSamples,
            @DefaultValue("2KB") org.springframework.util.unit.DataSize heapPerSeriesHour) {

        public Batch {
            requireAtLeast(maxSeries, 1, "worker.batch.max-series");
            requireAtLeast(maxTenants, 1, "worker.batch.max-tenants");
            requireAtLeast(maxRawSamples, 1, "worker.batch.max-raw-samples");
            requireAtLeast(heapPerSeriesHour.toBytes(), 1, "worker.batch.heap-per-series-hour");
        }
    }

    /**
     * Which of {@code count} worker shards this process is: it processes only the tenants of its
     * shard ({@code run/Shard} holds the rule). Both absent: the one shard, index 0 of 1. The index
     * defaults to Kubernetes' {@code JOB_COMPLETION_INDEX} (application.properties), which an
     * Indexed Job gives each pod; the count cannot be read from Kubernetes, so an index without a
     * count is refused rather than guessed: a wrong count would leave tenants to no shard, or to two.
     *
     * @param index this process's shard, from 0; null when not given
     * @param count how many shards share the tenants; null when not given
     */
    public record ShardSettings(Integer index, Integer count) {

        public ShardSettings {
            if (index != null && count == null) {
                throw new IllegalArgumentException("worker.shard.index is " + index + " (WORKER_SHARD_INDEX, or JOB_COMPLETION_INDEX"
                        + " of an Indexed Job) but worker.shard.count is not set; set WORKER_SHARD_COUNT to the Job's completions");
            }
            if (count != null) {
                requireAtLeast(count, 1, "worker.shard.count");
            }
            if (index == null && count != null && count > 1) {
                throw new IllegalArgumentException("worker.shard.count is " + count + " but worker.shard.index is not set; set"
                        + " WORKER_SHARD_INDEX, or run the pods as an Indexed Job (JOB_COMPLETION_INDEX)");
            }
            count = count == null ? 1 : count;
            index = index == null ? 0 : index;
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException("worker.shard.index must be from 0 to worker.shard.count - 1 (" + (count - 1)
                        + "), got " + index);
            }
        }
    }

    /**
     * @param prefix             metric name prefix of the exporter's series
     * @param metricMode         rate (currency per hour) or total over {@code window}
     * @param window             the window a total-mode sample covers
     * @param minScrapeInterval  the shortest scrape interval to expect; bounds samples per request
     * @param healthLookback     how old the latest scrape-success sample may be and still vouch for a cost sample
     */
    public record Exporter(
            @DefaultValue("cloudtuner_kubecost_") String prefix,
            @DefaultValue("rate") MetricMode metricMode,
            @DefaultValue("1h") Duration window,
            @DefaultValue("15s") Duration minScrapeInterval,
            @DefaultValue("5m") Duration healthLookback) {

        public Exporter {
            if (!prefix.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("worker.exporter.prefix is not a metric name prefix: " + prefix);
            }
            requirePositive(window.toMillis(), "worker.exporter.window");
            requirePositive(minScrapeInterval.toMillis(), "worker.exporter.min-scrape-interval");
            requirePositive(healthLookback.toMillis(), "worker.exporter.health-lookback");
        }
    }

    static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    static void requireAtLeast(long value, long min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }
}
