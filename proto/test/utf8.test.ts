// Decoding through createReader() rejects strings that are not valid UTF-8 with InvalidUtf8Error,
// wherever they are nested, and decodes valid multi-byte UTF-8 unchanged.
import t from 'tap';
import { createReader, ExportLogsServiceRequest, ExportTraceServiceRequest, InvalidUtf8Error, KeyValue } from '../src/index.js';

const MARKER = 'attr-key-XYZ';

/** A trace request whose only span has an attribute key MARKER; returns the bytes and MARKER's offset. */
function requestWithAttributeKey(): { bytes: Buffer; at: number } {
  const bytes = Buffer.from(
    ExportTraceServiceRequest.encode({
      resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'span', attributes: [{ key: MARKER, value: { stringValue: 'v' } }] }] }] }],
    }).finish(),
  );
  const at = bytes.indexOf(MARKER);
  if (at < 0) throw new Error('marker not found');
  return { bytes, at };
}

// Each replaces the first bytes of MARKER ('attr-' is 5 bytes) and keeps the length.
const invalid: [string, number[]][] = [
  ['a byte that is never UTF-8 (0xff)', [0xff]],
  ['a lone continuation byte', [0x80]],
  ['an overlong encoding of "/"', [0xc0, 0xaf]],
  ['a UTF-16 surrogate (U+D800)', [0xed, 0xa0, 0x80]],
  ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['a 3-byte sequence cut short', [0xe2, 0x82, 0x41]],
];

for (const [name, replacement] of invalid) {
  void t.test(`an attribute key inside a span with ${name} throws InvalidUtf8Error`, (t) => {
    const { bytes, at } = requestWithAttributeKey();
    Buffer.from(replacement).copy(bytes, at);
    const error = t.throws(() => ExportTraceServiceRequest.decode(createReader(bytes)));
    t.ok(error instanceof InvalidUtf8Error, 'a typed error');
    t.ok(error instanceof Error);
    t.match(error, { name: 'InvalidUtf8Error', code: 'INVALID_UTF8', offset: at, length: MARKER.length });
    t.end();
  });
}

void t.test('a string cut off at the end of its field is rejected too', (t) => {
  const { bytes, at } = requestWithAttributeKey();
  bytes[at + MARKER.length - 1] = 0xe2; // lead byte of a 3-byte sequence as the last byte
  t.throws(() => ExportTraceServiceRequest.decode(createReader(bytes)), InvalidUtf8Error);
  t.end();
});

void t.test('the offset is relative to the Uint8Array given, also for a view into a larger buffer', (t) => {
  const { bytes, at } = requestWithAttributeKey();
  bytes[at] = 0xff;
  const larger = new Uint8Array(bytes.length + 7);
  larger.set(bytes, 7);
  const view = larger.subarray(7);
  const error = t.throws(() => ExportTraceServiceRequest.decode(createReader(view)));
  t.match(error, { offset: at });
  t.end();
});

void t.test('valid multi-byte UTF-8 decodes unchanged, in every nested string', (t) => {
  const text = ['é', 'ß', '日本語', '🚀', 'Ωmega', 'a\u0000b', '\u{10FFFF}', 'x'.repeat(100) + '…'];
  for (const s of text) {
    const bytes = ExportLogsServiceRequest.encode({
      resourceLogs: [
        {
          resource: { attributes: [{ key: s, value: { stringValue: s } }] },
          scopeLogs: [
            {
              scope: { name: s },
              logRecords: [{ eventName: s, body: { kvlistValue: { values: [{ key: s, value: { arrayValue: { values: [{ stringValue: s }] } } }] } } }],
            },
          ],
        },
      ],
    }).finish();
    // A plain Uint8Array (not a Buffer) works as well.
    const decoded = ExportLogsServiceRequest.decode(createReader(new Uint8Array(bytes)));
    const resourceLogs = decoded.resourceLogs[0];
    const record = resourceLogs?.scopeLogs?.[0]?.logRecords?.[0];
    const entry = record?.body?.kvlistValue?.values?.[0];
    t.equal(resourceLogs?.resource?.attributes?.[0]?.key, s);
    t.equal(resourceLogs?.resource?.attributes?.[0]?.value?.stringValue, s);
    t.equal(resourceLogs?.scopeLogs?.[0]?.scope?.name, s);
    t.equal(record?.eventName, s);
    t.equal(entry?.key, s);
    t.equal(entry?.value?.arrayValue?.values?.[0]?.stringValue, s);
  }
  t.end();
});

void t.test('bytes fields are not UTF-8 checked', (t) => {
  const bytes = ExportTraceServiceRequest.encode({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: new Uint8Array(16).fill(0xff), attributes: [{ key: 'b', value: { bytesValue: new Uint8Array([0xff, 0xfe]) } }] }] }] }],
  }).finish();
  const span = ExportTraceServiceRequest.decode(createReader(bytes)).resourceSpans[0]?.scopeSpans?.[0]?.spans?.[0];
  t.same([...(span?.attributes?.[0]?.value?.bytesValue ?? [])], [0xff, 0xfe]);
  t.end();
});

void t.test('a truncated request or string is a RangeError, not a UTF-8 error', (t) => {
  const { bytes } = requestWithAttributeKey();
  t.throws(() => ExportTraceServiceRequest.decode(createReader(bytes.subarray(0, bytes.length - 4))), RangeError);
  // KeyValue.key (field 1, length-delimited) claims 5 bytes; 1 follows.
  t.throws(() => KeyValue.decode(createReader(new Uint8Array([0x0a, 0x05, 0x61]))), RangeError);
  t.end();
});
