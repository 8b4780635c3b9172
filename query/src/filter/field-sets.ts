/**
 * A field set: the fields one filter target understands, how a path token names one of them, what each
 * accepts, and how error messages list them. Runs (the run list, groups) and spans (the traces filter)
 * share the grammar and differ only here.
 */
import type { Field } from '@mlrun/storage';
import { FIELD_LIST, fieldOf } from './fields.js';
import type { Token } from './lexer.js';
import type { RuleSet } from './predicate.js';
import { RUN_RULES } from './predicate.js';

export interface FieldSet {
  /** "a field (…)" as error messages say it. */
  readonly expected: string;
  /** The field a path token names; throws SyntaxFailure naming the segment at fault. */
  fieldOf(token: Token & { kind: 'path' }): Field;
  readonly rules: RuleSet;
}

export const RUN_FIELDS: FieldSet = Object.freeze({ expected: FIELD_LIST, fieldOf, rules: RUN_RULES });
