/**
 * The normalised span view (issue 6): storage keeps every span's attributes losslessly; the API maps them
 * at read time to one view, whichever convention the sender followed (OTel GenAI current or deprecated,
 * OpenInference, MLflow). Pure; the rules are documented in docs/semantic-conventions.md, "Traces: the
 * normalised span view", and tested in query/test/normalize.test.ts.
 */
import { attrReader } from './attrs.js';
import { eventList } from './events.js';
import { ioOf, sessionOf, toolOf } from './io.js';
import { kindOf } from './kind.js';
import type { PriceTable } from './prices.js';
import { inputMessages, outputMessages } from './transcript.js';
import type { NormalizedSpan, SpanInput, SpanSummary } from './types.js';
import { costOf, modelOf, providerOf, tokensOf } from './usage.js';

export type {
  ConventionName,
  Message,
  NormalizedSpan,
  SpanAttributes,
  SpanCost,
  SpanEventInput,
  SpanInput,
  SpanKindName,
  SpanSummary,
  ToolCall,
} from './types.js';
export { attributesFromOtlpJson } from './otlp-json.js';

function normalize(span: SpanInput, prices: PriceTable): NormalizedSpan {
  const r = attrReader(span.attributes);
  const events = eventList(span.events);
  const { kind, convention } = kindOf(r, events);
  const model = modelOf(r);
  const { inputTokens, outputTokens } = tokensOf(r);
  const inMessages = inputMessages(r, events);
  const outMessages = outputMessages(r, events);
  const tool = toolOf(r, kind, typeof span.name === 'string' ? span.name : '');
  const toolSide = kind === 'tool';
  const io = ioOf(r, {
    input: inMessages !== null || (toolSide && !r.has('gen_ai.tool.call.arguments')),
    output: outMessages !== null || (toolSide && !r.has('gen_ai.tool.call.result')),
  });
  return {
    kind,
    convention,
    model,
    provider: providerOf(r),
    inputTokens,
    outputTokens,
    cost: costOf(r, model, inputTokens, outputTokens, prices),
    inputMessages: inMessages,
    outputMessages: outMessages,
    ...tool,
    ...io,
    sessionId: sessionOf(r),
    agentName: r.str('gen_ai.agent.name') ?? null,
  };
}

const EMPTY: NormalizedSpan = Object.freeze({
  kind: 'other',
  convention: null,
  model: null,
  provider: null,
  inputTokens: null,
  outputTokens: null,
  cost: null,
  inputMessages: null,
  outputMessages: null,
  toolName: null,
  toolArguments: null,
  toolResult: null,
  input: null,
  output: null,
  sessionId: null,
  agentName: null,
});

/**
 * One span's attributes (and events) as the normalised view. Never throws: the readers underneath are
 * total over odd shapes (the fuzz test in normalize.test.ts checks that), and should one still fail, a
 * span detail page must not — the result is then the empty view (`kind: 'other'`, every field null).
 */
export function normalizeSpan(span: SpanInput, prices: PriceTable): NormalizedSpan {
  try {
    return normalize(span, prices);
  } catch {
    return { ...EMPTY };
  }
}

function summarize(span: SpanInput, prices: PriceTable): SpanSummary {
  const r = attrReader(span.attributes);
  const { kind, convention } = kindOf(r, eventList(span.events));
  const model = modelOf(r);
  const { inputTokens, outputTokens } = tokensOf(r);
  const cost = costOf(r, model, inputTokens, outputTokens, prices);
  const { toolName } = toolOf(r, kind, typeof span.name === 'string' ? span.name : '');
  return { kind, convention, model, provider: providerOf(r), inputTokens, outputTokens, cost, toolName };
}

/**
 * The fields of normalizeSpan a tree or list row shows, without reading messages or inputs (which can be
 * large): equal to the same fields of `normalizeSpan(span, prices)`. Never throws, like normalizeSpan.
 */
export function summarizeSpan(span: SpanInput, prices: PriceTable): SpanSummary {
  try {
    return summarize(span, prices);
  } catch {
    const { kind, convention, model, provider, inputTokens, outputTokens, cost, toolName } = EMPTY;
    return { kind, convention, model, provider, inputTokens, outputTokens, cost, toolName };
  }
}
