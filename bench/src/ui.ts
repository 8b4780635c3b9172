/**
 * `npm run bench:ui` — the dashboard in real headless Chromium against the embedded stack (chDB + PGlite,
 * receiver with the run registry, the query API serving ui/build, wired as `mlrun serve` wires them):
 * N runs of the W1 population plus `chart-run` (20 keys × M steps) ingested over OTLP/HTTP, then
 * (a) the runs table's first render, (b) a filter applied, (c) scroll frame times, (d) a run page of 20
 * charts — p50/p95/max against targets, where the time went (the page's request timings; the API alone),
 * and the bundle's size.
 *
 * Flags: --runs N (100000), --steps N (100000), --iterations N (10, each after 1 warm-up), --keep-dir.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { fetchOk, launchBrowser, repeatTimed, topScripts, VIEWPORT } from './ui-browser.js';
import { chartPhases, openCharts, seriesBody } from './ui-charts.js';
import { CHART_KEYS, CHART_RUN, ingestChartRun, ingestRuns, int, PROJECT } from './ui-ingest.js';
import type { Result } from './ui-report.js';
import { apiLine, bundleLines, bundleSize, phaseTable, resultTable } from './ui-report.js';
import type { Expected } from './ui-runs.js';
import { applyFilter, firstRender, firstRenderPhases, firstRunsUrl, openRunsPage } from './ui-runs.js';
import { measureScrolling } from './ui-scroll.js';
import { startStack, UI_BUILD } from './stack.js';
import { fmt, summarize } from './stats.js';
import { getList, LR_RANGE, TAG } from './w1-queries.js';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    steps: { type: 'string', default: '100000' },
    iterations: { type: 'string', default: '10' },
    'keep-dir': { type: 'boolean', default: false },
  },
});
const RUNS = Number(flags.runs);
const STEPS = Number(flags.steps);
const ITERATIONS = Number(flags.iterations);
/** A day of silence before a running run reads as crashed: nothing flips status during the bench. */
const CRASH_AFTER_MS = 24 * 3_600_000;
const FILTERS = [LR_RANGE, TAG] as const;
const log = (line: string): boolean => process.stderr.write(`${line}\n`);

/** The filter's total and first run id, as the API answers them (the table must show the same). */
async function expectedFor(api: string, filter: string): Promise<Expected> {
  const body = await getList(`${api}/api/v1/projects/${PROJECT}/runs?limit=1&total=true&filter=${encodeURIComponent(filter)}`);
  const firstId = body.runs[0]?.id;
  if (firstId === undefined || body.total === null) throw new Error(`filter ${filter} matched nothing`);
  return { filter, total: body.total, firstId };
}

interface Measured {
  readonly results: Result[];
  readonly lines: string[];
  readonly api: string[];
}

async function measureFirstRender(context: BrowserContext, api: string, out: Measured): Promise<string> {
  await firstRender(context, api);
  const samples = [];
  for (let i = 0; i < ITERATIONS; i++) {
    samples.push(await firstRender(context, api));
    log(`  (a) first render ${i + 1}/${ITERATIONS}: ${fmt(samples[i]?.wallMs ?? Number.NaN)} ms`);
  }
  out.results.push({ name: '(a) runs table first render', unit: 'ms', ms: summarize(samples.map((s) => s.wallMs)), targetP95: 1000, note: 'goto → first row visible; new tab, same context (HTTP cache warm)' });
  out.lines.push(...phaseTable('(a) runs table first render — where the time went (ms on the page clock, 0 = navigation start)', samples.map(firstRenderPhases)));
  out.lines.push(`(a) the scripts of the long frames (last sample): ${topScripts(samples[samples.length - 1]?.long)}`, '');
  const url = samples.map(firstRunsUrl).find((u) => u !== undefined);
  if (url === undefined) throw new Error('the runs page made no runs?…total=true request');
  const keys = `${api}/api/v1/projects/${PROJECT}/keys`;
  const noColumns = new URL(url);
  noColumns.searchParams.set('columns', '');
  out.api.push(
    apiLine(`first page as the UI asks it (${new URL(url).search.slice(0, 100)}…)`, summarize(await repeatTimed(1, ITERATIONS, () => fetchOk(url)))),
    apiLine('GET keys', summarize(await repeatTimed(1, ITERATIONS, () => fetchOk(keys)))),
    apiLine('keys + first page without columns + first page with columns, concurrently (as the page asks)', summarize(await repeatTimed(1, ITERATIONS, () => Promise.all([fetchOk(keys), fetchOk(noColumns.toString()), fetchOk(url)])))),
  );
  return url;
}

async function measureFilter(context: BrowserContext, api: string, firstUrl: string, out: Measured): Promise<void> {
  const expected = await Promise.all(FILTERS.map((f) => expectedFor(api, f)));
  const page = await openRunsPage(context, api, 1000);
  const samples = [];
  try {
    for (let i = 0; i <= ITERATIONS; i++) {
      const want = expected[i % expected.length] as Expected;
      const sample = await applyFilter(page, want);
      if (i > 0) samples.push(sample);
      log(`  (b) filter ${i === 0 ? 'warm-up' : `${i}/${ITERATIONS}`} (${int(want.total)} runs): ${fmt(sample.ms)} ms`);
    }
  } finally {
    await page.close();
  }
  const totals = expected.map((e) => `${e.filter} → ${int(e.total)}`).join('; ');
  out.results.push({ name: '(b) apply a filter', unit: 'ms', ms: summarize(samples.map((s) => s.ms)), targetP95: 300, note: `Enter → count + first row match the API; alternating ${totals}` });
  const phases = samples.map((s) => ({ 'runs request sent after Enter': s.sentAfter, 'runs request answered after Enter': s.answeredAfter, 'shown after Enter': s.ms, 'render after the answer': s.ms - s.answeredAfter }));
  out.lines.push(...phaseTable('(b) apply a filter — where the time went (ms after the Enter keydown)', phases));
  for (const f of FILTERS) {
    const url = new URL(firstUrl);
    url.searchParams.set('filter', f);
    out.api.push(apiLine(`filter page + total: ${f}`, summarize(await repeatTimed(1, ITERATIONS, () => fetchOk(url.toString())))));
  }
}

async function measureScroll(context: BrowserContext, api: string, out: Measured): Promise<void> {
  const scrolling = await measureScrolling(context, api, ITERATIONS, log);
  out.results.push({ name: '(c) scroll frame time', unit: 'ms', ms: scrolling.down, targetP95: 32, note: scrolling.note });
  out.lines.push(...scrolling.lines);
}

async function measureCharts(context: BrowserContext, api: string, out: Measured): Promise<void> {
  await openCharts(context, api);
  const samples = [];
  for (let i = 0; i < ITERATIONS; i++) {
    samples.push(await openCharts(context, api));
    log(`  (d) run page ${i + 1}/${ITERATIONS}: ${fmt(samples[i]?.wallMs ?? Number.NaN)} ms`);
  }
  const maxPoints = Math.max(...samples.map((s) => s.maxPoints));
  const note = `goto → 20 charts with points; viewport 1400×2200; max data-points of a chart ${maxPoints} (${maxPoints <= 2000 ? '≤ 2000' : '**> 2000**'})`;
  out.results.push({ name: `(d) run page, ${CHART_KEYS.length} charts`, unit: 'ms', ms: summarize(samples.map((s) => s.wallMs)), targetP95: 1000, note });
  out.lines.push(...phaseTable('(d) run page — where the time went (ms on the page clock, 0 = navigation start)', samples.map(chartPhases)));
  out.lines.push(`(d) the scripts of the long frames (last sample): ${topScripts(samples[samples.length - 1]?.long)}`, '');
  const series = `${api}/api/v1/projects/${PROJECT}/series`;
  out.api.push(apiLine(`POST /series, ${CHART_KEYS.length} keys × ${int(STEPS)} steps, 1000 buckets`, summarize(await repeatTimed(1, ITERATIONS, () => fetchOk(series, seriesBody(CHART_KEYS))))));
  const oneEach = () => Promise.all(CHART_KEYS.map((k) => fetchOk(series, seriesBody([k]))));
  out.api.push(apiLine(`${CHART_KEYS.length} × POST /series of 1 key each, concurrently`, summarize(await repeatTimed(1, ITERATIONS, oneEach))));
  const metrics = `${api}/api/v1/projects/${PROJECT}/runs/${CHART_RUN}/metrics`;
  out.api.push(apiLine(`GET ${CHART_RUN}/metrics`, summarize(await repeatTimed(1, ITERATIONS, () => fetchOk(metrics)))));
}

async function measureAll(api: string): Promise<Measured & { chromium: string }> {
  const browser = await launchBrowser();
  const out: Measured = { results: [], lines: [], api: [] };
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const firstUrl = await measureFirstRender(context, api, out);
    await measureFilter(context, api, firstUrl, out);
    await measureScroll(context, api, out);
    await measureCharts(context, api, out);
    return { ...out, chromium: browser.version() };
  } finally {
    await browser.close();
  }
}

/** Which build was measured (others may rebuild ui/ between runs) and how busy the machine was. */
function context(): string[] {
  const version = JSON.parse(readFileSync(join(UI_BUILD, '_app', 'version.json'), 'utf8')) as { version?: string };
  const built = statSync(join(UI_BUILD, 'index.html')).mtime.toISOString();
  return [`ui build: version ${version.version ?? '?'}, index.html written ${built}`, `load average at start: ${loadavg().map((l) => fmt(l, 2)).join(', ')}`];
}

async function main(): Promise<void> {
  if (!existsSync(join(UI_BUILD, 'index.html'))) throw new Error(`the dashboard is not built (${join(UI_BUILD, 'index.html')} missing): run npm run build first`);
  const facts = context();
  const dataDir = mkdtempSync(join(tmpdir(), 'mlrun-bench-ui-'));
  log(`== UI bench: ${int(RUNS)} runs, chart-run of ${CHART_KEYS.length} keys × ${int(STEPS)} steps, data dir ${dataDir}`);
  const stack = await startStack(dataDir, { uiDir: UI_BUILD, crashAfterMs: CRASH_AFTER_MS });
  try {
    const ingest = [await ingestRuns(stack.otlpHttp, stack.api, RUNS)];
    log(ingest[0] ?? '');
    ingest.push(await ingestChartRun(stack.otlpHttp, stack.api, STEPS));
    log(ingest[1] ?? '');
    const m = await measureAll(stack.api);
    const machine = `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium ${m.chromium} (headless, --disable-gpu)`;
    const output = [
      machine,
      ...facts,
      `data: ${int(RUNS)} runs in project ${PROJECT} + ${CHART_RUN}; ${ITERATIONS} iterations each after 1 warm-up`,
      ...ingest,
      '',
      ...resultTable(m.results),
      '',
      ...m.lines,
      'The API alone (Node fetch, keep-alive, same process as the server):',
      '',
      '| request | n | p50 ms | p95 ms | max ms |',
      '|---|---:|---:|---:|---:|',
      ...m.api,
      '',
      ...bundleLines(bundleSize(UI_BUILD)),
      ...(context()[0] === facts[0] ? [] : [`WARNING: ui/build changed during the run (now: ${context()[0] ?? ''}); the numbers mix two builds`]),
    ];
    process.stdout.write(`${output.join('\n')}\n`);
  } finally {
    await stack.close();
    if (flags['keep-dir']) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
