// Shared request fixtures: OTLP/JSON-shaped objects (lowerCamelCase keys, 64-bit integers as decimal
// strings, enums as integers, bytes as base64) with extreme values in every 64-bit and double field.

export const INT64_MIN = '-9223372036854775808';
export const INT64_MAX = '9223372036854775807';
export const UINT64_MAX = '18446744073709551615';
/** A nanosecond timestamp that a double cannot hold exactly (2^53 is about 9.007e15). */
export const NANOS = '1700000000123456789';

export const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
export const TRACE_ID = b64('5b8efff798038103d269b633813fc60c');
export const SPAN_ID = b64('eee19b7ec3c1b174');
export const PARENT_ID = b64('eee19b7ec3c1b173');

export const resource = {
  attributes: [{ key: 'service.name', value: { stringValue: 'trainer' } }],
  droppedAttributesCount: 1,
  entityRefs: [{ schemaUrl: 'https://opentelemetry.io/schemas/1.30.0', type: 'service', idKeys: ['service.name'], descriptionKeys: ['service.version'] }],
};

export const scope = { name: 'mlrun.test', version: '1.2.3', attributes: [{ key: 'k', value: { boolValue: true } }], droppedAttributesCount: 2 };

/** One attribute of every AnyValue kind, nested arrays and maps included. */
export const attributes = [
  { key: 'str', value: { stringValue: 'héllo 日本語 🚀' } },
  { key: 'bool', value: { boolValue: true } },
  { key: 'int.min', value: { intValue: INT64_MIN } },
  { key: 'int.max', value: { intValue: INT64_MAX } },
  { key: 'double', value: { doubleValue: 0.1 } },
  { key: 'nan', value: { doubleValue: 'NaN' } },
  { key: 'inf', value: { doubleValue: 'Infinity' } },
  { key: 'ninf', value: { doubleValue: '-Infinity' } },
  { key: 'bytes', value: { bytesValue: b64('00ff10') } },
  { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '42' }, { arrayValue: { values: [{ boolValue: true }] } }] } } },
  { key: 'map', value: { kvlistValue: { values: [{ key: 'inner', value: { kvlistValue: { values: [{ key: 'deep', value: { doubleValue: 2.5 } }] } } }] } } },
  { key: 'empty', value: {} },
];

export const traceRequest = {
  resourceSpans: [
    {
      resource,
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
      scopeSpans: [
        {
          scope,
          schemaUrl: 'https://opentelemetry.io/schemas/1.29.0',
          spans: [
            {
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              traceState: 'vendor=1',
              parentSpanId: PARENT_ID,
              flags: 0x301,
              name: 'train.step',
              kind: 3,
              startTimeUnixNano: NANOS,
              endTimeUnixNano: UINT64_MAX,
              attributes,
              droppedAttributesCount: 3,
              events: [{ timeUnixNano: '1700000000123456790', name: 'checkpoint', attributes: [{ key: 'step', value: { intValue: '7' } }], droppedAttributesCount: 1 }],
              droppedEventsCount: 4,
              links: [{ traceId: TRACE_ID, spanId: PARENT_ID, traceState: 'a=b', attributes: [{ key: 'l', value: { stringValue: 'x' } }], droppedAttributesCount: 1, flags: 0x100 }],
              droppedLinksCount: 5,
              status: { message: 'diverged', code: 2 },
            },
          ],
        },
      ],
    },
  ],
};

const exemplars = [
  { filteredAttributes: [{ key: 'e', value: { stringValue: 'x' } }], timeUnixNano: NANOS, asInt: INT64_MIN, spanId: SPAN_ID, traceId: TRACE_ID },
  { timeUnixNano: NANOS, asDouble: 'NaN' },
];

export const metricsRequest = {
  resourceMetrics: [
    {
      resource,
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
      scopeMetrics: [
        {
          scope,
          metrics: [
            {
              name: 'loss',
              description: 'training loss',
              unit: '1',
              metadata: [{ key: 'm', value: { stringValue: 'v' } }],
              gauge: {
                dataPoints: [
                  { attributes, startTimeUnixNano: NANOS, timeUnixNano: UINT64_MAX, asInt: INT64_MIN, exemplars, flags: 1 },
                  { timeUnixNano: NANOS, asInt: INT64_MAX },
                  { timeUnixNano: NANOS, asDouble: 'NaN' },
                  { timeUnixNano: NANOS, asDouble: 'Infinity' },
                  { timeUnixNano: NANOS, asDouble: '-Infinity' },
                ],
              },
            },
            { name: 'tokens', sum: { dataPoints: [{ timeUnixNano: NANOS, asInt: '9007199254740993' }], aggregationTemporality: 1, isMonotonic: true } },
            {
              name: 'latency',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  { startTimeUnixNano: NANOS, timeUnixNano: NANOS, count: UINT64_MAX, sum: 'Infinity', bucketCounts: ['1', UINT64_MAX], explicitBounds: [0.5], exemplars, flags: 1, min: '-Infinity', max: 'NaN' },
                ],
              },
            },
            {
              name: 'exp',
              exponentialHistogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    timeUnixNano: NANOS,
                    count: '3',
                    sum: 1.5,
                    scale: -3,
                    zeroCount: UINT64_MAX,
                    positive: { offset: -2, bucketCounts: ['1', UINT64_MAX] },
                    negative: { offset: 5, bucketCounts: ['2'] },
                    flags: 1,
                    exemplars,
                    min: 0.25,
                    max: 'Infinity',
                    zeroThreshold: 1e-9,
                  },
                ],
              },
            },
            {
              name: 'summary',
              summary: { dataPoints: [{ timeUnixNano: NANOS, count: UINT64_MAX, sum: 'NaN', quantileValues: [{ quantile: 0.5, value: 1 }, { quantile: 1, value: 'Infinity' }], flags: 1 }] },
            },
          ],
        },
      ],
    },
  ],
};

export const logsRequest = {
  resourceLogs: [
    {
      resource,
      scopeLogs: [
        {
          scope,
          schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
          logRecords: [
            {
              timeUnixNano: NANOS,
              observedTimeUnixNano: UINT64_MAX,
              severityNumber: 10,
              severityText: 'INFO2',
              body: { kvlistValue: { values: [{ key: 'gen_ai.evaluation.name', value: { stringValue: 'Relevance' } }, { key: 'score', value: { doubleValue: 'NaN' } }] } },
              attributes,
              droppedAttributesCount: 1,
              flags: 0x01,
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              eventName: 'gen_ai.evaluation.result',
            },
          ],
        },
      ],
    },
  ],
};
