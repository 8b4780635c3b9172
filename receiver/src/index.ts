export type { Receiver, ReceiverDeps, ReceiverOptions, ReceiverStats, RecordIdLookup, RowSink, RunRegistrySink } from './options.js';
export { defaultReceiverOptions } from './options.js';
export { startReceiver } from './start.js';
export { decodeRequest } from './otlp/decode.js';
export type { DecodeResult, Encoding, RequestOf, Signal } from './otlp/decode.js';
export { mapRequest } from './ingest/pipeline.js';
export type { MapOutcome, TableBatch } from './map/outcome.js';
export type { RequestContext } from './map/attribution.js';
export { plainJson, RunEventNames, runEventOf } from './map/run-events.js';
