/** `mlrun.metrics` log events → metric points: one row per numeric attribute (a W&B-style history row). */
import type { IKeyValue, ILogRecord } from '@mlrun/proto';
import type { Attribution, MetricPointRow } from '@mlrun/storage';
import { MetricPointSource } from '@mlrun/storage';
import type { RequestContext } from './attribution.js';
import type { Notes } from './outcome.js';
import { toAttributeValue, toNanos } from './values.js';

export const METRICS_EVENT = 'mlrun.metrics';
export const STEP_KEY = 'mlrun.step';
/** Step of a point that carried none. */
export const NO_STEP = -1n;

/** The time a metric point is charted at: the record's time, else its observed time, else receive time. */
export function pointTime(record: ILogRecord, context: RequestContext): bigint {
  const time = toNanos(record.timeUnixNano);
  if (time !== 0n) return time;
  const observed = toNanos(record.observedTimeUnixNano);
  return observed !== 0n ? observed : context.receivedAt;
}

/** A step attribute as bigint: ints as they are, integral doubles converted; anything else is no step. */
export function stepOf(attributes: readonly IKeyValue[] | null | undefined): bigint | undefined {
  if (!attributes) return undefined;
  for (const kv of attributes) {
    if (kv.key !== STEP_KEY) continue;
    const value = toAttributeValue(kv.value);
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    return undefined;
  }
  return undefined;
}

export function explodeMetricsEvent(
  record: ILogRecord,
  owner: Attribution,
  context: RequestContext,
  out: MetricPointRow[],
  notes: Notes,
): void {
  const attributes = record.attributes ?? [];
  const step = stepOf(attributes);
  if (step === undefined && attributes.some((kv) => kv.key === STEP_KEY)) {
    notes.note(`${METRICS_EVENT}: ${STEP_KEY} must be an integer; points stored without a step`);
  }
  const time = pointTime(record, context);
  for (const kv of attributes) {
    const key = kv.key ?? '';
    if (key === STEP_KEY) continue;
    const value = toAttributeValue(kv.value);
    let numeric: number;
    if (typeof value === 'number') numeric = value;
    else if (typeof value === 'bigint') numeric = Number(value);
    else {
      notes.note(`${METRICS_EVENT}: attribute ${JSON.stringify(key)} is not a number and was not stored as a metric`);
      continue;
    }
    out.push({
      project: owner.project,
      runId: owner.runId,
      key,
      labels: '',
      step: step ?? -1n,
      time,
      value: numeric,
      source: MetricPointSource.event,
    });
  }
}
