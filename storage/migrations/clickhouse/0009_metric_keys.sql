-- The project key catalogue: one row per (project, key, labels) that any run logged, with when it was
-- first and last seen (point time) and how many points carry it. Column pickers and filter autocomplete
-- read it; a run's own keys come from metric_summaries (its (project, run_id, ...) range).
--
-- * Kept at ingest by a materialized view chained on metric_summaries (0008): an insert into metric_points
--   runs metric_summaries_mv, whose insert into metric_summaries runs this view over the block it wrote,
--   one row per series instead of one per point. So the catalogue costs per series at ingest, inherits the
--   summaries' rules (run-less points left out) and a backfill of metric_summaries fills it too.
-- * Engine: AggregatingMergeTree with SimpleAggregateFunction columns (plain values; merges fold rows of
--   the same key). Reads still GROUP BY, since rows of one key can sit in several parts until merged.
-- * Times are Unix nanoseconds as Int64, for the reason given in 0008.
-- * ORDER BY (project, key, labels): a project's catalogue is one contiguous, key-sorted range instead of
--   every run's summaries. No PARTITION BY (rows of one key must be able to merge).
CREATE TABLE IF NOT EXISTS metric_keys {{on_cluster}}
(
    project       LowCardinality(String) CODEC(ZSTD(1)),
    key           LowCardinality(String) CODEC(ZSTD(1)),
    labels        String CODEC(ZSTD(1)),
    first_time_ns SimpleAggregateFunction(min, Int64),
    last_time_ns  SimpleAggregateFunction(max, Int64),
    point_count   SimpleAggregateFunction(sum, UInt64)
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (project, key, labels)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_keys_mv {{on_cluster}} TO metric_keys AS
SELECT
    project,
    key,
    labels,
    min(first_time_ns) AS first_time_ns,
    max(last_time_ns)  AS last_time_ns,
    sum(point_count) AS point_count
FROM metric_summaries
GROUP BY project, key, labels;
