package com.cloudtuner.kubecost.cost;

import java.time.Instant;

/** One cluster of one tenant in one UTC hour: the unit the rules decide validity and {@code __unallocated__} in. */
public record ClusterHourKey(String tenant, String cluster, long hourMs) {

    @Override
    public String toString() {
        return tenant + "/" + cluster + "@" + Instant.ofEpochMilli(hourMs);
    }
}
