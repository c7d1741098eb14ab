package com.cloudtuner.kubecost.simulate;

import java.time.Instant;
import java.util.Objects;

/**
 * A field problem of the runbook played into the simulated series, so that the cost rules, {@code check},
 * {@code gaps} and {@code explain} can be seen handling it on data anyone can regenerate.
 *
 * @param cluster  null for every cluster of the tenant
 * @param from     where it starts (for {@link Kind#LATE}: the tenant's first instant with data)
 * @param to       where it ends, exclusive; null for {@link Kind#CURRENCY} and {@link Kind#LATE}, which last to the end
 * @param currency the new currency label of {@link Kind#CURRENCY}, else null
 */
public record Incident(Kind kind, String tenant, String cluster, Instant from, Instant to, String currency) {

    public enum Kind {
        /** No sample of any series, scrape success included, in [from, to): the exporter or remote_write stopped. */
        HOLE,
        /**
         * Every cost sample is 0 in [from, to) while scrape success stays 1: Kubecost restarted and had no
         * data yet, and the exporter said it was healthy (the runbook's restart_zeros).
         */
        RESTART,
        /** The cost series carry another currency label from {@code from} on: a new series, as Prometheus sees it. */
        CURRENCY,
        /** The tenant's series begin at {@code from}: a tenant onboarded after the others. */
        LATE
    }

    public Incident {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(tenant);
        Objects.requireNonNull(from);
        if ((kind == Kind.HOLE || kind == Kind.RESTART) != (to != null) || (kind == Kind.CURRENCY) != (currency != null)
                || (kind == Kind.LATE && cluster != null) || (to != null && !from.isBefore(to))) {
            throw new IllegalArgumentException("an incident " + kind + " with these fields makes no sense");
        }
    }

    public static Incident hole(String tenant, String cluster, Instant from, Instant to) {
        return new Incident(Kind.HOLE, tenant, cluster, from, to, null);
    }

    public static Incident restart(String tenant, String cluster, Instant from, Instant to) {
        return new Incident(Kind.RESTART, tenant, cluster, from, to, null);
    }

    public static Incident currency(String tenant, String cluster, Instant at, String currency) {
        return new Incident(Kind.CURRENCY, tenant, cluster, at, null, currency);
    }

    public static Incident late(String tenant, Instant at) {
        return new Incident(Kind.LATE, tenant, null, at, null, null);
    }

    boolean appliesTo(String tenantId, String clusterName) {
        return tenant.equals(tenantId) && (cluster == null || cluster.equals(clusterName));
    }

    /** No sample at all at {@code t}. */
    boolean silences(long t) {
        return switch (kind) {
            case HOLE -> t >= from.toEpochMilli() && t < to.toEpochMilli();
            case LATE -> t < from.toEpochMilli();
            default -> false;
        };
    }

    /** A cost sample at {@code t} is 0. */
    boolean zeroesCosts(long t) {
        return kind == Kind.RESTART && t >= from.toEpochMilli() && t < to.toEpochMilli();
    }

    /** The currency label at {@code t}, or null where this incident leaves it alone. */
    String currencyAt(long t) {
        return kind == Kind.CURRENCY && t >= from.toEpochMilli() ? currency : null;
    }
}
