/**
 * The run list against random and hostile query strings (seeded): whatever arrives in `filter`, `sort`,
 * `columns`, `cursor` or `limit`, the answer is a 200 or a 4xx naming the parameter — never a 5xx — and the
 * stored runs are untouched afterwards (no filter text ever reaches SQL as SQL).
 */
import { pino } from 'pino';
import t from 'tap';
import type { ErrorBody, QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import { openStack } from './fixtures/stack.js';
import { seeded } from './fixtures/random.js';

const { rand, int, pick } = seeded(20261126);

const FIELDS = ['name', 'status', 'group', 'tags', 'created', 'duration', 'config.lr', 'config.opt.name', 'config."a b"', 'summary.loss.last', 'summary.acc.count', 'summary.x/y.max'];
const OPS = ['=', '!=', '<', '<=', '>', '>=', '~', '!~', 'in', 'not in', 'has'];
const VALUES = ['1', '-2.5e-3', '"adam"', '"res*"', '/^r\\d+$/i', 'true', 'null', '2h', '-7d', '"2026-11-01"', '("a", "b")', '(1, 2)', '"\'; DROP TABLE runs; --"', '{f0:String}', '$1'];
const JUNK = ["'; DROP TABLE runs; --", ')))', '((((', 'and or not', '\u0000', '名前 🚀', '"unterminated', '/[/', '1e999', 'config.', 'summary.loss', '`group`', '*/ SELECT 1 /*', '%', '\\', 'x'.repeat(5000)];

/** Predicates that are well typed, so that a fair share of the random filters are valid. */
const GOOD = ['config.lr < 0.05', 'config.opt.name = "adam"', 'tags has "t1"', 'name ~ "r-*"', 'summary.loss.last > 1', 'status in ("running", "crashed")', 'config."a b" >= 3', 'duration < 2h', 'created > "2026-01-01"', 'group = null'];

function filterText(depth = 0): string {
  const r = rand();
  if (r < 0.05) return pick(JUNK);
  if (r < 0.45) return pick(GOOD);
  if (depth < 3 && r < 0.35) return `${filterText(depth + 1)} ${pick(['and', 'or', 'AND', '&&'])} ${filterText(depth + 1)}`;
  if (depth < 3 && r < 0.45) return `${pick(['not ', '(', ''])}${filterText(depth + 1)}${pick([')', '', ''])}`;
  return `${pick(FIELDS)} ${pick(OPS)} ${pick(VALUES)}`;
}

const sortKey = (): string => `${pick(['-', '+', ''])}${pick(FIELDS)}${pick(['', ' asc', ' desc', ' sideways'])}`;
const sortText = (): string => (rand() < 0.2 ? pick(JUNK) : Array.from({ length: 1 + int(3) }, sortKey).join(pick([',', ', ', ' '])));
const columnsText = (): string => (rand() < 0.2 ? pick(JUNK) : Array.from({ length: int(4) }, () => pick(['config.lr', 'config."a.b".c', 'summary.loss', 'metrics.x', 'config.', 'summary.'])).join(','));

const logger = pino({ level: 'silent' });
let app: QueryApp;

t.before(async () => {
  const stack = await openStack(t, 'runs-fuzz');
  const base = Date.UTC(2026, 10, 1);
  await stack.registry.apply(
    Array.from({ length: 12 }, (_, i) => ({ kind: 'start' as const, project: 'fuzz', runId: `r${i}`, timeMs: base + i, name: `r-${i}`, tags: [`t${i % 3}`], config: { lr: i / 100, opt: { name: i % 2 ? 'adam' : 'sgd' }, 'a b': i } })),
  );
  app = await buildApp({ ...stack, logger, version: 'test' });
});
t.teardown(async () => {
  await app.close();
});

t.test('no input produces a 5xx; every 400 names its parameter', async (t) => {
  const statuses = new Map<number, number>();
  let cursor: string | null = null;
  for (let i = 0; i < 400; i++) {
    const params = new URLSearchParams();
    if (rand() < 0.9) params.set('filter', filterText());
    if (rand() < 0.3) params.set('sort', sortText());
    if (rand() < 0.2) params.set('columns', columnsText());
    if (rand() < 0.2) params.set('limit', pick(['1', '3', '5', '0', '-1', '1001', 'x', '2.5']));
    if (rand() < 0.15) params.set('cursor', cursor !== null && rand() < 0.5 ? cursor : pick(['', 'abc', 'eyJ2IjoxfQ', '%%%', 'x'.repeat(10_000)]));
    const response = await app.inject({ method: 'GET', url: `/api/v1/projects/fuzz/runs?${params.toString()}` });
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    if (response.statusCode >= 500) {
      t.fail(`5xx for ${params.toString()}: ${response.body}`);
      continue;
    }
    if (response.statusCode === 200) {
      cursor = response.json<{ nextCursor: string | null }>().nextCursor ?? cursor;
      continue;
    }
    const body = response.json<ErrorBody>();
    if (response.statusCode !== 400 || body.message === '' || !/^MLRUN_ERR_(FILTER_SYNTAX|VALIDATION|BAD_REQUEST)$/.test(body.code)) {
      t.fail(`unexpected answer for ${params.toString()}: ${response.statusCode} ${response.body}`);
    }
  }
  t.notOk([...statuses.keys()].some((s) => s >= 500), `statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  t.ok((statuses.get(200) ?? 0) > 40, 'a good share of the random inputs were valid and answered');
  t.ok((statuses.get(400) ?? 0) > 40, 'and a good share were refused');
  const after = await app.inject({ method: 'GET', url: '/api/v1/projects/fuzz/runs?limit=100' });
  t.equal(after.json<{ total: number }>().total, 12, 'every run is still there');
});
