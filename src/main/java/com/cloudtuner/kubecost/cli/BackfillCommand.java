package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;
import java.util.ArrayList;
import java.util.List;

/** The command line that recomputes a tenant's hours, as the run summary, check and gaps print it: one home for it. */
public final class BackfillCommand {

    private BackfillCommand() {
    }

    /** Ready to paste into a shell where the jar runs. */
    public static String of(Window hours, String tenant) {
        return of(hours, List.of(tenant));
    }

    /** For several tenants; none means every tenant (TENANTS, or those discovered). */
    public static String of(Window hours, List<String> tenants) {
        return "java -jar " + jarPath() + " " + String.join(" ", arguments(hours, tenants).stream().map(BackfillCommand::shellWord).toList());
    }

    /** The backfill's arguments, one word each, unquoted (as a Job's {@code args} takes them). */
    public static List<String> arguments(Window hours, List<String> tenants) {
        List<String> args = new ArrayList<>(List.of("backfill", "--from=" + hours.start(), "--to=" + hours.end()));
        tenants.forEach(t -> args.add("--tenant=" + t));
        return args;
    }

    private static String jarPath() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        return first.endsWith(".jar") ? first : "kubecost-worker.jar";
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9._=:-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
