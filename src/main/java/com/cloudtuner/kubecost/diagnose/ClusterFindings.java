package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cost.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The lines about one cluster of a tenant: stale, failing now, unhealthy hours, zeros after a restart. */
final class ClusterFindings {

    private ClusterFindings() {
    }

    static void report(ClusterActivity c, Instant now, Duration staleAfter, CheckReport report) {
        String where = "tenant " + c.tenant() + " cluster " + c.cluster();
        Duration age = c.lastSample() == null ? null : Duration.between(c.lastSample(), now);
        boolean stale = age == null || age.compareTo(staleAfter) > 0;
        facts(c, age, stale, report);
        boolean problem = false;
        if (stale) {
            problem = true;
            report.add(Finding.problem("stale_cluster", where, "last sample " + (age == null ? "unknown" : Texts.age(age) + " ago, at "
                            + c.lastSample() + (c.exact() ? "" : " (to the hour)")) + "; stale after " + Texts.duration(staleAfter)
                            + ": its hours from then on have no rows",
                    "the exporter's series stopped reaching Thanos: check the exporter pod and its scrape job in that cluster's"
                            + " Prometheus (a Helm upgrade can drop the job) and Prometheus' remote_write; once data flows again the"
                            + " hourly run catches up (backfill what is older than worker.max-catch-up)"));
        }
        if (c.failingSince() != null && !stale) {
            problem = true;
            report.add(Finding.problem("exporter_failing", where, "the exporter reports exporter_scrape_success 0 since "
                            + c.failingSince() + " (" + Texts.age(Duration.between(c.failingSince(), now)) + "): its cost samples"
                            + " are dropped (rule 2)",
                    "the exporter cannot read Kubecost: look at the exporter's log and Kubecost's cost-model pod in that cluster"));
        }
        List<Instant> unhealthy = c.unhealthyHours();
        if (!unhealthy.isEmpty()) {
            problem = true;
            report.add(Finding.problem("unhealthy_hours", where, "the exporter reported exporter_scrape_success 0 in "
                            + unhealthy.size() + " of the last 24 hours (" + Texts.list(unhealthy, 6) + "): the cost samples up to"
                            + " worker.exporter.health-lookback after each failure are dropped (rule 2), so those hours have lower coverage",
                    "the exporter's log at those times says why it could not read Kubecost; see what was dropped with: explain --tenant="
                            + c.tenant() + " --cluster=" + c.cluster() + " --namespace=__unallocated__ --hour=" + unhealthy.get(0)));
        }
        if (!c.zeroRuns().isEmpty()) {
            problem = true;
            ClusterActivity.ZeroRun first = c.zeroRuns().get(0);
            String runs = Texts.list(c.zeroRuns().stream().map(r -> r.first() + ".." + Texts.clock(r.last().toEpochMilli())
                    + " (" + r.samples() + " samples)").toList(), 4);
            report.add(Finding.problem("restart_zeros", where, "all-zero cluster costs after a restart: " + runs + "; the exporter"
                            + " reported scrape success meanwhile, so these zeros count as real costs (rule 4) and lower those hours",
                    "make the exporter report exporter_scrape_success 0 until Kubecost has data again after a restart (rule 2 then"
                            + " drops such samples); the samples already stored say 1, so these hours keep their zeros; see one with:"
                            + " explain --tenant=" + c.tenant() + " --cluster=" + c.cluster() + " --namespace=__unallocated__ --hour="
                            + Window.floorHour(first.first())));
        }
        if (c.zeroAllDay()) {
            report.add(Finding.note("zero_all_day", where, "the cluster's total cost is 0 at every sample of the last day"
                    + " (an empty cluster, or Kubecost without prices)"));
        }
        if (!problem) {
            report.add(Finding.ok("cluster", where, c.namespaces() + (c.namespaces() == 1 ? " namespace" : " namespaces")
                    + ", last sample " + Texts.age(age) + " ago,"
                    + " exporter_scrape_success " + (c.scrapeSuccess() == null ? "not published" : Texts.number(c.scrapeSuccess()))
                    + ", no unhealthy hour and no zero-cost run in the last day"));
        }
    }

    private static void facts(ClusterActivity c, Duration age, boolean stale, CheckReport report) {
        ObjectNode t = report.tenant(c.tenant());
        ArrayNode clusters = t.has("clusters") ? (ArrayNode) t.get("clusters") : t.putArray("clusters");
        ObjectNode n = clusters.addObject()
                .put("cluster", c.cluster())
                .put("namespaces", c.namespaces())
                .put("last_sample", Json.instant(c.lastSample()))
                .put("last_sample_exact", c.exact());
        if (age == null) {
            n.putNull("last_sample_age_seconds");
        } else {
            n.put("last_sample_age_seconds", age.toSeconds());
        }
        n.put("stale", stale);
        Json.putNumber(n, "exporter_scrape_success", c.scrapeSuccess());
        n.put("failing_since", Json.instant(c.failingSince()));
        ArrayNode hours = n.putArray("unhealthy_hours");
        c.unhealthyHours().forEach(h -> hours.add(h.toString()));
        ArrayNode zeros = n.putArray("zero_runs");
        c.zeroRuns().forEach(r -> zeros.addObject().put("first", r.first().toString()).put("last", r.last().toString())
                .put("samples", r.samples()));
        n.put("zero_all_day", c.zeroAllDay());
    }
}
