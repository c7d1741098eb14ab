package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code [COMMAND] [--option[=value]]...}. Options whose name contains a dot are
 * configuration properties and go to Spring unchanged ({@code --thanos.url=...}).
 *
 * <p>An error names options and argument positions, never an argument's text or an option's
 * value: a value given in the wrong place ({@code --thanos.bearer-token TOKEN}, a stray word of
 * a password split by the shell) may be a secret the redaction does not know.
 */
public final class CommandLine {

    public static final String USAGE = """
            usage: java -jar kubecost-worker.jar [COMMAND] [OPTIONS] [--property.name=VALUE ...]

            commands:
              hourly    (the default) every complete hour after each tenant's watermark,
                        plus the last worker.reprocess-hours complete hours again
                          --now=INSTANT          evaluate as of this instant instead of the clock
                          --tenant=ID            only this tenant (repeatable; default TENANTS, else discovered)
              backfill  recompute the hours [from, to)
                          --from=DATE|INSTANT    rounded down to the hour; a date means 00:00 UTC
                          --to=DATE|INSTANT      rounded up to the hour; clamped to the last complete hour
                          --tenant=ID            only this tenant (repeatable; default TENANTS, else discovered)
                          --dry-run              print the rows it would write, one JSON object per line;
                                                 write nothing
                          --erase-missing        also tombstone stored rows in hours the metrics store
                                                 has no data for (otherwise such hours are kept)
              migrate   apply pending ClickHouse migrations, then exit
              check     diagnose Thanos, the exporter's series, each tenant and ClickHouse; changes nothing
                          --now=INSTANT          as of this instant instead of the clock
                          --tenant=ID            only this tenant (repeatable; default TENANTS and every
                                                 tenant seen in Thanos in the last day)
                          --stale-after=30m      a cluster whose last sample is older is stale
                          --max-lag=2h           a watermark further behind than this is a problem
                          --json                 one JSON document on stdout instead of text
                        exit 0 healthy, 1 problems found (each on one line with its fix), 2 bad input
              explain   why the stored row of one namespace and hour is what it is: samples, exclusions,
                        formula, coverage, and whether the stored row matches a fresh computation
                          --tenant=ID --cluster=NAME --namespace=NAME|__unallocated__ --hour=INSTANT
                          --json
                        exit 0 explained (stale or not), 1 a server failed, 2 bad input
              gaps      hours to backfill in [from, to): Thanos has data the view lacks or holds
                        differently, and hours of low coverage, each range with its backfill command
                          --from=DATE|INSTANT --to=DATE|INSTANT [--tenant=ID ...]
                          --min-coverage=0.9     rows below this coverage are reported
                          --json
                        exit 0 nothing to backfill, 1 hours to backfill or a server failed, 2 bad input
              simulate  write exporter series as OpenMetrics text (demo and benchmark data)
                          --out=FILE --from=DATE|INSTANT [--hours=24] [--tenants=acme,globex] [--seed=1]
                          [--tenant-count=N]     N tenants named tenant-0001... instead of --tenants
                          [--clusters=N --namespaces=N --scrape-interval=60]
                                                 per tenant N clusters of N namespaces scraped every
                                                 so many seconds (default: a prod cluster of 5
                                                 namespaces and a staging one of 3, every 60 s)

            An option whose name has a dot sets a configuration property, always with '=': --thanos.url=http://thanos:9090.
            Instants (--now, --from, --to, --hour) lie between 2000-01-01 and a day after now.
            Exit codes: 0 done; 1 a tenant or the run failed (each failure named on stderr);
            2 invalid arguments or configuration. check, explain and gaps: see above.
            """;

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "hourly", Set.of("now", "tenant"),
            "backfill", Set.of("from", "to", "tenant", "dry-run", "erase-missing"),
            "migrate", Set.of(),
            "simulate", Set.of("out", "from", "hours", "tenants", "seed", "tenant-count", "clusters", "namespaces",
                    "scrape-interval"),
            "check", Set.of("now", "tenant", "stale-after", "max-lag", "json"),
            "explain", Set.of("tenant", "cluster", "namespace", "hour", "json"),
            "gaps", Set.of("from", "to", "tenant", "min-coverage", "json"),
            "help", Set.of());
    private static final Set<String> FLAGS = Set.of("dry-run", "erase-missing", "json");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    /** The command, and the arguments meant for Spring's configuration. */
    public record Parsed(Command command, List<String> propertyArgs) {
    }

    private CommandLine() {
    }

    public static Parsed parse(String[] args, Clock clock) {
        List<String> propertyArgs = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Parsed(new Command.Help(), List.of());
            }
            if (!arg.startsWith("--")) {
                if (command != null) {
                    throw new UsageException("unexpected argument " + (i + 1) + " (not shown; options look like --name=value)");
                }
                command = arg;
                if (!OPTIONS.containsKey(command)) {
                    throw new UsageException("unknown command in argument " + (i + 1)
                            + " (not shown); commands: hourly, backfill, migrate, check, explain, gaps, simulate");
                }
                continue;
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (name.contains(".")) {
                if (eq < 0 && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    // the next argument is the value, most likely a secret: refused rather than taken for a command
                    throw new UsageException("--" + name + " is a property: give its value after '=' (--" + name
                            + "=VALUE), not as the next argument (not shown)");
                }
                propertyArgs.add(arg);
                continue;
            }
            if (command != null && !OPTIONS.get(command).contains(name)) {
                throw new UsageException("unknown option --" + name + " for " + command);
            }
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (FLAGS.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value (--" + name + "=VALUE)");
            }
            options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        String cmd = command == null ? "hourly" : command;
        for (String name : options.keySet()) {
            if (!OPTIONS.get(cmd).contains(name)) {
                throw new UsageException("unknown option --" + name + " for " + cmd);
            }
            if (!name.equals("tenant") && options.get(name).size() > 1) {
                throw new UsageException("--" + name + " given more than once");
            }
        }
        return new Parsed(switch (cmd) {
            case "hourly" -> new Command.Hourly(options.containsKey("now") ? instant("now", options, clock) : null,
                    tenants(options));
            case "backfill" -> backfill(options, clock);
            case "migrate" -> new Command.Migrate();
            case "simulate" -> simulate(options, clock);
            case "check" -> check(options, clock);
            case "explain" -> explain(options, clock);
            case "gaps" -> gaps(options, clock);
            default -> new Command.Help();
        }, propertyArgs);
    }

    private static Command backfill(Map<String, List<String>> options, Clock clock) {
        return new Command.Backfill(hours("backfill", options, clock), tenants(options),
                flag(options, "dry-run"), flag(options, "erase-missing"));
    }

    /** --from and --to as whole hours, the end clamped to the last complete hour. */
    private static Window hours(String command, Map<String, List<String>> options, Clock clock) {
        if (!options.containsKey("from") || !options.containsKey("to")) {
            throw new UsageException(command + " needs --from and --to, e.g. " + command + " --from=2025-10-13 --to=2025-10-16");
        }
        Instant from = Window.floorHour(instant("from", options, clock));
        Instant to = Window.ceilHour(instant("to", options, clock));
        Instant lastComplete = Window.floorHour(clock.instant());
        if (to.isAfter(lastComplete)) {
            to = lastComplete;
        }
        if (!from.isBefore(to)) {
            throw new UsageException("--from " + from + " is not before --to " + to
                    + (to.equals(lastComplete) ? " (--to is clamped to the last complete hour)" : ""));
        }
        return new Window(from, to);
    }

    private static Command check(Map<String, List<String>> options, Clock clock) {
        Instant now = options.containsKey("now") ? instant("now", options, clock) : null;
        Duration staleAfter = duration("stale-after", options.getOrDefault("stale-after", List.of("30m")).get(0));
        Duration maxLag = duration("max-lag", options.getOrDefault("max-lag", List.of("2h")).get(0));
        return new Command.Check(now, tenants(options), staleAfter, maxLag, flag(options, "json"));
    }

    private static Command explain(Map<String, List<String>> options, Clock clock) {
        for (String required : List.of("tenant", "cluster", "namespace", "hour")) {
            if (!options.containsKey(required) || one(options, required).isEmpty()) {
                throw new UsageException("explain needs --tenant, --cluster, --namespace and --hour, e.g. explain --tenant=acme"
                        + " --cluster=prod --namespace=web --hour=2025-10-13T10:00:00Z");
            }
        }
        if (options.get("tenant").size() > 1) {
            throw new UsageException("explain takes one --tenant");
        }
        Instant hour = Window.floorHour(instant("hour", options, clock));
        if (hour.isAfter(Window.floorHour(clock.instant()))) {
            throw new UsageException("--hour " + hour + " has not begun yet");
        }
        return new Command.Explain(one(options, "tenant"), one(options, "cluster"), one(options, "namespace"), hour,
                flag(options, "json"));
    }

    private static Command gaps(Map<String, List<String>> options, Clock clock) {
        double minCoverage;
        String text = options.getOrDefault("min-coverage", List.of("0.9")).get(0);
        try {
            minCoverage = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            minCoverage = Double.NaN;
        }
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw new UsageException("--min-coverage must be a number from 0 to 1");
        }
        return new Command.Gaps(hours("gaps", options, clock), tenants(options), minCoverage, flag(options, "json"));
    }

    /** {@code 90s}, {@code 30m}, {@code 2h} or {@code 1d}; positive. */
    private static Duration duration(String name, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--" + name + " must be a positive duration like 90s, 30m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Its --from is held to the range of every other instant: data the worker would refuse to compute is of no use. */
    private static Command simulate(Map<String, List<String>> options, Clock clock) {
        if (!options.containsKey("out") || !options.containsKey("from")) {
            throw new UsageException("simulate needs --out=FILE and --from=DATE|INSTANT");
        }
        int hours = integer("hours", options.getOrDefault("hours", List.of("24")).get(0));
        if (hours < 1 || hours > 24 * 400) {
            throw new UsageException("--hours must be between 1 and 9600");
        }
        List<String> tenants;
        if (options.containsKey("tenant-count")) {
            if (options.containsKey("tenants")) {
                throw new UsageException("give --tenants or --tenant-count, not both");
            }
            int count = integer("tenant-count", one(options, "tenant-count"));
            if (count < 1 || count > 100_000) {
                throw new UsageException("--tenant-count must be between 1 and 100000");
            }
            tenants = java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> String.format("tenant-%04d", i)).toList();
        } else {
            tenants = Arrays.stream(options.getOrDefault("tenants", List.of("acme,globex")).get(0).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (tenants.isEmpty()) {
            throw new UsageException("--tenants needs at least one tenant id");
        }
        long seed = integer("seed", options.getOrDefault("seed", List.of("1")).get(0));
        Command.Shape shape = null;
        if (options.containsKey("clusters") || options.containsKey("namespaces") || options.containsKey("scrape-interval")) {
            int clusters = integer("clusters", options.getOrDefault("clusters", List.of("1")).get(0));
            int namespaces = integer("namespaces", options.getOrDefault("namespaces", List.of("10")).get(0));
            int scrape = integer("scrape-interval", options.getOrDefault("scrape-interval", List.of("60")).get(0));
            if (clusters < 1 || clusters > 1000 || namespaces < 1 || namespaces > 10_000 || scrape < 1 || scrape > 3600) {
                throw new UsageException("--clusters (1..1000), --namespaces (1..10000) and --scrape-interval (1..3600 seconds) out of range");
            }
            shape = new Command.Shape(clusters, namespaces, scrape);
        }
        return new Command.Simulate(Path.of(one(options, "out")), Window.floorHour(instant("from", options, clock)),
                hours, tenants, seed, shape);
    }

    private static List<String> tenants(Map<String, List<String>> options) {
        List<String> tenants = options.getOrDefault("tenant", List.of());
        for (String t : tenants) {
            if (t.isEmpty()) {
                throw new UsageException("--tenant needs a value");
            }
        }
        return tenants;
    }

    private static boolean flag(Map<String, List<String>> options, String name) {
        if (!options.containsKey(name)) {
            return false;
        }
        String v = one(options, name);
        if (!v.equals("true") && !v.equals("false")) {
            throw new UsageException("--" + name + " takes no value");
        }
        return v.equals("true");
    }

    private static String one(Map<String, List<String>> options, String name) {
        return options.get(name).get(0);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number");
        }
    }

    private static Instant instant(String name, Map<String, List<String>> options, Clock clock) {
        return InstantOption.parse(name, one(options, name), clock);
    }
}
