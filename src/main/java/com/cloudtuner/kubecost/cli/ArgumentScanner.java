package com.cloudtuner.kubecost.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Splits the arguments into the command, its options and Spring's properties; what a value must look like is left to the command. */
final class ArgumentScanner {

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "hourly", Set.of("now", "tenant", "current-hour"),
            "backfill", Set.of("from", "to", "tenant", "dry-run", "erase-missing"),
            "migrate", Set.of(),
            "simulate", Set.of("out", "from", "hours", "tenants", "seed", "tenant-count", "clusters", "namespaces",
                    "scrape-interval", "incident"),
            "check", Set.of("now", "tenant", "stale-after", "max-lag", "json", "problems"),
            "explain", Set.of("tenant", "cluster", "namespace", "hour", "json"),
            "gaps", Set.of("from", "to", "tenant", "min-coverage", "json", "backfill"),
            "help", Set.of());
    private static final Set<String> FLAGS = Set.of("dry-run", "erase-missing", "json", "current-hour", "problems", "backfill");
    private static final Set<String> REPEATABLE = Set.of("tenant", "incident");

    /** @param options only options the command takes, each given once except --tenant and --incident */
    record Scanned(String command, Map<String, List<String>> options, List<String> propertyArgs) {
    }

    private final String[] args;
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> propertyArgs = new ArrayList<>();
    private String command;
    private int position;

    ArgumentScanner(String[] args) {
        this.args = args;
    }

    Scanned scan() {
        for (position = 0; position < args.length; position++) {
            String arg = args[position];
            if (arg.equals("-h") || arg.equals("--help")) {
                // whatever else is given, the help is what was asked for: the rest is neither checked nor kept
                return new Scanned("help", Map.of(), List.of());
            }
            if (arg.startsWith("--")) {
                readOption(arg);
            } else {
                readCommand(arg);
            }
        }
        String named = command == null ? "hourly" : command;
        checkOptionsOf(named);
        return new Scanned(named, options, propertyArgs);
    }

    private void readCommand(String arg) {
        if (command != null) {
            throw new UsageException("unexpected argument " + (position + 1) + " (not shown; options look like --name=value)");
        }
        command = arg;
        if (!OPTIONS.containsKey(command)) {
            throw new UsageException("unknown command in argument " + (position + 1)
                    + " (not shown); commands: hourly, backfill, migrate, check, explain, gaps, simulate");
        }
    }

    private void readOption(String arg) {
        String body = arg.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        if (name.contains(".")) {
            if (eq < 0 && nextIsValue()) {
                // the next argument is the value, most likely a secret: refused rather than taken for a command
                throw new UsageException("--" + name + " is a property: give its value after '=' (--" + name
                        + "=VALUE), not as the next argument (not shown)");
            }
            propertyArgs.add(arg);
            return;
        }
        // refused before a value is taken from the next argument, so that argument is not read as this option's value
        if (command != null && !OPTIONS.get(command).contains(name)) {
            throw new UsageException("unknown option --" + name + " for " + command);
        }
        String value = eq >= 0 ? body.substring(eq + 1) : separateValue(name);
        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /** The value of an option given without '=': a flag's is true, any other's is the next argument. */
    private String separateValue(String name) {
        if (FLAGS.contains(name)) {
            return "true";
        }
        if (nextIsValue()) {
            return args[++position];
        }
        throw new UsageException("--" + name + " needs a value (--" + name + "=VALUE)");
    }

    private boolean nextIsValue() {
        return position + 1 < args.length && !args[position + 1].startsWith("--");
    }

    /** Options given before the command, or with none (hourly), are only checked once the command is known. */
    private void checkOptionsOf(String named) {
        for (String name : options.keySet()) {
            if (!OPTIONS.get(named).contains(name)) {
                throw new UsageException("unknown option --" + name + " for " + named);
            }
            if (!REPEATABLE.contains(name) && options.get(name).size() > 1) {
                throw new UsageException("--" + name + " given more than once");
            }
        }
    }
}
