package com.cloudtuner.kubecost.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks (JMH options may be passed, e.g. {@code -i 10}) and prints each one against
 * the baseline of its class, measured in the same invocation.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions given = new CommandLineOptions(args);
        // defaults for a run of about a minute; options given on the command line win
        Options options = new OptionsBuilder()
                .parent(given)
                .include(given.getIncludes().isEmpty() ? "com\\.cloudtuner\\.kubecost\\..*Benchmark" : given.getIncludes().get(0))
                .forks(given.getForkCount().orElse(1))
                .warmupIterations(given.getWarmupIterations().orElse(3))
                .warmupTime(given.getWarmupTime().orElse(TimeValue.seconds(1)))
                .measurementIterations(given.getMeasurementIterations().orElse(5))
                .measurementTime(given.getMeasurementTime().orElse(TimeValue.seconds(2)))
                .build();
        Collection<RunResult> results = run(options);
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(r -> r.getParams().getBenchmark()));
        System.out.println();
        System.out.println("benchmark                                                   ms/op      vs baseline");
        for (RunResult r : sorted) {
            String name = r.getParams().getBenchmark();
            String owner = name.substring(0, name.lastIndexOf('.'));
            RunResult baseline = sorted.stream()
                    .filter(b -> b.getParams().getBenchmark().startsWith(owner + ".baseline")).findFirst().orElse(null);
            double score = r.getPrimaryResult().getScore();
            String ratio = baseline == null || baseline == r ? "(baseline)"
                    : String.format("%.2fx the baseline's time", score / baseline.getPrimaryResult().getScore());
            System.out.printf("%-56s %9.3f ± %-7.3f %s%n", name.replace("com.cloudtuner.kubecost.", ""), score,
                    r.getPrimaryResult().getScoreError(), ratio);
        }
    }

    private static Collection<RunResult> run(Options options) throws RunnerException {
        return new Runner(options).run();
    }
}
