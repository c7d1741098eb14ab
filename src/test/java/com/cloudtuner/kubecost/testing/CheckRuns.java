package com.cloudtuner.kubecost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code check} command as the tests run it, and what they read from its {@code --json} document. */
public final class CheckRuns {

    private CheckRuns() {
    }

    /** {@code check --now=NOW args...} through the jar's entry point. */
    public static Worker.Result check(List<String> serverArgs, Instant now, String... args) {
        List<String> all = new ArrayList<>(List.of("check", "--now=" + now));
        all.addAll(Arrays.asList(args));
        return Worker.run(serverArgs, all.toArray(String[]::new));
    }

    /** {@code check --now=NOW args... --json}, its document read (see {@link #document}). */
    public static JsonNode checkJson(List<String> serverArgs, Instant now, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--json");
        return document(check(serverArgs, now, all.toArray(String[]::new)));
    }

    /**
     * The document of a {@code check ... --json} run, after asserting what must agree with it: exit 1
     * when it has problem findings (else 0), and the document's own count of problems.
     */
    public static JsonNode document(Worker.Result jsonRun) {
        JsonNode doc = JsonMapper.builder().build().readTree(jsonRun.out());
        List<JsonNode> problems = problems(doc);
        assertThat(jsonRun.exitCode()).as(jsonRun.toString()).isEqualTo(problems.isEmpty() ? 0 : 1);
        assertThat(doc.get("problems").asLong()).as(jsonRun.toString()).isEqualTo(problems.size());
        return doc;
    }

    /** The problem findings of a {@code check ... --json} run, after the assertions of {@link #document}. */
    public static List<JsonNode> problems(Worker.Result jsonRun) {
        return problems(document(jsonRun));
    }

    /** The findings of level {@code problem}, in the order they were made. */
    public static List<JsonNode> problems(JsonNode doc) {
        List<JsonNode> problems = new ArrayList<>();
        for (JsonNode f : doc.get("findings")) {
            if (f.get("level").asString().equals("problem")) {
                problems.add(f);
            }
        }
        return problems;
    }

    /** Each problem as its code and where, {@code "stale_cluster tenant t cluster c"}. */
    public static List<String> problemsWhere(JsonNode doc) {
        return problems(doc).stream().map(f -> f.get("code").asString() + " " + f.get("where").asString()).toList();
    }

    /** Each finding as its level, code and where, {@code "ok cluster tenant t cluster c"}, in order. */
    public static List<String> findings(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : doc.get("findings")) {
            out.add(f.get("level").asString() + " " + f.get("code").asString() + " " + f.get("where").asString());
        }
        return out;
    }

    /** The one finding with this code and where. */
    public static JsonNode finding(JsonNode doc, String code, String where) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode f : doc.get("findings")) {
            if (f.get("code").asString().equals(code) && f.get("where").asString().equals(where)) {
                found.add(f);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " findings " + code + " at '" + where + "' in:\n" + doc);
        }
        return found.get(0);
    }

    /** The facts about one tenant. */
    public static JsonNode tenant(JsonNode doc, String id) {
        for (JsonNode t : doc.get("tenants")) {
            if (t.get("tenant").asString().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no tenant '" + id + "' in:\n" + doc);
    }

    /** The facts about one cluster of a tenant. */
    public static JsonNode cluster(JsonNode doc, String tenant, String cluster) {
        JsonNode clusters = tenant(doc, tenant).get("clusters");
        if (clusters != null) {
            for (JsonNode c : clusters) {
                if (c.get("cluster").asString().equals(cluster)) {
                    return c;
                }
            }
        }
        throw new AssertionError("no cluster '" + cluster + "' of tenant '" + tenant + "' in:\n" + doc);
    }

    /** The strings of a JSON array. */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
