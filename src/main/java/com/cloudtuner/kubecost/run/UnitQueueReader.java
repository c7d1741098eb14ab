package com.cloudtuner.kubecost.run;

import java.util.Queue;
import org.springframework.batch.infrastructure.item.ItemReader;

/** A worker's reader: the next unit of the run's queue, which every worker of the process step takes from. */
class UnitQueueReader implements ItemReader<WorkUnit> {

    private final Queue<WorkUnit> units;

    UnitQueueReader(Queue<WorkUnit> units) {
        this.units = units;
    }

    @Override
    public WorkUnit read() {
        return units.poll();
    }
}
