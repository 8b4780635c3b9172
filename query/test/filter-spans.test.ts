/**
 * The traces filter's field set: span fields parse to storage's AST (attribute keys are the whole rest of
 * the path), what each accepts, errors with positions; and the run field set is unchanged by it (run
 * filters refuse span fields and span filters refuse run fields).
 */
import type { Filter } from '@mlrun/storage';
import t from 'tap';
import { parseFilter, SPAN_FIELDS } from '../src/index.js';

const sp = (start: number, end: number) => ({ start, end });

function spans(text: string): Filter | string {
  const r = parseFilter(text, SPAN_FIELDS);
  return r.ok ? r.ast : `${r.error.position}: ${r.error.message}`;
}

t.test('attr.<key> and resource.<key>: the whole rest of the path is one key', async (t) => {
  t.same(spans('attr.gen_ai.request.model = "gpt-4o"'), {
    kind: 'compare',
    field: { kind: 'attr', key: 'gen_ai.request.model', span: sp(0, 25) },
    op: '=',
    value: { type: 'string', value: 'gpt-4o', span: sp(28, 36) },
    span: sp(0, 36),
  });
  const quoted = spans('attr."gen_ai.request.model" = "gpt-4o"');
  t.match(quoted, { field: { kind: 'attr', key: 'gen_ai.request.model' } }, 'quoted dots are the same key');
  t.match(spans('resource."service.name" ~ "api-*"'), { kind: 'match', field: { kind: 'resource', key: 'service.name' }, pattern: { type: 'glob', value: 'api-*' } });
  t.match(spans('attr.llm.input_messages.0.message.role = "user"'), { field: { key: 'llm.input_messages.0.message.role' } });
});

t.test('typed literals: strings, numbers, booleans, null, lists', async (t) => {
  t.match(spans('attr.n >= 3'), { op: '>=', value: { type: 'number', value: 3 } });
  t.match(spans('attr.flag = true'), { value: { type: 'boolean', value: true } });
  t.match(spans('attr.flag != null'), { op: '!=', value: { type: 'null' } });
  t.match(spans('attr.k in ("a", 2, false)'), { kind: 'in', values: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] });
});

t.test('plain span fields', async (t) => {
  t.match(spans('name = "chat" and service = "api" and status = "error"'), {
    kind: 'and',
    operands: [{ field: { kind: 'name' } }, { field: { kind: 'service' } }, { field: { kind: 'status' } }],
  });
  t.match(spans('duration > 250ms'), { field: { kind: 'duration' }, value: { type: 'duration', value: 250 } });
  t.match(spans('duration <= 1500'), { field: { kind: 'duration' }, value: { type: 'number', value: 1500 } }, 'a bare number is milliseconds');
});

t.test('errors: position and what was expected', async (t) => {
  t.equal(spans('config.lr = 1'), "0: expected a field (name, service, status, duration, attr.<key>, resource.<key>) at 0, found 'config.lr'; a span attribute is attr.config.lr");
  t.equal(spans('attr = "x"'), "4: expected an attribute key (attr.<key>) after 'attr' at 4");
  t.equal(spans('duration ~ "x"'), "9: expected an operator (=, !=, <, <=, >, >=) after 'duration' at 9, found '~'");
  t.equal(spans('service > 3'), "10: expected a string after '>' at 10, found '3'");
  t.equal(spans('"attr".x = 1'), "0: expected a field (name, service, status, duration, attr.<key>, resource.<key>), 'not' or '(' at 0, found '\"attr\"'");
});

t.test('run filters are unchanged: span fields are not run fields', async (t) => {
  const r = parseFilter('attr.x = 1');
  t.equal(r.ok, false);
  if (!r.ok) t.equal(r.error.message, "expected a field (name, status, group, tags, created, duration, config.<key>, summary.<key>.<stat>) at 0, found 'attr.x'; a config value is config.attr, a metric summary.attr.last");
  const service = parseFilter('service = "x"');
  t.equal(service.ok, false, 'service is a span field only');
});
