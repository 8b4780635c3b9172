-- A read mirror of the run registry (Postgres `runs`, the source of truth) for the run list: filter, sort,
-- count and keyset pages over 100k runs of a project, joined with the metric summaries that live here.
-- Postgres keeps what is mutable and relational; filtering 100k JSON configs and joining them with
-- per-run metric summaries is a columnar scan, and ClickHouse does it in milliseconds.
--
-- * Written only by the registry writer (storage/src/registry), right after each Postgres commit: one row
--   per changed run, carrying the run's Postgres `revision` (a global sequence bumped on every write).
--   ReplacingMergeTree(revision, deleted) keeps the highest revision per (project, id); readers use FINAL,
--   which also drops runs whose newest row is a deletion (`deleted = 1`).
-- * If a mirror insert fails after Postgres committed, the writer (and every start-up) replays Postgres
--   rows with a revision above the mirror's highest, and tombstones of deleted runs: the mirror converges.
-- * name and group are '' when unset; times are milliseconds since the epoch, 0 = not yet. `created` is a
--   DateTime64(3) because the filter language compares it as an instant.
-- * config is the run config as JSON text, returned as is. Filters and sorts never parse it: the writer
--   flattens every path into typed maps keyed by the JSON text of the path's segments (`["optimizer","lr"]`,
--   so keys holding dots stay unambiguous): config_num (numbers), config_str (strings), config_bool
--   (booleans), and config_kinds (every path → its JSON type: number, string, boolean, null, array, object
--   for `{}`, branch for a non-empty object). `config.optimizer.lr < 1e-3` is then a map lookup and a
--   comparison, about 8× cheaper over 100k runs than JSONExtract on 40 MB of JSON text, and the filter
--   language's type rule (a value compares only with a literal of its JSON type) holds by construction.
--   config_kinds also serves the key catalogue (column pickers, autocomplete).
-- * summary_last/min/max hold the explicit overrides of `mlrun.summary` events; the computed summaries
--   are metric_summaries (0008).
-- * ORDER BY (project, id): a project is one contiguous range; FINAL merges within it. Granules of 256
--   rows: a list page fetches its 50 rows by id, and smaller granules read less around each (measured at
--   100k runs: 13 → 11 ms), while full scans of the project stay as fast.
CREATE TABLE IF NOT EXISTS runs {{on_cluster}}
(
    project      LowCardinality(String) CODEC(ZSTD(1)),
    id           String CODEC(ZSTD(1)),
    name         String CODEC(ZSTD(1)),
    `group`      String CODEC(ZSTD(1)),
    status       LowCardinality(String) CODEC(ZSTD(1)),
    tags         Array(String) CODEC(ZSTD(1)),
    notes        String CODEC(ZSTD(1)),
    config       String CODEC(ZSTD(3)),
    config_kinds Map(String, LowCardinality(String)) CODEC(ZSTD(1)),
    config_num   Map(String, Float64) CODEC(ZSTD(1)),
    config_str   Map(String, String) CODEC(ZSTD(1)),
    config_bool  Map(String, Bool) CODEC(ZSTD(1)),
    created      DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    started_ms   Int64 CODEC(Delta(8), ZSTD(1)),
    ended_ms     Int64 CODEC(Delta(8), ZSTD(1)),
    last_seen_ms Int64 CODEC(Delta(8), ZSTD(1)),
    exit_code    Int64 CODEC(ZSTD(1)),
    has_exit_code Bool,
    summary_last Map(String, Float64) CODEC(ZSTD(1)),
    summary_min  Map(String, Float64) CODEC(ZSTD(1)),
    summary_max  Map(String, Float64) CODEC(ZSTD(1)),
    revision     UInt64,
    deleted      UInt8
)
ENGINE = {{replicated}}ReplacingMergeTree(revision, deleted)
ORDER BY (project, id)
SETTINGS index_granularity = 256;
