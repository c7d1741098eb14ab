package com.cloudtuner.kubecost.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documentation's in-cluster runs (a fenced code block with {@code --from=cronjob/}), carried
 * out by bash as an operator would paste them, against a stand-in {@code kubectl} that records each
 * call instead of reaching a cluster. What {@code kubectl create job NAME --from=cronjob/CJ} would
 * print is made here from the CronJob, as kubectl 1.32 makes it (the job template's spec, labels and
 * annotations, {@code cronjob.kubernetes.io/instantiate: manual}, a controller owner reference to
 * the CronJob); the JSON patch a block gives {@code kubectl patch --local} is applied here too (add,
 * replace, remove), and by the real kubectl as well when one is installed, whose result must be the
 * same. So the shell's quoting, the names, the namespace, the CronJob named and the patch are the
 * documented ones; only the API server is not real.
 */
final class DocumentedClusterRuns {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern FENCE = Pattern.compile("^\\s*```");

    /** One {@code kubectl create job} of a block: where it is documented, its argv, and the Job it creates. */
    record Run(String where, String block, String namespace, String name, String fromCronJob, JsonNode patch, JsonNode job) {
    }

    /** One kubectl call of a block, as bash passed it. */
    record Call(String where, List<String> argv) {
    }

    /** Everything the documented blocks did: the Jobs they create and every kubectl call. */
    record Outcome(List<Run> runs, List<Call> calls) {
    }

    private DocumentedClusterRuns() {
    }

    /** The fenced code blocks of a Markdown file that make a Job from a CronJob, with the line each starts on. */
    static Map<Integer, String> blocks(Path markdown) {
        List<String> lines = read(markdown).lines().toList();
        Map<Integer, String> blocks = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (FENCE.matcher(lines.get(i)).find()) {
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !FENCE.matcher(lines.get(end)).find()) {
                    end++;
                }
                String block = String.join("\n", lines.subList(start, end)).stripIndent();
                if (block.contains("--from=cronjob/")) {
                    blocks.put(start + 1, block);
                }
                i = end;
            }
        }
        return blocks;
    }

    /**
     * Runs each block of {@code documents} with bash; {@code cronJob} is the CronJob as the
     * kustomization renders it (the object {@code --from} reads from the cluster).
     */
    static Outcome run(Path root, List<Path> documents, JsonNode cronJob, Path work) {
        List<Run> runs = new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        String realKubectl = ManifestsTest.onPath("kubectl") ? "kubectl" : "";
        try {
            Path bin = Files.createDirectories(work.resolve("bin"));
            Path fake = bin.resolve("kubectl");
            Files.writeString(fake, FAKE_KUBECTL);
            fake.toFile().setExecutable(true);
            String realPath = realKubectl.isEmpty() ? "" : whichKubectl();
            int n = 0;
            for (Path doc : documents) {
                for (Map.Entry<Integer, String> block : blocks(doc).entrySet()) {
                    String where = root.relativize(doc) + ":" + block.getKey();
                    Path rec = Files.createDirectories(work.resolve("rec" + n++));
                    Files.writeString(rec.resolve("job-template.json"),
                            JSON.writeValueAsString(fromCronJob(cronJob, "__NAME__", "__NAMESPACE__")));
                    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", block.getValue())
                            .redirectErrorStream(true).redirectOutput(rec.resolve("output.txt").toFile());
                    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
                    pb.environment().put("REC", rec.toString());
                    pb.environment().put("REAL_KUBECTL", realPath);
                    Process p = pb.start();
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new AssertionError(where + ": the block did not finish");
                    }
                    if (p.exitValue() != 0) {
                        throw new AssertionError(where + ": the block failed (exit " + p.exitValue() + "):\n"
                                + block.getValue() + "\n---\n" + read(rec.resolve("output.txt")));
                    }
                    collect(where, block.getValue(), rec, cronJob, runs, calls);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new Outcome(runs, calls);
    }

    private static void collect(String where, String block, Path rec, JsonNode cronJob, List<Run> runs, List<Call> calls)
            throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(rec)) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".args")) {
                calls.add(new Call(where, argv(f)));
            }
        }
        for (Path f : files) {
            String file = f.getFileName().toString();
            if (!(file.startsWith("create-job.") && file.endsWith(".args"))) {
                continue;
            }
            List<String> argv = argv(f);
            String namespace = option(argv, "-n", "--namespace");
            String from = option(argv, null, "--from");
            String name = argv.get(argv.indexOf("job") + 1);
            JsonNode made = fromCronJob(cronJob, name, namespace);
            JsonNode patch = null;
            JsonNode created = made;
            // a patch stage that read this Job, and the Job the last stage created
            for (Path p : files) {
                String pf = p.getFileName().toString();
                if (pf.startsWith("patch.") && pf.endsWith(".args")) {
                    JsonNode input = JSON.readTree(read(rec.resolve(pf.replace(".args", ".in"))));
                    if (name.equals(input.path("metadata").path("name").asString(null))) {
                        patch = JSON.readTree(option(argv(p), "-p", "--patch"));
                        created = applied(input, patch);
                        Path real = rec.resolve(pf.replace(".args", ".out"));
                        if (Files.exists(real)) {
                            JsonNode byKubectl = normalized(JSON.readTree(read(real)));
                            if (!byKubectl.equals(normalized(created))) {
                                throw new AssertionError(where + ": kubectl patch --local gave\n" + byKubectl
                                        + "\nwhere this test's patch gives\n" + normalized(created));
                            }
                        }
                    }
                }
            }
            runs.add(new Run(where, block, namespace, name, from, patch, created));
        }
    }

    /** What kubectl create job NAME --from=cronjob/... --dry-run=client -o json prints (kubectl 1.32, createJobFromCronJob). */
    static JsonNode fromCronJob(JsonNode cronJob, String name, String namespace) {
        JsonNode template = cronJob.path("spec").path("jobTemplate");
        ObjectNode job = JSON.createObjectNode();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        ObjectNode metadata = job.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put("cronjob.kubernetes.io/instantiate", "manual");
        if (template.path("metadata").has("annotations")) {
            annotations.setAll((ObjectNode) template.path("metadata").path("annotations"));
        }
        if (template.path("metadata").has("labels")) {
            metadata.set("labels", template.path("metadata").path("labels").deepCopy());
        }
        ObjectNode owner = metadata.putArray("ownerReferences").addObject();
        owner.put("apiVersion", "batch/v1");
        owner.put("kind", "CronJob");
        owner.put("name", cronJob.path("metadata").path("name").asString());
        owner.put("uid", "00000000-0000-0000-0000-000000000000");
        owner.put("controller", true);
        job.set("spec", template.path("spec").deepCopy());
        job.putObject("status");
        return job;
    }

    /** RFC 6902 add, replace and remove, which is all the documented patches use; other operations fail. */
    static JsonNode applied(JsonNode document, JsonNode patch) {
        JsonNode result = document.deepCopy();
        if (!patch.isArray()) {
            throw new AssertionError("a JSON patch is an array of operations: " + patch);
        }
        for (JsonNode op : patch) {
            JsonPointer path = JsonPointer.compile(op.path("path").asString());
            JsonNode parent = result.at(path.head());
            String last = path.last().getMatchingProperty();
            String kind = op.path("op").asString();
            boolean exists = parent.isObject() ? parent.has(last)
                    : parent.isArray() && last.matches("\\d+") && Integer.parseInt(last) < parent.size();
            if (!kind.equals("add") && !exists) {
                throw new AssertionError("JSON patch " + kind + ": no " + path + " in the Job");
            }
            switch (kind) {
                case "remove" -> {
                    if (parent.isObject()) {
                        ((ObjectNode) parent).remove(last);
                    } else {
                        ((ArrayNode) parent).remove(Integer.parseInt(last));
                    }
                }
                case "replace", "add" -> {
                    if (parent.isObject()) {
                        ((ObjectNode) parent).set(last, op.get("value").deepCopy());
                    } else if (parent.isArray() && kind.equals("replace")) {
                        ((ArrayNode) parent).set(Integer.parseInt(last), op.get("value").deepCopy());
                    } else {
                        throw new AssertionError("JSON patch add into an array is not used here: " + op);
                    }
                }
                default -> throw new AssertionError("JSON patch operation not used here: " + op);
            }
        }
        return result;
    }

    /** kubectl adds creationTimestamp: null and an empty status to what it prints. */
    private static JsonNode normalized(JsonNode job) {
        ObjectNode copy = (ObjectNode) job.deepCopy();
        copy.remove("status");
        ((ObjectNode) copy.path("metadata")).remove("creationTimestamp");
        JsonNode templateMetadata = copy.path("spec").path("template").path("metadata");
        if (templateMetadata.isObject()) {
            ((ObjectNode) templateMetadata).remove("creationTimestamp");
        }
        return copy;
    }

    /** The value of an option given as {@code -n VALUE}, {@code --name VALUE} or {@code --name=VALUE}; null when absent. */
    static String option(List<String> argv, String shortName, String longName) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if ((a.equals(shortName) || a.equals(longName)) && i + 1 < argv.size()) {
                return argv.get(i + 1);
            }
            if (a.startsWith(longName + "=")) {
                return a.substring(longName.length() + 1);
            }
        }
        return null;
    }

    private static List<String> argv(Path file) {
        String text = read(file);
        return text.isEmpty() ? List.of() : Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    private static String whichKubectl() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl")))
                .map(dir -> Path.of(dir, "kubectl").toString()).findFirst().orElse("");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stand-in kubectl: each call's argv goes to $REC/KIND.UNIQUE.args (NUL-separated). `create
     * job --from` prints the Job {@link #fromCronJob} makes (its template, with the name and namespace
     * of the call put in); `patch --local` keeps its input (.in)
     * and passes it on, patched by the real kubectl ($REAL_KUBECTL, output kept as .out) when there
     * is one; `create -f -` keeps what it is given. Stages of a pipeline run at once, hence unique
     * file names rather than a counter.
     */
    private static final String FAKE_KUBECTL = """
            #!/bin/bash
            set -euo pipefail
            record() { local f; f=$(mktemp "$REC/$1.XXXXXXXX"); shift; printf '%s\\0' "$@" > "$f.args"; rm -f "$f"; echo "$f"; }
            args=" $* "
            if [[ "$args" == *" create job "* && "$args" == *" --from=cronjob/"* ]]; then
              f=$(record create-job "$@")
              name=""; ns=""; prev=""
              for a in "$@"; do
                [[ "$prev" == "job" && -z "$name" ]] && name="$a"
                [[ "$prev" == "-n" || "$prev" == "--namespace" ]] && ns="$a"
                [[ "$a" == --namespace=* ]] && ns="${a#--namespace=}"
                prev="$a"
              done
              job=$(cat "$REC/job-template.json")
              job=${job//__NAME__/$name}
              printf '%s\\n' "${job//__NAMESPACE__/$ns}"
            elif [[ "$args" == *" patch "* && "$args" == *" --local "* ]]; then
              f=$(record patch "$@")
              cat > "$f.in"
              if [[ -n "${REAL_KUBECTL:-}" ]]; then
                "$REAL_KUBECTL" "$@" < "$f.in" | tee "$f.out"
              else
                cat "$f.in"
              fi
            elif [[ "$args" == *" create "* && "$args" == *" -f - "* ]]; then
              f=$(record create-file "$@")
              cat > "$f.in"
              echo "job.batch/created"
            else
              record other "$@" > /dev/null
            fi
            """;
}
