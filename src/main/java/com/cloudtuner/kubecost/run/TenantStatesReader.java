package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every current tenant of a run's mode (of the run's shard), for the run's metrics: the ledger's latest
 * outcome of each tenant a run of the mode processed within {@code forgetTenantsAfter}, this run's for its own
 * (also when the ledger could not record it), and each one's watermark lag. A push carries them
 * all, so a run over some tenants never removes the others' series. Unknown when the ledger or the
 * watermarks cannot be read: then the series pushed before stay as they are.
 */
final class TenantStatesReader {

    private static final Logger log = LoggerFactory.getLogger(TenantStatesReader.class);

    private final RunLedger ledger;
    private final Watermarks watermarks;
    private final WatermarkPolicy policy;
    private final Duration forgetTenantsAfter;
    private final Clock clock;

    TenantStatesReader(RunLedger ledger, Watermarks watermarks, WatermarkPolicy policy, Duration forgetTenantsAfter, Clock clock) {
        this.ledger = ledger;
        this.watermarks = watermarks;
        this.policy = policy;
        this.forgetTenantsAfter = forgetTenantsAfter;
        this.clock = clock;
    }

    /** @param dataUntil per tenant with rows written, the latest instant they reach ({@link RunTracker#dataUntil}) */
    TenantStates read(String runId, RunRequest request, RunPlan plan, List<TenantOutcome> outcomes, Map<String, Instant> dataUntil) {
        if (request.dryRun()) {
            return TenantStates.UNKNOWN;
        }
        Instant now = request.now() != null ? request.now() : clock.instant();
        try {
            Map<String, Boolean> failed = new TreeMap<>(ledger.latestFailed(request.mode().label(),
                    clock.instant().minus(forgetTenantsAfter)));
            // a shard pushes its own tenants only: its series of another shard's tenant would keep the state
            // as of this push, contradicting that shard's newer push until this shard's next one
            failed.keySet().removeIf(tenant -> !request.shard().owns(tenant));
            failed.putAll(outcomes.stream().collect(Collectors.toMap(o -> o.plan().tenant(), o -> !o.succeeded(), Boolean::logicalOr)));
            Set<String> tenants = new TreeSet<>(failed.keySet());
            plan.plans().forEach(p -> tenants.add(p.tenant()));
            Map<String, Instant> marks = watermarks.all();
            Map<String, Duration> lag = new TreeMap<>();
            for (String tenant : tenants) {
                Instant mark = marks.get(tenant);
                if (mark != null) {
                    lag.put(tenant, policy.lag(mark, now));
                }
            }
            Map<String, Duration> freshness = new TreeMap<>();
            if (request.mode() == RunRequest.Mode.HOURLY) {
                dataUntil.forEach((tenant, until) -> freshness.put(tenant, until.isBefore(now) ? Duration.between(until, now) : Duration.ZERO));
            }
            return new TenantStates(failed, lag, freshness);
        } catch (RuntimeException e) {
            log.warn("run={} could not read the run ledger or the watermarks for the run's metrics: {}; the tenants' series are not pushed",
                    runId, e.getMessage());
            return TenantStates.UNKNOWN;
        }
    }
}
