/**
 * A per-series plan as a tiny constant table: parallel array parameters zipped into rows, for an
 * INNER JOIN against points or rollups (a hash join with a handful of rows, instead of a per-row lookup).
 */
export interface PlanColumn {
  /** Column name in the plan table (an identifier from our own code, never user input). */
  readonly name: string;
  /** Name of the array parameter holding the column's values. */
  readonly param: string;
  /** ClickHouse element type of the parameter, e.g. `String`, `Float64`, `UInt32`. */
  readonly type: string;
}

export function planTable(columns: readonly PlanColumn[]): string {
  const select = columns.map((c, i) => `t.${i + 1} AS ${c.name}`).join(', ');
  const zipped = columns.map((c) => `{${c.param}:Array(${c.type})}`).join(', ');
  return `(SELECT ${select} FROM (SELECT arrayJoin(arrayZip(${zipped})) AS t))`;
}

/** The series identity columns every plan starts with. */
export const SERIES_COLUMNS: readonly PlanColumn[] = [
  { name: 'run_id', param: 'pr', type: 'String' },
  { name: 'key', param: 'pk', type: 'String' },
  { name: 'labels', param: 'pl', type: 'String' },
];
