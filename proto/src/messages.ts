// Aliases for the generated message classes and enums the receiver needs. Each `export import` alias
// is a value (the class: new, encode, decode, fromObject, toObject), a type (the decoded message) and
// a namespace (nested types such as Span.Event and Span.$Properties) at once.
// The I* names are the plain-object property shapes (the generated I* interfaces).
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

export type IExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.IExportTraceServiceRequest;
export type IExportTraceServiceResponse = opentelemetry.proto.collector.trace.v1.IExportTraceServiceResponse;
export type IExportTracePartialSuccess = opentelemetry.proto.collector.trace.v1.IExportTracePartialSuccess;
export type IExportMetricsServiceRequest = opentelemetry.proto.collector.metrics.v1.IExportMetricsServiceRequest;
export type IExportMetricsServiceResponse = opentelemetry.proto.collector.metrics.v1.IExportMetricsServiceResponse;
export type IExportMetricsPartialSuccess = opentelemetry.proto.collector.metrics.v1.IExportMetricsPartialSuccess;
export type IExportLogsServiceRequest = opentelemetry.proto.collector.logs.v1.IExportLogsServiceRequest;
export type IExportLogsServiceResponse = opentelemetry.proto.collector.logs.v1.IExportLogsServiceResponse;
export type IExportLogsPartialSuccess = opentelemetry.proto.collector.logs.v1.IExportLogsPartialSuccess;
export type IAnyValue = opentelemetry.proto.common.v1.IAnyValue;
export type IArrayValue = opentelemetry.proto.common.v1.IArrayValue;
export type IKeyValueList = opentelemetry.proto.common.v1.IKeyValueList;
export type IKeyValue = opentelemetry.proto.common.v1.IKeyValue;
export type IInstrumentationScope = opentelemetry.proto.common.v1.IInstrumentationScope;
export type IEntityRef = opentelemetry.proto.common.v1.IEntityRef;
export type IResource = opentelemetry.proto.resource.v1.IResource;
export type IResourceSpans = opentelemetry.proto.trace.v1.IResourceSpans;
export type IScopeSpans = opentelemetry.proto.trace.v1.IScopeSpans;
export type ISpan = opentelemetry.proto.trace.v1.ISpan;
export type ISpanEvent = opentelemetry.proto.trace.v1.Span.IEvent;
export type ISpanLink = opentelemetry.proto.trace.v1.Span.ILink;
export type IStatus = opentelemetry.proto.trace.v1.IStatus;
export type IResourceMetrics = opentelemetry.proto.metrics.v1.IResourceMetrics;
export type IScopeMetrics = opentelemetry.proto.metrics.v1.IScopeMetrics;
export type IMetric = opentelemetry.proto.metrics.v1.IMetric;
export type IGauge = opentelemetry.proto.metrics.v1.IGauge;
export type ISum = opentelemetry.proto.metrics.v1.ISum;
export type IHistogram = opentelemetry.proto.metrics.v1.IHistogram;
export type IExponentialHistogram = opentelemetry.proto.metrics.v1.IExponentialHistogram;
export type ISummary = opentelemetry.proto.metrics.v1.ISummary;
export type INumberDataPoint = opentelemetry.proto.metrics.v1.INumberDataPoint;
export type IHistogramDataPoint = opentelemetry.proto.metrics.v1.IHistogramDataPoint;
export type IExponentialHistogramDataPoint = opentelemetry.proto.metrics.v1.IExponentialHistogramDataPoint;
export type IExponentialHistogramBuckets = opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.IBuckets;
export type ISummaryDataPoint = opentelemetry.proto.metrics.v1.ISummaryDataPoint;
export type IValueAtQuantile = opentelemetry.proto.metrics.v1.SummaryDataPoint.IValueAtQuantile;
export type IExemplar = opentelemetry.proto.metrics.v1.IExemplar;
export type IResourceLogs = opentelemetry.proto.logs.v1.IResourceLogs;
export type IScopeLogs = opentelemetry.proto.logs.v1.IScopeLogs;
export type ILogRecord = opentelemetry.proto.logs.v1.ILogRecord;
export type IRpcStatus = google.rpc.IStatus;
export type IRetryInfo = google.rpc.IRetryInfo;
export type IBadRequest = google.rpc.IBadRequest;
export type IDuration = google.protobuf.IDuration;
export type IAny = google.protobuf.IAny;
