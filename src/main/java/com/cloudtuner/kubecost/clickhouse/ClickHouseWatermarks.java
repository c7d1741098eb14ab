package com.cloudtuner.kubecost.clickhouse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Watermarks} in {@code k8s_expenses_watermarks}, with the watermark as the
 * ReplacingMergeTree version, so the largest one wins whatever order runs write in.
 */
public final class ClickHouseWatermarks implements Watermarks {

    static final String TABLE = "k8s_expenses_watermarks";

    private final ClickHouseGateway ch;
    private final Clock clock;

    public ClickHouseWatermarks(ClickHouseGateway ch, Clock clock) {
        this.ch = ch;
        this.clock = clock;
    }

    @Override
    public Map<String, Instant> all() {
        Map<String, Instant> marks = new HashMap<>();
        for (JsonNode row : ch.select("SELECT cloud_account_id, toUnixTimestamp(watermark) AS watermark_unix FROM "
                + TABLE + " FINAL")) {
            marks.put(row.get("cloud_account_id").asString(),
                    Instant.ofEpochSecond(ClickHouseGateway.longValue(row.get("watermark_unix"))));
        }
        return marks;
    }

    /** One insert; never back: the table keeps the largest. */
    @Override
    public void advance(Map<String, Instant> watermarks, String runId) {
        if (watermarks.isEmpty()) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        ByteArrayOutputStream body = new ByteArrayOutputStream(watermarks.size() * 120);
        watermarks.forEach((tenant, watermark) -> {
            ObjectNode row = ClickHouseGateway.json().createObjectNode()
                    .put("cloud_account_id", tenant)
                    .put("watermark", watermark.getEpochSecond())
                    .put("run_id", runId)
                    .put("updated_at", now);
            body.writeBytes((row + "\n").getBytes(StandardCharsets.UTF_8));
        });
        ch.insertJsonEachRow(TABLE, body.toByteArray());
    }
}
