package com.cloudtuner.kubecost.diagnose;

import java.time.Instant;
import java.util.List;

/**
 * What one cluster of a tenant did in the last day, as far as the check needs it.
 *
 * @param namespaces       namespaces with samples in the day
 * @param lastSample       the latest sample of its health or cluster-total series; when it has neither,
 *                         the end of the last hour its other series have samples in (then {@code exact} is false)
 * @param scrapeSuccess    the latest exporter_scrape_success value (replicas pooled, a 0 wins), null without one
 * @param failingSince     when scrapeSuccess is 0, the first of the failures it ends; null otherwise
 * @param unhealthyHours   starts of the hours in which the exporter reported exporter_scrape_success 0
 * @param zeroRuns         runs of cluster-total samples that are 0 and were counted (rule 2 did not drop them)
 *                         in a series that otherwise reports costs
 * @param zeroAllDay       the cluster total was 0 at every counted sample
 * @param hoursWithData    starts of the hours (up to now) in which any of its series has a sample, ascending
 */
record ClusterActivity(String tenant, String cluster, int namespaces, Instant lastSample, boolean exact, Double scrapeSuccess,
                       Instant failingSince, List<Instant> unhealthyHours, List<ZeroRun> zeroRuns, boolean zeroAllDay,
                       List<Instant> hoursWithData) {

    /** Consecutive counted samples of 0 from {@code first} to {@code last} (inclusive). */
    record ZeroRun(Instant first, Instant last, int samples) {
    }
}
