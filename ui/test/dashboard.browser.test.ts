/**
 * The dashboard end to end in real headless Chromium: runs reported over OTLP by the OTel JS SDK to a real
 * `mlrun serve` → the projects page → the runs table → filter (and a bad filter's inline error) → sort →
 * group → a run's charts (exact point counts, checked against the API) → a live point appearing → tags edited
 * → two runs compared. Screenshots of every page land in test-output/ui/.
 */
import type { Browser, Page } from 'playwright-core';
import t from 'tap';
import type { Reporter, Server } from './fixtures/server.js';
import { launchBrowser, newPage, reporter, screenshot, startServer } from './fixtures/server.js';

// The page's document, as the callbacks that run in the browser use it (the test program has no DOM types).
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
};

const PROJECT = 'vision';
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
let live: Reporter;

interface RunSpec {
  id: string;
  name: string;
  config: Record<string, string | number>;
  steps: number;
  end: boolean;
}
const RUNS: RunSpec[] = [
  { id: 'r-adam', name: 'resnet-adam', config: { lr: 0.001, optimizer: 'adam', layers: 50 }, steps: 1500, end: true },
  { id: 'r-sgd', name: 'resnet-sgd', config: { lr: 0.01, optimizer: 'sgd', layers: 50 }, steps: 1500, end: true },
  { id: 'r-live', name: 'vit-live', config: { lr: 0.1, optimizer: 'adam', layers: 12 }, steps: 300, end: false },
];

function loss(step: number, k: number): number {
  return 2 / (1 + step / 100) + 0.01 * k + 0.05 * Math.sin(step);
}

function emitSteps(r: Reporter, from: number, to: number, k: number): void {
  for (let step = from; step < to; step++) {
    r.log.emit({ eventName: 'mlrun.metrics', attributes: { 'mlrun.step': step, loss: loss(step, k), acc: Math.min(1, step / 1000) } });
  }
}

async function report(spec: RunSpec, k: number): Promise<Reporter> {
  const r = reporter(server, PROJECT, spec.id);
  r.log.emit({ eventName: 'mlrun.run.start', body: spec.config, attributes: { 'mlrun.run.name': spec.name, 'mlrun.run.tags': k === 0 ? ['baseline'] : [] } });
  emitSteps(r, 0, spec.steps, k);
  if (spec.end) r.log.emit({ eventName: 'mlrun.run.end', attributes: { 'mlrun.run.status': 'finished', 'mlrun.run.exit_code': 0 } });
  await r.flush();
  return r;
}

async function apiJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${server.api}/api/v1${path}`, init);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function waitForRows(names: string[]): Promise<void> {
  await page.waitForFunction(
    (expected) => Array.from(document.querySelectorAll('[data-testid=runs-table] [data-run] .name a'), (a) => a.textContent).join('|') === expected.join('|'),
    names,
    { timeout: 10_000 },
  );
}

t.before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await newPage(browser, pageErrors);
});

t.teardown(async () => {
  await live?.close();
  await browser?.close();
  await server?.close();
});

t.test('an empty server shows the first-run snippet', async (t) => {
  await page.goto(server.api);
  const first = page.getByTestId('first-run');
  await first.waitFor();
  t.match(await first.textContent(), /import mlrun[\s\S]*mlrun\.init\(project=[\s\S]*run\.log\(/, 'the three lines to start');
  await screenshot(page, '01-first-run');
});

t.test('reported runs appear on the projects page and in the runs table', async (t) => {
  for (const [k, spec] of RUNS.entries()) {
    const r = await report(spec, k);
    if (spec.end) await r.close();
    else live = r;
  }
  await page.goto(server.api);
  const row = page.getByTestId('projects').locator('tr', { hasText: PROJECT });
  await row.waitFor();
  t.match(await row.textContent(), /vision\s*3\s*1/, 'name, 3 runs, 1 running');
  await screenshot(page, '02-projects');
  await row.getByRole('link', { name: PROJECT }).click();
  await page.waitForURL(`${server.api}/projects/${PROJECT}`);
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
  t.equal(await page.getByTestId('run-count').textContent().then((s) => s?.trim().startsWith('3 runs')), true, 'the total');
  const statuses = await page.locator('[data-testid=runs-table] [data-status]').allTextContents();
  t.same(statuses, ['running', 'finished', 'finished'], 'status badges');
  const headers = await page.locator('[data-testid=runs-table] [role=columnheader]').allTextContents();
  for (const key of ['lr', 'optimizer', 'layers', 'loss', 'acc']) t.ok(headers.some((h) => h.trim() === key), `a ${key} column by default`);
  await screenshot(page, '03-runs');
});

t.test('the filter bar filters, and a bad filter shows where it went wrong', async (t) => {
  const input = page.getByTestId('filter-input');
  await input.fill('config.lr < 0.05');
  await input.press('Escape');
  await input.press('Enter');
  await waitForRows(['resnet-sgd', 'resnet-adam']);
  t.match(page.url(), /filter=config\.lr/, 'the filter is in the URL');
  await page.reload();
  await waitForRows(['resnet-sgd', 'resnet-adam']);
  t.equal(await input.inputValue(), 'config.lr < 0.05', 'a reload keeps the view');

  await input.fill('config.lr < ');
  await input.press('Escape');
  await input.press('Enter');
  const problem = page.getByTestId('filter-error');
  await problem.waitFor();
  const text = (await problem.textContent()) ?? '';
  t.match(text, /expected/, 'the API message');
  t.match(text, /config\.lr <\s*\n\s*\^/, 'a caret under the position the API reported');
  await screenshot(page, '04-filter-error');

  await input.fill('conf');
  await input.press('End');
  await input.dispatchEvent('input');
  const options = await page.locator('#filter-options [role=option]').allTextContents();
  t.ok(options.some((o) => o.trim() === 'config.lr'), 'key completion offers config.lr');
  await input.fill('');
  await input.press('Escape');
  await input.press('Enter');
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
});

t.test('clicking a header sorts by it, both ways', async (t) => {
  const lr = page.locator('[data-testid=runs-table] [role=columnheader] button[title="sort by config.lr"]');
  await lr.click();
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
  t.match(decodeURIComponent(page.url()).replace(/\+/g, ' '), /sort=config\.lr desc/, 'descending first');
  await lr.click();
  await waitForRows(['resnet-adam', 'resnet-sgd', 'vit-live']);
  t.match(decodeURIComponent(page.url()).replace(/\+/g, ' '), /sort=config\.lr asc/);
  await lr.click();
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
});

t.test('group by a config key shows aggregate rows', async (t) => {
  await page.getByTestId('group-by').selectOption('config.optimizer');
  const groups = page.getByTestId('run-groups');
  await groups.locator('tbody tr').first().waitFor();
  const cells = async (i: number): Promise<string[]> => (await groups.locator('tbody tr').nth(i).locator('td').allTextContents()).map((c) => c.trim());
  t.same((await cells(0)).slice(0, 3), ['adam', '2', '1'], 'adam: 2 runs, 1 running');
  t.same((await cells(1)).slice(0, 3), ['sgd', '1', '0'], 'sgd: 1 run, none running');
  await screenshot(page, '05-groups');
  await page.getByTestId('group-by').selectOption('');
});

t.test('a run page draws each metric with the expected points, and a live point appears', async (t) => {
  await page.locator('[data-testid=runs-table] [data-run=r-live] .name a').click();
  await page.waitForURL(/\/runs\/r-live$/);
  const chart = page.locator('[data-testid=chart][data-key=loss]');
  await chart.waitFor();
  t.equal(await chart.getAttribute('data-points'), '300', '300 logged steps, 300 points drawn');
  t.ok((await chart.locator('path').count()) > 0, 'the line is drawn');
  t.equal(await page.getByTestId('run-name').textContent(), 'vit-live');
  await screenshot(page, '06-run-charts');

  emitSteps(live, 300, 301, 2);
  await live.flush();
  const acked = Date.now();
  await page.waitForFunction(() => document.querySelector('[data-testid=chart][data-key=loss]')?.getAttribute('data-points') === '301', undefined, { timeout: 5_000 });
  const lag = Date.now() - acked;
  t.comment(`a live point was drawn ${lag} ms after the server acknowledged it`);
  t.ok(lag <= 1000, `the new point is on screen within 1 s (${lag} ms)`);
});

t.test('the overview tab shows config and summary, and edits tags', async (t) => {
  await page.getByTestId('tab-overview').click();
  const tree = page.getByTestId('config-tree');
  await tree.waitFor();
  const treeRows = await tree.locator('tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()).join('=')));
  t.same(treeRows.sort(), ['layers=12', 'lr=0.1', 'optimizer=adam'], 'the config tree');
  await page.getByTestId('config-search').fill('optim');
  t.equal(await tree.locator('tr').count(), 1, 'search narrows the tree');
  t.match(await page.getByTestId('summary').textContent(), /loss/, 'the summary table');
  await page.getByTestId('tag-input').fill('best');
  await page.getByTestId('tag-input').press('Enter');
  await page.getByTestId('tags').getByText('best').waitFor();
  const run = await apiJson<{ tags: string[] }>(`/projects/${PROJECT}/runs/r-live`);
  t.same(run.tags, ['best'], 'the tag is stored');
  await screenshot(page, '07-run-overview');
});

t.test('the row of a running run refreshes in the table without a reload', async (t) => {
  await page.goto(`${server.api}/projects/${PROJECT}`);
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
  const cell = page.locator('[data-run=r-live] [data-col="summary.loss"]');
  t.not(await cell.textContent(), '0.125');
  live.log.emit({ eventName: 'mlrun.metrics', attributes: { 'mlrun.step': 301, loss: 0.125 } });
  await live.flush();
  await page.waitForFunction(() => document.querySelector('[data-run=r-live] [data-col="summary.loss"]')?.textContent === '0.125', undefined, { timeout: 5_000 });
  t.pass('the loss cell shows the new last value');
});

t.test('unknown projects and runs say so', async (t) => {
  await page.goto(`${server.api}/projects/no-such-project`);
  t.match(await page.getByTestId('no-project').textContent(), /No project “no-such-project”/);
  await page.goto(`${server.api}/projects/${PROJECT}/runs/no-such-run`);
  t.match(await page.getByRole('alert').first().textContent(), /No run “no-such-run” in project “vision”/);
});

t.test('the keyboard reaches runs: arrows move, Enter opens', async (t) => {
  await page.goto(`${server.api}/projects/${PROJECT}`);
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
  await page.getByTestId('runs-table').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/runs\/r-sgd$/);
  t.pass('Enter on the second row opened resnet-sgd');
});

t.test('two selected runs compare: overlaid charts, config diff, summaries, parallel coordinates', async (t) => {
  await page.goto(`${server.api}/projects/${PROJECT}`);
  await waitForRows(['vit-live', 'resnet-sgd', 'resnet-adam']);
  await page.locator('[data-run=r-adam] input[type=checkbox]').check();
  await page.locator('[data-run=r-sgd] input[type=checkbox]').check();
  await page.getByTestId('compare-button').click();
  await page.waitForURL(/\/compare\?/);
  const legend = page.getByTestId('compare-legend');
  await legend.waitFor();
  t.match(await legend.textContent(), /resnet-adam[\s\S]*resnet-sgd|resnet-sgd[\s\S]*resnet-adam/, 'both runs');

  const chart = page.locator('[data-testid=chart][data-key=loss]');
  await chart.waitFor();
  // The grid asks for as many buckets as a plot has pixels (rounded up to 100, 200–1,000).
  const maxPoints = Number(await page.locator('[data-max-points]').first().getAttribute('data-max-points'));
  t.ok(maxPoints >= 200 && maxPoints <= 1000, `buckets per series: ${maxPoints}`);
  const series = await apiJson<{ series: { run: string; mode: string; points: unknown[] }[] }>(`/projects/${PROJECT}/series`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ runs: ['r-sgd', 'r-adam'], keys: ['loss'], xAxis: 'step', maxPoints }),
  });
  t.equal(await chart.getAttribute('data-series'), '2', 'one line per run');
  const expected = series.series.reduce((n, s) => n + s.points.length, 0);
  t.ok(series.series.every((s) => s.mode === 'buckets' && s.points.length <= maxPoints), `1,500 steps arrive as ≤ ${maxPoints} buckets`);
  t.equal(Number(await chart.getAttribute('data-points')), expected, `every bucket the server sent is drawn (${expected})`);

  const diff = page.getByTestId('config-diff');
  const keys = (await diff.locator('tbody tr td:first-child').allTextContents()).map((s) => s.trim());
  t.same(keys.sort(), ['lr', 'optimizer'], 'only the differing keys by default');
  t.ok((await page.getByTestId('summary-table').textContent())?.includes('loss'), 'summary table');
  t.equal(await page.getByTestId('parallel-coords').locator('path').count(), 2, 'a line per run in parallel coordinates');
  await screenshot(page, '08-compare');

  // Hover: every run's value at the x under the pointer.
  const plot = chart.locator('svg').first();
  const box = await plot.boundingBox();
  if (box === null) throw new Error('the loss chart has no box');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const tip = page.locator('.lc-tooltip-root');
  await tip.waitFor();
  t.match(await tip.textContent(), /step [\d,]+[\s\S]*resnet-(adam|sgd)[\s\S]*resnet-(adam|sgd)/, 'the tooltip names the step and both runs');

  // Zoom: drag across 10% of the plot; the server sends that range at full resolution (raw points).
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.up();
  await page.waitForURL(/xmin=\d+&xmax=\d+/);
  const url = new URL(page.url());
  const [xMin, xMax] = [Number(url.searchParams.get('xmin')), Number(url.searchParams.get('xmax'))];
  t.ok(xMin > 0 && xMax < 1500 && xMax - xMin < 400, `the zoom range is the dragged part (${xMin}..${xMax})`);
  const zoomed = await apiJson<{ series: { mode: string; points: unknown[] }[] }>(`/projects/${PROJECT}/series`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ runs: ['r-sgd', 'r-adam'], keys: ['loss'], xAxis: 'step', maxPoints, xMin, xMax }),
  });
  const raw = zoomed.series.reduce((n, s) => n + s.points.length, 0);
  t.ok(zoomed.series.every((s) => s.mode === 'raw') && raw === 2 * (xMax - xMin + 1), 'the zoomed range is raw points, every step');
  await page.waitForFunction((n) => document.querySelector('[data-testid=chart][data-key=loss]')?.getAttribute('data-points') === String(n), raw, { timeout: 5_000 });
  t.pass(`the chart redrew the zoomed range at full resolution (${raw} points)`);
  await screenshot(page, '09-compare-zoomed');
  await page.locator('[data-testid=chart][data-key=loss]').getByRole('button', { name: 'reset zoom' }).click();
  await page.waitForURL((u) => !u.searchParams.has('xmin'));
  await page.getByText('show identical keys too').click();
  await diff.locator('tbody tr', { hasText: 'layers' }).waitFor();
  t.pass('identical keys shown on request');
});

t.test('no page threw', async (t) => {
  t.same(pageErrors, [], 'no uncaught errors in the page');
});
