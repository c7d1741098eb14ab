package com.cloudtuner.kubecost.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The installed {@code promtool} (Debian package {@code prometheus}): Prometheus' own rule engine, for rule unit tests. */
public final class Promtool {

    private Promtool() {
    }

    /**
     * {@code promtool test rules TEST_FILE}: evaluates the rule files the test file names over its input
     * series and compares the alerts with those expected; throws with promtool's report when they differ.
     */
    public static void testRules(Path testFile) {
        Path promtool = LocalProcess.binary("promtool", "/usr/bin/promtool");
        LocalProcess.run(List.of(promtool.toString(), "test", "rules", testFile.toString()),
                testFile.resolveSibling(testFile.getFileName() + ".log"), Duration.ofMinutes(1));
    }
}
