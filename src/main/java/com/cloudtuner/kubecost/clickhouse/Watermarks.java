package com.cloudtuner.kubecost.clickhouse;

import java.time.Instant;
import java.util.Map;

/** Per tenant, the end of the hours the hourly run has written; a watermark only moves forward. */
public interface Watermarks {

    Map<String, Instant> all();

    /** Moves each tenant's watermark to the instant given, never back. */
    void advance(Map<String, Instant> watermarks, String runId);
}
