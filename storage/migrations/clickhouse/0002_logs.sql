-- Logs: one row per OTLP log record (console output, events such as mlrun.run.start or
-- gen_ai.evaluation.result), lossless. Records with event_name = 'mlrun.metrics' are not stored here:
-- they are exploded into metric_points, one row per numeric attribute (see 0003).
--
-- Reads this table serves: a run's console lines and events in time order (run logs tab), a project's
-- recent logs, events of a kind (event_name), and logs correlated to a trace.
--
-- * ORDER BY (project, run_id, timestamp): a run's logs are one contiguous, time-ordered range.
-- * idx_trace_id / idx_event_name skip granules for trace correlation and event lookups.
-- * body keeps a string body verbatim; any other body type is stored as its OTLP/JSON AnyValue text and
--   body_type (the AnyValue case number) says which, so nothing is lost or re-typed.
-- * PARTITION and TTL as for spans: run-less logs expire {{telemetry_ttl_days}} days after arrival.
CREATE TABLE IF NOT EXISTS logs {{on_cluster}}
(
    project                  LowCardinality(String) CODEC(ZSTD(1)),
    ingested_at              DateTime MATERIALIZED now() CODEC(Delta(4), ZSTD(1)),
    run_id                   String CODEC(ZSTD(1)),
    timestamp                DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    observed_timestamp       DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    trace_id                 String CODEC(ZSTD(1)),
    span_id                  String CODEC(ZSTD(1)),
    flags                    UInt32 CODEC(T64, ZSTD(1)),
    severity_number          UInt8 CODEC(T64, ZSTD(1)),
    severity_text            LowCardinality(String) CODEC(ZSTD(1)),
    event_name               LowCardinality(String) CODEC(ZSTD(1)),
    service_name             LowCardinality(String) CODEC(ZSTD(1)),
    body_type                UInt8 CODEC(T64, ZSTD(1)),
    body                     String CODEC(ZSTD(1)),
    attributes_str           Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_int           Map(LowCardinality(String), Int64) CODEC(ZSTD(1)),
    attributes_float         Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
    attributes_bool          Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
    attributes_json          Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    dropped_attributes_count UInt32 CODEC(T64, ZSTD(1)),
    resource_str             Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    resource_int             Map(LowCardinality(String), Int64) CODEC(ZSTD(1)),
    resource_float           Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
    resource_bool            Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
    resource_json            Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    resource_dropped_attributes_count UInt32 CODEC(T64, ZSTD(1)),
    resource_schema_url      LowCardinality(String) CODEC(ZSTD(1)),
    scope_name               LowCardinality(String) CODEC(ZSTD(1)),
    scope_version            LowCardinality(String) CODEC(ZSTD(1)),
    scope_attributes         String CODEC(ZSTD(1)),
    scope_dropped_attributes_count UInt32 CODEC(T64, ZSTD(1)),
    scope_schema_url         LowCardinality(String) CODEC(ZSTD(1)),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_event_name event_name TYPE set(256) GRANULARITY 4
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (project, run_id, timestamp)
TTL ingested_at + toIntervalDay({{telemetry_ttl_days}}) DELETE WHERE run_id = ''
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0;
