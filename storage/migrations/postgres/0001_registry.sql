-- The run registry: what is small, relational and mutable (ARCHITECTURE.md §5). High-volume telemetry
-- (metric points, spans, logs, summaries) lives in ClickHouse; these rows are keyed by the same
-- (project, run id) pair the receiver reads from resource attributes.
--
-- Runs unchanged on PGlite (Postgres 18 in WASM) and on a Postgres 15+ server: no extensions, no
-- procedural code, nothing newer than Postgres 15.
--
-- Choices:
-- * Identifiers and names are `text COLLATE "C"`: ordering is byte-wise, the same as ClickHouse and as the
--   filter compiler's `COLLATE "C"` sorts, identical on PGlite and on any server whatever its locale, and
--   btree indexes on these columns serve `LIKE 'prefix%'` and the keyset tie-breaker on `id`.
-- * Timestamps are `timestamptz` (an instant, microseconds); the client returns them as ISO-8601 UTC text.
-- * runs.config is `jsonb` (the nested run config, lossless for strings/bools/arrays/objects; numbers are
--   Postgres numeric). It is always an object. runs.tags is `text[]` without NULL elements.
-- * runs.status is text with a CHECK rather than an enum type: adding a status later is a one-line
--   constraint swap, not an `ALTER TYPE` that cannot run inside a transaction on older servers.
--   `crashed` may be stored, but readers also show a `running` run whose last_seen_at is older than the
--   configured timeout as crashed.
-- * runs has fillfactor 90 and no index on last_seen_at: the receiver bumps last_seen_at on every batch,
--   and an update that touches no indexed column and finds room on its page is a HOT update (no index
--   writes, less bloat).
-- * Rows reference their parents with ON DELETE CASCADE: deleting a run removes its artifact records
--   (the bytes in object storage are removed by the caller), deleting a project removes its runs.

CREATE TABLE projects (
    name       text COLLATE "C" PRIMARY KEY CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Set by writers (no trigger): bumped when a run of the project is created or changed.
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runs (
    project      text COLLATE "C" NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    id           text COLLATE "C" NOT NULL CHECK (id <> ''),
    -- NULL until a name is reported (`mlrun.run.name`); readers show the id instead.
    name         text COLLATE "C",
    -- `group` is a reserved word: the column is run_group; the API calls it `group`.
    run_group    text COLLATE "C",
    status       text NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'finished', 'failed', 'killed', 'crashed')),
    config       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    tags         text[] COLLATE "C" NOT NULL DEFAULT '{}' CHECK (array_position(tags, NULL) IS NULL),
    notes        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    ended_at     timestamptz,
    last_seen_at timestamptz,
    exit_code    integer,
    -- Host facts reported at start (hostname, os, python, gpus, …): shown, never filtered on.
    host         jsonb,
    PRIMARY KEY (project, id)
) WITH (fillfactor = 90);

-- The run list: `WHERE project = $1 ORDER BY created_at DESC, id` with keyset pagination
-- (`AND (created_at < $2 OR (created_at = $2 AND id > $3))`). Newest-first is the default view and the
-- cursor (created_at, id) is unique, so pages stay stable while runs are being added.
CREATE INDEX runs_project_created ON runs (project, created_at DESC, id);

-- "Show me the failed/running runs": equality on status, then the same default order and cursor. Also
-- serves crash detection (`status = 'running'`, then last_seen_at checked on the few matching rows).
CREATE INDEX runs_project_status_created ON runs (project, status, created_at DESC, id);

-- Config filters by containment / jsonpath equality (`config @> '{"optimizer": {"name": "adam"}}'`,
-- `config @? '$.lr ? (@ == 0.001)'`). jsonb_path_ops is smaller and faster than the default jsonb_ops for
-- these; it does not serve key-existence (`?`) or numeric ranges, which read the project's rows instead.
-- GIN cannot lead with the btree `project` column without the btree_gin extension (not assumed
-- here), so Postgres intersects this index with runs_project_created when both help.
CREATE INDEX runs_config ON runs USING gin (config jsonb_path_ops);

-- Tag filters: `tags @> ARRAY[$1]` (has) and `tags && $1::text[]` (any of).
CREATE INDEX runs_tags ON runs USING gin (tags);

-- Artifact records; the bytes live in object storage at `uri`. sha256 and size_bytes are NULL only for
-- references to files stored elsewhere that were never read by us. The primary key lists a run's
-- artifacts in path order and serves prefix listings (`path LIKE 'checkpoints/%'`, byte-wise collation).
CREATE TABLE artifacts (
    project    text COLLATE "C" NOT NULL,
    run_id     text COLLATE "C" NOT NULL,
    path       text COLLATE "C" NOT NULL CHECK (path <> ''),
    type       text,
    uri        text NOT NULL,
    sha256     text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint CHECK (size_bytes >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, run_id, path),
    FOREIGN KEY (project, run_id) REFERENCES runs (project, id) ON DELETE CASCADE
);
