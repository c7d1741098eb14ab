package com.cloudtuner.kubecost.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The repository's Dockerfile, read the way the tests need it: stages and their instructions, with
 * continuation lines joined and comments dropped. Just enough of the syntax for this Dockerfile; an
 * instruction it cannot read makes the test that asks for it fail rather than guess.
 */
record ParsedDockerfile(List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String name, String baseImage, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }

        /** The exec (JSON array) form of ENTRYPOINT or CMD; the shell form would not pass container args through. */
        List<String> execForm(String keyword) {
            String json = last(keyword).orElseThrow(() -> new AssertionError("stage " + name + " has no " + keyword)).arguments();
            if (!json.startsWith("[")) {
                throw new AssertionError(keyword + " is not in exec form (a JSON array): " + json);
            }
            return JsonMapper.builder().build().readValue(json, new TypeReference<List<String>>() { });
        }

        String workdir() {
            return last("WORKDIR").orElseThrow(() -> new AssertionError("stage " + name + " has no WORKDIR")).arguments();
        }

        Map<String, String> labels() {
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher m = LABEL.matcher("");
            for (Instruction i : all("LABEL")) {
                m.reset(i.arguments());
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            return labels;
        }
    }

    private static final Pattern LABEL = Pattern.compile("([\\w.-]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FROM = Pattern.compile("(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);

    static ParsedDockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Stage> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String instruction = pending.toString().strip();
            pending.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            String keyword = instruction.substring(0, space).toUpperCase();
            String arguments = instruction.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                Matcher m = FROM.matcher(arguments);
                if (!m.matches()) {
                    throw new AssertionError("cannot read FROM " + arguments);
                }
                String name = m.group(2) != null ? m.group(2) : "stage " + stages.size();
                stages.add(new Stage(name, m.group(1), new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new AssertionError(keyword + " before the first FROM");
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new ParsedDockerfile(List.copyOf(stages));
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile has no stage named " + name));
    }

    /** The stage the image is made of. */
    Stage runtime() {
        return stages.get(stages.size() - 1);
    }
}
