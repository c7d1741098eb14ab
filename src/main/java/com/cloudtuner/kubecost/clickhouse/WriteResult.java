package com.cloudtuner.kubecost.clickhouse;

/**
 * What one write did to k8s_expenses.
 *
 * @param rows       rows in the batch; all of them are current after the write
 * @param changed    rows inserted because they were new or differed from what was stored
 * @param tombstoned stored rows marked deleted because the batch no longer has them
 */
public record WriteResult(int rows, int changed, int tombstoned) {

    public static final WriteResult NOTHING = new WriteResult(0, 0, 0);

    public WriteResult plus(WriteResult o) {
        return new WriteResult(rows + o.rows, changed + o.changed, tombstoned + o.tombstoned);
    }
}
