-- Metric summaries: one row per run series (project, run_id, key, labels) holding its last value (by step,
-- then time), min, max, point count, last step and first/last time. A materialized view keeps it at
-- ingest from every insert into metric_points; reads never scan raw points.
--
-- * Engine: AggregatingMergeTree. The view aggregates each insert block into one row per series; merges
--   fold a series' rows from different parts together. Merges are eventual, so a read must still aggregate
--   (GROUP BY with argMaxMerge/min/max/sum): a series can sit in several parts until they merge.
-- * last_value is AggregateFunction(argMax, Float64, Int128): the value at the greatest (step, time).
--   The order key packs the pair into one Int128, step * 2^64 + (time in ns + 2^63), which orders exactly
--   like the tuple (step, time) for every Int64 step and time, and makes the view ~2-3x cheaper at
--   ingest than argMax over a Tuple(Int64, DateTime64(9)) (measured in chDB 26.7). step -1 (no step)
--   sorts below every real step, so a series without steps is "last by time", and a stepped point always
--   beats an unstepped one. Two points with the same step and time: either may win. A NaN last value
--   stays NaN (it is what the run logged last).
-- * min_value / max_value are SimpleAggregateFunction over Nullable(Float64), fed NULL for NaN: min and
--   max ignore NaN explicitly (not relying on one ClickHouse version's NaN ordering), keep +-Inf, and are
--   NULL when a series has only NaN (the reader turns that into NaN). Simple aggregate columns store plain
--   values, cheaper than -State for min/max/sum.
-- * point_count counts every point, NaN included: it is the number of rows metric_points holds.
-- * first_time_ns / last_time_ns are Unix nanoseconds as Int64, not DateTime64(9): chDB 26.7's min/max
--   over DateTime64(9) can return a wrong value when a group mixes times before and after 1970 and spans
--   several blocks (reproduced with GROUP BY over two parts); over Int64 they are exact. Readers wanted
--   nanoseconds anyway.
-- * ORDER BY (project, run_id, key, labels): the product reads summaries by run (run page, the runs table's
--   metric columns, compare over N runs), so one run's summaries are one contiguous range; the per-run key
--   catalogue is the same range. Reading one key across every run of a project scans the project's rows.
-- * No PARTITION BY: a partition would keep a series' rows apart forever (merges never cross partitions).
--   The table is small (rows = series, not points).
-- * Run-less points (OTel meters naming no run, run_id = '') are not summarised: they expire from
--   metric_points after the telemetry TTL and have no run to show a summary on.
-- * A view only sees inserts made after it exists: points stored before this migration need a one-off
--   backfill (docs/storage.md). Deleting points does not touch summaries; delete from both.
CREATE TABLE IF NOT EXISTS metric_summaries {{on_cluster}}
(
    project       LowCardinality(String) CODEC(ZSTD(1)),
    run_id        String CODEC(ZSTD(1)),
    key           LowCardinality(String) CODEC(ZSTD(1)),
    labels        String CODEC(ZSTD(1)),
    last_value    AggregateFunction(argMax, Float64, Int128),
    min_value     SimpleAggregateFunction(min, Nullable(Float64)),
    max_value     SimpleAggregateFunction(max, Nullable(Float64)),
    point_count   SimpleAggregateFunction(sum, UInt64),
    last_step     SimpleAggregateFunction(max, Int64),
    first_time_ns SimpleAggregateFunction(min, Int64),
    last_time_ns  SimpleAggregateFunction(max, Int64)
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (project, run_id, key, labels)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_summaries_mv {{on_cluster}} TO metric_summaries AS
SELECT
    project,
    run_id,
    key,
    labels,
    argMaxState(value, toInt128(step) * toInt128('18446744073709551616')
                       + toInt128(toUnixTimestamp64Nano(time)) + toInt128('9223372036854775808'))
                                       AS last_value,
    min(if(isNaN(value), NULL, value)) AS min_value,
    max(if(isNaN(value), NULL, value)) AS max_value,
    count()                            AS point_count,
    max(step)                          AS last_step,
    min(toUnixTimestamp64Nano(time))   AS first_time_ns,
    max(toUnixTimestamp64Nano(time))   AS last_time_ns
FROM metric_points
WHERE run_id != ''
GROUP BY project, run_id, key, labels;
