package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cost.Window;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code check} found: the findings in the order they were made (Thanos, the exporter's
 * series, the tenants, ClickHouse), and the facts behind them for {@code --json}.
 */
final class CheckReport {

    private final Instant asOf;
    private final Window day;
    private final List<Finding> findings = new ArrayList<>();
    private final ObjectNode thanos = Json.object();
    private final ObjectNode exporter = Json.object();
    private final Map<String, ObjectNode> tenants = new TreeMap<>();
    private final ObjectNode clickhouse = Json.object();

    CheckReport(Instant asOf, Window day) {
        this.asOf = asOf;
        this.day = day;
    }

    Instant asOf() {
        return asOf;
    }

    /** The hours the check examines: the 24 UTC hours up to and including the current one. */
    Window day() {
        return day;
    }

    void add(Finding f) {
        findings.add(f);
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }

    long problems() {
        return findings.stream().filter(f -> f.level() == Finding.Level.PROBLEM).count();
    }

    ObjectNode thanos() {
        return thanos;
    }

    ObjectNode exporter() {
        return exporter;
    }

    ObjectNode clickhouse() {
        return clickhouse;
    }

    /** The facts about one tenant, created on first use. */
    ObjectNode tenant(String id) {
        return tenants.computeIfAbsent(id, k -> Json.object().put("tenant", k));
    }

    int exitCode() {
        return problems() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    void printText(PrintStream out) {
        out.println("check as of " + asOf + " (the last day: " + day + ")");
        for (Finding f : findings) {
            out.println(f.line());
        }
        long n = problems();
        out.println(n == 0 ? "check: healthy" : "check: " + n + (n == 1 ? " problem" : " problems"));
        out.flush();
    }

    void printJson(PrintStream out) {
        ObjectNode doc = Json.object()
                .put("command", "check")
                .put("as_of", Json.instant(asOf))
                .put("healthy", problems() == 0)
                .put("problems", problems());
        doc.putObject("window").put("start", Json.instant(day.start())).put("end", Json.instant(day.end()));
        doc.set("thanos", thanos);
        doc.set("exporter", exporter);
        ArrayNode t = doc.putArray("tenants");
        tenants.values().forEach(t::add);
        doc.set("clickhouse", clickhouse);
        ArrayNode f = doc.putArray("findings");
        findings.forEach(x -> f.add(x.json()));
        Json.print(doc, out);
    }
}
