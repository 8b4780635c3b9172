-- Two fixes to the trace views of 0014 and 0015, which only a new migration can make (applied migrations
-- are checksummed and never edited):
--
-- * span_tree_mv: a token count or cost sent as text that reads as a non-finite number ('inf', 'nan',
--   '1e400'), or a huge one, made toInt64 throw, and the throw failed the whole insert into spans — every
--   span of every request the receiver had batched with it. Numbers are now taken only when finite, token
--   counts only in [0, 2^53) (what the API's normalizeSpan accepts), everything else is NULL (unknown).
-- * trace_summaries keeps every run and every session a trace's spans name (run_ids, session_ids), not
--   only the greatest (run_id, session_id): a trace with spans of two runs, or a root span outside the run
--   above spans inside it, is found from each run, and a trace in two conversations is listed in both,
--   whatever merges have done. run_id and session_id stay (what a trace row shows). Rows written before
--   this migration read the arrays from those columns (the columns' DEFAULT applies to parts that lack them).
--
-- * span_tree keeps the keys of string and JSON values over 256 characters, their values emptied (0014
--   dropped them): normalizeSpan over a node's slim maps then sees the same keys as over the span's full
--   ones, so a node's kind and convention are always its span detail's.
--
-- The views are dropped and created again: inserts into spans made while a server-mode migration runs
-- between the two statements reach spans but not span_tree (rerun the backfill of docs/storage.md for
-- that window). Embedded mode migrates before the receiver starts.
ALTER TABLE trace_summaries {{on_cluster}}
    ADD COLUMN IF NOT EXISTS run_ids SimpleAggregateFunction(groupUniqArrayArray, Array(String)) DEFAULT if(run_id = '', [], [run_id]) AFTER run_id;

ALTER TABLE trace_summaries {{on_cluster}}
    ADD COLUMN IF NOT EXISTS session_ids SimpleAggregateFunction(groupUniqArrayArray, Array(String)) DEFAULT if(session_id = '', [], [session_id]) AFTER session_id;

DROP VIEW IF EXISTS span_tree_mv {{on_cluster}};

CREATE MATERIALIZED VIEW span_tree_mv {{on_cluster}} TO span_tree AS
SELECT
    project, trace_id, parent_span_id, start_ns, span_id, duration_ns, ingested_at, run_id, name, kind,
    service_name, status_code, status_message, session_id, model, input_tokens, output_tokens, counted,
    cost_reported, reported_cost, small_str AS attributes_str, attributes_int, attributes_float, attributes_bool,
    small_json AS attributes_json
FROM
(
    WITH
        -- A number from the int, float or (numeric text) string map, as normalizeSpan's reader takes it.
        -- Finite numbers only: numeric text reads 'inf', 'nan' and '1e400' as non-finite values.
        ((x) -> if(isFinite(x), x, NULL)) AS finite,
        -- A token count: finite, not negative, at most 2^53 - 1 (what the API's normalizeSpan accepts).
        ((x) -> if(isFinite(x) AND x >= 0 AND x <= 9007199254740991, x, NULL)) AS tokens,
        -- A number from the int, float or (numeric text) string map, as normalizeSpan's reader takes it.
        ((k) -> finite(multiIf(mapContains(attributes_int, k), toFloat64(attributes_int[k]),
                               mapContains(attributes_float, k), attributes_float[k],
                               toFloat64OrNull(attributes_str[k])))) AS num,
        arrayFirst(v -> v IS NOT NULL, arrayMap(k -> tokens(num(k)), ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'])) AS in_tokens,
        arrayFirst(v -> v IS NOT NULL, arrayMap(k -> tokens(num(k)), ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'])) AS out_tokens,
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
        toInt64(coalesce(in_tokens, tokens(JSONExtract(mlflow_usage, 'input_tokens', 'Nullable(Float64)')))) AS input_tokens,
        toInt64(coalesce(out_tokens, tokens(JSONExtract(mlflow_usage, 'output_tokens', 'Nullable(Float64)')))) AS output_tokens,
        multiIf(operation IN ('chat', 'generate_content', 'text_completion', 'embeddings', 'execute_tool', 'invoke_agent',
                              'create_agent', 'retrieval', 'invoke_workflow'),
                    operation NOT IN ('invoke_agent', 'create_agent', 'invoke_workflow'),
                oi_kind != '', oi_kind NOT IN ('AGENT', 'CHAIN'),
                mlflow_type != '', mlflow_type NOT IN ('AGENT', 'CHAIN', 'WORKFLOW', 'TASK', 'PARSER'),
                true) AS counted,
        oi_cost OR mlflow_cost.1 IS NOT NULL OR mlflow_cost.2 IS NOT NULL OR mlflow_cost.3 IS NOT NULL AS cost_reported,
        finite(if(oi_cost, coalesce(cost_total, cost_prompt + cost_completion),
                           coalesce(mlflow_cost.3, mlflow_cost.1 + mlflow_cost.2))) AS reported_cost,
        mapApply((k, v) -> (k, if(length(v) <= 256, v, '')), attributes_str) AS small_str,
        attributes_int,
        attributes_float,
        attributes_bool,
        mapApply((k, v) -> (k, if(length(v) <= 256, v, '')), attributes_json) AS small_json
    FROM spans
);

DROP VIEW IF EXISTS trace_summaries_mv {{on_cluster}};

CREATE MATERIALIZED VIEW trace_summaries_mv {{on_cluster}} TO trace_summaries AS
SELECT
    project, trace_id, t_start AS start_ns, t_end AS end_ns, t_spans AS span_count, t_errors AS error_count,
    t_ok AS ok_count, t_root AS root, t_run AS run_id, t_runs AS run_ids, t_session AS session_id, t_sessions AS session_ids, t_models AS models,
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
        groupUniqArrayIf(run_id, run_id != '')                      AS t_runs,
        max(session_id)                                             AS t_session,
        groupUniqArrayIf(session_id, session_id != '')              AS t_sessions,
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
