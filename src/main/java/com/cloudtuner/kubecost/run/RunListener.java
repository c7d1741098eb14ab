package com.cloudtuner.kubecost.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ItemProcessListener;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import java.util.function.Supplier;

/**
 * The process step's listener: tells the {@link RunTracker} when a unit starts, is written or is
 * skipped (a failed read or write), and has it close finished batches after every chunk and at
 * the end of the step.
 */
final class RunListener implements ItemProcessListener<WorkUnit, UnitResult>, ItemWriteListener<UnitResult>,
        SkipListener<WorkUnit, UnitResult>, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunListener.class);

    private final Supplier<RunTracker> trackerOfTheRun;

    /** @param trackerOfTheRun the tracker, which the plan step creates before this step starts */
    RunListener(Supplier<RunTracker> trackerOfTheRun) {
        this.trackerOfTheRun = trackerOfTheRun;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        trackerOfTheRun.get().closeCompletedBatches(); // batches without hours: a new tenant's first run with reprocess-hours=0
    }

    @Override
    public void beforeProcess(WorkUnit unit) {
        trackerOfTheRun.get().started(unit);
    }

    @Override
    public void afterWrite(Chunk<? extends UnitResult> units) {
        for (UnitResult unit : units) {
            trackerOfTheRun.get().written(unit);
        }
        trackerOfTheRun.get().closeCompletedBatches();
    }

    @Override
    public void onSkipInProcess(WorkUnit unit, Throwable t) {
        unexpected(t);
        trackerOfTheRun.get().failed(unit, t, java.util.Map.of());
    }

    @Override
    public void onSkipInWrite(UnitResult unit, Throwable t) {
        unexpected(t);
        trackerOfTheRun.get().failed(unit.unit(), t, unit.appliedBeforeFailures());
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        trackerOfTheRun.get().closeCompletedBatches();
        return null;
    }

    private static void unexpected(Throwable t) {
        if (!Failures.expected(t)) {
            log.error("unexpected failure", t);
        }
    }
}
