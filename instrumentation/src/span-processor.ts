/**
 * Getting spans made under someone else's provider to MLRun with MLRun's attribution. The receiver
 * attributes telemetry by resource attributes, so each ended span is handed to MLRun's exporter as a view
 * whose resource is the app's resource plus `mlrun.project` / `mlrun.run.id` (the app's own exporters still
 * see the original). `MlrunSpanProcessor` is that as a SpanProcessor, for providers that still take one
 * after construction (`addSpanProcessor`, e.g. sdk-trace-base 1.x); `asReadableSpan` lets the helpers feed
 * it their own spans when the provider cannot (sdk-trace 2.x takes processors only in its constructor).
 */
import type { Attributes, Context, Span as ApiSpan, SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Fields a 1.x SDK span has instead of `parentSpanContext` / `instrumentationScope`. */
interface LegacySpanFields {
  readonly parentSpanId?: string;
  readonly instrumentationLibrary?: ReadableSpan['instrumentationScope'];
}

/** The api span, when the provider behind it is an OTel SDK (its spans are ReadableSpans). */
export function asReadableSpan(span: ApiSpan): ReadableSpan | undefined {
  const candidate = span as Partial<Record<keyof ReadableSpan, unknown>>;
  const looksReadable =
    typeof candidate.spanContext === 'function' && typeof candidate.name === 'string' && Array.isArray(candidate.startTime) && Array.isArray(candidate.endTime) && typeof candidate.resource === 'object' && candidate.resource !== null;
  return looksReadable ? (span as unknown as ReadableSpan) : undefined;
}

function parentOf(span: ReadableSpan & LegacySpanFields): SpanContext | undefined {
  if (span.parentSpanContext) return span.parentSpanContext;
  if (!span.parentSpanId) return undefined;
  const own = span.spanContext();
  return { traceId: own.traceId, spanId: span.parentSpanId, traceFlags: own.traceFlags };
}

/** Makes the resource views, one merged resource per distinct source resource. */
export class ResourceOverlay {
  private readonly merged = new WeakMap<Resource, Resource>();
  private readonly overlay: Resource;

  constructor(attributes: Attributes) {
    this.overlay = resourceFromAttributes(attributes);
  }

  resourceFor(resource: Resource): Resource {
    let out = this.merged.get(resource);
    if (!out) {
      out = resource.merge(this.overlay);
      this.merged.set(resource, out);
    }
    return out;
  }

  /** The span as the exporter should see it: same ids, times and attributes, MLRun's resource. */
  view(span: ReadableSpan): ReadableSpan {
    const legacy = span as ReadableSpan & LegacySpanFields;
    return {
      name: span.name,
      kind: span.kind,
      spanContext: () => span.spanContext(),
      parentSpanContext: parentOf(legacy),
      startTime: span.startTime,
      endTime: span.endTime,
      status: span.status,
      attributes: span.attributes,
      links: span.links,
      events: span.events,
      duration: span.duration,
      ended: span.ended,
      resource: this.resourceFor(span.resource),
      instrumentationScope: span.instrumentationScope ?? legacy.instrumentationLibrary ?? { name: 'unknown' },
      droppedAttributesCount: span.droppedAttributesCount ?? 0,
      droppedEventsCount: span.droppedEventsCount ?? 0,
      droppedLinksCount: span.droppedLinksCount ?? 0,
    };
  }
}

/** Forwards ended spans, re-attributed, to MLRun's processor (a BatchSpanProcessor on an OTLP exporter). */
export class MlrunSpanProcessor implements SpanProcessor {
  private closed = false;

  constructor(
    private readonly inner: SpanProcessor,
    private readonly overlay: ResourceOverlay,
  ) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (!this.closed) this.inner.onEnd(this.overlay.view(span));
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.closed = true;
    return this.inner.shutdown();
  }
}
