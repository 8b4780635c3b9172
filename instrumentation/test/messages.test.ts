/** GenAI message content in the conventions' structured parts format, and JSON text that never throws. */
import t from 'tap';
import { inputMessagesJson, outputMessagesJson, systemInstructionsJson, toJson } from '../src/messages.js';

t.test('input messages: the { role, content } shorthand becomes a text part; structured messages pass through', async (t) => {
  const text = inputMessagesJson([
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { temp: 21 } }], name: 'weather' },
  ]);
  t.same(JSON.parse(text), [
    { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { temp: 21 } }], name: 'weather' },
  ]);
});

t.test('output messages take finish_reason from the message, else the response reason at their index, else none', async (t) => {
  const text = outputMessagesJson(
    [{ role: 'assistant', content: 'a' }, { role: 'assistant', content: 'b', finish_reason: 'length' }, { role: 'assistant', content: 'c' }],
    ['stop', 'stop'],
  );
  t.same(
    JSON.parse(text).map((m: { finish_reason?: string }) => m.finish_reason ?? null),
    ['stop', 'length', null],
  );
});

t.test('system instructions: a string becomes one text part', async (t) => {
  t.same(JSON.parse(systemInstructionsJson('Be brief.')), [{ type: 'text', content: 'Be brief.' }]);
  t.same(JSON.parse(systemInstructionsJson([{ type: 'text', content: 'x' }])), [{ type: 'text', content: 'x' }]);
});

t.test('toJson: strings as given, BigInts as digits, cycles as String()', async (t) => {
  t.equal(toJson('{"already":"json"}'), '{"already":"json"}');
  t.equal(toJson({ n: 2n ** 64n }), '{"n":"18446744073709551616"}');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  t.equal(toJson(cyclic), '[object Object]');
  t.equal(toJson(undefined), 'undefined');
});
