package com.cloudtuner.kubecost.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Map;

/**
 * Spring Batch's own observations, made fit for a push at the end of a run. Its meters carry no
 * description, so Prometheus' text format would have no HELP line for them: each gets one here.
 * Dropped: the long task timers ({@code *_active_seconds}), which count what is running at the
 * moment of the push (nothing, once the run has ended), and {@code spring.batch.job.launch.count},
 * a second timer of the job's own duration. The step's Java class ({@code spring.batch.step.type})
 * is dropped from the tags: the step name already says which step it was.
 */
public final class BatchMeterFilter implements MeterFilter {

    static final String PREFIX = "spring.batch.";
    static final String STEP_TYPE = "spring.batch.step.type";

    /** HELP text per Spring Batch meter; {@link #describe} covers one a later Spring Batch may add. */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            "spring.batch.job", "how long the job ran, by its end status",
            "spring.batch.step", "how long each step ran: plan, process, unit:worker-N (one per worker thread), daily",
            "spring.batch.item.read", "time each worker spent taking work units from the plan's queue",
            "spring.batch.item.process", "time each worker spent computing work units (Thanos reads and the cost rules)",
            "spring.batch.chunk.write", "time each worker spent writing computed units to ClickHouse, retries included");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        if (id.getName().startsWith(PREFIX)
                && (id.getType() == Meter.Type.LONG_TASK_TIMER || id.getName().equals("spring.batch.job.launch.count"))) {
            return MeterFilterReply.DENY;
        }
        return MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(PREFIX)) {
            return id;
        }
        List<Tag> tags = id.getTags().stream().filter(t -> !t.getKey().equals(STEP_TYPE)).toList();
        return new Meter.Id(id.getName(), Tags.of(tags), id.getBaseUnit(), describe(id), id.getType());
    }

    private static String describe(Meter.Id id) {
        if (id.getDescription() != null) {
            return id.getDescription();
        }
        return DESCRIPTIONS.getOrDefault(id.getName(), "Spring Batch's observation " + id.getName() + " of the run");
    }
}
