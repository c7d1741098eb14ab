package com.cloudtuner.kubecost.testing;

import com.cloudtuner.kubecost.KubecostWorkerApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/** Runs the worker's command line in this JVM, as {@code java -jar kubecost-worker.jar ARGS} would. */
public final class Worker {

    /** Exit code and what the command printed itself (logs go to the real stderr). */
    public record Result(int exitCode, String out, String err) {
        public List<String> outLines() {
            return out.lines().toList();
        }

        /** The run id from the summary's first line, "run ID ...". */
        public String runId() {
            String summary = outLines().isEmpty() ? "" : outLines().get(0);
            if (!summary.startsWith("run ")) {
                throw new AssertionError("no run summary in:\n" + this);
            }
            return summary.split(" ")[1];
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Worker() {
    }

    public static Result run(List<String> serverArgs, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(serverArgs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = KubecostWorkerApplication.run(all.toArray(String[]::new), o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A copy of {@code args} with option {@code --name=...} set to {@code value} instead. */
    public static List<String> withOption(List<String> args, String name, String value) {
        String prefix = "--" + name + "=";
        if (args.stream().noneMatch(a -> a.startsWith(prefix))) {
            throw new IllegalArgumentException("no " + prefix + " in " + args);
        }
        return args.stream().map(a -> a.startsWith(prefix) ? prefix + value : a).toList();
    }

    /** The same settings as environment variables ({@code --thanos.url=X} as {@code THANOS_URL=X}), for the packaged jar. */
    public static Map<String, String> environment(List<String> settingArgs) {
        Map<String, String> env = new HashMap<>();
        for (String arg : settingArgs) {
            String[] kv = arg.substring(2).split("=", 2);
            env.put(kv[0].toUpperCase().replace('.', '_').replace('-', '_'), kv[1]);
        }
        return env;
    }

    /** A loopback port nothing listens on (free a moment ago), for a server that is down. */
    public static int closedPort() {
        return LocalProcess.freePort();
    }

    /** Settings for another database on the server of {@code db} (one the test makes and drops itself). */
    public static com.cloudtuner.kubecost.config.ClickHouseProperties properties(TestDatabase db, String database) {
        com.cloudtuner.kubecost.config.ClickHouseProperties p = db.properties();
        return new com.cloudtuner.kubecost.config.ClickHouseProperties(p.url(), p.user(), p.password(), database, p.socketTimeout(),
                p.migrationLockTimeout(), p.maxInsertRows(), p.retries(), p.retryBackoff());
    }

    /** Arguments pointing the worker at a test's servers, with fast retries. */
    public static List<String> serverArgs(TestDatabase db, String thanosUrl) {
        List<String> args = new ArrayList<>(db.workerArgs());
        args.add("--thanos.url=" + thanosUrl);
        args.add("--thanos.retry-backoff=10ms");
        args.add("--worker.tenants="); // a TENANTS variable in the environment must not steer the tests
        return args;
    }
}
