-- Raw OTel metric data points, lossless, one row per data point; the shared columns follow the
-- collector's ClickHouse exporter (metric identity, resource, scope, typed point attributes, exemplars).
-- ORDER BY (project, metric_name, run_id, time): dashboards read one metric of a project or run over a
-- time range. Daily partitions; run-less points expire {{telemetry_ttl_days}} days after arrival (see 0001), run points are kept.
-- Typed attribute maps and OTLP/JSON text for scope attributes, metric metadata and exemplar attributes,
-- as in spans (docs/storage.md).
-- Gauge and Sum points share this table: metric_type 1 = Gauge, 2 = Sum. value_type says which of
-- value_double / value_int the point carried (1 = as_double, 2 = as_int), so int64 values stay exact.
CREATE TABLE IF NOT EXISTS metrics_number {{on_cluster}}
(
    project                  LowCardinality(String) CODEC(ZSTD(1)),
    ingested_at              DateTime MATERIALIZED now() CODEC(Delta(4), ZSTD(1)),
    run_id                   String CODEC(ZSTD(1)),
    metric_name              LowCardinality(String) CODEC(ZSTD(1)),
    metric_description       String CODEC(ZSTD(1)),
    metric_unit              LowCardinality(String) CODEC(ZSTD(1)),
    metric_metadata          String CODEC(ZSTD(1)),
    service_name             LowCardinality(String) CODEC(ZSTD(1)),
    start_time               DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    time                     DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    flags                    UInt32 CODEC(T64, ZSTD(1)),
    attributes_str           Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_int           Map(LowCardinality(String), Int64) CODEC(ZSTD(1)),
    attributes_float         Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
    attributes_bool          Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
    attributes_json          Map(LowCardinality(String), String) CODEC(ZSTD(1)),
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
    exemplars                Nested(
        time                 DateTime64(9),
        value_type           UInt8,
        value_double         Float64,
        value_int            Int64,
        trace_id             String,
        span_id              String,
        filtered_attributes  String
    ),
    metric_type              UInt8 CODEC(T64, ZSTD(1)),
    aggregation_temporality  UInt8 CODEC(T64, ZSTD(1)),
    is_monotonic             Bool CODEC(ZSTD(1)),
    value_type               UInt8 CODEC(T64, ZSTD(1)),
    value_double             Float64 CODEC(Gorilla, ZSTD(1)),
    value_int                Int64 CODEC(T64, ZSTD(1))
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (project, metric_name, run_id, time)
TTL ingested_at + toIntervalDay({{telemetry_ttl_days}}) DELETE WHERE run_id = ''
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0;
