package com.cloudtuner.kubecost.cli;

import java.time.Clock;
import java.util.List;

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
                          --current-hour         also the hours not yet complete, up to now, as provisional
                                                 rows that the complete hour replaces (worker.current-hour)
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
                          --problems             print the problems only (--json keeps every finding)
                          --json                 one JSON document on stdout instead of text
                        findings alike but for where they are (tenants, clusters) print as one line
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
                          --backfill             then run the fewest backfills that close them (no
                                                 confirmation; each announced on stderr)
                          --json
                        exit 0 nothing to backfill, 1 hours to backfill or a server failed, 2 bad input;
                        with --backfill: 0 when the backfills succeeded and closed everything found
              simulate  write exporter series as OpenMetrics text (demo and benchmark data)
                          --out=FILE --from=DATE|INSTANT [--hours=24] [--tenants=acme,globex] [--seed=1]
                          [--tenant-count=N]     N tenants named tenant-0001... instead of --tenants
                          [--clusters=N --namespaces=N --scrape-interval=60]
                                                 per tenant N clusters of N namespaces scraped every
                                                 so many seconds (default: a prod cluster of 5
                                                 namespaces and a staging one of 3, every 60 s)
                          [--incident=KIND:TENANT[/CLUSTER]:WHEN]
                                                 a runbook incident, repeatable; without /CLUSTER in every
                                                 cluster of the tenant; times inside the simulated hours:
                            hole:T[/C]:FROM..TO      no sample at all in [FROM, TO) (check: exporter_hole)
                            restart:T[/C]:FROM..TO   every cost 0, scrape success 1 (check: restart_zeros)
                            currency:T[/C]:AT:CODE   currency label CODE from AT on; the hour of AT is refused
                                                     (runs exit 1, check: refused_hours)
                            late:T:AT                the tenant's series begin at AT

            An option whose name has a dot sets a configuration property, always with '=': --thanos.url=http://thanos:9090.
            Instants (--now, --from, --to, --hour) lie between 2000-01-01 and a day after now.
            Exit codes: 0 done; 1 a tenant or the run failed (each failure named on stderr);
            2 invalid arguments or configuration. check, explain and gaps: see above.
            """;

    /** The command, and the arguments meant for Spring's configuration. */
    public record Parsed(Command command, List<String> propertyArgs) {
    }

    private CommandLine() {
    }

    public static Parsed parse(String[] args, Clock clock) {
        ArgumentScanner.Scanned scanned = new ArgumentScanner(args).scan();
        Options options = new Options(scanned.options(), clock);
        return new Parsed(switch (scanned.command()) {
            case "hourly" -> new Command.Hourly(options.instantOrNull("now"), options.tenants(), options.flag("current-hour"));
            case "backfill" -> new Command.Backfill(options.hours("backfill"), options.tenants(),
                    options.flag("dry-run"), options.flag("erase-missing"));
            case "migrate" -> new Command.Migrate();
            case "simulate" -> SimulateParser.parse(options);
            case "check" -> DiagnoseParsers.check(options);
            case "explain" -> DiagnoseParsers.explain(options);
            case "gaps" -> DiagnoseParsers.gaps(options);
            default -> new Command.Help();
        }, scanned.propertyArgs());
    }
}
