-- Spans: one row per OTLP span, lossless.
--
-- Reads this table serves (later issues): a trace by id (the trace explorer), recent spans of a project
-- (trace search, newest first), spans of a run (run <-> trace links), and per-project aggregates.
--
-- * ORDER BY (project, toStartOfHour(timestamp), trace_id, span_id): project first because every query is
--   scoped to one; the hour bucket keeps "recent spans of a project" a contiguous range scan; trace_id next
--   clusters a trace's spans inside each hour so a trace read touches few granules.
-- * idx_trace_id (bloom filter) makes "trace by id" skip granules across all hours; idx_run_id does the
--   same for "spans of a run" (run_id is '' for telemetry that names no run).
-- * PARTITION BY toYYYYMMDD(timestamp): daily parts keep merges small and let old days be dropped or moved
--   as a unit; the TTL below deletes rows (it has a WHERE, so ttl_only_drop_parts must stay 0).
-- * TTL: telemetry that names no run is project-level operational data and expires
--   {{telemetry_ttl_days}} days after it ARRIVED (ingested_at), not after its own timestamp: a replay of
--   old data, a client with a wrong clock or a zero timestamp must not be deleted the moment it lands.
--   Spans that belong to a run are part of the experiment record and are kept.
-- * Attributes keep their OTLP value types in one map per type (see docs/storage.md); events and links
--   keep their attributes as OTLP/JSON text, which is lossless and typed.
-- * Codecs: Delta+ZSTD on nanosecond timestamps (monotone within a part), T64 on small integers, ZSTD(1)
--   elsewhere; LowCardinality for names that repeat (project, service, span name).
CREATE TABLE IF NOT EXISTS spans {{on_cluster}}
(
    project                  LowCardinality(String) CODEC(ZSTD(1)),
    ingested_at              DateTime MATERIALIZED now() CODEC(Delta(4), ZSTD(1)),
    run_id                   String CODEC(ZSTD(1)),
    timestamp                DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    end_timestamp            DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    duration_ns              UInt64 MATERIALIZED if(end_timestamp > timestamp, toUnixTimestamp64Nano(end_timestamp) - toUnixTimestamp64Nano(timestamp), 0) CODEC(T64, ZSTD(1)),
    trace_id                 String CODEC(ZSTD(1)),
    span_id                  String CODEC(ZSTD(1)),
    parent_span_id           String CODEC(ZSTD(1)),
    trace_state              String CODEC(ZSTD(1)),
    flags                    UInt32 CODEC(T64, ZSTD(1)),
    name                     LowCardinality(String) CODEC(ZSTD(1)),
    kind                     UInt8 CODEC(T64, ZSTD(1)),
    service_name             LowCardinality(String) CODEC(ZSTD(1)),
    status_code              UInt8 CODEC(T64, ZSTD(1)),
    status_message           String CODEC(ZSTD(1)),
    attributes_str           Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_int           Map(LowCardinality(String), Int64) CODEC(ZSTD(1)),
    attributes_float         Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
    attributes_bool          Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
    attributes_json          Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    dropped_attributes_count UInt32 CODEC(T64, ZSTD(1)),
    events                   Nested(
        timestamp                DateTime64(9),
        name                     LowCardinality(String),
        attributes               String,
        dropped_attributes_count UInt32
    ),
    dropped_events_count     UInt32 CODEC(T64, ZSTD(1)),
    links                    Nested(
        trace_id                 String,
        span_id                  String,
        trace_state              String,
        attributes               String,
        dropped_attributes_count UInt32,
        flags                    UInt32
    ),
    dropped_links_count      UInt32 CODEC(T64, ZSTD(1)),
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
    INDEX idx_run_id run_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration duration_ns TYPE minmax GRANULARITY 1
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (project, toStartOfHour(timestamp), trace_id, span_id)
TTL ingested_at + toIntervalDay({{telemetry_ttl_days}}) DELETE WHERE run_id = ''
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0;
