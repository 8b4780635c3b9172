-- Revisions and summary overrides for the run registry.
--
-- * runs.revision: every write of a run row takes the next value of one global sequence. The ClickHouse
--   read mirror (clickhouse/0011_runs.sql) keeps the highest revision per run, and catches up after a
--   failed mirror write by replaying `WHERE revision > <mirror's highest>`. No index: the catch-up runs at
--   start-up and after failures only, and an index on a column every write changes would end HOT updates
--   (see 0001 on fillfactor).
-- * run_tombstones: deleted runs, with the revision of their deletion, so the mirror catch-up can replay
--   deletes too. Rows are small and kept; a run id reused later simply has a newer revision.
-- * runs.summary: explicit summary overrides from `mlrun.summary` events and the API, as
--   `{"<key>": {"last": n, "min": n, "max": n}}` (each stat optional). Computed summaries live in
--   ClickHouse (metric_summaries); an override wins over the computed value of the same stat.
CREATE SEQUENCE run_revisions AS bigint;

ALTER TABLE runs ADD COLUMN revision bigint NOT NULL DEFAULT nextval('run_revisions');
ALTER TABLE runs ADD COLUMN summary jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(summary) = 'object');

CREATE TABLE run_tombstones (
    project    text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    revision   bigint NOT NULL DEFAULT nextval('run_revisions'),
    deleted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, id)
);
