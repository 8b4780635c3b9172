/**
 * @mlrun/instrumentation — MLRun for TypeScript: `init()` wires the OpenTelemetry Node SDK to MLRun (or joins
 * an app's own setup), GenAI span helpers built on `@opentelemetry/api`, and runs whose metrics travel as
 * `mlrun.*` log events.
 */
export { init } from './init.js';
export type { InitMode, InitOptions, Instrumentation } from './init.js';
export { withAgent, withLLM, withTool } from './genai.js';
export type { AgentOptions, LLMOperation, LLMRequest, LLMResponse, LLMSpan, ToolOptions } from './genai.js';
export { withSpan } from './spans.js';
export type { SpanOptions } from './spans.js';
export type { ChatMessage, GenericPart, MessagePart, OutputMessage, TextPart, ToolCallPart, ToolCallResponsePart } from './messages.js';
export { Run, RUN_STATUSES, startRun } from './run.js';
export type { RunOptions, RunStatus } from './run.js';
export type { Connection } from './otlp.js';
export { DEFAULT_SERVICE_NAME } from './otlp.js';
