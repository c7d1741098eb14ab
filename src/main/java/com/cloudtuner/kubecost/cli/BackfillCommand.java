package com.cloudtuner.kubecost.cli;

import com.cloudtuner.kubecost.cost.Window;

/** The command line that recomputes a tenant's hours, as the run summary, check and gaps print it: one home for it. */
public final class BackfillCommand {

    private BackfillCommand() {
    }

    /** Ready to paste into a shell where the jar runs. */
    public static String of(Window hours, String tenant) {
        return of(hours, java.util.List.of(tenant));
    }

    /** For several tenants at once; for every tenant when {@code tenants} is empty. */
    public static String of(Window hours, java.util.List<String> tenants) {
        StringBuilder command = new StringBuilder("java -jar " + jarPath() + " backfill --from=" + hours.start() + " --to=" + hours.end());
        tenants.forEach(t -> command.append(" --tenant=").append(shellWord(t)));
        return command.toString();
    }

    private static String jarPath() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        return first.endsWith(".jar") ? first : "kubecost-worker.jar";
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9._-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
