/** A run's config as tree rows, and search that keeps each match's ancestors. */
import t from 'tap';
import { flattenConfig, searchTree } from '../src/lib/config-tree.js';

const config = {
  lr: 3e-4,
  optimizer: { name: 'AdamW', betas: [0.9, 0.999], schedule: { kind: 'cosine', warmup: 500 } },
  model: { layers: 12, 'dropout.p': 0.1 },
  empty: {},
  seed: null,
  tags: ['baseline'],
};
const dotted = (rows: { path: string[] }[]): string[] => rows.map((r) => r.path.join('.'));

t.test('flattenConfig: depth-first, objects are parents, arrays and empty objects are leaves', async (t) => {
  const rows = flattenConfig(config);
  t.same(dotted(rows), [
    'lr',
    'optimizer',
    'optimizer.name',
    'optimizer.betas',
    'optimizer.schedule',
    'optimizer.schedule.kind',
    'optimizer.schedule.warmup',
    'model',
    'model.layers',
    'model.dropout.p',
    'empty',
    'seed',
    'tags',
  ]);
  t.same(rows.map((r) => r.depth), [0, 0, 1, 1, 1, 2, 2, 0, 1, 1, 0, 0, 0]);
  t.same(rows.filter((r) => !r.leaf).map((r) => r.key), ['optimizer', 'schedule', 'model']);
  t.same(rows[3], { path: ['optimizer', 'betas'], key: 'betas', depth: 1, value: [0.9, 0.999], leaf: true });
  t.same(rows[9]?.path, ['model', 'dropout.p'], 'a key with a dot stays one segment');
  t.same(flattenConfig({}), []);
});

t.test('searchTree keeps ancestors, in tree order, once', async (t) => {
  const rows = flattenConfig(config);
  t.same(dotted(searchTree(rows, 'warmup')), ['optimizer', 'optimizer.schedule', 'optimizer.schedule.warmup']);
  t.same(dotted(searchTree(rows, 'COSINE')), ['optimizer', 'optimizer.schedule', 'optimizer.schedule.kind'], 'by value, any case');
  t.same(dotted(searchTree(rows, 'adamw')), ['optimizer', 'optimizer.name']);
  t.same(dotted(searchTree(rows, 'schedule')), ['optimizer', 'optimizer.schedule', 'optimizer.schedule.kind', 'optimizer.schedule.warmup'], 'a matching parent brings its subtree (paths contain it)');
  t.same(dotted(searchTree(rows, 'a')).length, new Set(dotted(searchTree(rows, 'a'))).size, 'no row twice');
  t.same(dotted(searchTree(rows, '0.999')), ['optimizer', 'optimizer.betas'], 'arrays by their JSON');
  t.same(dotted(searchTree(rows, '3e-4')), ['lr'], 'numbers by their formatted value');
  t.same(dotted(searchTree(rows, 'model.dropout')), ['model', 'model.dropout.p'], 'dotted path');
  t.same(dotted(searchTree(rows, 'layers')), ['model', 'model.layers']);
  t.same(searchTree(rows, 'nothing-like-this'), []);
  t.equal(searchTree(rows, '  '), rows, 'blank query: every row');
});
