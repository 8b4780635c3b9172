/** Chart geometry: card widths from the grid's width, buckets per plot, scales, and the d3 paths. */
import t from 'tap';
import { bandPath, bucketsFor, cardPlotWidth, linePath, PADDING, scales, type Drawn } from '../src/lib/plot.js';

t.test('each card plot width follows the CSS grid (auto-fill, minmax(380px, 1fr), gap 10px)', async (t) => {
  t.equal(cardPlotWidth(0), 0, 'not laid out yet');
  t.equal(cardPlotWidth(300), 282, 'narrower than one card: one column, the whole width');
  t.equal(cardPlotWidth(1368), Math.floor((1368 - 20) / 3) - 18, 'three columns at 1368 px');
  t.equal(cardPlotWidth(770), Math.floor((770 - 10) / 2) - 18, 'two columns once 2 × 380 + 10 fit');
  t.equal(cardPlotWidth(769), 769 - 18, 'one column a pixel below');
});

t.test('buckets per series: the plot width rounded up to 100, between 200 and 1,000', async (t) => {
  t.equal(bucketsFor(0), 0, 'unknown width: ask for nothing yet');
  t.equal(bucketsFor(50), 200);
  t.equal(bucketsFor(431), 500);
  t.equal(bucketsFor(500), 500);
  t.equal(bucketsFor(2400), 1000);
});

const pt = (x: number, y: number, min = y, max = y): Drawn => ({ x, y, raw: y, min, max, count: 1 });

t.test('scales map the domains onto the padded plot; linear y is niced, log y is not', async (t) => {
  const { x, y } = scales(100 + PADDING.left + PADDING.right, 50 + PADDING.top + PADDING.bottom, [0, 10], [0.13, 0.97], false);
  t.equal(x(0), 0);
  t.equal(x(10), 100);
  t.same(y.domain(), [0.1, 1], 'nice() widens to round ticks');
  t.equal(y(1), 0, 'top');
  t.equal(y(0.1), 50, 'bottom');
  const log = scales(200, 200, [0, 1], [1, 1000], true).y;
  t.same(log.domain(), [1, 1000]);
  t.ok(Number.isNaN(log(0)) || !Number.isFinite(log(0)), 'a log scale cannot place 0');
});

t.test('lines break at missing values; bands skip points a log scale cannot place', async (t) => {
  const { x, y } = scales(100 + PADDING.left + PADDING.right, 100 + PADDING.top + PADDING.bottom, [0, 4], [0, 10], false);
  const path = linePath([pt(0, 0), pt(1, 5), pt(2, NaN), pt(3, 5), pt(4, 10)], x, y, 'y');
  t.equal((path.match(/M/g) ?? []).length, 2, 'two segments around the NaN');
  t.equal(path, 'M0,100L25,50M75,50L100,0', 'one decimal at most, exact positions');
  const logScales = scales(100 + PADDING.left + PADDING.right, 100 + PADDING.top + PADDING.bottom, [0, 2], [1, 100], true);
  const band = bandPath([pt(0, 10, 1, 100), pt(1, 10, 0, 100), pt(2, 10, 1, 100)], logScales.x, logScales.y);
  t.equal((band.match(/M/g) ?? []).length, 2, 'the point whose min is 0 breaks the band on a log scale');
  t.equal(linePath([], x, y, 'y'), '', 'no points, no path');
});
