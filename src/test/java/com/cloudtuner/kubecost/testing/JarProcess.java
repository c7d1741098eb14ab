package com.cloudtuner.kubecost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar ({@code target/kubecost-worker.jar}) as its own process, with an
 * environment of the test's choosing: what an operator's container sees, logs included (the
 * production logging configuration, not the tests').
 */
public final class JarProcess {

    /** Exit code, stdout and stderr (logs included). */
    public record Result(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private JarProcess() {
    }

    /**
     * The JIT's first tier only: a command a test runs for its outcome ends in seconds, before the
     * second tier would pay off, and starts in about two thirds of the CPU time (the suite spawns
     * dozens of them on 2 cores).
     */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");

    public static Result run(Map<String, String> env, String... args) {
        return runWithJvm(QUICK_START, env, args);
    }

    /** With options for the JVM, e.g. {@code -Xmx64m}. */
    public static Result runWithJvm(List<String> jvmOptions, Map<String, String> env, String... args) {
        Path jar = Path.of("target/kubecost-worker.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: real-server tests run after mvn package");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("THANOS_") || k.startsWith("CLICKHOUSE_")
                || k.startsWith("WORKER_") || k.equals("TENANTS"));
        builder.environment().putAll(env);
        try {
            Path out = Files.createTempFile("kw-jar-", ".out");
            Path err = Files.createTempFile("kw-jar-", ".err");
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within 5 minutes");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
