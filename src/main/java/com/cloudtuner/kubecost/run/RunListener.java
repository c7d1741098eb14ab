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

/**
 * A process worker's listener: tells the {@link RunTracker} when a unit starts, is written or is
 * skipped (a failed read or write), and has it close finished batches after every unit and at the
 * start and end of the worker.
 */
class RunListener implements ItemProcessListener<WorkUnit, UnitResult>, ItemWriteListener<UnitResult>,
        SkipListener<WorkUnit, UnitResult>, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunListener.class);

    private final RunTracker tracker;

    /** @param tracker the run's tracker, which the plan step created (step-scoped: one listener per worker, one tracker per run) */
    RunListener(RunTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        tracker.closeCompletedBatches(); // batches without hours: a new tenant's first run with reprocess-hours=0
    }

    @Override
    public void beforeProcess(WorkUnit unit) {
        tracker.started(unit);
    }

    @Override
    public void afterWrite(Chunk<? extends UnitResult> units) {
        for (UnitResult unit : units) {
            tracker.written(unit);
        }
        tracker.closeCompletedBatches();
    }

    @Override
    public void onSkipInProcess(WorkUnit unit, Throwable t) {
        unexpected(t);
        tracker.failed(unit, t, java.util.Map.of());
    }

    @Override
    public void onSkipInWrite(UnitResult unit, Throwable t) {
        unexpected(t);
        tracker.failed(unit.unit(), t, unit.appliedBeforeFailures());
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        tracker.closeCompletedBatches();
        return null;
    }

    private static void unexpected(Throwable t) {
        if (!Failures.expected(t)) {
            log.error("unexpected failure", t);
        }
    }
}
