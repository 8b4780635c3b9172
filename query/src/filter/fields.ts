/**
 * Field references: a path token becomes a storage `Field`, or fails naming the segment at fault.
 * `config.<key>[.<key>…]` is a path into the run config; `summary.<key>.<stat>` is one statistic of one
 * metric key, where the key is every segment between `summary` and the statistic joined with `.`
 * (`summary.train.loss.last` and `summary."train.loss".last` are the same key).
 */
import type { Field, PlainFieldKind, SummaryStat } from '@mlrun/storage';
import { SyntaxFailure, quote } from './errors.js';
import type { Token } from './lexer.js';

const PLAIN: readonly PlainFieldKind[] = ['name', 'status', 'group', 'tags', 'created', 'duration'];
const STATS: readonly SummaryStat[] = ['last', 'min', 'max', 'count'];

export const FIELD_LIST = 'a field (name, status, group, tags, created, duration, config.<key>, summary.<key>.<stat>)';

export const KEYWORDS = ['and', 'or', 'not', 'in', 'has', 'true', 'false', 'null'] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** The keyword a token spells (case-insensitive, a single bare word), if any. */
export function keywordOf(token: Token): Keyword | null {
  if (token.kind !== 'path' || token.segments.length !== 1 || token.segments[0]?.quoted === true) return null;
  const word = token.text.toLowerCase();
  return KEYWORDS.find((k) => k === word) ?? null;
}

function isPlain(word: string): word is PlainFieldKind {
  return (PLAIN as readonly string[]).includes(word);
}

function isStat(word: string): word is SummaryStat {
  return (STATS as readonly string[]).includes(word);
}

export function fieldOf(token: Token & { kind: 'path' }): Field {
  const [head, ...rest] = token.segments;
  const span = token.span;
  const root = head?.text ?? '';
  if (isPlain(root) && rest.length === 0) return { kind: root, span };
  if (root === 'config') {
    if (rest.length === 0) throw new SyntaxFailure({ position: span.end, expected: 'a config key (config.<key>)', after: "'config'" });
    return { kind: 'config', path: rest.map((s) => s.text), span };
  }
  if (root === 'summary') {
    const statSeg = rest.at(-1);
    if (statSeg === undefined || rest.length < 2) {
      const expected = rest.length === 0 ? 'a metric key (summary.<key>.<stat>)' : "a statistic ('.last', '.min', '.max' or '.count')";
      throw new SyntaxFailure({ position: span.end, expected, after: quote(token.text) });
    }
    if (!isStat(statSeg.text)) {
      throw new SyntaxFailure({ position: statSeg.span.start, expected: 'a statistic (last, min, max, count)', found: quote(statSeg.text) });
    }
    const key = rest.slice(0, -1).map((s) => s.text).join('.');
    return { kind: 'summary', key, stat: statSeg.text, span };
  }
  const hint = `a config value is config.${root}, a metric summary.${root}.last`;
  throw new SyntaxFailure({ position: span.start, expected: FIELD_LIST, found: quote(token.text), hint });
}
