/**
 * The `mlrun.record.id` of log records (docs/semantic-conventions.md): finding them in a decoded request
 * and removing the records the de-duplicator refused. Pure, apart from `dropRecords` editing the request
 * it is given (decoded by this request, owned by nobody else).
 */
import type { IExportLogsServiceRequest, IKeyValue, ILogRecord } from '@mlrun/proto';
import type { RequestContext } from '../map/attribution.js';
import { attribute } from '../map/attribution.js';
import { anyValueCase } from '../map/values.js';

export const RECORD_ID_KEY = 'mlrun.record.id';

/** A log record that carries an id, with the project it is attributed to (ids are unique per project). */
export interface RecordRef {
  readonly record: ILogRecord;
  readonly project: string;
  readonly id: string;
  /** `project` NUL `id`: one string to key maps with. */
  readonly key: string;
}

/** The record's id: its last `mlrun.record.id` attribute, when that is a non-empty string. */
export function recordIdOf(attributes: readonly IKeyValue[] | null | undefined): string | undefined {
  if (!attributes) return undefined;
  for (let i = attributes.length - 1; i >= 0; i--) {
    const kv = attributes[i] as IKeyValue;
    if (kv.key !== RECORD_ID_KEY) continue;
    const value = kv.value;
    if (!value || anyValueCase(value) !== 'stringValue') return undefined;
    return (value.stringValue as string) || undefined;
  }
  return undefined;
}

/**
 * Every record of the request that carries an id, in request order; undefined when none does, so traffic
 * without ids allocates nothing here. The project is resolved only for resources that hold an id.
 */
export function collectRecordIds(request: IExportLogsServiceRequest, context: RequestContext): RecordRef[] | undefined {
  let refs: RecordRef[] | undefined;
  for (const resourceLogs of request.resourceLogs ?? []) {
    let project: string | undefined;
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      for (const record of scopeLogs.logRecords ?? []) {
        const id = recordIdOf(record.attributes);
        if (id === undefined) continue;
        project ??= attribute(resourceLogs.resource, context).project;
        (refs ??= []).push({ record, project, id, key: `${project}\u0000${id}` });
      }
    }
  }
  return refs;
}

/**
 * Removes `drop`'s records from the request. A scope or resource block left empty by the removal goes too,
 * so a request that was all duplicates produces nothing, not even a run sighting; blocks that arrived empty
 * stay as they were.
 */
export function dropRecords(request: IExportLogsServiceRequest, drop: ReadonlySet<ILogRecord>): void {
  if (drop.size === 0 || !request.resourceLogs) return;
  request.resourceLogs = request.resourceLogs.filter((resourceLogs) => {
    if (!resourceLogs.scopeLogs) return true;
    let emptied = false;
    resourceLogs.scopeLogs = resourceLogs.scopeLogs.filter((scopeLogs) => {
      const records = scopeLogs.logRecords;
      if (!records || !records.some((record) => drop.has(record))) return true;
      scopeLogs.logRecords = records.filter((record) => !drop.has(record));
      emptied ||= scopeLogs.logRecords.length === 0;
      return scopeLogs.logRecords.length > 0;
    });
    return !(emptied && resourceLogs.scopeLogs.length === 0);
  });
}
