package com.cloudtuner.kubecost.exporter;

import com.cloudtuner.kubecost.cost.ClusterHourKey;
import com.cloudtuner.kubecost.cost.ScrapeHistory;
import com.cloudtuner.kubecost.cost.Series;
import com.cloudtuner.kubecost.cost.SeriesHours;
import com.cloudtuner.kubecost.cost.Window;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a run needs of the exporter's data: which tenants have series, how large they are, and each
 * work unit's hourly sums (cross-checked) and raw samples. {@link ExporterReader} reads them from
 * Thanos; tests answer from memory.
 */
public interface ExporterSource {

    /** Every tenant id on the exporter's series with data in the window, valid or not. */
    List<String> discover(Window window);

    /** Per tenant, its namespace series in the window's last hour: what batches are cut by (an estimate). */
    Map<String, Integer> namespaceSeries(Window window);

    SumsRead readSums(Collection<String> tenants, Window window);

    /**
     * Every sample of the tenants' series in the window (the health series also in the look-back
     * before it), restricted to {@code clusters} unless that is empty; with {@code withHistory} the
     * reference series over the window's horizon too, for the scrape history.
     */
    RawRead readRaw(Collection<String> tenants, Collection<String> clusters, Window window, boolean withHistory);

    /**
     * Raw samples; {@code malformed} counts series without the labels a row needs, {@code history}
     * is what the reference series show (over the window's horizon when it was read).
     */
    record RawRead(List<Series> series, int malformed, long samples, ScrapeHistory history, SeriesPresence presence) {

        /** Raw samples as a fake source answers them: every series well-formed. */
        public static RawRead of(List<Series> series, Window window) {
            SeriesPresence presence = new SeriesPresence();
            series.forEach(s -> presence.addSamples(s.metric(), java.util.Map.of(ExporterLabels.TENANT, s.tenant(),
                    ExporterLabels.CLUSTER, s.cluster()), s.timestamps(), window));
            return new RawRead(series, 0, series.stream().mapToLong(Series::size).sum(), ScrapeHistory.fromSamples(window, series),
                    presence);
        }
    }

    /**
     * Hourly sums of the cost and efficiency series, the raw health series (window and look-back),
     * the scrape history, and the cluster-hours the answers disagree about ({@code suspect}, with
     * why). {@code unsettled} when the server's range semantics could not be probed on any sample
     * of the window (none, or only series' first samples and samples on the hour): sums would then
     * be read without knowing which hour a sample on an hour boundary falls in, so the window must
     * be read raw.
     */
    record SumsRead(List<SeriesHours> series, List<Series> health, ScrapeHistory history,
                           Map<ClusterHourKey, String> suspect, Census census, int malformed, long points, boolean unsettled) {

        /** No sample of the window to probe the server's range semantics on: the window is to be read raw. */
        static SumsRead unsettled(Window window) {
            return new SumsRead(List.of(), List.of(), ScrapeHistory.builder(window).build(), Map.of(), Census.none(), 0, 0, true);
        }

        /** Sums read without a disagreement and without a census: what a fake source answers. */
        public static SumsRead of(List<SeriesHours> series, List<Series> health, ScrapeHistory history) {
            return new SumsRead(series, health, history, Map.of(), Census.none(), 0, 0, false);
        }

        /** Cluster-hours of the raw re-read whose series are fewer than the server counted: lost on the way. */
        public Map<ClusterHourKey, String> shortOf(RawRead raw) {
            return census.shortfalls(raw.presence());
        }
    }
}
