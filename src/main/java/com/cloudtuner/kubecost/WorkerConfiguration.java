package com.cloudtuner.kubecost;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.clickhouse.MigrationSource;
import com.cloudtuner.kubecost.clickhouse.Migrator;
import com.cloudtuner.kubecost.config.ClickHouseProperties;
import com.cloudtuner.kubecost.config.ClickHouseTlsProperties;
import com.cloudtuner.kubecost.config.ThanosProperties;
import com.cloudtuner.kubecost.config.ThanosTlsProperties;
import com.cloudtuner.kubecost.config.WorkerProperties;
import com.cloudtuner.kubecost.cost.CostRules;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.clickhouse.ClickHouseDailyExpenses;
import com.cloudtuner.kubecost.clickhouse.ClickHouseExpenseStore;
import com.cloudtuner.kubecost.clickhouse.DailyExpenses;
import com.cloudtuner.kubecost.clickhouse.ClickHouseRunLedger;
import com.cloudtuner.kubecost.clickhouse.ClickHouseWatermarks;
import com.cloudtuner.kubecost.clickhouse.ExpenseStore;
import com.cloudtuner.kubecost.clickhouse.RunLedger;
import com.cloudtuner.kubecost.clickhouse.Watermarks;
import com.cloudtuner.kubecost.diagnose.Diagnostics;
import com.cloudtuner.kubecost.exporter.ExporterReader;
import com.cloudtuner.kubecost.run.CostJob;
import com.cloudtuner.kubecost.config.PushgatewayProperties;
import com.cloudtuner.kubecost.metrics.BatchMeterFilter;
import com.cloudtuner.kubecost.metrics.RunMetrics;
import com.cloudtuner.kubecost.run.TenantIds;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.secrets.Secrets;
import com.cloudtuner.kubecost.thanos.ThanosClient;
import java.time.Clock;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the capabilities together; nothing here talks to a server at start-up. */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The secrets the bound configuration holds, hidden from every log line and output from now on. */
    @Bean
    Secrets configuredSecrets(Environment environment) {
        Secrets secrets = Secrets.fromBound(environment);
        Redactor.add(secrets);
        return secrets;
    }

    @Bean
    ThanosClient thanosClient(ThanosProperties props, ThanosTlsProperties tls, Secrets configuredSecrets) {
        return new ThanosClient(props, tls);
    }

    @Bean(destroyMethod = "close")
    ClickHouseGateway clickHouseGateway(ClickHouseProperties props, ClickHouseTlsProperties tls, Secrets configuredSecrets) {
        return new ClickHouseGateway(props, tls);
    }

    @Bean
    Migrator migrator(ClickHouseGateway ch, ClickHouseProperties props, Clock clock) {
        return new Migrator(ch, MigrationSource.classpath(), props.migrationLockTimeout(), clock);
    }

    @Bean
    HourlyCostCalculator hourlyCostCalculator(WorkerProperties worker) {
        WorkerProperties.Exporter e = worker.exporter();
        return new HourlyCostCalculator(new CostRules(e.metricMode(), e.window(), e.healthLookback()));
    }

    /** The run's metrics; Spring Batch's observations are recorded in it too, described and trimmed for the push. */
    @Bean
    PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new BatchMeterFilter());
        return registry;
    }

    @Bean
    ObservationRegistry observationRegistry(PrometheusMeterRegistry meters) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return observations;
    }

    @Bean
    RunMetrics runMetrics(PrometheusMeterRegistry meters, PushgatewayProperties pushgateway) {
        return new RunMetrics(meters, pushgateway);
    }

    /** The exporter's data in Thanos: the job's {@code ExporterSource}, and what {@code check} probes. */
    @Bean
    ExporterReader exporterReader(ThanosClient thanos, WorkerProperties worker) {
        return new ExporterReader(thanos, worker.exporter().prefix(), worker.exporter().healthLookback());
    }

    @Bean
    ExpenseStore expenseStore(ClickHouseGateway ch, ClickHouseProperties clickhouse, Clock clock) {
        return new ClickHouseExpenseStore(ch, clock, clickhouse.maxInsertRows());
    }

    @Bean
    DailyExpenses dailyExpenses(ClickHouseGateway ch) {
        return new ClickHouseDailyExpenses(ch);
    }

    @Bean
    Watermarks watermarks(ClickHouseGateway ch, Clock clock) {
        return new ClickHouseWatermarks(ch, clock);
    }

    @Bean
    RunLedger runLedger(ClickHouseGateway ch) {
        return new ClickHouseRunLedger(ch);
    }

    @Bean
    CommandExecutor commandExecutor(Migrator migrator, CostJob job, TenantIds tenantIds, WorkerProperties worker,
                                    ThanosProperties thanos, ClickHouseProperties clickhouse, ThanosClient thanosClient,
                                    ClickHouseGateway gateway, Clock clock, Diagnostics diagnostics, RunMetrics metrics,
                                    @org.springframework.beans.factory.annotation.Value("${logging.structured.format.console:}")
                                    String structuredLogFormat) {
        return new CommandExecutor(migrator, job, tenantIds, worker, thanos, clickhouse, thanosClient, gateway, clock, diagnostics,
                metrics, structuredLogFormat);
    }
}
