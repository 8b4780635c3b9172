/**
 * Golden tests for the pure mapping module: OTLP/JSON requests in test/fixtures/golden/*.request.json are
 * decoded and mapped; the rows and the partial-success outcome must equal *.rows.json exactly.
 * After a deliberate change, regenerate with `UPDATE_GOLDEN=1 npx tap receiver/test/map-golden.test.ts`
 * and review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { mapRequest } from '../src/ingest/pipeline.js';
import type { MapOutcome } from '../src/map/outcome.js';
import { mapTraces } from '../src/map/traces.js';
import type { Signal } from '../src/otlp/decode.js';
import { decodeRequest } from '../src/otlp/decode.js';

const dir = fileURLToPath(new URL('./fixtures/golden/', import.meta.url));
const context = { projectOverride: '', receivedAt: 1_800_000_000_000_000_000n };

/** JSON with bigints as `"<n>n"` and non-finite numbers spelled out, so goldens show exact values. */
function stable(outcome: MapOutcome): string {
  return `${JSON.stringify(
    outcome,
    (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${value}n`;
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      return value;
    },
    2,
  )}\n`;
}

function map<S extends Signal>(signal: S, body: Buffer): MapOutcome {
  const decoded = decodeRequest(signal, body, 'json');
  if (!decoded.ok) throw new Error(decoded.error);
  return mapRequest(signal, decoded.value, context);
}

for (const signal of ['traces', 'logs', 'metrics'] as const) {
  t.test(`${signal} golden`, async (t) => {
    const actual = stable(map(signal, readFileSync(`${dir}${signal}.request.json`)));
    const goldenPath = `${dir}${signal}.rows.json`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, actual);
    t.equal(actual, readFileSync(goldenPath, 'utf8'));
  });
}

t.test('the x-mlrun-project override wins over resource attributes', async (t) => {
  const decoded = decodeRequest('traces', readFileSync(`${dir}traces.request.json`), 'json');
  if (!decoded.ok) throw new Error(decoded.error);
  const outcome = mapTraces(decoded.value, { ...context, projectOverride: 'from-header' });
  t.same(new Set(outcome.tables.spans?.map((row) => row.owner.project)), new Set(['from-header']));
});
