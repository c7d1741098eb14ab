package com.cloudtuner.kubecost.run;

import com.cloudtuner.kubecost.clickhouse.ClickHouseException;
import com.cloudtuner.kubecost.thanos.ThanosQueryException;

/** Which failures of a work unit are the servers' or the data's (one line says it all) and which are bugs. */
final class Failures {

    private Failures() {
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
