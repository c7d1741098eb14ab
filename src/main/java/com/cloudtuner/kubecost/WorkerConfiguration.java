package com.cloudtuner.kubecost;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.ExpensesWriter;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.CostRules;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.job.CostJobLauncher;
import com.cloudtuner.kubecost.job.CostRun;
import com.cloudtuner.kubecost.job.ExporterReader;
import com.cloudtuner.kubecost.job.HourlyPlanner;
import com.cloudtuner.kubecost.job.TenantDiscovery;
import com.cloudtuner.kubecost.job.TenantProcessor;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Clock;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the capabilities together; nothing here talks to a server at start-up. */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ThanosClient thanosClient(ThanosProperties props) {
        return new ThanosClient(props);
    }

    @Bean(destroyMethod = "close")
    ClickHouseGateway clickHouseGateway(ClickHouseProperties props) {
        return new ClickHouseGateway(props);
    }

    @Bean
    Migrator migrator(ClickHouseGateway ch, ClickHouseProperties props, Clock clock) {
        return new Migrator(ch, MigrationSource.classpath(), props.migrationLockTimeout(), clock);
    }

    @Bean
    HourlyCostCalculator hourlyCostCalculator(WorkerProperties worker) {
        WorkerProperties.Exporter e = worker.exporter();
        return new HourlyCostCalculator(new CostRules(e.metricMode(), e.window(), e.healthLookback(), e.scrapeInterval()));
    }

    @Bean
    TenantDiscovery tenantDiscovery(ThanosClient thanos, WorkerProperties worker) {
        return new TenantDiscovery(thanos, worker.exporter().prefix(), worker.tenantRegex());
    }

    @Bean
    CostRun costRun(ThanosClient thanos, HourlyCostCalculator calculator, ClickHouseGateway ch, TenantDiscovery discovery,
                    WorkerProperties worker, Clock clock) {
        ExporterReader reader = new ExporterReader(thanos, worker.exporter().prefix(), worker.exporter().healthLookback());
        ExpensesWriter writer = new ExpensesWriter(ch, clock);
        TenantProcessor processor = new TenantProcessor(reader, calculator, writer, worker.effectiveChunkHours(), clock);
        HourlyPlanner planner = new HourlyPlanner(worker.settleDelay(), worker.reprocessHours(), worker.maxCatchUp());
        return new CostRun(discovery, planner, processor, new RunLedger(ch), new Watermarks(ch, clock),
                w -> writer.tenantsWithRows(w.start(), w.end()), worker.parallelism(), clock);
    }

    @Bean
    CostJobLauncher costJobLauncher(JobRepository jobRepository, JobOperator jobOperator, CostRun costRun) {
        return new CostJobLauncher(jobRepository, jobOperator, costRun);
    }

    @Bean
    CommandExecutor commandExecutor(Migrator migrator, CostJobLauncher launcher, TenantDiscovery discovery,
                                    WorkerProperties worker, ThanosProperties thanos, ClickHouseProperties clickhouse,
                                    Clock clock) {
        return new CommandExecutor(migrator, launcher, discovery, worker, thanos, clickhouse, clock);
    }
}
