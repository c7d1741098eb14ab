package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.DailyExpenses;
import java.time.LocalDate;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code daily} step, after {@code process}: rebuilds the days of {@code k8s_expenses_daily} the
 * run's complete hours fall in, whatever their units did, so the daily relation follows what
 * {@code k8s_expenses} holds once the run's writes are over. A dry run writes nothing.
 */
class DailyTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DailyTasklet.class);

    private final DailyExpenses daily;
    private final RunPlan plan;
    private final String runId;
    private final boolean dryRun;

    DailyTasklet(DailyExpenses daily, RunPlan plan, String runId, boolean dryRun) {
        this.daily = daily;
        this.plan = plan;
        this.runId = runId;
        this.dryRun = dryRun;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (dryRun) {
            return RepeatStatus.FINISHED;
        }
        long t0 = System.nanoTime();
        SortedSet<LocalDate> rebuilt = daily.rebuild(plan.daysOfCompleteHours(), runId);
        if (!rebuilt.isEmpty()) {
            log.info("run={} daily days={} from={} to={} ms={}", runId, rebuilt.size(), rebuilt.first(), rebuilt.last(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
        return RepeatStatus.FINISHED;
    }
}
