package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** The command line that writes exporter series for the demo and the benchmarks. */
final class SimulateParser {

    private SimulateParser() {
    }

    /** Its --from is held to the range of every other instant: data the worker would refuse to compute is of no use. */
    static Command.Simulate parse(Options options) {
        if (!options.has("out") || !options.has("from")) {
            throw new UsageException("simulate needs --out=FILE and --from=DATE|INSTANT");
        }
        int hours = options.integer("hours", 24);
        if (hours < 1 || hours > 24 * 400) {
            throw new UsageException("--hours must be between 1 and 9600");
        }
        List<String> tenants = tenants(options);
        long seed = options.integer("seed", 1);
        Command.Shape shape = shape(options);
        Instant from = Window.floorHour(options.instant("from"));
        return new Command.Simulate(Path.of(options.one("out")), from, hours, tenants, seed, shape,
                IncidentParser.parse(options, tenants, from, from.plus(Duration.ofHours(hours))));
    }

    private static List<String> tenants(Options options) {
        List<String> tenants = options.has("tenant-count") ? numberedTenants(options)
                : Arrays.stream(options.oneOr("tenants", "acme,globex").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (tenants.isEmpty()) {
            throw new UsageException("--tenants needs at least one tenant id");
        }
        return tenants;
    }

    private static List<String> numberedTenants(Options options) {
        if (options.has("tenants")) {
            throw new UsageException("give --tenants or --tenant-count, not both");
        }
        int count = options.integer("tenant-count");
        if (count < 1 || count > 100_000) {
            throw new UsageException("--tenant-count must be between 1 and 100000");
        }
        return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("tenant-%04d", i)).toList();
    }

    /** Null (the demo's clusters) unless one of its options is given; the others then have their defaults. */
    private static Command.Shape shape(Options options) {
        if (!options.has("clusters") && !options.has("namespaces") && !options.has("scrape-interval")) {
            return null;
        }
        int clusters = options.integer("clusters", 1);
        int namespaces = options.integer("namespaces", 10);
        int scrape = options.integer("scrape-interval", 60);
        if (clusters < 1 || clusters > 1000 || namespaces < 1 || namespaces > 10_000 || scrape < 1 || scrape > 3600) {
            throw new UsageException("--clusters (1..1000), --namespaces (1..10000) and --scrape-interval (1..3600 seconds) out of range");
        }
        return new Command.Shape(clusters, namespaces, scrape);
    }
}
