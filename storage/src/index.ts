/**
 * @mlrun/storage — the only package that knows SQL: ClickHouse migrations and migrator, the client
 * (embedded chDB or a server) with its typed-parameter query choke point, the RowBinary row writers, the
 * Postgres run registry (embedded PGlite or a server) with its migrator and `$n`-parameter choke point,
 * the filter/sort AST with its compiler to parameterised ClickHouse or Postgres SQL (runs and spans), and
 * the trace reads (search, tree, span detail, sessions, stats).
 */
export { createClickHouse, StatementTimeout } from './clickhouse/client.js';
export type { ClickHouse, ClickHouseOptions, PingResult, Statement } from './clickhouse/client.js';
export type { EmbeddedOptions } from './clickhouse/embedded.js';
export type { ServerOptions } from './clickhouse/server.js';
export type { QueryParamValue, QueryParams } from './clickhouse/params.js';
export { encodeRows } from './clickhouse/encode-rows.js';
export { TABLES } from './clickhouse/tables.js';
export type { Column } from './clickhouse/tables.js';
export { MAX_SUMMARY_RUNS, readMetricKeys, readRunSummaries, readSummariesForRuns } from './clickhouse/queries/summaries.js';
export type { MetricKey, MetricSummary } from './clickhouse/queries/summaries.js';
export { readSeries } from './clickhouse/queries/series.js';
export { deleteRunTelemetry } from './clickhouse/queries/delete.js';
export { knownRecordIds, RECORD_ID_LOOKUP_SLICE } from './clickhouse/queries/record-ids.js';
export type { Series, SeriesBucket, SeriesRequest, XAxis } from './clickhouse/queries/series.js';
export { DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT, readRunLogs } from './clickhouse/queries/logs.js';
export type { LogCursor, LogKind, LogOrder, RunLogRecord, RunLogsPage, RunLogsRequest } from './clickhouse/queries/logs.js';
export type { LogValue } from './clickhouse/queries/log-values.js';
export { migrate } from './migrate.js';
export type { AppliedMigration, MigrateOptions } from './migrate.js';
export { CLICKHOUSE_MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from './migration-files.js';
export type { MigrationTokens } from './migration-files.js';
export { createPostgres } from './postgres/client.js';
export type { PgPingResult, PgQueryable, PgStatement, Postgres, PostgresOptions } from './postgres/client.js';
export type { EmbeddedPostgresOptions } from './postgres/embedded.js';
export type { ServerPostgresOptions } from './postgres/server.js';
export type { PgParam, PgScalar } from './postgres/types.js';
export { migratePostgres } from './postgres/migrate.js';
export { projectExists, runExists } from './registry/exists.js';
export { conflictingArtifactPath, deleteArtifact, deleteRunArtifacts, getArtifact, listArtifacts, upsertArtifact } from './registry/artifacts.js';
export type { ArtifactRecord, ListArtifactsRequest, NewArtifact } from './registry/artifacts.js';
export { createObjectStore } from './objects/store.js';
export type { ObjectStoreOptions } from './objects/store.js';
export type { ByteRange, ObjectPingResult, ObjectRead, ObjectStore, StoredObject } from './objects/types.js';
export type { LocalStoreOptions } from './objects/local.js';
export type { S3StoreOptions } from './objects/s3.js';
export type { PutOptions } from './objects/digest.js';
export { isObjectStoreError, ObjectStoreError } from './objects/errors.js';
export type { ObjectStoreErrorCode } from './objects/errors.js';
export { artifactKey, keyProblem, MAX_KEY_BYTES, runKeyPrefix } from './objects/keys.js';
export { RUN_STATUSES } from './registry/events.js';
export type { EndStatus, Json, JsonObject, RunEvent, RunEventKind, RunFields, RunStatus, SummaryOverride } from './registry/events.js';
export { deepMerge, LAST_SEEN_RESOLUTION_MS, reduceRun } from './registry/reduce.js';
export type { RunState } from './registry/reduce.js';
export type { RunRecord } from './registry/record.js';
export { RunRegistryWriter, syncRunMirror, writeRunEvents } from './registry/write.js';
export type { RunPatch } from './registry/write.js';
export { effectiveStatus, getRun, getRuns, listProjects, readConfigKeys, readRunsRevision, runDurationMs } from './registry/read.js';
export type { ConfigKey, ProjectSummary } from './registry/read.js';
export { countRuns, listRuns } from './registry/list.js';
export { RUN_LIST_TARGET } from './registry/list-target.js';
export { MAX_GROUP_METRICS, MAX_GROUPS, readRunGroups, type GroupAggregate, type GroupBy, type GroupMetric, type GroupValue, type RunGroup, type RunGroups, type RunGroupsQuery } from './registry/groups.js';
export type { CursorValue, RunListPage, RunListQuery, RunListRow } from './registry/list.js';
export type { MigratePostgresOptions } from './postgres/migrate.js';
export { BodyType, MetricPointSource, MetricType } from './rows.js';
export type {
  AttributeSet,
  AttributeValue,
  Attribution,
  ExemplarRow,
  ExpHistogramPointRow,
  HistogramPointRow,
  JsonValue,
  LogRow,
  MetricPointRow,
  MetricRowBase,
  NumberPointRow,
  RecordIdRow,
  ResourceBlock,
  RunMirrorRow,
  ScopeBlock,
  SpanEventRow,
  SpanLinkRow,
  SpanRow,
  SummaryPointRow,
  TableName,
  TableRows,
} from './rows.js';
export { SPAN_FILTER_TARGET, SPAN_STATUS_SQL } from './traces/filter-target.js';
export { projectHasTraces, readTraceProjects, readTraceSummaries, readTraceSummary } from './traces/summaries.js';
export type { ModelTokens, TraceProject, TraceSummaryRow } from './traces/summaries.js';
export { searchTraces } from './traces/search.js';
export type { TraceCursor, TracePage, TraceSearch, TraceStatus } from './traces/search.js';
export { listSessions, MAX_SESSION_TRACES, readSession } from './traces/sessions.js';
export type { SessionCursor, SessionQuery, SessionRow } from './traces/sessions.js';
export { countChildren, readChildPage, readChildren, readNode, readRoots } from './traces/tree.js';
export type { ChildCursor, SpanNodeRow } from './traces/tree.js';
export { readSpanDetail } from './traces/detail.js';
export type { SpanDetailRow, SpanEventDetail, SpanLinkDetail } from './traces/detail.js';
export { MAX_STATS_ROWS, readTraceStats } from './traces/stats.js';
export type { ModelStats, SpanNameStats, StatsQuery, TraceStats } from './traces/stats.js';
export { attributeMaps, keyValueMaps, typedAttributes } from './traces/typed.js';
export type { AttributeMaps, TypedAttribute, TypedAttributeType } from './traces/typed.js';
export { compileFilter, compileSort, compileSortTerms, FilterCompileError } from './filter/compile.js';
export type { CompileOptions, SortTerm } from './filter/compile.js';
export { CLICKHOUSE_RUNS_TARGET, clickHouseDialect, clickHouseTarget } from './filter/compile-clickhouse.js';
export { POSTGRES_RUNS_TARGET, postgresDialect, postgresTarget } from './filter/compile-postgres.js';
export { clickHouseQueryParams, postgresValues } from './filter/params.js';
export type { CompiledSql, ParamSink, ParamValue, TypedParam } from './filter/params.js';
export type { ConfigSortKeys, Dialect, FilterColumns, FilterTarget, ValueKind } from './filter/target.js';
export type {
  AttributeScope,
  CompareOp,
  Expr,
  Field,
  Filter,
  Literal,
  LiteralType,
  Pattern,
  PlainFieldKind,
  SortDirection,
  SortKey,
  SortSpec,
  Span,
  SummaryStat,
} from './filter/ast.js';
