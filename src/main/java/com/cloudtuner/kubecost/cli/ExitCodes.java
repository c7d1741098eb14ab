package com.cloudtuner.kubecost.cli;

/** The process exit codes every command ends with (scripts and the CronJob's alerts read them). */
public final class ExitCodes {

    /** Done, and nothing to report. */
    public static final int OK = 0;
    /** A run, a tenant, a server or a check failed (or, for {@code gaps}, something is to be backfilled). */
    public static final int FAILED = 1;
    /** Bad input: a command, an option or the configuration; one line on stderr says which. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
