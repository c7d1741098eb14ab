package com.cloudtuner.kubecost.diagnose;

import com.cloudtuner.kubecost.clickhouse.ClickHouseGateway;
import com.cloudtuner.kubecost.cost.Costs;
import com.cloudtuner.kubecost.cost.Efficiencies;
import com.cloudtuner.kubecost.cost.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * Reads what readers see: the rows {@code k8s_expenses_current} shows (the newest version of each
 * key, tombstones gone). The filter goes inside {@code FINAL} rather than on the view because
 * ClickHouse 18.16 does not push it into a view, and would merge the whole table first.
 */
final class StoredRows {

    /** How ClickHouse writes NULL in TabSeparated, after the gateway's unescaping. */
    private static final String NULL = "\\N";
    private static final String COLUMNS = "cloud_account_id, cluster, namespace, toUnixTimestamp(hour), currency, cost, cpu_cost,"
            + " ram_cost, pv_cost, network_cost, lb_cost, cpu_efficiency, ram_efficiency, total_efficiency, coverage, version,"
            + " toUnixTimestamp(computed_at)";

    private StoredRows() {
    }

    static List<StoredRow> of(ClickHouseGateway ch, Collection<String> tenants, Window window) {
        StringJoiner ids = new StringJoiner(", ");
        tenants.forEach(t -> ids.add(ClickHouseGateway.quote(t)));
        return select(ch, "cloud_account_id IN (" + ids + ")", window);
    }

    static List<StoredRow> of(ClickHouseGateway ch, String tenant, String cluster, String namespace, Window window) {
        return select(ch, "cloud_account_id = " + ClickHouseGateway.quote(tenant) + " AND cluster = " + ClickHouseGateway.quote(cluster)
                + " AND namespace = " + ClickHouseGateway.quote(namespace), window);
    }

    private static List<StoredRow> select(ClickHouseGateway ch, String where, Window window) {
        List<StoredRow> rows = new ArrayList<>();
        ch.selectTabSeparated("SELECT " + COLUMNS + " FROM (SELECT * FROM k8s_expenses FINAL WHERE " + where
                + " AND hour >= toDateTime(" + window.start().getEpochSecond() + ") AND hour < toDateTime("
                + window.end().getEpochSecond() + ")) WHERE deleted = 0", f -> rows.add(new StoredRow(f[0], f[1], f[2],
                Instant.ofEpochSecond(Long.parseLong(f[3])), f[4],
                new Costs(d(f[5]), d(f[6]), d(f[7]), d(f[8]), d(f[9]), d(f[10])),
                new Efficiencies(nullable(f[11]), nullable(f[12]), nullable(f[13])), d(f[14]),
                Long.parseLong(f[15]), Instant.ofEpochSecond(Long.parseLong(f[16])))));
        return rows;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    private static Double nullable(String s) {
        return s.equals(NULL) ? null : Double.parseDouble(s);
    }
}
