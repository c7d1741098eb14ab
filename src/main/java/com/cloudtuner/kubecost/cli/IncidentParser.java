package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.simulate.Incident;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * simulate's {@code --incident=KIND:TENANT[/CLUSTER]:WHEN} (repeatable). Tenant ids and cluster names hold
 * neither ':' nor '/' (worker.tenant-pattern), so the first two colons end the kind and the target, and
 * the last colon of a currency change starts its code (an instant has colons of its own). Every
 * incident must fall inside the simulated hours: one outside would change nothing, silently.
 */
final class IncidentParser {

    static final String SYNTAX = "hole:TENANT[/CLUSTER]:FROM..TO, restart:TENANT[/CLUSTER]:FROM..TO,"
            + " currency:TENANT[/CLUSTER]:AT:CODE or late:TENANT:AT";
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private IncidentParser() {
    }

    /** @param start the first simulated hour; {@code end} the end of the last */
    static List<Incident> parse(Options options, List<String> tenants, Instant start, Instant end) {
        List<Incident> incidents = new ArrayList<>();
        for (String text : options.all("incident")) {
            Incident i = one(text, options.clock());
            if (!tenants.contains(i.tenant())) {
                throw new UsageException("--incident names a tenant that is not simulated (--tenants, --tenant-count)");
            }
            boolean inside = i.to() == null ? i.from().isAfter(start) && i.from().isBefore(end)
                    : !i.from().isBefore(start) && !i.to().isAfter(end);
            if (!inside) {
                throw new UsageException("--incident " + i.kind().name().toLowerCase() + ": its time must lie within the simulated hours "
                        + start + ".." + end + (i.to() == null ? ", after the first instant" : ""));
            }
            // a second change could lead back to a label set already written, one series in two places of the file
            if (i.kind() == Incident.Kind.CURRENCY && incidents.stream()
                    .anyMatch(o -> o.kind() == Incident.Kind.CURRENCY && o.tenant().equals(i.tenant()))) {
                throw new UsageException("--incident currency: at most one currency change per tenant");
            }
            incidents.add(i);
        }
        return incidents;
    }

    private static Incident one(String text, Clock clock) {
        String[] parts = text.split(":", 3);
        if (parts.length < 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw syntax();
        }
        int slash = parts[1].indexOf('/');
        String tenant = slash < 0 ? parts[1] : parts[1].substring(0, slash);
        String cluster = slash < 0 ? null : parts[1].substring(slash + 1);
        if (tenant.isEmpty() || (cluster != null && cluster.isEmpty())) {
            throw syntax();
        }
        String when = parts[2];
        return switch (parts[0]) {
            case "hole" -> {
                Instant[] range = range(when, clock);
                yield Incident.hole(tenant, cluster, range[0], range[1]);
            }
            case "restart" -> {
                Instant[] range = range(when, clock);
                yield Incident.restart(tenant, cluster, range[0], range[1]);
            }
            case "currency" -> {
                int colon = when.lastIndexOf(':');
                String code = colon < 0 ? "" : when.substring(colon + 1);
                if (!CODE.matcher(code).matches() || code.equals("USD")) {
                    throw new UsageException("--incident currency: needs AT:CODE, CODE three capital letters other than USD"
                            + " (the simulation's own), e.g. EUR");
                }
                yield Incident.currency(tenant, cluster, instant(when.substring(0, colon), clock), code);
            }
            case "late" -> {
                if (cluster != null) {
                    throw new UsageException("--incident late: a late tenant starts late in all its clusters, give no /CLUSTER");
                }
                yield Incident.late(tenant, instant(when, clock));
            }
            default -> throw syntax();
        };
    }

    private static Instant[] range(String when, Clock clock) {
        int dots = when.indexOf("..");
        if (dots < 0) {
            throw new UsageException("--incident hole and restart need FROM..TO, two dates or ISO-8601 instants");
        }
        Instant from = instant(when.substring(0, dots), clock);
        Instant to = instant(when.substring(dots + 2), clock);
        if (!from.isBefore(to)) {
            throw new UsageException("--incident: FROM must be before TO");
        }
        return new Instant[] {from, to};
    }

    private static Instant instant(String text, Clock clock) {
        return InstantOption.parse("incident", text, clock);
    }

    private static UsageException syntax() {
        return new UsageException("--incident must be " + SYNTAX);
    }
}
