/**
 * The geometry of a metric chart, shared by the static drawing and layerchart's interaction layer so the
 * two line up exactly: the padding, the scales (linear or log y) and the SVG paths of a line and of a
 * min–max band (d3-shape; points with a non-finite value break the line).
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { area, line } from 'd3-shape';

export const PADDING = { left: 52, right: 10, top: 6, bottom: 22 } as const;

/** The plot's height in px (the chart card adds its caption). */
export const PLOT_HEIGHT = 200;
/** The chart grid: cards at least this wide, this far apart, with this much padding and border inside. */
export const CARD_MIN_WIDTH = 380;
export const CARD_GAP = 10;
export const CARD_INSET = 2 * 8 + 2;

/**
 * The plot width of each card in a grid `gridWidth` px wide (CSS `repeat(auto-fill, minmax(380px, 1fr))`
 * with a 10 px gap), computed once per grid instead of measured per chart (each measurement forces a layout).
 */
export function cardPlotWidth(gridWidth: number): number {
  if (!(gridWidth > 0)) return 0;
  const columns = Math.max(1, Math.floor((gridWidth + CARD_GAP) / (CARD_MIN_WIDTH + CARD_GAP)));
  return Math.max(0, Math.floor((gridWidth - (columns - 1) * CARD_GAP) / columns) - CARD_INSET);
}

export interface Scale {
  (value: number): number;
  ticks(count: number): number[];
  domain(): number[];
}

export interface Drawn {
  x: number;
  y: number;
  raw: number;
  min: number;
  max: number;
  count: number;
}

export function scales(width: number, height: number, xDomain: [number, number], yDomain: [number, number], logY: boolean): { x: Scale; y: Scale } {
  const w = Math.max(0, width - PADDING.left - PADDING.right);
  const h = Math.max(0, height - PADDING.top - PADDING.bottom);
  const x = scaleLinear().domain(xDomain).range([0, w]);
  const y = (logY ? scaleLog() : scaleLinear().nice()).domain(yDomain).range([h, 0]);
  if (!logY) y.nice();
  return { x, y };
}

const finite = (v: number): boolean => Number.isFinite(v);

export function linePath(data: readonly Drawn[], x: Scale, y: Scale, value: 'y' | 'raw'): string {
  return (
    line<Drawn>()
      .digits(1)
      .defined((d) => finite(d.x) && finite(d[value]))
      .x((d) => x(d.x))
      .y((d) => y(d[value]))(data as Drawn[]) ?? ''
  );
}

export function bandPath(data: readonly Drawn[], x: Scale, y: Scale): string {
  return (
    area<Drawn>()
      .digits(1)
      // Scaled, so a bound a log scale cannot place (≤ 0) breaks the band instead of drawing to NaN.
      .defined((d) => finite(x(d.x)) && finite(y(d.min)) && finite(y(d.max)))
      .x((d) => x(d.x))
      .y0((d) => y(d.min))
      .y1((d) => y(d.max))(data as Drawn[]) ?? ''
  );
}

/** Buckets to ask the server for, per series, for a plot `width` px wide: its pixels, rounded up to 100, 200–1,000. */
export function bucketsFor(width: number): number {
  if (!(width > 0)) return 0;
  return Math.min(1000, Math.max(200, Math.ceil(width / 100) * 100));
}
