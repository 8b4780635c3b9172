/**
 * The compiler's working state and its access to a target's fields: the parameter sink, registered key
 * placeholders, the target's column and attribute SQL, and the error for what a target cannot express.
 */
import type { Field } from './ast.js';
import type { CompileOptions } from './compile.js';
import type { ParamSink } from './params.js';
import type { FilterTarget } from './target.js';

export interface Ctx {
  readonly target: FilterTarget;
  readonly sink: ParamSink;
  readonly now: number;
  /** Config path and summary key placeholders, registered once per field node. */
  readonly refs: Map<Field, string>;
}

export function context(target: FilterTarget, options: CompileOptions, prefix: string): Ctx {
  const sink = target.dialect.createSink({ prefix: options.prefix ?? prefix, offset: options.offset ?? 0 });
  return { target, sink, now: options.now ?? Date.now(), refs: new Map() };
}

/** An AST the target cannot express (the query parser never produces one); `position` is the field's. */
export class FilterCompileError extends TypeError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

export function invalid(what: string, field: Field): FilterCompileError {
  return new FilterCompileError(`filter compile: ${what} is not supported for field ${field.kind} (at ${field.span.start})`, field.span.start);
}

export function ref(field: Field & { kind: 'config' | 'summary' | 'attr' | 'resource' }, ctx: Ctx): string {
  let r = ctx.refs.get(field);
  if (r === undefined) {
    const { dialect } = ctx.target;
    r = field.kind === 'config' ? dialect.configPath(ctx.sink, field.path) : dialect.param(ctx.sink, 'string', field.key);
    ctx.refs.set(field, r);
  }
  return r;
}

type ColumnField = Exclude<Field['kind'], 'summary' | 'attr' | 'resource'>;

/** The target's SQL for a column field; a target without it cannot compile the field. */
export function column(field: Field & { kind: ColumnField }, ctx: Ctx): string {
  const sql = ctx.target.columns[field.kind];
  if (sql === undefined) throw invalid('the field', field);
  return sql;
}

/** The target's attribute accessors (span targets only). */
export function attributes(field: Field, { target }: Ctx): Required<Pick<FilterTarget, 'attribute' | 'attributeIsNull'>> {
  if (target.attribute === undefined || target.attributeIsNull === undefined) throw invalid('the field', field);
  return { attribute: target.attribute, attributeIsNull: target.attributeIsNull };
}

/** Refuses a field outside the target's field list (when it has one). */
export function allowed(field: Field, ctx: Ctx): void {
  const { fields } = ctx.target;
  if (fields !== undefined && !fields.includes(field.kind)) throw invalid('the field', field);
}
