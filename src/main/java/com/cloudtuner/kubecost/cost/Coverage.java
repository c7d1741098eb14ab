package com.cloudtuner.kubecost.cost;

import java.util.HashMap;
import java.util.Map;

/**
 * Rule 3's coverage of a row-hour: per scrape target of the row (an HA pair is two), the valid
 * samples of the row's fullest cost series in the hour; the best target's divided by the scrapes
 * the cluster's {@link ScrapeHistory} expects in that hour; capped at 1. Both reductions count
 * samples, so raw samples and hourly counts give the same number.
 */
final class Coverage {

    private Coverage() {
    }

    /** Per cluster and hour, the largest sample count of its cost series: the least the hour's scrapes can be. */
    static final class Busiest {
        private final Map<ClusterKey, Map<Long, Integer>> counts = new HashMap<>();

        void add(ClusterKey cluster, long hourMs, int count) {
            counts.computeIfAbsent(cluster, k -> new HashMap<>()).merge(hourMs, count, Math::max);
        }

        int of(ClusterKey target, long hourMs) {
            Map<Long, Integer> hours = counts.get(target);
            return hours == null ? 0 : hours.getOrDefault(hourMs, 0);
        }
    }

    static double of(RowRef row, long hourMs, Map<String, Integer> validByReplica, ScrapeHistory history, Busiest busiest) {
        ClusterKey cluster = new ClusterKey(row.tenant(), row.cluster());
        int expected = history.expected(cluster, hourMs, busiest.of(cluster, hourMs));
        int best = validByReplica.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return expected == 0 ? 0 : Math.min(1.0, best / (double) expected);
    }
}
