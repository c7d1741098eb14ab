package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.thanos.ThanosClient;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Whether Thanos answers with these credentials, and what it says it is. */
final class ThanosReachability {

    private ThanosReachability() {
    }

    /** False when no query can succeed (unreachable, credentials refused): the Thanos checks stop there. */
    static boolean probe(ThanosClient thanos, String url, CheckReport report) {
        ObjectNode facts = report.thanos().put("url", url);
        String where = "thanos " + url;
        Map<String, String> info;
        try {
            info = thanos.buildInfo();
        } catch (ThanosQueryException e) {
            int status = ThanosFailures.httpStatus(e);
            if (status != 0) {
                facts.put("http_status", status);
            }
            if (status == 404) {
                // older Thanos and some gateways do not serve it; the queries below tell whether the API works
                facts.put("reachable", true).putNull("version");
                report.add(Finding.note("thanos_build_info", where, "answers, but does not serve /api/v1/status/buildinfo (HTTP 404)"));
                return true;
            }
            facts.put("reachable", !e.unanswered()).put("error", e.getMessage());
            report.add(ThanosFailures.problem(where, e));
            return false;
        }
        facts.put("reachable", true);
        ObjectNode build = facts.putObject("build_info");
        info.forEach(build::put);
        String version = info.get("version");
        facts.put("version", version);
        report.add(Finding.ok("thanos_reachable", where, "answers" + (version == null
                ? " (build info without a version, as VictoriaMetrics gives it)"
                : ", version " + version + (info.containsKey("revision") ? " (revision " + abbreviate(info.get("revision")) + ")" : ""))));
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 12 ? s : s.substring(0, 12);
    }
}
