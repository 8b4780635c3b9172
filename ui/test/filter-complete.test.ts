/** Filter-bar key completion: the token at the caret, the options and the range they replace. */
import t from 'tap';
import { complete, fieldNames } from '../src/lib/filter-complete.js';

const keys = {
  config: ['config.lr', 'config.optimizer.name', 'config.learning rate', 'batch_size'],
  metrics: ['summary.loss', 'summary.eval/acc@1', 'val/loss'],
};

t.test('field names: built-ins, config keys, three stats per metric, quoted where needed', async (t) => {
  t.same(fieldNames(keys), [
    'name',
    'status',
    'group',
    'tags',
    'created',
    'duration',
    'config.lr',
    'config.optimizer.name',
    'config."learning rate"',
    'config.batch_size',
    'summary.loss.last',
    'summary.loss.min',
    'summary.loss.max',
    'summary."eval/acc@1".last',
    'summary."eval/acc@1".min',
    'summary."eval/acc@1".max',
    'summary.val/loss.last',
    'summary.val/loss.min',
    'summary.val/loss.max',
  ]);
});

t.test('prefix matches first, then contains; case-insensitive', async (t) => {
  t.same(complete('summary.lo', 10, keys), { from: 0, to: 10, options: ['summary.loss.last', 'summary.loss.min', 'summary.loss.max'] });
  t.same(complete('STA', 3, keys).options, ['status']);
  t.same(complete('na', 2, keys).options, ['name', 'config.optimizer.name'], 'name starts with it; config.optimizer.name contains it');
  t.same(complete('loss', 4, keys).options, ['summary.loss.last', 'summary.loss.min', 'summary.loss.max', 'summary.val/loss.last', 'summary.val/loss.min', 'summary.val/loss.max']);
  t.same(complete('zzz', 3, keys).options, []);
});

t.test('the token is found around the caret', async (t) => {
  const text = 'status = "running" and con';
  t.same(complete(text, text.length, keys), { from: 23, to: 26, options: ['config.lr', 'config.optimizer.name', 'config."learning rate"', 'config.batch_size'] });
  // Caret in the middle of a word: the prefix is what is before the caret, the range covers the whole word.
  const mid = 'name = "x" and summary.loss.last < 1';
  t.same(complete(mid, 19, keys), { from: 15, to: 32, options: fieldNames(keys).filter((o) => o.startsWith('summ')) });
  t.same(complete('(config.l', 9, keys), { from: 1, to: 9, options: ['config.lr', 'config."learning rate"'] }, 'quotes ignored when matching');
  t.same(complete('summary.eval/', 13, keys).options, ['summary."eval/acc@1".last', 'summary."eval/acc@1".min', 'summary."eval/acc@1".max']);
  t.same(complete('a and created>1d or dur', 23, keys), { from: 20, to: 23, options: ['duration'] });
  t.same(complete('-summary.val/', 13, keys).options, [], 'a token starting with - is a number or a sort direction');
  t.same(complete('-summary.val/', 13, keys, 20).from, 13);
});

t.test('no options: empty token, numbers, strings', async (t) => {
  t.same(complete('status = ', 9, keys), { from: 9, to: 9, options: [] });
  t.same(complete('', 0, keys), { from: 0, to: 0, options: [] });
  t.same(complete('duration > 5', 12, keys).options, []);
  t.same(complete('summary.loss.last < 0.5', 23, keys).options, []);
  t.same(complete('name = "conf', 12, keys).options, [], 'inside a string literal');
  t.same(complete('name = "a\\"b" and conf', 22, keys).options.length, 4, 'after a closed string with an escaped quote');
  t.same(complete('name', 99, keys), { from: 0, to: 4, options: ['name', 'config.optimizer.name'] }, 'caret past the end is clamped');
});

t.test('at most 20 options', async (t) => {
  const many = { config: Array.from({ length: 40 }, (_, i) => `config.k${i}`), metrics: [] };
  const r = complete('config.k', 8, many);
  t.equal(r.options.length, 20);
  t.equal(r.options[0], 'config.k0');
  t.equal(complete('config.k', 8, many, 5).options.length, 5);
});
