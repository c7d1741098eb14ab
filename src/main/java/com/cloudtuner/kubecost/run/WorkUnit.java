package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.cost.Window;

/** One batch of tenants and one chunk of its window: what a run reads, computes and writes at once. */
public record WorkUnit(TenantBatch batch, int chunkIndex) {

    public Window chunk() {
        return batch.chunks().get(chunkIndex);
    }

    @Override
    public String toString() {
        return "batch " + batch.id() + " window " + chunk();
    }
}
