-- Span tree: one row per span with the few columns a node of the trace explorer's tree shows, in tree
-- order. A materialized view keeps it from every insert into spans.
--
-- Reads it serves (storage/src/traces/tree.ts, stats.ts):
-- * "children of span X" and "child counts of these spans": ORDER BY (project, trace_id, parent_span_id,
--   start_ns, span_id) makes the children of one span one contiguous range, already in the order the tree
--   lists them (start time, then span id), so a page of children is a range read with a keyset, and a child
--   count is a count over a range, never a scan of a 100k-span trace. Roots are the range parent = ''
--   plus orphans (a hash anti-join over the trace's two id columns, storage/src/traces/tree.ts).
-- * span detail finds a span's start time here (idx_span_id) before reading its full row from spans with
--   the hour bucket of spans' sort key pinned.
-- * per-span usage (model, tokens, reported cost) for the stats route and, via trace_summaries_mv (0015),
--   the per-trace sums: computed once here at ingest, so those reads never touch attribute maps.
-- * the runs of spans (idx_run_id): stats of one run; deleting a run's rows.
--
-- Columns:
-- * start_ns Int64 (Unix ns), not DateTime64(9): exact, and min/max over it are exact in chDB (see 0008).
-- * attributes_*: the span's attributes without string/JSON values over 256 characters (messages,
--   prompts, tool payloads). A node's kind, model, tokens, cost and tool name come from normalizeSpan over
--   these (query/src/traces/normalize.ts); span detail reads the full maps from spans.
-- * model / input_tokens / output_tokens: the first present of each convention's keys, in the order
--   normalizeSpan reads them: OTel GenAI (response model > request model; usage.input/output_tokens),
--   deprecated GenAI (usage.prompt/completion_tokens), OpenInference (llm.response.model_name >
--   llm.model_name > llm.request.model_name > embedding.model_name; llm.token_count.prompt/completion),
--   MLflow (mlflow.llm.model; mlflow.chat.tokenUsage JSON). Counts sent as doubles or numeric text count.
-- * cost_reported / reported_cost: the span reported its own cost (any of llm.cost.prompt/completion/total,
--   else of mlflow.llm.cost's input_cost/output_cost/total_cost) and its total (total, else prompt +
--   completion; NULL when neither is known). Such a span is never priced from the table.
-- * counted: whether the span's tokens count toward trace, session and project sums. Agent, workflow and
--   chain spans often repeat the usage of the model calls under them (GenAI invoke_agent may carry
--   gen_ai.usage.*), so they are left out of sums to avoid counting the same tokens twice; their own
--   nodes still show what they carry.
-- * session_id: gen_ai.conversation.id > session.id > mlflow.trace.session.
--
-- * No partitions by time: a trace's spans stay in one sort order whatever day they start, and the table
--   is read by trace, never by time range alone. Monthly partitions by ingest time would only split
--   ranges. TTL as spans (0001): rows naming no run expire {{telemetry_ttl_days}} days after they arrived.
-- * A view only sees inserts made after it exists: spans stored before this migration need a one-off
--   `INSERT INTO span_tree SELECT … FROM spans` with the view's SELECT (docs/storage.md).
CREATE TABLE IF NOT EXISTS span_tree {{on_cluster}}
(
    project         LowCardinality(String) CODEC(ZSTD(1)),
    trace_id        String CODEC(ZSTD(1)),
    parent_span_id  String CODEC(ZSTD(1)),
    start_ns        Int64 CODEC(Delta(8), ZSTD(1)),
    span_id         String CODEC(ZSTD(1)),
    duration_ns     UInt64 CODEC(T64, ZSTD(1)),
    ingested_at     DateTime CODEC(Delta(4), ZSTD(1)),
    run_id          String CODEC(ZSTD(1)),
    name            LowCardinality(String) CODEC(ZSTD(1)),
    kind            UInt8 CODEC(T64, ZSTD(1)),
    service_name    LowCardinality(String) CODEC(ZSTD(1)),
    status_code     UInt8 CODEC(T64, ZSTD(1)),
    status_message  String CODEC(ZSTD(1)),
    session_id      String CODEC(ZSTD(1)),
    model           LowCardinality(String) CODEC(ZSTD(1)),
    input_tokens    Nullable(Int64) CODEC(ZSTD(1)),
    output_tokens   Nullable(Int64) CODEC(ZSTD(1)),
    counted         Bool CODEC(ZSTD(1)),
    cost_reported   Bool CODEC(ZSTD(1)),
    reported_cost   Nullable(Float64) CODEC(ZSTD(1)),
    attributes_str   Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_int   Map(LowCardinality(String), Int64) CODEC(ZSTD(1)),
    attributes_float Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
    attributes_bool  Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
    attributes_json  Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    INDEX idx_span_id span_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_run_id run_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = {{replicated}}MergeTree
ORDER BY (project, trace_id, parent_span_id, start_ns, span_id)
TTL ingested_at + toIntervalDay({{telemetry_ttl_days}}) DELETE WHERE run_id = ''
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0;

-- The SELECT computes in a subquery and renames outside it: an alias named like a column of spans
-- (attributes_str) would otherwise replace that column everywhere else in the same SELECT.
CREATE MATERIALIZED VIEW IF NOT EXISTS span_tree_mv {{on_cluster}} TO span_tree AS
SELECT
    project, trace_id, parent_span_id, start_ns, span_id, duration_ns, ingested_at, run_id, name, kind,
    service_name, status_code, status_message, session_id, model, input_tokens, output_tokens, counted,
    cost_reported, reported_cost, small_str AS attributes_str, attributes_int, attributes_float, attributes_bool,
    small_json AS attributes_json
FROM
(
    WITH
        -- A number from the int, float or (numeric text) string map, as normalizeSpan's reader takes it.
        ((k) -> multiIf(mapContains(attributes_int, k), toFloat64(attributes_int[k]),
                        mapContains(attributes_float, k) AND isFinite(attributes_float[k]), attributes_float[k],
                        toFloat64OrNull(attributes_str[k]))) AS num,
        arrayFirst(v -> v >= 0, arrayMap(k -> num(k), ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'])) AS in_tokens,
        arrayFirst(v -> v >= 0, arrayMap(k -> num(k), ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'])) AS out_tokens,
        attributes_str['mlflow.chat.tokenUsage'] AS mlflow_usage,
        JSONExtract(attributes_str['mlflow.llm.cost'], 'Tuple(input_cost Nullable(Float64), output_cost Nullable(Float64), total_cost Nullable(Float64))') AS mlflow_cost,
        num('llm.cost.prompt') AS cost_prompt,
        num('llm.cost.completion') AS cost_completion,
        num('llm.cost.total') AS cost_total,
        cost_prompt IS NOT NULL OR cost_completion IS NOT NULL OR cost_total IS NOT NULL AS oi_cost,
        attributes_str['gen_ai.operation.name'] AS operation,
        upper(attributes_str['openinference.span.kind']) AS oi_kind,
        upper(trim(BOTH '"' FROM attributes_str['mlflow.spanType'])) AS mlflow_type
    SELECT
        project,
        trace_id,
        parent_span_id,
        toUnixTimestamp64Nano(timestamp) AS start_ns,
        span_id,
        if(end_timestamp > timestamp, toUnixTimestamp64Nano(end_timestamp) - toUnixTimestamp64Nano(timestamp), 0) AS duration_ns,
        now() AS ingested_at,
        run_id,
        name,
        kind,
        service_name,
        status_code,
        status_message,
        multiIf(attributes_str['gen_ai.conversation.id'] != '', attributes_str['gen_ai.conversation.id'],
                attributes_str['session.id'] != '', attributes_str['session.id'],
                trim(BOTH '"' FROM attributes_str['mlflow.trace.session'])) AS session_id,
        multiIf(attributes_str['gen_ai.response.model'] != '', attributes_str['gen_ai.response.model'],
                attributes_str['gen_ai.request.model'] != '', attributes_str['gen_ai.request.model'],
                attributes_str['llm.response.model_name'] != '', attributes_str['llm.response.model_name'],
                attributes_str['llm.model_name'] != '', attributes_str['llm.model_name'],
                attributes_str['llm.request.model_name'] != '', attributes_str['llm.request.model_name'],
                attributes_str['embedding.model_name'] != '', attributes_str['embedding.model_name'],
                trim(BOTH '"' FROM attributes_str['mlflow.llm.model'])) AS model,
        toInt64(coalesce(in_tokens, JSONExtract(mlflow_usage, 'input_tokens', 'Nullable(Float64)'))) AS input_tokens,
        toInt64(coalesce(out_tokens, JSONExtract(mlflow_usage, 'output_tokens', 'Nullable(Float64)'))) AS output_tokens,
        multiIf(operation IN ('chat', 'generate_content', 'text_completion', 'embeddings', 'execute_tool', 'invoke_agent',
                              'create_agent', 'retrieval', 'invoke_workflow'),
                    operation NOT IN ('invoke_agent', 'create_agent', 'invoke_workflow'),
                oi_kind != '', oi_kind NOT IN ('AGENT', 'CHAIN'),
                mlflow_type != '', mlflow_type NOT IN ('AGENT', 'CHAIN', 'WORKFLOW', 'TASK', 'PARSER'),
                true) AS counted,
        oi_cost OR mlflow_cost.1 IS NOT NULL OR mlflow_cost.2 IS NOT NULL OR mlflow_cost.3 IS NOT NULL AS cost_reported,
        if(oi_cost, coalesce(cost_total, cost_prompt + cost_completion),
                    coalesce(mlflow_cost.3, mlflow_cost.1 + mlflow_cost.2)) AS reported_cost,
        mapFilter((k, v) -> length(v) <= 256, attributes_str) AS small_str,
        attributes_int,
        attributes_float,
        attributes_bool,
        mapFilter((k, v) -> length(v) <= 256, attributes_json) AS small_json
    FROM spans
);
