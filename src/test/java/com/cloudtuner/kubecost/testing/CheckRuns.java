package com.cloudtuner.kubecost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code check} command as the tests run it, and what they read from its output. */
public final class CheckRuns {

    private CheckRuns() {
    }

    /** {@code check --now=NOW args...} through the jar's entry point. */
    public static Worker.Result check(List<String> serverArgs, Instant now, String... args) {
        List<String> all = new ArrayList<>(List.of("check", "--now=" + now));
        all.addAll(Arrays.asList(args));
        return Worker.run(serverArgs, all.toArray(String[]::new));
    }

    /**
     * The problem findings of a {@code check ... --json} run, after asserting what must agree with
     * them: exit 1 when there are any (else 0), and the document's own count of problems.
     */
    public static List<JsonNode> problems(Worker.Result jsonRun) {
        JsonNode doc = JsonMapper.builder().build().readTree(jsonRun.out());
        List<JsonNode> problems = new ArrayList<>();
        for (JsonNode f : doc.get("findings")) {
            if (f.get("level").asString().equals("problem")) {
                problems.add(f);
            }
        }
        assertThat(jsonRun.exitCode()).as(jsonRun.toString()).isEqualTo(problems.isEmpty() ? 0 : 1);
        assertThat(doc.get("problems").asLong()).isEqualTo(problems.size());
        return problems;
    }

    /** The text output's first PROBLEM line whose place starts so. */
    public static String problemLine(Worker.Result r, String start) {
        return r.outLines().stream().filter(l -> l.startsWith("PROBLEM  " + start)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem line starting with '" + start + "' in:\n" + r));
    }
}
