import t from 'tap';
import { migrate, TABLES } from '../src/index.js';
import { openTempClickHouse } from './fixtures/db.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

for (const [table, columns] of Object.entries(TABLES)) {
  t.test(`${table}: the allow-list is the migrated schema, in order`, async (t) => {
    const described = await ch.query<{ name: string; type: string; default_type: string }>({ sql: `DESCRIBE TABLE \`${table}\``, tag: 'test.describe' });
    const inserted = described.filter((c) => c.default_type !== 'MATERIALIZED' && c.default_type !== 'ALIAS');
    t.same(
      columns.map((c) => `${c.name} ${c.type}`),
      inserted.map((c) => `${c.name} ${c.type}`),
    );
  });
}

t.test('spans.duration_ns is MATERIALIZED and not in the allow-list', async (t) => {
  const described = await ch.query<{ name: string; default_type: string }>({ sql: 'DESCRIBE TABLE spans', tag: 'test.describe' });
  t.same(described.find((c) => c.name === 'duration_ns')?.default_type, 'MATERIALIZED');
  t.notOk(TABLES.spans.some((c) => c.name === 'duration_ns'));
});
