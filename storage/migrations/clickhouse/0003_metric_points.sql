-- Metric points: the ML series table, one narrow row per (run, key, step, time, value).
-- Rows come from `mlrun.metrics` log events (one row per numeric attribute of the record) and from every
-- Gauge and Sum data point (key = metric name, labels = the point's other attributes).
--
-- Reads this table serves: a run's series by key over step or time (charts, downsampled by bucket),
-- the same key across N runs (compare), and the key catalogue of a run.
--
-- * ORDER BY (project, run_id, key, labels, step, time): one series is one contiguous, step-ordered range,
--   which is exactly what a chart or a bucketed downsample reads.
-- * step is the training step (Int64); -1 means the point carried no step (charts use time for it).
-- * source: 1 = mlrun.metrics event, 2 = OTel Gauge, 3 = OTel Sum.
-- * value keeps NaN and +-Inf (Float64), like every tracker users compare us with.
-- * PARTITION BY month: runs are long-lived, so few large parts; no TTL on run data. Run-less points
--   (OTel meters that name no run) expire {{telemetry_ttl_days}} days after arrival (see 0001).
-- * Codecs: DoubleDelta on step (usually +1 per row within a series), Gorilla on value.
CREATE TABLE IF NOT EXISTS metric_points {{on_cluster}}
(
    project   LowCardinality(String) CODEC(ZSTD(1)),
    ingested_at DateTime MATERIALIZED now() CODEC(Delta(4), ZSTD(1)),
    run_id    String CODEC(ZSTD(1)),
    key       LowCardinality(String) CODEC(ZSTD(1)),
    labels    String CODEC(ZSTD(1)),
    step      Int64 CODEC(DoubleDelta, ZSTD(1)),
    time      DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    value     Float64 CODEC(Gorilla, ZSTD(1)),
    source    UInt8 CODEC(T64, ZSTD(1))
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (project, run_id, key, labels, step, time)
TTL ingested_at + toIntervalDay({{telemetry_ttl_days}}) DELETE WHERE run_id = ''
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0;
