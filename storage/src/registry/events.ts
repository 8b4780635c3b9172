/**
 * What the receiver tells the run registry (docs/semantic-conventions.md): the first and every later sight
 * of a run id, and the `mlrun.run.start` / `mlrun.run.config` / `mlrun.run.end` / `mlrun.summary` events.
 * Plain data in the registry's terms; the receiver maps OTLP onto it, the registry writer applies it.
 */

/** A JSON value as Postgres jsonb holds it (no NaN/Infinity: those travel as strings). */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed', 'crashed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses an `mlrun.run.end` event may report. */
export type EndStatus = 'finished' | 'failed' | 'killed';

/** Explicit summary values of one metric key; each statistic optional. */
export interface SummaryOverride {
  readonly last?: number;
  readonly min?: number;
  readonly max?: number;
}

/** Run metadata an event may carry; absent fields leave the registry's value alone. */
export interface RunFields {
  readonly name?: string;
  readonly group?: string;
  readonly tags?: readonly string[];
  readonly notes?: string;
}

interface EventBase {
  readonly project: string;
  readonly runId: string;
  /** When it happened, ms since the epoch (the record's time, else its arrival). */
  readonly timeMs: number;
}

export type RunEvent =
  | (EventBase & { readonly kind: 'seen'; readonly name?: string })
  | (EventBase & RunFields & { readonly kind: 'start'; readonly config?: JsonObject; readonly host?: JsonObject })
  | (EventBase & RunFields & { readonly kind: 'config'; readonly config?: JsonObject })
  | (EventBase & { readonly kind: 'end'; readonly status: EndStatus; readonly exitCode?: number })
  | (EventBase & { readonly kind: 'summary'; readonly values: { readonly [key: string]: SummaryOverride } });

export type RunEventKind = RunEvent['kind'];
