package com.cloudtuner.kubecost.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudtuner.kubecost.testing.RealServers;
import com.cloudtuner.kubecost.testing.TestDatabase;
import com.cloudtuner.kubecost.testing.VictoriaMetricsServer;
import com.cloudtuner.kubecost.testing.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end-to-end backfill of {@link TwoDayScenario} on VictoriaMetrics: the same rows as on
 * Prometheus, from the scenario's definitions, though VictoriaMetrics' range selectors leave
 * their left end out and its import drops the NaN sample (which rule 2 drops anyway).
 */
@ExtendWith(RealServers.class)
class BackfillOnVictoriaMetricsIT {

    @Test
    void theViewHoldsExactlyTheRowsTheRulesGiveForTheGeneratedRates(TestDatabase db, VictoriaMetricsServer victoria) {
        victoria.load(TwoDayScenario.generate().dataset());
        Worker.Result r = Worker.run(Worker.serverArgs(db, victoria.url()), "backfill", "--from=2025-10-13", "--to=2025-10-15");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        BackfillEndToEndIT.assertTheViewHoldsTheRulesRows(db);
    }
}
