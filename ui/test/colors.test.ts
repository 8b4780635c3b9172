/** Run colours: by position in a selection, else by a stable hash of the id. */
import t from 'tap';
import { PALETTE, fnv1a, runColor } from '../src/lib/colors.js';

t.test('fnv1a matches the reference test vectors', async (t) => {
  t.equal(fnv1a(''), 0x811c9dc5);
  t.equal(fnv1a('a'), 0xe40c292c);
  t.equal(fnv1a('foobar'), 0xbf9cf968);
});

t.test('by index: the palette in order, wrapping', async (t) => {
  t.equal(PALETTE.length, 10);
  t.equal(new Set(PALETTE).size, 10, 'distinct colours');
  t.ok(PALETTE.every((c) => /^#[0-9a-f]{6}$/.test(c)));
  const ten = Array.from({ length: 10 }, (_, i) => runColor('same-id', i));
  t.same(ten, PALETTE, 'the first ten selected runs never share a colour');
  t.equal(runColor('r', 10), PALETTE[0]);
  t.equal(runColor('r', 23), PALETTE[3]);
  t.equal(runColor('r', -1), runColor('r'), 'a negative index falls back to the hash');
  t.equal(runColor('r', 1.5), runColor('r'));
});

t.test('by id: stable and spread over the palette', async (t) => {
  t.equal(runColor('run-7f3a'), runColor('run-7f3a'));
  t.equal(runColor('foobar'), PALETTE[0xbf9cf968 % 10]);
  const used = new Set(Array.from({ length: 500 }, (_, i) => runColor(`run-${i}`)));
  t.equal(used.size, PALETTE.length, 'every colour used by 500 ids');
  const counts = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    const c = runColor(`2025-06-15T12:00:${i}-abc`);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  t.ok(Math.max(...counts.values()) < 700, `no colour takes far more than its share (${[...counts.values()].join(', ')})`);
});
