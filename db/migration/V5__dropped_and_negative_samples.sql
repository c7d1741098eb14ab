-- Per tenant and run: samples that were not finite (NaN, +Inf, -Inf) and were dropped, and valid
-- cost samples below zero (credits, or a broken exporter) that were used. One statement: ClickHouse
-- 18.16 has no ADD COLUMN IF NOT EXISTS, and the migrator skips an ADD COLUMN whose first column
-- already exists, so a run that died after it and before recording it can run it again.
ALTER TABLE k8s_expenses_runs
    ADD COLUMN non_finite_samples UInt64 DEFAULT 0,
    ADD COLUMN negative_cost_samples UInt64 DEFAULT 0;
