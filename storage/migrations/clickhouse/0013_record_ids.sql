-- Record ids: the `mlrun.record.id` of every log record the receiver has stored, so a record that arrives
-- again (a client retry after a lost acknowledgement, a spool replay or `mlrun-sync` upload after a crash,
-- possibly after a receiver restart) is recognised and dropped before it reaches logs, metric_points and
-- the views fed by metric_points (summaries, key catalogue, rollups), where a copy would corrupt counts.
-- Records without an id (plain OTel traffic) never touch this table.
--
-- * Written by the receiver AFTER the record's rows were stored (data first, then ids): a crash between the
--   two lets a retry store the record again (a rare duplicate); ids first could acknowledge ids whose data
--   never landed, and the retry would then drop it (silent loss). Losing data is worse than a duplicate.
-- * Read once per request for the ids the receiver does not already know in memory:
--   `WHERE project = {project} AND record_id IN {ids}`. ORDER BY (project, record_id) makes that a primary
--   key lookup; the SDK's ids are `<run prefix>-<sequence>`, so one request's ids are one contiguous range.
--   Granules of 1024 rows (not 8192): random ids (uuid4) each cost a granule, and a smaller one reads less.
-- * ReplacingMergeTree(received_at): an id written twice (possible after the crash described above) folds
--   into one row, keeping the newest time. Readers only test existence, so unmerged copies are harmless.
-- * TTL 30 days after the receiver stored the id (received_at is the receiver's clock, not the record's):
--   clients retry within seconds to minutes, and the SDK's spool is replayed when the server is back and
--   `mlrun-sync` uploads an offline directory typically within days; 30 days covers both with a wide margin
--   and bounds the table (ids of a month, ~50 bytes each before compression). Beyond it an id is forgotten:
--   a replay of records stored more than 30 days earlier is stored again (the duplicate shows up in counts).
--   Weekly partitions with ttl_only_drop_parts = 1 make expiry a cheap drop of whole parts, so an id is
--   forgotten between 30 and 37 days after it was stored.
CREATE TABLE IF NOT EXISTS record_ids {{on_cluster}}
(
    project     LowCardinality(String) CODEC(ZSTD(1)),
    record_id   String CODEC(ZSTD(1)),
    received_at DateTime CODEC(Delta(4), ZSTD(1))
)
ENGINE = {{replicated}}ReplacingMergeTree(received_at)
PARTITION BY toMonday(received_at)
ORDER BY (project, record_id)
TTL received_at + toIntervalDay(30) DELETE
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1;
