/**
 * The traces filter's fields: `name`, `service`, `status` (ok | error | unset), `duration` (a duration
 * literal such as 250ms or 1.5s, or a number of milliseconds), `attr.<key>` and `resource.<key>`. For
 * attributes the whole rest of the path is one key: `attr.gen_ai.request.model` is the attribute named
 * `gen_ai.request.model` (quoted segments join the same way, so `attr."gen_ai.request.model"` is the same).
 */
import type { Field } from '@mlrun/storage';
import { SyntaxFailure, quote } from './errors.js';
import type { FieldSet } from './field-sets.js';
import type { Token } from './lexer.js';
import type { RuleSet } from './predicate.js';
import { ANY_VALUE, RUN_RULES, text } from './predicate.js';

export const SPAN_FIELD_LIST = 'a field (name, service, status, duration, attr.<key>, resource.<key>)';

const PLAIN = ['name', 'service', 'status', 'duration'] as const;
type SpanPlain = (typeof PLAIN)[number];

const isPlain = (word: string): word is SpanPlain => (PLAIN as readonly string[]).includes(word);

function spanFieldOf(token: Token & { kind: 'path' }): Field {
  const [head, ...rest] = token.segments;
  const span = token.span;
  const root = head?.text ?? '';
  if (isPlain(root) && rest.length === 0 && head?.quoted !== true) return { kind: root, span };
  if ((root === 'attr' || root === 'resource') && head?.quoted !== true) {
    if (rest.length === 0) throw new SyntaxFailure({ position: span.end, expected: `an attribute key (${root}.<key>)`, after: quote(root) });
    return { kind: root, key: rest.map((s) => s.text).join('.'), span };
  }
  throw new SyntaxFailure({ position: span.start, expected: SPAN_FIELD_LIST, found: quote(token.text), hint: `a span attribute is attr.${token.text}` });
}

const DURATION = 'a duration (250ms, 1.5s) or a number of milliseconds';

const SPAN_RULES: RuleSet = {
  ...RUN_RULES,
  name: text('a string'),
  service: text('a string'),
  status: text('a string (ok, error, unset)'),
  duration: text(DURATION, { inList: false, match: false, equality: ['duration', 'number'], ordering: ['duration', 'number'], orderingText: DURATION }),
  attr: ANY_VALUE,
  resource: ANY_VALUE,
};

export const SPAN_FIELDS: FieldSet = Object.freeze({ expected: SPAN_FIELD_LIST, fieldOf: spanFieldOf, rules: SPAN_RULES });
