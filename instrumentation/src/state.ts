/**
 * What the span helpers read when they run: the settings `init()` installed (capture flag, `mlrun.*` span
 * attributes, which provider to use, the mirror hook). Without `init()` the helpers still work on the global
 * provider with content capture off. One process holds one MLRun configuration at a time.
 */
import type { Attributes, Span, TracerProvider } from '@opentelemetry/api';

export interface HelperSettings {
  /** Record gen_ai.input.messages / output.messages / system_instructions (opt-in: they hold user data). */
  readonly captureMessageContent: boolean;
  /** `mlrun.project` / `mlrun.run.id`, put on every helper span so attribution survives any exporter. */
  readonly spanAttributes: Attributes;
  /** The provider helper spans come from; undefined: the global one. */
  readonly tracerProvider?: TracerProvider;
  /** Called after a helper span ends (the mirror to MLRun when an app's provider cannot take a processor). */
  readonly onSpanEnd?: (span: Span) => void;
}

const DEFAULTS: HelperSettings = Object.freeze({ captureMessageContent: false, spanAttributes: Object.freeze({}) });

let current: HelperSettings = DEFAULTS;
let owner: symbol | undefined;

export function helperSettings(): HelperSettings {
  return current;
}

/** Reserves the settings for one `init()`; fails if another is active (shut it down first). */
export function claimSettings(): symbol {
  if (owner !== undefined) throw new Error('@mlrun/instrumentation: init() is already active; call shutdown() on it first');
  owner = Symbol('mlrun.init');
  return owner;
}

export function installSettings(token: symbol, settings: HelperSettings): void {
  if (owner === token) current = Object.freeze({ ...settings });
}

/** Restores the defaults, if `token` still owns the settings. */
export function releaseSettings(token: symbol): void {
  if (owner !== token) return;
  owner = undefined;
  current = DEFAULTS;
}
