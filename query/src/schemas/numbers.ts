/** JSON has no NaN or ±Infinity: metric values carry them as strings, the way OTLP/JSON does. */
import { Type } from 'typebox';

export const MetricNumber = Type.Union([Type.Number(), Type.Literal('NaN'), Type.Literal('Infinity'), Type.Literal('-Infinity')], {
  description: 'a number; NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"',
});

export type MetricNumberJson = number | 'NaN' | 'Infinity' | '-Infinity';

export function metricNumber(value: number): MetricNumberJson {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}
