package com.cloudtuner.kubecost.bench;

import com.cloudtuner.kubecost.cost.CostResult;
import com.cloudtuner.kubecost.cost.CostRules;
import com.cloudtuner.kubecost.cost.HourlyCostCalculator;
import com.cloudtuner.kubecost.cost.Series;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A day of 60 s samples for 10 tenants (1.1 million samples): the cost rules against the least any
 * computation must do, one pass that reads every sample once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CalculatorBenchmark {

    private static final int TENANTS = 10;

    private List<List<Series>> tenants;
    private final HourlyCostCalculator calculator = new HourlyCostCalculator(CostRules.DEFAULTS);
    private final Instant end = BenchData.DAY.plusSeconds(86_400);

    @Setup
    public void setUp() {
        tenants = BenchData.seriesByTenant(BenchData.dataset(TENANTS), TENANTS);
    }

    @Benchmark
    public double baselineReadEverySample() {
        double sum = 0;
        for (List<Series> tenant : tenants) {
            for (Series s : tenant) {
                for (int i = 0; i < s.size(); i++) {
                    sum += s.timestamps()[i] + s.values()[i];
                }
            }
        }
        return sum;
    }

    @Benchmark
    public void hourlyCostCalculator(Blackhole bh) {
        for (List<Series> tenant : tenants) {
            CostResult r = calculator.compute(BenchData.DAY, end, tenant);
            bh.consume(r);
        }
    }
}
