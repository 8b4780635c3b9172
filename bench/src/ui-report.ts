/**
 * The UI bench's report: the dashboard bundle's size (every JS and CSS file under ui/build/_app, raw and
 * gzipped, and the largest chunk), results rows with PASS/MISS against their targets, and per-phase medians
 * of where each measurement's time went.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Summary } from './stats.js';
import { fmt, summarize } from './stats.js';

export interface Bundle {
  readonly files: number;
  readonly raw: number;
  readonly gzip: number;
  readonly js: { raw: number; gzip: number };
  readonly css: { raw: number; gzip: number };
  readonly largest: { path: string; raw: number; gzip: number };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

/** Sizes of the JS and CSS under `buildDir`/_app. */
export function bundleSize(buildDir: string): Bundle {
  const app = join(buildDir, '_app');
  const files = walk(app).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  const js = { raw: 0, gzip: 0 };
  const css = { raw: 0, gzip: 0 };
  let largest = { path: '', raw: 0, gzip: 0 };
  for (const file of files) {
    const bytes = readFileSync(file);
    const sizes = { raw: bytes.byteLength, gzip: gzipSync(bytes).byteLength };
    const into = file.endsWith('.js') ? js : css;
    into.raw += sizes.raw;
    into.gzip += sizes.gzip;
    if (sizes.raw > largest.raw) largest = { path: relative(buildDir, file), ...sizes };
  }
  return { files: files.length, raw: js.raw + css.raw, gzip: js.gzip + css.gzip, js, css, largest };
}

const kib = (bytes: number): string => `${fmt(bytes / 1024)} KiB`;

export function bundleLines(b: Bundle): string[] {
  return [
    `bundle (ui/build/_app, ${b.files} JS/CSS files): ${kib(b.raw)} raw, ${kib(b.gzip)} gzip`,
    `  JS ${kib(b.js.raw)} raw / ${kib(b.js.gzip)} gzip; CSS ${kib(b.css.raw)} raw / ${kib(b.css.gzip)} gzip`,
    `  largest chunk: ${b.largest.path} ${kib(b.largest.raw)} raw / ${kib(b.largest.gzip)} gzip`,
  ];
}

export interface Result {
  readonly name: string;
  readonly unit: string;
  readonly ms: Summary;
  /** p95 must be at most this. */
  readonly targetP95: number;
  readonly note?: string;
}

export function resultTable(results: readonly Result[]): string[] {
  return [
    '| measurement | n | p50 | p95 | max | target (p95) | result | note |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.ms.count} | ${fmt(r.ms.p50)} ${r.unit} | ${fmt(r.ms.p95)} ${r.unit} | ${fmt(r.ms.max)} ${r.unit} | ≤ ${r.targetP95} ${r.unit} | ${r.ms.p95 <= r.targetP95 ? 'PASS' : '**MISS**'} | ${r.note ?? ''} |`,
    ),
  ];
}

/** p50 / p95 of each named phase over the samples (phases are in ms on the page's clock, or counts). */
export function phaseTable(title: string, samples: readonly Record<string, number>[]): string[] {
  const names = Object.keys(samples[0] ?? {});
  return [
    `${title}:`,
    '',
    '| phase | p50 | p95 | max |',
    '|---|---:|---:|---:|',
    ...names.map((name) => {
      const s = summarize(samples.map((x) => x[name] ?? Number.NaN).filter(Number.isFinite));
      return `| ${name} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.max)} |`;
    }),
    '',
  ];
}

/** One line of API-alone timings: `name: p50 / p95 / max ms`. */
export const apiLine = (name: string, ms: Summary): string => `| ${name} | ${ms.count} | ${fmt(ms.p50)} | ${fmt(ms.p95)} | ${fmt(ms.max)} |`;
