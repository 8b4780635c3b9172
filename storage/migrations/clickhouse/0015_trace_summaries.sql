-- Trace summaries: one row per trace (project, trace_id) with what a row of the trace list shows and
-- what trace search filters on: start (min), end (max), span and error counts, the root span, service,
-- run, session, models and token sums. A materialized view on span_tree (0014) keeps it at ingest, so
-- trace search, sessions and the traces of a run aggregate one small row per trace instead of scanning
-- spans (1M spans → ~50k rows).
--
-- Reads it serves (storage/src/traces/summaries.ts): the trace list of a project newest first with its
-- filters and keyset pages, one trace's head, the sessions of a project (traces grouped by session_id),
-- the traces of a run.
--
-- * Engine: AggregatingMergeTree, ORDER BY (project, trace_id). The view aggregates each insert block into
--   one row per trace; a trace exported over many requests has many rows until merges fold them, so every
--   read aggregates again (min/max/sum/argMinMerge … GROUP BY trace_id) and is exact before and after merges.
-- * Newest first: the start of a trace is an aggregate (min over its spans, known only after reading all its
--   rows), so it cannot be a sort key; "newest first" is a top-N over the project's aggregated rows. Filters
--   on spans (the `filter` expression, name, service) become a trace_id IN (…) set, which the sort key turns
--   into point reads.
-- * root: argMin over (has a parent, start) of (name, span id, service, is root): the earliest span without
--   a parent, else the earliest span (is_root = 0: the root has not arrived; the API shows no root name).
-- * run_id / session_id: max over spans, i.e. any non-empty value ('' sorts first).
-- * models: every span's model (0014's precedence), once each.
-- * input_tokens / output_tokens: sums over `counted` spans (0014). priced: the same tokens of spans that
--   reported no cost, per model — the API prices them with its price table (cost = Σ tokens × price), and
--   adds reported_cost, the sum of costs spans reported themselves (llm.cost.*, mlflow.llm.cost), over
--   reported_spans spans (a trace with neither priced tokens nor reported costs has no cost).
-- * TTL as spans: a trace naming no run expires {{telemetry_ttl_days}} days after its last row arrived.
-- * No partitions (they would keep a trace's rows apart forever; merges never cross partitions).
CREATE TABLE IF NOT EXISTS trace_summaries {{on_cluster}}
(
    project        LowCardinality(String) CODEC(ZSTD(1)),
    trace_id       String CODEC(ZSTD(1)),
    start_ns       SimpleAggregateFunction(min, Int64),
    end_ns         SimpleAggregateFunction(max, Int64),
    span_count     SimpleAggregateFunction(sum, UInt64),
    error_count    SimpleAggregateFunction(sum, UInt64),
    ok_count       SimpleAggregateFunction(sum, UInt64),
    root           AggregateFunction(argMin, Tuple(String, String, String, UInt8), Tuple(UInt8, Int64)),
    run_id         SimpleAggregateFunction(max, String),
    session_id     SimpleAggregateFunction(max, String),
    models         SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    input_tokens   SimpleAggregateFunction(sum, Int64),
    output_tokens  SimpleAggregateFunction(sum, Int64),
    priced         SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(Int64), Array(Int64))),
    reported_cost  SimpleAggregateFunction(sum, Float64),
    reported_spans SimpleAggregateFunction(sum, UInt64),
    ingested_at    SimpleAggregateFunction(max, DateTime)
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (project, trace_id)
TTL ingested_at + toIntervalDay({{telemetry_ttl_days}}) DELETE WHERE run_id = ''
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 0;

-- Aggregates in a subquery, renamed outside it: an alias named like a span_tree column (start_ns) would
-- otherwise replace that column inside the other aggregates of the same SELECT.
CREATE MATERIALIZED VIEW IF NOT EXISTS trace_summaries_mv {{on_cluster}} TO trace_summaries AS
SELECT
    project, trace_id, t_start AS start_ns, t_end AS end_ns, t_spans AS span_count, t_errors AS error_count,
    t_ok AS ok_count, t_root AS root, t_run AS run_id, t_session AS session_id, t_models AS models,
    t_in AS input_tokens, t_out AS output_tokens, t_priced AS priced, t_reported AS reported_cost,
    t_reported_spans AS reported_spans, t_ingested AS ingested_at
FROM
(
    SELECT
        project,
        trace_id,
        min(start_ns)                                               AS t_start,
        max(toInt64(start_ns + duration_ns))                        AS t_end,
        count()                                                     AS t_spans,
        countIf(status_code = 2)                                    AS t_errors,
        countIf(status_code = 1)                                    AS t_ok,
        argMinState(tuple(name, span_id, service_name, toUInt8(parent_span_id = '')),
                    tuple(toUInt8(parent_span_id != ''), start_ns)) AS t_root,
        max(run_id)                                                 AS t_run,
        max(session_id)                                             AS t_session,
        groupUniqArrayIf(model, model != '')                        AS t_models,
        sumIf(ifNull(input_tokens, 0), counted)                     AS t_in,
        sumIf(ifNull(output_tokens, 0), counted)                    AS t_out,
        sumMapIf(tuple([model], [ifNull(input_tokens, 0)], [ifNull(output_tokens, 0)]),
                 counted AND NOT cost_reported AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)) AS t_priced,
        sumIf(ifNull(reported_cost, 0), counted)                    AS t_reported,
        countIf(counted AND cost_reported)                          AS t_reported_spans,
        max(ingested_at)                                            AS t_ingested
    FROM span_tree
    GROUP BY project, trace_id
);
