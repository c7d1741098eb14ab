package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.config.WorkerProperties.ReadMode;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.run.TenantIds;
import com.cloudtuner.kubecost.run.WatermarkPolicy;
import com.cloudtuner.kubecost.run.WindowComputation;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The operator's tools, on the job's own ports and use cases: {@code explain} and {@code gaps}
 * compute through the {@link WindowComputation} and read the expense store; {@code check} looks at
 * the servers themselves through the exporter's adapter and the ClickHouse gateway.
 */
@Configuration(proxyBeanMethods = false)
class DiagnosticsConfiguration {

    @Bean
    Diagnostics diagnostics(ThanosClient thanos, ThanosProperties thanosProps, ExporterReader reader, ClickHouseGateway ch,
                            ClickHouseProperties chProps, Migrator migrator, ExpenseStore store, Watermarks watermarks, RunLedger ledger,
                            WatermarkPolicy policy, WindowComputation computation, HourlyCostCalculator calculator,
                            TenantIds tenantIds, WorkerProperties worker, Clock clock) {
        Check check = new Check(thanos, reader, new StorageHealth(ch, migrator, watermarks, ledger, policy, store), calculator, tenantIds,
                new Check.Settings(ThanosProperties.redacted(thanosProps.url()), chProps.url().toString(), worker));
        // hourly sums whatever worker.read-mode says: equal rows, and a month of tenants in seconds
        WindowComputation aggregated = computation.reading(ReadMode.AGGREGATED);
        Explain explain = new Explain(reader, aggregated, store, calculator, worker.exporter().prefix());
        Gaps gaps = new Gaps(reader, aggregated, store, watermarks, worker);
        return new Diagnostics(check, explain, gaps, tenantIds, worker, clock);
    }
}
