-- Step rollups: each stepped series pre-aggregated into buckets of 100 and of 10,000 steps, so a
-- chart of a long run reads a few thousand rollup rows instead of millions of raw points (ARCHITECTURE §6:
-- one chart of 10 runs × 1M steps in ≤ 150 ms). `readSeries` picks the coarsest level that still leaves at
-- least maxPoints buckets in the requested range and re-buckets those rows; short ranges read raw points.
--
-- * One row per (project, run, key, labels, width, bucket = intDiv(step, width)); AggregatingMergeTree so
--   inserts of any size merge into one row per bucket. The MV's GROUP BY pre-aggregates every insert
--   block: a 10,000-point insert of one series writes 101 rollup rows. Two levels, not four (10/100/1k/10k):
--   each level multiplies the rows the view aggregates, and four cost ~35% of metric ingest throughput;
--   two keep ingest ≥ 250k points/s while a 1M-step chart reads 10k rows per series (bench/RESULTS.md).
-- * last_value is argMax by (step, time) packed into one Int128 exactly as in metric_summaries (0008);
--   first_step/last_step bound the bucket's points (last_step is the x of its last point); min/max ignore NaN (NULL) like the summaries; count
--   counts every point.
-- * Only points with a step (step >= 0) and a run; time axes read raw points.
-- * No partitions (a partition would keep a bucket split across parts forever); no TTL: run data is kept.
CREATE TABLE IF NOT EXISTS metric_rollups {{on_cluster}}
(
    project     LowCardinality(String) CODEC(ZSTD(1)),
    run_id      String CODEC(ZSTD(1)),
    key         LowCardinality(String) CODEC(ZSTD(1)),
    labels      String CODEC(ZSTD(1)),
    width       UInt32,
    bucket      Int64 CODEC(DoubleDelta, ZSTD(1)),
    last_value  AggregateFunction(argMax, Float64, Int128),
    min_value   SimpleAggregateFunction(min, Nullable(Float64)),
    max_value   SimpleAggregateFunction(max, Nullable(Float64)),
    point_count SimpleAggregateFunction(sum, UInt64),
    first_step  SimpleAggregateFunction(min, Int64),
    last_step   SimpleAggregateFunction(max, Int64)
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (project, run_id, key, labels, width, bucket)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_rollups_mv {{on_cluster}} TO metric_rollups AS
SELECT
    project,
    run_id,
    key,
    labels,
    arrayJoin([100, 10000]) AS width,
    intDiv(step, width)               AS bucket,
    argMaxState(value, toInt128(step) * toInt128('18446744073709551616')
                       + toInt128(toUnixTimestamp64Nano(time)) + toInt128('9223372036854775808'))
                                       AS last_value,
    min(if(isNaN(value), NULL, value)) AS min_value,
    max(if(isNaN(value), NULL, value)) AS max_value,
    count()                            AS point_count,
    min(step)                          AS first_step,
    max(step)                          AS last_step
FROM metric_points
WHERE run_id != '' AND step >= 0
GROUP BY project, run_id, key, labels, width, bucket;
