/** Sort specs: comma lists of fields with `-` for descending, read with the filter's field grammar. */
import t from 'tap';
import type { FilterError } from '../src/index.js';
import { parseSort } from '../src/index.js';

const sp = (start: number, end: number) => ({ start, end });
const FIELD = 'a field (name, status, group, tags, created, duration, config.<key>, summary.<key>.<stat>)';

function error(text: string): FilterError | undefined {
  const r = parseSort(text);
  return r.ok ? undefined : r.error;
}

t.test('asc / desc after the field, any case', async (t) => {
  t.same(parseSort('summary.loss.last DESC, created asc'), {
    ok: true,
    sort: [
      { field: { kind: 'summary', key: 'loss', stat: 'last', span: sp(0, 17) }, direction: 'desc', span: sp(0, 22) },
      { field: { kind: 'created', span: sp(24, 31) }, direction: 'asc', span: sp(24, 35) },
    ],
  });
  t.match(error('-name desc'), { position: 6, expected: "',' or end of input", message: /direction once/ });
  t.match(error('name descending'), { position: 5, expected: "',' or end of input" });
});

t.test('keys, directions and spans', async (t) => {
  t.same(parseSort('-summary.val/loss.last,created'), {
    ok: true,
    sort: [
      { field: { kind: 'summary', key: 'val/loss', stat: 'last', span: sp(1, 22) }, direction: 'desc', span: sp(0, 22) },
      { field: { kind: 'created', span: sp(23, 30) }, direction: 'asc', span: sp(23, 30) },
    ],
  });
  t.same(parseSort(' +name , - config."learning rate" '), {
    ok: true,
    sort: [
      { field: { kind: 'name', span: sp(2, 6) }, direction: 'asc', span: sp(1, 6) },
      { field: { kind: 'config', path: ['learning rate'], span: sp(11, 33) }, direction: 'desc', span: sp(9, 33) },
    ],
  });
  t.same(parseSort('-summary."eval/acc@1".max'), {
    ok: true,
    sort: [{ field: { kind: 'summary', key: 'eval/acc@1', stat: 'max', span: sp(1, 25) }, direction: 'desc', span: sp(0, 25) }],
  });
  t.same(parseSort('duration,-group,status'), {
    ok: true,
    sort: [
      { field: { kind: 'duration', span: sp(0, 8) }, direction: 'asc', span: sp(0, 8) },
      { field: { kind: 'group', span: sp(10, 15) }, direction: 'desc', span: sp(9, 15) },
      { field: { kind: 'status', span: sp(16, 22) }, direction: 'asc', span: sp(16, 22) },
    ],
  });
});

t.test('empty text is the default order', async (t) => {
  t.same(parseSort(''), { ok: true, sort: [] });
  t.same(parseSort('  '), { ok: true, sort: [] });
});

t.test('errors', async (t) => {
  t.same(error('name,'), { position: 5, expected: FIELD, message: `expected ${FIELD} after ',' at 5, found end of input` });
  t.same(error('tags'), { position: 0, expected: 'a sortable field (any field but tags)', message: "expected a sortable field (any field but tags) at 0, found 'tags'" });
  t.same(error('-'), { position: 1, expected: FIELD, message: `expected ${FIELD} after '-' at 1, found end of input` });
  t.same(error('name down'), { position: 5, expected: "',' or end of input", message: "expected ',' or end of input after 'name' at 5, found 'down'" });
  t.same(error('-1'), { position: 0, expected: FIELD, message: `expected ${FIELD} at 0, found '-1'` });
  t.same(error('and'), { position: 0, expected: FIELD, message: `expected ${FIELD} at 0, found 'and'` });
  t.equal(error('summary.loss')?.position, 12);
  t.equal(error('foo')?.message, `expected ${FIELD} at 0, found 'foo'; a config value is config.foo, a metric summary.foo.last`);
  t.equal(error('x'.repeat(4097))?.position, 4096);
});

t.test('at most 16 keys', async (t) => {
  const keys = (n: number): string => Array.from({ length: n }, () => 'name').join(',');
  t.ok(parseSort(keys(16)).ok);
  t.same(error(keys(17)), { position: 80, expected: 'at most 16 sort keys', message: "expected at most 16 sort keys after ',' at 80, found 'name'" });
});
