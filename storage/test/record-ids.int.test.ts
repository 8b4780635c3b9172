/** `record_ids` (0013): the round trip of every column, and `knownRecordIds`. */
import t from 'tap';
import { knownRecordIds, migrate, RECORD_ID_LOOKUP_SLICE } from '../src/index.js';
import type { RecordIdRow } from '../src/index.js';
import { assertRoundTrip, openTempClickHouse } from './fixtures/db.js';
import { recordIdRows, UNICODE } from './fixtures/rows.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

const now = (): bigint => BigInt(Date.now()) * 1_000_000n;

t.test('record_ids round-trip every column (received_at to the second)', async (t) => {
  await assertRoundTrip(t, ch, 'record_ids', recordIdRows('rt'), 'rt');
});

t.test('knownRecordIds returns the stored subset, scoped to the project', async (t) => {
  const rows: RecordIdRow[] = ['a-1', 'a-2', `a-${UNICODE}`].map((recordId) => ({ project: 'known', recordId, receivedAt: now() }));
  await ch.insert('record_ids', [...rows, { project: 'other', recordId: 'a-3', receivedAt: now() }]);
  const known = await knownRecordIds(ch, 'known', ['a-1', 'a-3', `a-${UNICODE}`, 'a-4', "a-'quoted'"]);
  t.same([...known].sort(), ['a-1', `a-${UNICODE}`].sort());
  t.same([...(await knownRecordIds(ch, 'other', ['a-1', 'a-3']))], ['a-3'], 'another project sees only its own ids');
  t.same([...(await knownRecordIds(ch, 'known', []))], [], 'no ids, no answer');
});

t.test('an id stored twice is reported once', async (t) => {
  const row: RecordIdRow = { project: 'twice', recordId: 'r-1', receivedAt: now() };
  await ch.insert('record_ids', [row]);
  await ch.insert('record_ids', [{ ...row, receivedAt: row.receivedAt + 2_000_000_000n }]);
  t.same([...(await knownRecordIds(ch, 'twice', ['r-1', 'r-1']))], ['r-1']);
});

t.test('more ids than one statement carries are looked up in slices', async (t) => {
  const count = RECORD_ID_LOOKUP_SLICE * 2 + 5;
  const ids = Array.from({ length: count }, (_, i) => `s-${i}`);
  // Every third id is stored, across all three slices.
  const stored = ids.filter((_, i) => i % 3 === 0);
  await ch.insert('record_ids', stored.map((recordId) => ({ project: 'sliced', recordId, receivedAt: now() })));
  const known = await knownRecordIds(ch, 'sliced', ids);
  t.equal(known.size, stored.length);
  t.ok(stored.every((id) => known.has(id)), 'every stored id is known');
});
