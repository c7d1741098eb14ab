package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.secrets.Redactor;
import com.cloudtuner.kubecost.thanos.PromQl;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;

/** Which failures of a work unit are the servers' or the data's (one line says it all) and which are bugs. */
final class Failures {

    private Failures() {
    }

    /** The longest a failure's text gets in a log line, the summary or the ledger. */
    static final int MAX_LENGTH = 300;

    /**
     * A failure in one line, its cause first and cut to {@link #MAX_LENGTH}: a server's failure
     * found inside the wrappers (as {@link ThanosQueryException#causeFirst}), a batch's long
     * selectors shortened.
     */
    static String describe(Throwable failure) {
        Throwable t = serversFailure(failure);
        String text = t instanceof ThanosQueryException q ? q.causeFirst()
                : PromQl.withShortMatchers(t.getMessage() == null ? t.toString() : t.getMessage());
        // redacted whole before it is cut: a secret must not straddle the cut, half of it unrecognised
        String redacted = Redactor.redact(text);
        return redacted.length() <= MAX_LENGTH ? redacted : redacted.substring(0, MAX_LENGTH - 1) + "…";
    }

    /** The server's or the data's failure a step wrapped (a partition's worker failure arrives wrapped), else the failure itself. */
    static Throwable serversFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ThanosQueryException || t instanceof ClickHouseException) {
                return t;
            }
        }
        return e;
    }

    static boolean expected(Throwable t) {
        return t instanceof ThanosQueryException || t instanceof ClickHouseException || t instanceof UnitTooLarge
                || t instanceof IllegalArgumentException;
    }

    /** A ClickHouse failure worth another try: no answer (network, timeout) rather than a refusal. */
    static boolean transientClickHouse(Throwable t) {
        return t instanceof ClickHouseException c && c.retryable();
    }
}
