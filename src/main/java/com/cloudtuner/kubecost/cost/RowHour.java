package com.cloudtuner.kubecost.cost;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What one row's series hold in one UTC hour, however they were read: per quantity the sum and
 * number of valid samples (replicas pooled), the currency of the cost samples, and per scrape
 * target the valid samples of its fullest cost series (what coverage is made of). The raw
 * reduction adds samples one at a time; the aggregated one adds the store's hourly sums. Two
 * currencies in one row-hour make it contradictory: nothing of its cluster-hour is written.
 */
final class RowHour {

    private static final int QUANTITIES = Quantity.values().length;

    // Raw samples: deviations from each quantity's first sample are summed, so a rate that is
    // constant through the hour comes back exactly (0.7756, not 0.7755999999999994).
    private final double[] first = new double[QUANTITIES];
    private final double[] deviationSum = new double[QUANTITIES];
    // Hourly sums from the store.
    private final double[] sum = new double[QUANTITIES];
    private final long[] count = new long[QUANTITIES];
    private boolean fromSums;
    private String currency;
    private String contradiction;
    private final Map<String, Integer> validByReplica = new HashMap<>(2);
    private long lastCostSampleMs = Long.MIN_VALUE;

    void addSample(Quantity q, double v) {
        int i = q.ordinal();
        if (count[i] == 0) {
            first[i] = v;
        } else {
            deviationSum[i] += v - first[i];
        }
        count[i]++;
    }

    void addSum(Quantity q, double s, long n) {
        fromSums = true;
        sum[q.ordinal()] += s;
        count[q.ordinal()] += n;
    }

    /** Records the currency of a cost sample; one row-hour has one currency, a second one contradicts it. */
    void currency(String c, String cluster, String namespace, long hourMs) {
        String given = c == null ? "" : c;
        if (currency == null) {
            currency = given;
        } else if (!currency.equals(given) && contradiction == null) {
            contradiction = (namespace == null ? "cluster " + cluster : "namespace " + namespace) + " reports both "
                    + currency + " and " + given + " in hour " + Instant.ofEpochMilli(hourMs);
        }
    }

    /** A valid cost sample was taken at {@code t}: how far a provisional hour has accrued ({@link Accrual}). */
    void costSampleAt(long t) {
        lastCostSampleMs = Math.max(lastCostSampleMs, t);
    }

    /** Time of the latest valid cost sample added raw; {@link Long#MIN_VALUE} when none was. */
    long lastCostSampleMs() {
        return lastCostSampleMs;
    }

    /** Why the row-hour contradicts itself, or null. */
    String contradiction() {
        return contradiction;
    }

    /** The valid samples one cost series of a scrape target has in the hour; the target's fullest series counts. */
    void validSamples(String replica, int count) {
        validByReplica.merge(replica, count, Math::max);
    }

    Map<String, Integer> validByReplica() {
        return validByReplica;
    }

    boolean hasCostSample() {
        for (Quantity q : Quantity.values()) {
            if (q.isCost() && count[q.ordinal()] > 0) {
                return true;
            }
        }
        return false;
    }

    String currency() {
        return currency;
    }

    private Double meanOrNull(Quantity q) {
        int i = q.ordinal();
        if (count[i] == 0) {
            return null;
        }
        return fromSums ? sum[i] / count[i] : first[i] + deviationSum[i] / count[i];
    }

    private double mean(Quantity q) {
        Double mean = meanOrNull(q);
        return mean == null ? 0.0 : mean;
    }

    /** Mean rate per hour times one hour; a column without samples is 0. */
    Costs costs() {
        return new Costs(mean(Quantity.COST), mean(Quantity.CPU_COST), mean(Quantity.RAM_COST),
                mean(Quantity.PV_COST), mean(Quantity.NETWORK_COST), mean(Quantity.LB_COST));
    }

    Efficiencies efficiencies() {
        return new Efficiencies(meanOrNull(Quantity.CPU_EFFICIENCY), meanOrNull(Quantity.RAM_EFFICIENCY),
                meanOrNull(Quantity.TOTAL_EFFICIENCY));
    }
}
