package com.cloudtuner.kubecost.clickhouse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Compares the migration history a database records with this build's files, read-only. */
final class MigrationStatus {

    private MigrationStatus() {
    }

    static List<MigrationState> read(ClickHouseGateway ch, List<Migration> migrations, String historyTable) {
        Map<Integer, JsonNode> applied = new HashMap<>();
        // system.tables first: selecting from a missing table (or database) is an error, not "nothing applied"
        if (ch.tableExists(historyTable)) {
            for (JsonNode row : ch.select("SELECT version, script, checksum FROM `" + ch.database() + "`." + historyTable
                    + " ORDER BY version")) {
                applied.put((int) ClickHouseGateway.longValue(row.get("version")), row);
            }
        }
        List<MigrationState> states = new ArrayList<>();
        Map<Integer, Migration> known = new HashMap<>();
        for (Migration m : migrations) {
            known.put(m.version(), m);
            JsonNode row = applied.get(m.version());
            if (row == null) {
                states.add(new MigrationState(m.version(), m.script(), MigrationState.Status.PENDING, null, m.checksum()));
            } else {
                String recorded = row.get("checksum").asString();
                states.add(new MigrationState(m.version(), m.script(), recorded.equals(m.checksum())
                        ? MigrationState.Status.APPLIED : MigrationState.Status.CHANGED, recorded, m.checksum()));
            }
        }
        applied.forEach((version, row) -> {
            if (!known.containsKey(version)) {
                states.add(new MigrationState(version, row.get("script").asString(), MigrationState.Status.UNKNOWN_TO_THIS_BUILD,
                        row.get("checksum").asString(), null));
            }
        });
        states.sort(Comparator.comparingInt(MigrationState::version));
        return states;
    }
}
