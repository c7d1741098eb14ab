package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.Comparator;

/** One cluster of one tenant in one UTC hour: the unit the rules decide validity and {@code __unallocated__} in. */
public record ClusterHourKey(String tenant, String cluster, Instant hour) implements Comparable<ClusterHourKey> {

    private static final Comparator<ClusterHourKey> ORDER = Comparator.comparing(ClusterHourKey::tenant)
            .thenComparing(ClusterHourKey::cluster).thenComparing(ClusterHourKey::hour);

    /** The key of the hour starting at {@code hourMs}, as the rules (which count in epoch milliseconds) find it. */
    public static ClusterHourKey ofMillis(String tenant, String cluster, long hourMs) {
        return new ClusterHourKey(tenant, cluster, Instant.ofEpochMilli(hourMs));
    }

    /** Tenant, cluster, then hour. */
    @Override
    public int compareTo(ClusterHourKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return tenant + "/" + cluster + "@" + hour;
    }
}
