package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.cli.ExitCodes;
import com.cloudtuner.kubecost.cost.Window;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.regex.Pattern;
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
    private final boolean examinedAreAll;
    private final List<Finding> findings = new ArrayList<>();
    private final ObjectNode thanos = Json.object();
    private final ObjectNode exporter = Json.object();
    private final Map<String, ObjectNode> tenants = new TreeMap<>();
    private final ObjectNode clickhouse = Json.object();

    /** @param examinedAreAll whether the tenants examined are those a backfill without --tenant takes (check had no --tenant) */
    CheckReport(Instant asOf, Window day, boolean examinedAreAll) {
        this.asOf = asOf;
        this.day = day;
        this.examinedAreAll = examinedAreAll;
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

    /**
     * One line per finding; findings alike but for where they are and the tenant their backfill
     * names (50 tenants behind the same watermark) print as one line that counts them, with one
     * backfill for all of them (without --tenant when they are all the tenants examined).
     *
     * @param problemsOnly leave out the ok lines and notes
     */
    void printText(PrintStream out, boolean problemsOnly) {
        out.println("check as of " + asOf + " (the last day: " + day + ")");
        Map<Finding, List<Finding>> alike = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (!problemsOnly || f.level() == Finding.Level.PROBLEM) {
                String fix = f.fix() == null ? null : TENANT_OPTION.matcher(f.fix()).replaceAll(" --tenant=*");
                alike.computeIfAbsent(new Finding(f.level(), f.code(), "", f.what(), fix), k -> new ArrayList<>()).add(f);
            }
        }
        alike.forEach((key, group) -> out.println(group.size() == 1 ? group.get(0).line()
                : new Finding(key.level(), key.code(), where(group), key.what(), fix(key.fix(), group)).line()));
        long n = problems();
        out.println(n == 0 ? "check: healthy" : "check: " + n + (n == 1 ? " problem" : " problems"));
        out.flush();
    }

    private static final Pattern TENANT_OPTION = Pattern.compile(" --tenant=\\S+");

    /** The group's fix with every tenant its members' fixes name, or none when they are every tenant a backfill takes. */
    private String fix(String fix, List<Finding> group) {
        if (fix == null) {
            return null;
        }
        Set<String> options = new LinkedHashSet<>();
        group.forEach(f -> TENANT_OPTION.matcher(f.fix()).results().forEach(m -> options.add(m.group())));
        String merged = examinedAreAll && options.size() > 1 && options.size() == tenants.size() ? "" : String.join("", options);
        return fix.replace(" --tenant=*", merged);
    }

    /** "tenant a", or "tenant a, tenant b and 48 more (50)". */
    private static String where(List<Finding> group) {
        List<String> places = group.stream().map(Finding::where).toList();
        if (places.size() == 1) {
            return places.get(0);
        }
        String shown = String.join(", ", places.subList(0, Math.min(2, places.size())));
        return (places.size() > 2 ? shown + " and " + (places.size() - 2) + " more" : shown) + " (" + places.size() + ")";
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
