-- Worker shards (worker.shard.index / worker.shard.count): each run's rows name the shard that ran
-- it, `index/count` (e.g. '0/3'). An unsharded worker writes '', as every row written before this
-- migration reads: '' is a run over every tenant. One column per statement (see V7).
ALTER TABLE k8s_expenses_runs
    ADD COLUMN shard String DEFAULT '';

ALTER TABLE k8s_worker_runs
    ADD COLUMN shard String DEFAULT '';
