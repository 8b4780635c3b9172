// Aliases for the generated message classes and enums the receiver needs. Each `export import` alias
// is a value (the class: new, encode, decode, fromObject, toObject), a type (the decoded message) and
// a namespace (nested types such as Span.Event and Span.$Properties) at once.
// The I* names are the plain-object property shapes, as in protobufjs before v8.
import { google, opentelemetry } from '../gen/otlp.js';
// Decoding must not start before protobufjs is set up to produce the ESM Long (see runtime.ts).
import './runtime.js';

// collector/*: the request and response of each Export RPC.
export import ExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
export import ExportTraceServiceResponse = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
export import ExportTracePartialSuccess = opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
export import ExportMetricsServiceRequest = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
export import ExportMetricsServiceResponse = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
export import ExportMetricsPartialSuccess = opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
export import ExportLogsServiceRequest = opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
export import ExportLogsServiceResponse = opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
export import ExportLogsPartialSuccess = opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;

// common/v1 and resource/v1
export import AnyValue = opentelemetry.proto.common.v1.AnyValue;
export import ArrayValue = opentelemetry.proto.common.v1.ArrayValue;
export import KeyValueList = opentelemetry.proto.common.v1.KeyValueList;
export import KeyValue = opentelemetry.proto.common.v1.KeyValue;
export import InstrumentationScope = opentelemetry.proto.common.v1.InstrumentationScope;
export import EntityRef = opentelemetry.proto.common.v1.EntityRef;
export import Resource = opentelemetry.proto.resource.v1.Resource;

// trace/v1
export import ResourceSpans = opentelemetry.proto.trace.v1.ResourceSpans;
export import ScopeSpans = opentelemetry.proto.trace.v1.ScopeSpans;
export import Span = opentelemetry.proto.trace.v1.Span;
export import Status = opentelemetry.proto.trace.v1.Status;
export import SpanKind = opentelemetry.proto.trace.v1.Span.SpanKind;
export import StatusCode = opentelemetry.proto.trace.v1.Status.StatusCode;
export import SpanFlags = opentelemetry.proto.trace.v1.SpanFlags;

// metrics/v1
export import ResourceMetrics = opentelemetry.proto.metrics.v1.ResourceMetrics;
export import ScopeMetrics = opentelemetry.proto.metrics.v1.ScopeMetrics;
export import Metric = opentelemetry.proto.metrics.v1.Metric;
export import Gauge = opentelemetry.proto.metrics.v1.Gauge;
export import Sum = opentelemetry.proto.metrics.v1.Sum;
export import Histogram = opentelemetry.proto.metrics.v1.Histogram;
export import ExponentialHistogram = opentelemetry.proto.metrics.v1.ExponentialHistogram;
export import Summary = opentelemetry.proto.metrics.v1.Summary;
export import NumberDataPoint = opentelemetry.proto.metrics.v1.NumberDataPoint;
export import HistogramDataPoint = opentelemetry.proto.metrics.v1.HistogramDataPoint;
export import ExponentialHistogramDataPoint = opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
export import SummaryDataPoint = opentelemetry.proto.metrics.v1.SummaryDataPoint;
export import Exemplar = opentelemetry.proto.metrics.v1.Exemplar;
export import AggregationTemporality = opentelemetry.proto.metrics.v1.AggregationTemporality;
export import DataPointFlags = opentelemetry.proto.metrics.v1.DataPointFlags;

// logs/v1
export import ResourceLogs = opentelemetry.proto.logs.v1.ResourceLogs;
export import ScopeLogs = opentelemetry.proto.logs.v1.ScopeLogs;
export import LogRecord = opentelemetry.proto.logs.v1.LogRecord;
export import SeverityNumber = opentelemetry.proto.logs.v1.SeverityNumber;
export import LogRecordFlags = opentelemetry.proto.logs.v1.LogRecordFlags;

// google.rpc / google.protobuf: error bodies and gRPC status details. RpcStatus, not Status: that
// name is the span status.
export import RpcStatus = google.rpc.Status;
export import RetryInfo = google.rpc.RetryInfo;
export import BadRequest = google.rpc.BadRequest;
export import Duration = google.protobuf.Duration;
export import Any = google.protobuf.Any;

export type IExportTraceServiceRequest = ExportTraceServiceRequest.$Properties;
export type IExportTraceServiceResponse = ExportTraceServiceResponse.$Properties;
export type IExportTracePartialSuccess = ExportTracePartialSuccess.$Properties;
export type IExportMetricsServiceRequest = ExportMetricsServiceRequest.$Properties;
export type IExportMetricsServiceResponse = ExportMetricsServiceResponse.$Properties;
export type IExportMetricsPartialSuccess = ExportMetricsPartialSuccess.$Properties;
export type IExportLogsServiceRequest = ExportLogsServiceRequest.$Properties;
export type IExportLogsServiceResponse = ExportLogsServiceResponse.$Properties;
export type IExportLogsPartialSuccess = ExportLogsPartialSuccess.$Properties;
export type IAnyValue = AnyValue.$Properties;
export type IArrayValue = ArrayValue.$Properties;
export type IKeyValueList = KeyValueList.$Properties;
export type IKeyValue = KeyValue.$Properties;
export type IInstrumentationScope = InstrumentationScope.$Properties;
export type IEntityRef = EntityRef.$Properties;
export type IResource = Resource.$Properties;
export type IResourceSpans = ResourceSpans.$Properties;
export type IScopeSpans = ScopeSpans.$Properties;
export type ISpan = Span.$Properties;
export type ISpanEvent = Span.Event.$Properties;
export type ISpanLink = Span.Link.$Properties;
export type IStatus = Status.$Properties;
export type IResourceMetrics = ResourceMetrics.$Properties;
export type IScopeMetrics = ScopeMetrics.$Properties;
export type IMetric = Metric.$Properties;
export type IGauge = Gauge.$Properties;
export type ISum = Sum.$Properties;
export type IHistogram = Histogram.$Properties;
export type IExponentialHistogram = ExponentialHistogram.$Properties;
export type ISummary = Summary.$Properties;
export type INumberDataPoint = NumberDataPoint.$Properties;
export type IHistogramDataPoint = HistogramDataPoint.$Properties;
export type IExponentialHistogramDataPoint = ExponentialHistogramDataPoint.$Properties;
export type IExponentialHistogramBuckets = ExponentialHistogramDataPoint.Buckets.$Properties;
export type ISummaryDataPoint = SummaryDataPoint.$Properties;
export type IValueAtQuantile = SummaryDataPoint.ValueAtQuantile.$Properties;
export type IExemplar = Exemplar.$Properties;
export type IResourceLogs = ResourceLogs.$Properties;
export type IScopeLogs = ScopeLogs.$Properties;
export type ILogRecord = LogRecord.$Properties;
export type IRpcStatus = RpcStatus.$Properties;
export type IRetryInfo = RetryInfo.$Properties;
export type IBadRequest = BadRequest.$Properties;
export type IDuration = Duration.$Properties;
export type IAny = Any.$Properties;
