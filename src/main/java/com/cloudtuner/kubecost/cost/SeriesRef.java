package com.cloudtuner.kubecost.cost;

/**
 * Which stored series a value comes from: its metric and the labels the rules read, plus
 * {@code replica}, every other label as one text, which tells HA replicas apart.
 *
 * @param namespace null for cluster-level and health series
 * @param currency  null for health series
 */
public record SeriesRef(ExporterMetric metric, String tenant, String cluster, String namespace, String currency,
                        String replica) {
}
