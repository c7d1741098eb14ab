package com.cloudtuner.kubecost.cost;

/**
 * Samples a computation noticed but did not turn into cost the ordinary way.
 *
 * @param nonFinite    NaN or infinite samples of cost and efficiency series, dropped (rule 2)
 * @param negativeCost valid cost samples below zero, used as they are (credits, or a broken exporter)
 */
public record SampleCounts(long nonFinite, long negativeCost) {

    public static final SampleCounts NONE = new SampleCounts(0, 0);

    public SampleCounts plus(SampleCounts o) {
        return new SampleCounts(nonFinite + o.nonFinite, negativeCost + o.negativeCost);
    }

    public boolean any() {
        return nonFinite > 0 || negativeCost > 0;
    }
}
