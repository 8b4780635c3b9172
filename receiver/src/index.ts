export type { Receiver, ReceiverDeps, ReceiverOptions, ReceiverStats, RowSink } from './options.js';
export { defaultReceiverOptions } from './options.js';
export { startReceiver } from './start.js';
