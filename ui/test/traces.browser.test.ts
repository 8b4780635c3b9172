/**
 * Agent traces in the dashboard, in real headless Chromium: a GenAI agent trace sent by the OTel JS SDK to a
 * real `mlrun serve` → the traces page lists it (root, tokens, model, run) → the trace view's waterfall →
 * expanding a span fetches its children → the LLM span reads as a chat and the tool span as arguments and
 * result → the session and the run's traces tab; a span with 250 children shows the first 200 and a "load
 * more" row that fetches the rest; a project that only sent traces is on the projects page and opens on
 * its traces. Screenshots in test-output/ui/.
 */
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Browser, Page } from 'playwright-core';
import t from 'tap';

// The page's document, as the callbacks that run in the browser use it (the test program has no DOM types).
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
import type { Server } from './fixtures/server.js';
import { launchBrowser, newPage, reporter, screenshot, startServer } from './fixtures/server.js';

const PROJECT = 'agents';
const RUN = 'eval-run-1';
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const INPUT = [{ role: 'user', parts: [{ type: 'text', content: 'What is the weather in Paris?' }] }];
const OUTPUT = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call-1', name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_call' }];

/** invoke_agent planner → plan step → chat gpt-4o → execute_tool get_weather: four levels, so the first page (two levels) leaves the LLM span's child to load on expand. */
async function sendAgentTrace(): Promise<string> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'mlrun.project': PROJECT, 'mlrun.run.id': RUN, 'service.name': 'weather-agent' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${server.otlpHttp}/v1/traces` }) })],
  });
  const tracer = provider.getTracer('agent');
  const agent = tracer.startSpan('invoke_agent planner', { kind: SpanKind.INTERNAL, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.conversation.id': 'conv-42' } });
  const inAgent = trace.setSpan(context.active(), agent);
  const step = tracer.startSpan('plan step', {}, inAgent);
  const inStep = trace.setSpan(inAgent, step);
  const llm = tracer.startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.input.messages': JSON.stringify(INPUT),
      'gen_ai.output.messages': JSON.stringify(OUTPUT),
    },
  }, inStep);
  const tool = tracer.startSpan('execute_tool get_weather', {
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.arguments': '{"city":"Paris"}', 'gen_ai.tool.call.result': '{"temp_c":18,"sky":"clear"}' },
  }, trace.setSpan(inStep, llm));
  tool.end();
  llm.end();
  step.end();
  agent.end();
  await provider.shutdown();
  return agent.spanContext().traceId;
}

t.before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await newPage(browser, pageErrors);
  // The run exists in the registry too, so its page (and its traces tab) open.
  const run = reporter(server, PROJECT, RUN);
  run.log.emit({ eventName: 'mlrun.run.start', body: { model: 'gpt-4o' }, attributes: { 'mlrun.run.name': 'weather eval' } });
  await run.close();
});

t.teardown(async () => {
  await browser?.close();
  await server?.close();
});

t.test('a GenAI agent trace: listed, drawn as a waterfall, expanded on demand, LLM span as a chat', async (t) => {
  const traceId = await sendAgentTrace();
  await page.goto(`${server.api}/projects/${PROJECT}/traces`);
  const row = page.locator(`[data-testid=traces] tr[data-trace="${traceId}"]`);
  await row.waitFor({ timeout: 15_000 });
  const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
  t.match(cells[1], /^invoke_agent planner/, 'root span name');
  t.equal(cells[3], '4', 'span count');
  t.match(cells[5], /gpt-4o/, 'model');
  t.equal(cells[6], '1,000 / 500', 'tokens in / out');
  t.match(cells[7], /^\$0\.0075$/, 'cost from the price table: 1,000 × $2.50/M + 500 × $10/M');
  t.equal(cells[8], RUN, 'the run it belongs to');
  await screenshot(page, '10-traces');

  await row.getByRole('link', { name: /invoke_agent planner/ }).click();
  const waterfall = page.getByTestId('waterfall');
  await waterfall.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=waterfall]')?.getAttribute('data-rows') === '3', undefined, { timeout: 10_000 });
  t.pass('the first page shows the root and two levels (3 rows)');
  const llmRow = page.locator('[data-span]', { hasText: 'chat gpt-4o' });
  await llmRow.getByRole('button', { name: 'expand' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=waterfall]')?.getAttribute('data-rows') === '4', undefined, { timeout: 10_000 });
  t.ok(await page.locator('[data-span]', { hasText: 'execute_tool get_weather' }).isVisible(), 'expanding the LLM span fetched its tool child');

  await llmRow.getByRole('button', { name: 'chat gpt-4o' }).click();
  const chat = page.getByTestId('chat');
  await chat.waitFor();
  const roles = await chat.locator('[data-role]').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')));
  t.same(roles, ['user', 'assistant'], 'the conversation, in order');
  t.match(await chat.textContent(), /What is the weather in Paris\?[\s\S]*get_weather[\s\S]*Paris/, 'the question and the tool call');
  t.match(await page.getByTestId('span-panel').textContent(), /1000 in \/ 500 out tokens/, 'tokens');
  await screenshot(page, '11-trace-llm-chat');

  await page.locator('[data-span]', { hasText: 'execute_tool get_weather' }).getByRole('button', { name: 'execute_tool get_weather' }).click();
  const tool = page.getByTestId('tool');
  await tool.waitFor();
  t.match(await tool.textContent(), /get_weather[\s\S]*"city": "Paris"[\s\S]*"temp_c": 18/, 'tool arguments and result, formatted');
  t.match(await page.getByTestId('attributes').textContent(), /gen_ai\.tool\.name/, 'every attribute listed');
  await screenshot(page, '12-trace-tool');
});

/** A root with `children` child spans, in `project` (no run): its trace id. */
async function sendWideTrace(project: string, children: number): Promise<string> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'mlrun.project': project, 'service.name': 'wide-agent' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${server.otlpHttp}/v1/traces` }), maxExportBatchSize: 512 })],
  });
  const tracer = provider.getTracer('agent');
  const root = tracer.startSpan('invoke_agent looper', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
  const t0 = Date.now();
  for (let i = 0; i < children; i++) tracer.startSpan(`step ${i}`, { startTime: t0 + i }, trace.setSpan(context.active(), root)).end(t0 + i + 1);
  root.end(t0 + children + 1);
  await provider.shutdown();
  return root.spanContext().traceId;
}

t.test('a span with 250 children: the first 200, then a "load more" row fetches the rest', async (t) => {
  const traceId = await sendWideTrace('wide', 250);
  await page.goto(`${server.api}/projects/wide/traces/${traceId}`);
  const rows = () => page.getByTestId('waterfall').getAttribute('data-rows');
  await page.waitForFunction(() => document.querySelector('[data-testid=waterfall]')?.getAttribute('data-rows') === '202', undefined, { timeout: 15_000 });
  t.pass('the root, its first 200 children and a "load more" row');
  // Only rows in view exist: scroll the waterfall to its end, where the "load more" row is.
  await page.getByTestId('waterfall').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.getByRole('button', { name: 'load more children…' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=waterfall]')?.getAttribute('data-rows') === '251', undefined, { timeout: 10_000 });
  t.equal(await rows(), '251', 'all 250 children, the "load more" row gone');
  t.ok(await page.locator('[data-span]', { hasText: 'step 200' }).isVisible(), 'the first of the new children is drawn where the "load more" row was');
  await page.getByTestId('waterfall').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.locator('[data-span]', { hasText: 'step 249' }).waitFor();
  t.pass('the last child is at the end');
  await screenshot(page, '13-trace-more-children');
});

t.test('a project that only sent traces is listed with its trace count and opens on its traces', async (t) => {
  await page.goto(server.api);
  const row = page.getByTestId('projects').locator('tr', { hasText: 'wide' });
  await row.waitFor();
  t.same((await row.locator('td').allTextContents()).slice(0, 4).map((c) => c.trim()), ['wide', '0', '0', '1'], 'no runs, none running, one trace');
  await row.getByRole('link', { name: 'wide' }).click();
  await page.waitForURL(`${server.api}/projects/wide/traces`);
  await page.locator('[data-testid=traces] tr[data-trace]').first().waitFor();
  t.equal(await page.locator('[data-testid=traces] tr[data-trace]').count(), 1);
});

t.test('the session and the run link back to the trace', async (t) => {
  await page.goto(`${server.api}/projects/${PROJECT}/sessions`);
  const session = page.getByTestId('sessions').locator('tr', { hasText: 'conv-42' });
  await session.waitFor();
  await session.getByRole('link', { name: 'conv-42' }).click();
  await page.getByTestId('traces').locator('tr', { hasText: 'invoke_agent planner' }).waitFor();
  await screenshot(page, '13-session');
  await page.goto(`${server.api}/projects/${PROJECT}/runs/${RUN}?tab=traces`);
  await page.getByTestId('traces').locator('tr', { hasText: 'invoke_agent planner' }).waitFor();
  t.pass("the run's traces tab lists it");
});

t.test('no page threw', async (t) => {
  t.same(pageErrors, [], 'no uncaught errors in the page');
});
