/**
 * OTLP/JSON encodes trace and span ids as hex strings, where proto3 JSON would use base64. Before the
 * generic proto3 JSON conversion, rewrite every id field to bytes, in place, or say where one is malformed.
 */
import type { Signal } from './decode.js';

type Json = Record<string, unknown>;
type Visit = (node: Json, path: string) => string | undefined;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Rewrites `node[field]` from hex to bytes; returns an error message for a malformed id. */
function idField(node: Json, field: string, path: string): string | undefined {
  const value = node[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !HEX.test(value)) return `${path}.${field}: expected a hex string, got ${JSON.stringify(value)}`;
  node[field] = Buffer.from(value, 'hex');
  return undefined;
}

function ids(...fields: string[]): Visit {
  return (node, path) => {
    for (const field of fields) {
      const error = idField(node, field, path);
      if (error) return error;
    }
    return undefined;
  };
}

/** Applies `visit` to every object of the array at `node[field]`; non-arrays are left to fromObject. */
function each(field: string, visit: Visit): Visit {
  return (node, path) => {
    const list = node[field];
    if (!Array.isArray(list)) return undefined;
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      if (typeof item !== 'object' || item === null) continue;
      const error = visit(item as Json, `${path}.${field}[${i}]`);
      if (error) return error;
    }
    return undefined;
  };
}

function all(...visits: Visit[]): Visit {
  return (node, path) => {
    for (const visit of visits) {
      const error = visit(node, path);
      if (error) return error;
    }
    return undefined;
  };
}

/** Points of every metric type that carry exemplars. */
function dataPoints(container: string): Visit {
  return (node, path) => {
    const inner = node[container];
    if (typeof inner !== 'object' || inner === null) return undefined;
    return each('dataPoints', each('exemplars', ids('traceId', 'spanId')))(inner as Json, `${path}.${container}`);
  };
}

const VISITORS: Record<Signal, Visit> = {
  traces: each(
    'resourceSpans',
    each('scopeSpans', each('spans', all(ids('traceId', 'spanId', 'parentSpanId'), each('links', ids('traceId', 'spanId'))))),
  ),
  logs: each('resourceLogs', each('scopeLogs', each('logRecords', ids('traceId', 'spanId')))),
  metrics: each(
    'resourceMetrics',
    each('scopeMetrics', each('metrics', all(dataPoints('gauge'), dataPoints('sum'), dataPoints('histogram'), dataPoints('exponentialHistogram')))),
  ),
};

export function normalizeJsonIds(signal: Signal, request: Json): string | undefined {
  return VISITORS[signal](request, '$');
}
