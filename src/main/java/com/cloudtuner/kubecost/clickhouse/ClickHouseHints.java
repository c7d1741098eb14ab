package com.cloudtuner.kubecost.clickhouse;

import com.cloudtuner.kubecost.config.ClickHouseProperties;
import java.util.Set;

/**
 * The fix for the two set-up mistakes ClickHouse's own answer does not spell out: {@code clickhouse.url}
 * pointing at the native protocol's port, and credentials ClickHouse refuses. Appended to the one
 * line a failed statement makes, wherever it surfaces (migrate, a run, {@code check}).
 */
final class ClickHouseHints {

    /**
     * ClickHouse's answer to an HTTP request on its native port (9000, 9440 with TLS): every
     * version since 2016 says "Port 9000 is for clickhouse-client program", as an HTTP 400 that
     * client-v2 raises as a ServerException without an error code.
     */
    static final String NATIVE_PORT_ANSWER = "is for clickhouse-client program";
    /** UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD (18.16 and older), AUTHENTICATION_FAILED (20.x and newer). */
    static final Set<Integer> CREDENTIALS_REFUSED = Set.of(192, 193, 194, 516);

    private ClickHouseHints() {
    }

    /** The fix to append to the failure's line, starting with "; ", or "" when the failure is none of these. */
    static String hint(Throwable failure, int code, ClickHouseProperties props) {
        if (credentialsRefused(code)) {
            return "; check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD (clickhouse.user, clickhouse.password): ClickHouse refused them"
                    + " for user " + props.user();
        }
        if (nativePort(failure)) {
            return "; clickhouse.url must name ClickHouse's HTTP port (8123 by default, 8443 with TLS), not the native port"
                    + " (9000, 9440 with TLS), e.g. CLICKHOUSE_URL=http://" + props.url().getHost() + ":8123";
        }
        return "";
    }

    static boolean credentialsRefused(int code) {
        return CREDENTIALS_REFUSED.contains(code);
    }

    /** Whether the answer came from ClickHouse's native port rather than its HTTP interface. */
    static boolean nativePort(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(NATIVE_PORT_ANSWER)) {
                return true;
            }
        }
        return false;
    }
}
