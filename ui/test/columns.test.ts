/** The runs table's columns: header-click sort cycle, what cells show, the API's `columns=`, metric sections. */
import t from 'tap';
import type { Run } from '../src/lib/api/types.js';
import { cellText, columnFromId, columnsParam, configColumn, FIXED, nextSort, parseSimpleSort, summaryColumn } from '../src/lib/columns.js';
import { sectionKeys } from '../src/lib/series-sections.js';

const RUN: Run = {
  id: 'r1',
  name: null,
  group: 'sweep-1',
  status: 'finished',
  tags: ['a', 'b'],
  notes: null,
  createdAt: '2026-11-26T10:20:30.000Z',
  startedAt: '2026-11-26T10:20:30.000Z',
  endedAt: '2026-11-26T10:22:35.000Z',
  lastSeenAt: null,
  durationMs: 125_000,
  exitCode: 0,
  config: { lr: 3e-4, model: { depth: 50, name: 'resnet' } },
  summary: { 'val/loss': { last: 0.6931, min: 0.5, max: 2, count: 10 }, nan: { last: 'NaN', min: null, max: null, count: 1 } },
};

t.test('a header click cycles: first direction, the other, the default order', async (t) => {
  t.equal(nextSort('', 'config.lr'), 'config.lr desc', 'numbers and metrics start descending');
  t.equal(nextSort('config.lr desc', 'config.lr'), 'config.lr asc');
  t.equal(nextSort('config.lr asc', 'config.lr'), '');
  t.equal(nextSort('', 'name'), 'name asc', 'names start ascending');
  t.equal(nextSort('name asc', 'name'), 'name desc');
  t.equal(nextSort('name desc', 'name'), '');
  t.equal(nextSort('config.lr desc', 'summary.val/loss.last'), 'summary.val/loss.last desc', 'another column starts over');
  t.equal(nextSort('config.lr desc, created asc', 'config.lr'), 'config.lr desc', 'a multi-term sort is replaced');
});

t.test('parseSimpleSort reads the forms the API accepts for one term', async (t) => {
  t.same(parseSimpleSort('-created'), { field: 'created', desc: true });
  t.same(parseSimpleSort('created'), { field: 'created', desc: false });
  t.same(parseSimpleSort(' summary.val/loss.last DESC '), { field: 'summary.val/loss.last', desc: true });
  t.equal(parseSimpleSort('a, b'), null);
  t.equal(parseSimpleSort(''), null);
});

t.test('cells show each kind of column', async (t) => {
  const now = Date.parse('2026-11-26T11:00:00Z');
  const text = (id: string) => {
    const column = FIXED.find((c) => c.id === id) ?? columnFromId(id, new Map([['model.depth', ['model', 'depth']]]));
    if (column === null || column === undefined) throw new Error(id);
    return cellText(RUN, column, now);
  };
  t.equal(text('status'), 'finished');
  t.equal(text('created'), '2026-11-26 10:20');
  t.equal(text('duration'), '2m 05s');
  t.equal(text('group'), 'sweep-1');
  t.equal(text('tags'), 'a, b');
  t.equal(text('config.lr'), '3e-4');
  t.equal(text('config.model.depth'), '50', 'a nested path');
  t.equal(text('config.missing'), '', 'a missing key is blank');
  t.equal(text('summary.val/loss'), '0.6931', 'the last value');
  t.equal(text('summary.nan'), 'NaN');
  t.equal(text('summary.none'), '');
  const running = { ...RUN, status: 'running' as const, durationMs: null };
  t.equal(cellText(running, FIXED.find((c) => c.id === 'duration')!, now), '39m 30s', 'a running run counts up to now');
});

t.test('columns= carries exactly the dynamic columns shown', async (t) => {
  t.equal(columnsParam([...FIXED, configColumn('lr', ['lr']), summaryColumn('val/loss')]), 'config.lr,summary.val/loss');
  t.equal(columnsParam(FIXED), '', 'no dynamic columns: neither config nor summaries travel');
  t.equal(columnFromId('bogus', new Map()), null);
  t.equal(summaryColumn('val/loss').sortField, 'summary.val/loss.last', 'metric columns sort by the last value');
});

t.test('metric keys fall into sections by prefix, ungrouped keys first', async (t) => {
  t.same(sectionKeys(['loss', 'train/loss', 'eval/acc', 'acc', 'train/lr']), [
    { name: 'charts', keys: ['loss', 'acc'] },
    { name: 'eval', keys: ['eval/acc'] },
    { name: 'train', keys: ['train/loss', 'train/lr'] },
  ]);
  t.same(sectionKeys(['/odd']), [{ name: 'charts', keys: ['/odd'] }], 'a leading slash is no prefix');
});
