/** The normalised span view (query/src/traces): one realistic span per convention, the price table, odd input. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { NormalizedSpan, SpanAttributes, SpanEventInput, SpanInput } from '../src/traces/normalize.js';
import { attributesFromOtlpJson, normalizeSpan, summarizeSpan } from '../src/traces/normalize.js';
import { DEFAULT_PRICES, PriceTableError, loadPriceTable, priceFor } from '../src/traces/prices.js';

const attrs = (a: Partial<SpanAttributes>): SpanAttributes => ({ str: {}, int: {}, float: {}, bool: {}, json: {}, ...a });
const span = (name: string, a: Partial<SpanAttributes>, events?: SpanEventInput[]): SpanInput => ({ name, kind: 1, attributes: attrs(a), ...(events ? { events } : {}) });
const norm = (s: SpanInput): NormalizedSpan => normalizeSpan(s, DEFAULT_PRICES);
const EMPTY: NormalizedSpan = { kind: 'other', convention: null, model: null, provider: null, inputTokens: null, outputTokens: null, cost: null,
  inputMessages: null, outputMessages: null, toolName: null, toolArguments: null, toolResult: null, input: null, output: null, sessionId: null, agentName: null };
const view = (fields: Partial<NormalizedSpan>): NormalizedSpan => ({ ...EMPTY, ...fields });

/** A value as OTLP/JSON AnyValue (how storage keeps arrays and key-value lists). */
function anyValue(v: unknown): unknown {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (typeof v === 'object' && v !== null) return { kvlistValue: { values: Object.entries(v).map(([key, value]) => ({ key, value: anyValue(value) })) } };
  return {};
}
const otlp = (v: unknown): string => JSON.stringify(anyValue(v));
const event = (name: string, a: Record<string, unknown>): SpanEventInput => ({
  name,
  attributes: attributesFromOtlpJson(JSON.stringify(Object.entries(a).map(([key, value]) => ({ key, value: anyValue(value) })))),
});

const CHAT_INPUT = [
  { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
  { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', result: { temp: 21 } }] },
];
const CHAT_OUTPUT = [{ role: 'assistant', parts: [{ type: 'text', content: 'It is 21°C in Paris.' }], finish_reason: 'stop' }];
const CHAT_MESSAGES = {
  inputMessages: [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
    { role: 'tool', content: '{"temp":21}', toolCallId: 'call_1' },
  ],
  outputMessages: [{ role: 'assistant', content: 'It is 21°C in Paris.' }],
};

t.test('GenAI chat: messages with a tool call, tokens, price-table cost (1,000 in + 500 out on gpt-4o)', async (t) => {
  const str = {
    'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06', 'gen_ai.conversation.id': 'conv-42',
    'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a weather bot.' }]),
    'gen_ai.input.messages': JSON.stringify(CHAT_INPUT), 'gen_ai.output.messages': JSON.stringify(CHAT_OUTPUT),
  };
  const int = { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 500, 'gen_ai.request.max_tokens': 256 };
  const expected = view({
    kind: 'llm', convention: 'gen_ai', model: 'gpt-4o-2024-08-06', provider: 'openai', inputTokens: 1000, outputTokens: 500,
    cost: { input: 0.0025, output: 0.005, total: 0.0075, source: 'price_table' }, ...CHAT_MESSAGES, sessionId: 'conv-42',
  });
  t.strictSame(norm(span('chat gpt-4o', { str, int, json: { 'gen_ai.response.finish_reasons': otlp(['stop']) } })), expected);
  // The same messages sent as structured attributes (arrays of key-value lists) land in attributes_json.
  const json = { 'gen_ai.input.messages': otlp(CHAT_INPUT), 'gen_ai.output.messages': otlp(CHAT_OUTPUT), 'gen_ai.system_instructions': otlp([{ type: 'text', content: 'You are a weather bot.' }]) };
  const { 'gen_ai.input.messages': _i, 'gen_ai.output.messages': _o, 'gen_ai.system_instructions': _s, ...rest } = str;
  t.strictSame(norm(span('chat gpt-4o', { str: rest, int, json })), expected);
  const { kind, convention, model, provider, inputTokens, outputTokens, cost, toolName } = expected;
  t.strictSame(summarizeSpan(span('chat gpt-4o', { str, int }), DEFAULT_PRICES), { kind, convention, model, provider, inputTokens, outputTokens, cost, toolName });
});

t.test('GenAI execute_tool', async (t) => {
  const str = {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.id': 'call_1', 'gen_ai.tool.type': 'function',
    'gen_ai.tool.call.arguments': '{"city":"Paris"}', 'gen_ai.tool.call.result': '{"temp":21,"unit":"C"}',
  };
  t.strictSame(norm(span('execute_tool get_weather', { str })), view({
    kind: 'tool', convention: 'gen_ai', toolName: 'get_weather', toolArguments: { city: 'Paris' }, toolResult: { temp: 21, unit: 'C' },
  }));
  // No tool name attribute: the span name without "execute_tool "; a result that is not JSON stays text.
  const bare = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.result': 'sunny, 21C' };
  t.strictSame(norm(span('execute_tool lookup', { str: bare })), view({ kind: 'tool', convention: 'gen_ai', toolName: 'lookup', toolResult: 'sunny, 21C' }));
});

t.test('GenAI invoke_agent', async (t) => {
  const str = {
    'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'WeatherAgent', 'gen_ai.agent.id': 'asst_1', 'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4.1-mini', 'gen_ai.conversation.id': 'conv-42',
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Plan my trip' }, { type: 'text', content: 'to Paris' }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Done.' }] }]),
  };
  t.strictSame(norm(span('invoke_agent WeatherAgent', { str, int: { 'gen_ai.usage.input_tokens': 2000, 'gen_ai.usage.output_tokens': 300 } })), view({
    kind: 'agent', convention: 'gen_ai', model: 'gpt-4.1-mini', provider: 'openai', inputTokens: 2000, outputTokens: 300,
    cost: { input: 0.0008, output: 0.00048, total: 0.00128, source: 'price_table' },
    inputMessages: [{ role: 'user', content: 'Plan my trip\nto Paris' }], outputMessages: [{ role: 'assistant', content: 'Done.' }],
    sessionId: 'conv-42', agentName: 'WeatherAgent',
  }));
});

t.test('deprecated GenAI: gen_ai.system, prompt/completion tokens, per-message events', async (t) => {
  const s = span('chat gpt-4o-mini', {
    str: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18' },
    int: { 'gen_ai.usage.prompt_tokens': 1200, 'gen_ai.usage.completion_tokens': 80 },
  }, [
    event('gen_ai.system.message', { 'gen_ai.system': 'openai', content: 'You are terse.' }),
    event('gen_ai.user.message', { content: 'Find x' }),
    event('gen_ai.assistant.message', { tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] }),
    event('gen_ai.tool.message', { content: 'found', id: 'call_9' }),
    event('gen_ai.choice', { 'gen_ai.event.content': JSON.stringify({ index: 0, finish_reason: 'stop', message: { content: 'x is 1' } }) }),
  ]);
  t.strictSame(norm(s), view({
    kind: 'llm', convention: 'gen_ai_deprecated', model: 'gpt-4o-mini-2024-07-18', provider: 'openai', inputTokens: 1200, outputTokens: 80,
    cost: { input: 0.00018, output: 0.000048, total: 0.000228, source: 'price_table' },
    inputMessages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Find x' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { q: 'x' } }] }, { role: 'tool', content: 'found', toolCallId: 'call_9' }],
    outputMessages: [{ role: 'assistant', content: 'x is 1' }],
  }));
});

t.test('deprecated GenAI: gen_ai.prompt / gen_ai.completion as attributes, flattened keys and content events', async (t) => {
  const expected = { inputMessages: [{ role: 'user', content: 'Hi' }], outputMessages: [{ role: 'assistant', content: 'Hello' }] };
  const base = { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-3-5-haiku-20241022' };
  const flat = norm(span('anthropic.chat', { str: { ...base, 'gen_ai.prompt.0.role': 'user', 'gen_ai.prompt.0.content': 'Hi', 'gen_ai.completion.0.role': 'assistant', 'gen_ai.completion.0.content': 'Hello', 'gen_ai.completion.0.finish_reason': 'end_turn' } }));
  t.match(flat, { kind: 'llm', convention: 'gen_ai_deprecated', model: 'claude-3-5-haiku-20241022', provider: 'anthropic', cost: null, ...expected });
  const attr = norm(span('chat', { str: { ...base, 'gen_ai.prompt': '[{"role":"user","content":"Hi"}]', 'gen_ai.completion': 'Hello' } }));
  t.strictSame([attr.inputMessages, attr.outputMessages], [expected.inputMessages, expected.outputMessages]);
  const events = [event('gen_ai.content.prompt', { 'gen_ai.prompt': '[{"role":"user","content":"Hi"}]' }), event('gen_ai.content.completion', { 'gen_ai.completion': '[{"role":"assistant","content":"Hello"}]' })];
  const fromEvents = norm(span('chat', { str: base }, events));
  t.strictSame([fromEvents.inputMessages, fromEvents.outputMessages, fromEvents.convention], [expected.inputMessages, expected.outputMessages, 'gen_ai_deprecated']);
});

t.test('OpenInference LLM: flattened messages in numeric order, token counts, reported cost', async (t) => {
  const m = (i: number, suffix: string): string => `llm.input_messages.${i}.message.${suffix}`;
  const str = {
    'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'llm.provider': 'openai', 'llm.system': 'openai', 'session.id': 'sess-7',
    [m(0, 'role')]: 'system', [m(0, 'content')]: 'Be brief.',
    [m(1, 'role')]: 'user', [m(1, 'content')]: 'Weather?',
    [m(2, 'role')]: 'assistant', [m(2, 'tool_calls.0.tool_call.id')]: 'call_a', [m(2, 'tool_calls.0.tool_call.function.name')]: 'get_weather',
    [m(2, 'tool_calls.0.tool_call.function.arguments')]: '{"city":"Oslo"}', [m(2, 'tool_calls.1.tool_call.function.name')]: 'get_time',
    [m(2, 'tool_calls.1.tool_call.function.arguments')]: '{}',
    [m(10, 'role')]: 'tool', [m(10, 'content')]: '-3C', [m(10, 'tool_call_id')]: 'call_a',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.contents.0.message_content.type': 'text', 'llm.output_messages.0.message.contents.0.message_content.text': 'Cold:',
    'llm.output_messages.0.message.contents.1.message_content.type': 'image', 'llm.output_messages.0.message.contents.1.message_content.image.image.url': 'http://x/y.png',
    'llm.output_messages.0.message.contents.2.message_content.type': 'text', 'llm.output_messages.0.message.contents.2.message_content.text': '-3C',
    'input.value': '{"messages":[]}', 'input.mime_type': 'application/json', 'output.value': 'Cold: -3C', 'llm.invocation_parameters': '{"temperature":0}',
  };
  const int = { 'llm.token_count.prompt': 350, 'llm.token_count.completion': 40, 'llm.token_count.total': 390 };
  const float = { 'llm.cost.prompt': 0.0000525, 'llm.cost.completion': 0.000024, 'llm.cost.total': 0.0000765 };
  t.strictSame(norm(span('ChatOpenAI', { str, int, float })), view({
    kind: 'llm', convention: 'openinference', model: 'gpt-4o-mini', provider: 'openai', inputTokens: 350, outputTokens: 40,
    cost: { input: 0.0000525, output: 0.000024, total: 0.0000765, source: 'reported' },
    inputMessages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: { city: 'Oslo' } }, { id: null, name: 'get_time', arguments: {} }] },
      { role: 'tool', content: '-3C', toolCallId: 'call_a' }],
    outputMessages: [{ role: 'assistant', content: 'Cold:\n-3C' }], sessionId: 'sess-7',
  }));
});

t.test('OpenInference TOOL: tool.name, input.value / output.value as arguments and result', async (t) => {
  const str = {
    'openinference.span.kind': 'TOOL', 'tool.name': 'search_docs', 'tool.description': 'Search the docs',
    'tool.parameters': '{"type":"object","properties":{"query":{"type":"string"}}}',
    'input.value': '{"query":"otel"}', 'input.mime_type': 'application/json', 'output.value': '{"hits": 3}', 'output.mime_type': 'text/plain',
  };
  t.strictSame(norm(span('search_docs', { str })), view({ kind: 'tool', convention: 'openinference', toolName: 'search_docs', toolArguments: { query: 'otel' }, toolResult: '{"hits": 3}' }));
  // A chain span keeps them as its generic input and output.
  const chain = norm(span('RunnableSequence', { str: { 'openinference.span.kind': 'CHAIN', 'input.value': '{"question":"why"}', 'output.value': 'because' } }));
  t.strictSame(chain, view({ kind: 'chain', convention: 'openinference', input: { question: 'why' }, output: 'because' }));
});

t.test('MLflow CHAT_MODEL: JSON-valued attributes, tokenUsage, reported mlflow.llm.cost', async (t) => {
  const str = {
    'mlflow.traceRequestId': '"tr-0af7651916cd43dd8448eb211c80319c"', 'mlflow.spanType': '"CHAT_MODEL"', 'mlflow.spanFunctionName': '"create"',
    'mlflow.spanInputs': JSON.stringify({ messages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: [{ type: 'text', text: 'Hi' }] }], model: 'gpt-4o', temperature: 0 }),
    'mlflow.spanOutputs': JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }] }),
    'mlflow.chat.tokenUsage': '{"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}', 'mlflow.llm.cost': '{"input_cost": 0.00003, "output_cost": 0.00003, "total_cost": 0.00006}',
    'mlflow.llm.model': '"gpt-4o"', 'mlflow.llm.provider': '"openai"', 'mlflow.trace.session': '"chat-session-1"',
  };
  t.strictSame(norm(span('Completions', { str })), view({
    kind: 'llm', convention: 'mlflow', model: 'gpt-4o', provider: 'openai', inputTokens: 12, outputTokens: 3,
    cost: { input: 0.00003, output: 0.00003, total: 0.00006, source: 'reported' },
    inputMessages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: 'Hi' }],
    outputMessages: [{ role: 'assistant', content: 'Hello!' }], sessionId: 'chat-session-1',
  }));
  const tool = norm(span('get_weather', { str: { 'mlflow.spanType': '"TOOL"', 'mlflow.spanInputs': '{"city": "Paris"}', 'mlflow.spanOutputs': '"sunny"' } }));
  t.strictSame(tool, view({ kind: 'tool', convention: 'mlflow', toolName: 'get_weather', toolArguments: { city: 'Paris' }, toolResult: 'sunny' }));
  const parser = norm(span('parse', { str: { 'mlflow.spanType': '"PARSER"', 'mlflow.spanInputs': '{"text": "a,b"}', 'mlflow.spanOutputs': '["a", "b"]' } }));
  t.strictSame(parser, view({ kind: 'chain', convention: 'mlflow', input: { text: 'a,b' }, output: ['a', 'b'] }));
});

t.test('kind and convention rules', async (t) => {
  const kind = (str: Record<string, string>, int: Record<string, number> = {}) => ((n) => [n.kind, n.convention])(norm(span('s', { str, int })));
  const ops = { chat: 'llm', generate_content: 'llm', text_completion: 'llm', embeddings: 'embedding', execute_tool: 'tool', invoke_agent: 'agent', create_agent: 'agent', retrieval: 'retriever', invoke_workflow: 'chain' };
  for (const [op, k] of Object.entries(ops)) t.strictSame(kind({ 'gen_ai.operation.name': op }), [k, 'gen_ai'], op);
  const oi = { LLM: 'llm', EMBEDDING: 'embedding', TOOL: 'tool', AGENT: 'agent', RETRIEVER: 'retriever', RERANKER: 'retriever', CHAIN: 'chain', GUARDRAIL: 'other', llm: 'llm' };
  for (const [v, k] of Object.entries(oi)) t.strictSame(kind({ 'openinference.span.kind': v }), [k, 'openinference'], v);
  const ml = { LLM: 'llm', CHAT_MODEL: 'llm', TOOL: 'tool', AGENT: 'agent', RETRIEVER: 'retriever', RERANKER: 'retriever', EMBEDDING: 'embedding', CHAIN: 'chain', WORKFLOW: 'chain', TASK: 'chain', PARSER: 'chain', MEMORY: 'other' };
  for (const [v, k] of Object.entries(ml)) t.strictSame(kind({ 'mlflow.spanType': JSON.stringify(v) }), [k, 'mlflow'], v);
  t.strictSame(kind({ 'mlflow.spanType': 'AGENT' }), ['agent', 'mlflow'], 'unquoted MLflow value');
  // Operation name beats OpenInference beats MLflow.
  t.strictSame(kind({ 'gen_ai.operation.name': 'chat', 'openinference.span.kind': 'TOOL', 'mlflow.spanType': '"AGENT"' }), ['llm', 'gen_ai']);
  t.strictSame(kind({ 'openinference.span.kind': 'TOOL', 'mlflow.spanType': '"AGENT"' }), ['tool', 'openinference']);
  // Provider with a model or tokens: an LLM call; an unknown operation falls through to that rule.
  t.strictSame(kind({ 'gen_ai.system': 'openai' }, { 'gen_ai.usage.prompt_tokens': 3 }), ['llm', 'gen_ai_deprecated']);
  t.strictSame(kind({ 'gen_ai.operation.name': 'responses', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-5' }), ['llm', 'gen_ai']);
  t.strictSame(kind({ 'gen_ai.system': 'openai' }), ['other', 'gen_ai_deprecated'], 'provider alone is not an LLM call');
  t.strictSame(kind({ 'gen_ai.request.model': 'gpt-4o' }), ['other', 'gen_ai']);
  t.strictSame(kind({ 'llm.model_name': 'x' }), ['other', 'openinference']);
  t.strictSame(kind({ 'mlflow.traceRequestId': '"tr-1"' }), ['other', 'mlflow']);
  t.strictSame(kind({ 'http.method': 'GET' }), ['other', null]);
});

t.test('price table: exact, dated, provider-prefixed and versioned ids', async (t) => {
  const p = (model: string) => priceFor(model, DEFAULT_PRICES);
  // [id, input, output]: a dated snapshot resolves to its base, unless priced differently (gpt-4o-2024-05-13).
  const cases: [string, number, number][] = [
    ['gpt-4o', 2.5, 10], ['gpt-4o-2024-08-06', 2.5, 10], ['gpt-4o-2024-05-13', 5, 15], ['gpt-4o-mini', 0.15, 0.6], ['OpenAI/GPT-4o', 2.5, 10], ['claude-opus-4-6', 5, 25],
    ['models/gemini-1.5-pro-002', 1.25, 5], ['claude-sonnet-4-5-20250929', 3, 15], ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 0.8, 4], ['gpt-5.2', 1.75, 14],
    ['claude-3-5-sonnet-v2@20241022', 3, 15], ['mistral-large-latest', 2, 6], ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 0.88, 0.88], ['gpt-5.1-2025-11-13', 1.25, 10], ['claude-sonnet-4-6', 3, 15],
  ];
  for (const [id, inputPerMTok, outputPerMTok] of cases) t.strictSame(p(id), { inputPerMTok, outputPerMTok }, id);
  for (const unknown of ['gpt-4-32k-0613', 'mistral-small-2409', 'my-model', '', '  ']) t.equal(p(unknown), null, unknown);
  t.strictSame(DEFAULT_PRICES.sources, ['built-in (as of 2026-11)']);
});

const dir = mkdtempSync(join(tmpdir(), 'mlrun-prices-'));
const file = (name: string, text: string): string => (writeFileSync(join(dir, name), text), join(dir, name));
function problemsOf(load: () => unknown): readonly string[] | string {
  try {
    load();
    return 'no error';
  } catch (err) {
    return err instanceof PriceTableError ? err.problems : String(err);
  }
}

t.test('price file: overrides, extends, prefix entries (longest wins)', async (t) => {
  t.equal(loadPriceTable(), DEFAULT_PRICES);
  const path = file('ok.json', JSON.stringify({
    _note: 'negotiated rates', 'gpt-4o': { inputPerMTok: 2, outputPerMTok: 8 }, 'acme-*': { inputPerMTok: 1, outputPerMTok: 2 },
    'acme-large-*': { inputPerMTok: 4, outputPerMTok: 8 }, 'Acme-Tiny': { inputPerMTok: 0, outputPerMTok: 0 },
  }));
  const table = loadPriceTable(path);
  t.strictSame(table.sources, ['built-in (as of 2026-11)', path]);
  t.strictSame(priceFor('gpt-4o-2024-11-20', table), { inputPerMTok: 2, outputPerMTok: 8 });
  t.strictSame(priceFor('gpt-4o-mini', table), { inputPerMTok: 0.15, outputPerMTok: 0.6 }, 'defaults stay');
  t.strictSame(priceFor('acme-small-v3', table), { inputPerMTok: 1, outputPerMTok: 2 });
  t.strictSame(priceFor('acme-large-2', table), { inputPerMTok: 4, outputPerMTok: 8 });
  t.strictSame(priceFor('ACME-TINY', table), { inputPerMTok: 0, outputPerMTok: 0 }, 'exact beats a prefix, case-insensitive');
  const s = span('chat', { str: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'acme-large-7' }, int: { 'gen_ai.usage.input_tokens': 250000 } });
  t.strictSame(normalizeSpan(s, table).cost, { input: 1, output: null, total: 1, source: 'price_table' });
});

t.test('price file errors name the file and every problem', async (t) => {
  const missing = join(dir, 'missing.json');
  t.throws(() => loadPriceTable(missing), { name: 'PriceTableError', message: new RegExp(`^invalid price table ${missing}:\\n  - cannot read the file: ENOENT`) });
  t.throws(() => loadPriceTable(file('bad.json', '{"gpt-4o": {')), { message: /not valid JSON/ });
  t.strictSame(problemsOf(() => loadPriceTable(file('list.json', '[]'))), ['expected a JSON object of "<model id or prefix*>": {"inputPerMTok": number, "outputPerMTok": number}, got []']);
  const path = file('entries.json', JSON.stringify({
    'gpt-4o': { inputPerMTok: '2.5', outputPerMTok: -1 }, 'o3': { inputPerMtok: 2, outputPerMTok: 8 }, 'a*b': { inputPerMTok: 1, outputPerMTok: 1 },
    '*': { inputPerMTok: 1, outputPerMTok: 1 }, 'x': 3, ' ': {}, 'fine': { inputPerMTok: 1, outputPerMTok: 1 },
  }));
  t.strictSame(problemsOf(() => loadPriceTable(path)), [
    '"gpt-4o": inputPerMTok must be a number >= 0, got "2.5"', '"gpt-4o": outputPerMTok must be a number >= 0, got -1',
    '"o3": unknown property "inputPerMtok" (expected inputPerMTok and outputPerMTok)', '"o3": inputPerMTok must be a number >= 0, got nothing',
    '"a*b": "*" may only end a prefix entry', '"*": a prefix entry needs at least one character before "*"',
    '"x": expected {"inputPerMTok": number, "outputPerMTok": number}, got 3', 'a model id must not be empty',
  ]);
});

t.test('cost: reported wins; partial data', async (t) => {
  const gpt = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' };
  const reported = norm(span('c', { str: gpt, int: { 'gen_ai.usage.input_tokens': 1000 }, float: { 'llm.cost.total': 0.5 } }));
  t.strictSame(reported.cost, { input: null, output: null, total: 0.5, source: 'reported' });
  const summed = norm(span('c', { str: { ...gpt, 'mlflow.llm.cost': '{"input_cost": 0.25, "output_cost": 0.5}' } }));
  t.strictSame(summed.cost, { input: 0.25, output: 0.5, total: 0.75, source: 'reported' });
  t.strictSame(norm(span('c', { str: gpt, int: { 'gen_ai.usage.output_tokens': 500 } })).cost, { input: null, output: 0.005, total: 0.005, source: 'price_table' });
  t.equal(norm(span('c', { str: gpt })).cost, null, 'no tokens');
  t.equal(norm(span('c', { str: { 'gen_ai.operation.name': 'chat' }, int: { 'gen_ai.usage.input_tokens': 5 } })).cost, null, 'no model');
  t.equal(norm(span('c', { str: { 'gen_ai.request.model': 'acme-1' }, int: { 'gen_ai.usage.input_tokens': 5 } })).cost, null, 'unpriced model');
  // Token precedence: current > deprecated > OpenInference > MLflow; numeric text and int64 text are read too.
  const tokens = norm(span('c', { str: { 'mlflow.chat.tokenUsage': '{"input_tokens": 9, "output_tokens": 9}', 'gen_ai.usage.output_tokens': '41' }, int: { 'gen_ai.usage.prompt_tokens': 7, 'llm.token_count.prompt': 8 } }));
  t.strictSame([tokens.inputTokens, tokens.outputTokens], [7, 41]);
  t.equal(norm(span('c', { int: { 'gen_ai.usage.input_tokens': '9007199254740993' } })).inputTokens, 9007199254740992);
});

t.test('odd input never throws', async (t) => {
  const malformed = norm(span('chat', { str: { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role": "user", "parts": [', 'gen_ai.output.messages': '{"not": "a list"}' } }));
  t.strictSame(malformed, view({ kind: 'llm', convention: 'gen_ai' }), 'malformed messages are null');
  const huge = 'x'.repeat(2_000_000);
  const big = norm(span('chat', { str: { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: huge }] }]) } }));
  t.equal(big.outputMessages?.[0]?.content?.length, 2_000_000, 'nothing truncated');
  let deep = '{"stringValue":"bottom"}';
  for (let i = 0; i < 5000; i++) deep = `{"arrayValue":{"values":[${deep}]}}`;
  t.equal(norm(span('t', { str: { 'gen_ai.operation.name': 'execute_tool' }, json: { 'gen_ai.tool.call.arguments': deep } })).kind, 'tool');
  const odd = { name: 5, kind: 'x', attributes: { str: [], int: null, float: { 'llm.cost.total': 'NaN' }, bool: 'yes', json: { 'gen_ai.input.messages': '{{' } }, events: 'none' };
  // The undecodable messages key still shows which convention the sender meant.
  t.strictSame(normalizeSpan(odd as unknown as SpanInput, DEFAULT_PRICES), view({ convention: 'gen_ai' }));
  const proto = norm(span('s', { str: { constructor: 'x', ['__proto__']: 'y', 'gen_ai.operation.name': 'constructor', 'mlflow.spanType': '"toString"' } }));
  t.strictSame([proto.kind, proto.convention], ['other', 'mlflow']);
  const events = [{ name: 'gen_ai.user.message', attributes: null }, { name: 7 }, null, event('gen_ai.choice', { message: 'not json' })] as unknown as SpanEventInput[];
  t.strictSame(norm(span('s', { str: { 'gen_ai.system': 'x' } }, events)).inputMessages, [{ role: 'user', content: null }]);
});

t.test('fuzz: random garbage around a valid kind attribute', async (t) => {
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const keys = ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.tool.call.arguments', 'llm.input_messages.0.message.role', 'llm.input_messages.1.message.tool_calls.0.tool_call.function.name', 'mlflow.spanInputs', 'mlflow.spanOutputs', 'mlflow.chat.tokenUsage', 'mlflow.llm.cost', 'gen_ai.usage.input_tokens', 'llm.cost.total', 'gen_ai.prompt', 'gen_ai.completion.0.content', 'input.value', 'gen_ai.request.model'];
  const values: unknown[] = [null, 1, -1, 1e308, 'x', '', '[', '[]', '{}', '[null]', '[{"role":1,"parts":7}]', '{"messages":[1,{"role":null}]}', '{"choices":[{"message":5}]}', '[{"parts":[{"type":"tool_call"}]}]', true, [], {}, '{"arrayValue":{"values":[1]}}', '{"kvlistValue":{"values":[{"key":1}]}}'];
  const maps = ['str', 'int', 'float', 'bool', 'json'] as const;
  for (let i = 0; i < 2000; i++) {
    const a: Record<string, Record<string, unknown>> = { str: { 'gen_ai.operation.name': 'chat' }, int: {}, float: {}, bool: {}, json: {} };
    for (let k = rand(8); k > 0; k--) (a[maps[rand(5)] as string] as Record<string, unknown>)[keys[rand(keys.length)] as string] = values[rand(values.length)];
    const events = [{ name: 'gen_ai.choice', attributes: a }, { name: 'gen_ai.user.message', attributes: values[rand(values.length)] }];
    const n = normalizeSpan({ name: 'chat', kind: 3, attributes: a, events } as unknown as SpanInput, DEFAULT_PRICES);
    if (n.kind !== 'llm' || n.convention !== 'gen_ai') t.fail(`span ${i}: ${JSON.stringify(a)}`);
  }
  t.pass('2000 random spans normalised');
});

t.test('attributesFromOtlpJson: typed maps from an OTLP/JSON KeyValue list', async (t) => {
  const text = JSON.stringify([
    { key: 's', value: { stringValue: 'a' } }, { key: 'i', value: { intValue: '5' } }, { key: 'big', value: { intValue: '9223372036854775807' } },
    { key: 'd', value: { doubleValue: 0.5 } }, { key: 'nan', value: { doubleValue: 'NaN' } }, { key: 'b', value: { boolValue: true } },
    { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }] } } }, { key: 7, value: {} }, { key: 'empty', value: {} },
  ]);
  t.strictSame(attributesFromOtlpJson(text), {
    str: { s: 'a' }, int: { i: 5, big: '9223372036854775807' }, float: { d: 0.5, nan: NaN }, bool: { b: true },
    json: { arr: '{"arrayValue":{"values":[{"stringValue":"x"}]}}', empty: '{}' },
  });
  t.strictSame(attributesFromOtlpJson('not json'), { str: {}, int: {}, float: {}, bool: {}, json: {} });
});
