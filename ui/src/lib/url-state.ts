/**
 * The runs view and the chart settings, kept in the URL so a view can be shared and survives a reload.
 * Defaults are omitted so URLs stay short. Lists use repeated parameters (`run=a&run=b`), not commas: run ids
 * and column keys may contain commas. Reading never throws: a garbled parameter falls back to its default.
 * For every valid view, `read(write(view))` equals `view`.
 *
 *   runs view:  filter, sort, col (repeated; one empty `col=` means "no columns"), run (repeated), group
 *   chart view: x (step|time|relative_time), smooth (none|ema:<w>|twema:<w>), log=1, band=0, q, xmin, xmax
 */
import type { Smoothing } from './smoothing.js';
import { clampWeight } from './smoothing.js';

export interface RunsView {
  filter: string;
  sort: string;
  columns: string[] | null;
  selected: string[];
  groupBy: string | null;
}

export type XAxis = 'step' | 'time' | 'relative_time';

export interface ChartView {
  xAxis: XAxis;
  smoothing: Smoothing;
  logY: boolean;
  band: boolean;
  search: string;
  xMin: number | null;
  xMax: number | null;
}

export function defaultRunsView(): RunsView {
  return { filter: '', sort: '', columns: null, selected: [], groupBy: null };
}

export function defaultChartView(): ChartView {
  return { xAxis: 'step', smoothing: { kind: 'none' }, logY: false, band: true, search: '', xMin: null, xMax: null };
}

const X_AXES: readonly XAxis[] = ['step', 'time', 'relative_time'];

export function readRunsView(params: URLSearchParams): RunsView {
  const cols = params.getAll('col');
  const selected = [...new Set(params.getAll('run').filter((id) => id !== ''))];
  return {
    filter: params.get('filter') ?? '',
    sort: params.get('sort') ?? '',
    columns: cols.length === 0 ? null : cols.filter((c) => c !== ''),
    selected,
    groupBy: params.get('group') || null,
  };
}

export function writeRunsView(view: RunsView): URLSearchParams {
  const p = new URLSearchParams();
  if (view.filter !== '') p.set('filter', view.filter);
  if (view.sort !== '') p.set('sort', view.sort);
  if (view.columns !== null) {
    const cols = view.columns.filter((c) => c !== '');
    if (cols.length === 0) p.append('col', '');
    for (const c of cols) p.append('col', c);
  }
  for (const id of view.selected) p.append('run', id);
  if (view.groupBy !== null && view.groupBy !== '') p.set('group', view.groupBy);
  return p;
}

/** 'none', 'ema:0.6' or 'twema:0.9' (weight clamped to [0, 0.999]); anything else → null. */
export function parseSmoothing(text: string): Smoothing | null {
  if (text === 'none') return { kind: 'none' };
  const m = /^(ema|twema):(\d*\.?\d+(?:e-?\d+)?)$/i.exec(text.trim());
  if (m === null) return null;
  const weight = Number(m[2]);
  if (!Number.isFinite(weight)) return null;
  return { kind: m[1]?.toLowerCase() === 'twema' ? 'twema' : 'ema', weight: clampWeight(weight) };
}

export function formatSmoothing(s: Smoothing): string {
  return s.kind === 'none' ? 'none' : `${s.kind}:${clampWeight(s.weight)}`;
}

function readFinite(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

function readFlag(text: string | null, fallback: boolean): boolean {
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  return fallback;
}

export function readChartView(params: URLSearchParams): ChartView {
  const d = defaultChartView();
  const x = params.get('x');
  let xMin = readFinite(params.get('xmin'));
  let xMax = readFinite(params.get('xmax'));
  if (xMin !== null && xMax !== null && xMin > xMax) [xMin, xMax] = [xMax, xMin];
  return {
    xAxis: X_AXES.find((a) => a === x) ?? d.xAxis,
    smoothing: parseSmoothing(params.get('smooth') ?? '') ?? d.smoothing,
    logY: readFlag(params.get('log'), d.logY),
    band: readFlag(params.get('band'), d.band),
    search: params.get('q') ?? d.search,
    xMin,
    xMax,
  };
}

export function writeChartView(view: ChartView): URLSearchParams {
  const p = new URLSearchParams();
  if (view.xAxis !== 'step') p.set('x', view.xAxis);
  if (view.smoothing.kind !== 'none') p.set('smooth', formatSmoothing(view.smoothing));
  if (view.logY) p.set('log', '1');
  if (!view.band) p.set('band', '0');
  if (view.search !== '') p.set('q', view.search);
  if (view.xMin !== null && Number.isFinite(view.xMin)) p.set('xmin', String(view.xMin));
  if (view.xMax !== null && Number.isFinite(view.xMax)) p.set('xmax', String(view.xMax));
  return p;
}
