"""The background sender: bounded in-memory queues, batching by size and time, retries, the spool.

Two signal paths share everything but their queue and their encoder: log records (`queue`, to `/v1/logs`) and
ended spans (`spans`, to `/v1/traces`). The caller's thread only appends to a queue (a deque: appends are
atomic in CPython, so no lock is taken on the hot path) and, when a full batch is waiting, sets an Event.
Everything else happens on one daemon thread:

- every `batch_interval_s` (or when `batch_max_records` are waiting) each queue is drained into gzip'd OTLP
  requests of at most `batch_max_records` items (log records first, so a run's start precedes its spans);
- a request is POSTed to `<endpoint>/v1/<signal>` (system metrics: an OTLP metrics request to `/v1/metrics`,
  through the same retries and spool; spool file names carry each batch's signal); a failure is retried a
  few times at once (exponential backoff with jitter, `Retry-After` honoured), then the batch goes to the
  spool and later batches of every signal follow it there, so order is kept; the spool is replayed oldest
  first as soon as the backoff allows and the server answers;
- offline, every batch goes to the spool.

Queue full (`queue_max_records` per queue, default 100 000, i.e. the sender is far behind): the newest items
are dropped, counted in `dropped_records` and warned about once.
"""

from __future__ import annotations

import gzip
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._encode import Encoder, Item
from ._http import Result, post
from ._settings import Settings
from ._spool import Spool, signal_of

if TYPE_CHECKING:
    from ._span import Span

# A queued span: (its resource, serialized as `ResourceSpans.resource`; the ended span).
SpanItem = tuple[bytes, "Span"]

log = logging.getLogger("mlrun")

QUICK_RETRIES = 2


@dataclass(frozen=True)
class Channel:
    """One signal path: its queue, how a batch of it is encoded, the OTLP path (`/v1/<signal>`) it goes to."""

    signal: str
    queue: deque[Any]
    encode: Callable[[Sequence[Any]], bytes]


def _encode_spans(items: Sequence[SpanItem]) -> bytes:
    # Imported here: the tracing modules load only when a span was queued.
    from ._trace_encode import encode_spans

    return encode_spans(items)


class Transport:
    def __init__(
        self,
        settings: Settings,
        encoder: Encoder,
        spool: Spool,
        sampler: Callable[[], list[Any]] | None = None,
        *,
        heartbeat: bool = True,
    ) -> None:
        self.settings = settings
        self.encoder = encoder
        self.spool = spool
        self.queue: deque[Item] = deque()
        self.spans: deque[SpanItem] = deque()
        self._channels = (Channel("logs", self.queue, encoder.encode), Channel("traces", self.spans, _encode_spans))
        self._heartbeat = heartbeat
        self.wake = threading.Event()
        self.dropped_records = 0
        self.sent_records = 0
        self._warned_queue_full = False
        self._warned: set[str] = set()
        self._closing = threading.Event()
        self._deadline = float("inf")
        self._backoff = 0.0
        self._next_try = 0.0
        self._last_activity = time.monotonic()
        self._sampler = sampler
        self._next_sample = time.monotonic()
        self._offline = settings.mode == "offline"
        self._thread = threading.Thread(target=self._main, name="mlrun-transport", daemon=True)
        self._thread.start()

    # -- caller side -----------------------------------------------------------------------------------------

    def put(self, item: Item) -> None:
        if len(self.queue) >= self.settings.queue_max_records:
            self.drop_one()
            return
        self.queue.append(item)
        if len(self.queue) >= self.settings.batch_max_records:
            self.wake.set()

    def put_span(self, item: SpanItem) -> None:
        if len(self.spans) >= self.settings.queue_max_records:
            self.drop_one()
            return
        self.spans.append(item)
        if len(self.spans) >= self.settings.batch_max_records:
            self.wake.set()

    @property
    def closed(self) -> bool:
        """True once close() began: later items would not be sent."""
        return self._closing.is_set()

    def _queued(self) -> int:
        return sum(len(channel.queue) for channel in self._channels)

    def drop_one(self) -> None:
        self.dropped_records += 1
        if not self._warned_queue_full:
            self._warned_queue_full = True
            log.warning(
                "mlrun: the in-memory queue is full (%d records): dropping new records until the sender catches up",
                self.settings.queue_max_records,
            )

    def flush(self, timeout_s: float) -> bool:
        """Wait until everything queued so far was sent or spooled; True when it was, within the time."""
        end = time.monotonic() + timeout_s
        self.wake.set()
        while time.monotonic() < end:
            if not self._queued() and not self._busy and (self._offline or not self.spool.has_pending()):
                return True
            time.sleep(0.01)
            self.wake.set()
        return False

    def close(self, timeout_s: float) -> None:
        """Send what is queued within `timeout_s`, then spool whatever is left, and stop the thread."""
        self._deadline = time.monotonic() + timeout_s
        self._closing.set()
        self.wake.set()
        self._thread.join(timeout_s + self.settings.request_timeout_s + 2.0)
        if self._thread.is_alive():
            log.warning("mlrun: the sender did not stop in time; %d records may be lost", self._queued())
        left = self.spool.pending()
        if left and not self._offline:
            log.warning("mlrun: %d batch(es) could not be sent and stay in %s; upload them with `mlrun-sync %s`", len(left), self.spool.directory, self.spool.directory)
        if self.dropped_records or self.spool.dropped_records:
            log.warning("mlrun: %d record(s) were dropped (queue full: %d, spool full: %d)", self.dropped_records + self.spool.dropped_records, self.dropped_records, self.spool.dropped_records)

    # -- background thread -----------------------------------------------------------------------------------

    _busy = False

    def _main(self) -> None:
        try:
            while True:
                closing = self._closing.is_set()
                if not closing:
                    self.wake.wait(self.settings.batch_interval_s)
                    self.wake.clear()
                self._busy = True
                try:
                    self._cycle()
                finally:
                    self._busy = False
                if closing:
                    now = time.monotonic()
                    if not self._queued() and (self._offline or not self.spool.has_pending() or now >= self._deadline):
                        return
                    time.sleep(min(0.05, max(0.0, self._next_try - now)))
        except Exception:  # the sender must never take the training process down
            log.exception("mlrun: the sender thread failed; records logged from now on are not sent")

    def _cycle(self) -> None:
        self._maybe_heartbeat()
        for channel in self._channels:
            queue = channel.queue
            while queue:
                items = [queue.popleft() for _ in range(min(len(queue), self.settings.batch_max_records))]
                payload = gzip.compress(channel.encode(items), compresslevel=5)
                self._deliver(payload, len(items), channel.signal)
        # After the queue, so the run's start reaches the server before its first system metrics.
        self._maybe_sample()
        if not self._offline and self.spool.has_pending():
            self._replay()

    def _deliver(self, payload: bytes, records: int, signal: str = "logs") -> None:
        self._last_activity = time.monotonic()
        if self._offline or self.spool.has_pending() or not self._may_send():
            self.spool.append(payload, records, signal)
            return
        for attempt in range(QUICK_RETRIES + 1):
            result = self._post(payload, signal)
            if result.outcome == "ok":
                self.sent_records += records
                self._backoff = 0.0
                return
            if result.outcome == "drop":
                self._warn_once(result.detail, "mlrun: the server refused a batch of %d records (%s); it is dropped", records, result.detail)
                return
            if attempt < QUICK_RETRIES and result.retry_after_s is None and self._may_send():
                time.sleep(0.1 * (2**attempt) * random.uniform(0.5, 1.5))
                continue
            self._failed(result)
            break
        self.spool.append(payload, records, signal)

    def _replay(self) -> None:
        for path in self.spool.pending():
            if not self._may_send():
                return
            try:
                payload = path.read_bytes()
            except OSError:
                self.spool.sent(path)  # gone (an `mlrun-sync` of the same directory took it)
                continue
            result = self._post(payload, signal_of(path))
            if result.outcome == "retry":
                self._failed(result)
                return
            if result.outcome == "drop":
                self._warn_once(result.detail, "mlrun: the server refused spooled batch %s (%s); it is dropped", path.name, result.detail)
            self._backoff = 0.0
            self.spool.sent(path)

    def _may_send(self) -> bool:
        now = time.monotonic()
        return now >= self._next_try and now < self._deadline

    def _failed(self, result: Result) -> None:
        self._backoff = min(max(self._backoff * 2, 0.25), self.settings.retry_max_s)
        wait = result.retry_after_s if result.retry_after_s is not None else self._backoff * random.uniform(0.5, 1.5)
        self._next_try = time.monotonic() + wait
        self._warn_once("unreachable", "mlrun: cannot reach %s (%s); spooling to %s and retrying", self.settings.endpoint, result.detail, self.spool.directory)

    def _post(self, payload: bytes, signal: str = "logs") -> Result:
        timeout = min(self.settings.request_timeout_s, max(0.1, self._deadline - time.monotonic()))
        return post(f"{self.settings.endpoint}/v1/{signal}", payload, api_key=self.settings.api_key, timeout_s=timeout)

    def _warn_once(self, key: str, message: str, *args: Any) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)

    def _maybe_heartbeat(self) -> None:
        now = time.monotonic()
        if self._heartbeat and not self._queued() and now - self._last_activity >= self.settings.heartbeat_s and not self._closing.is_set():
            self.queue.append((time.time_ns(), "mlrun.heartbeat", {}, None))

    def _maybe_sample(self) -> None:
        if self._sampler is None or self._closing.is_set():
            return
        now = time.monotonic()
        if now < self._next_sample:
            return
        self._next_sample = now + self.settings.system_metrics_s
        try:
            values = self._sampler()
        except Exception:
            self._warn_once("sampler", "mlrun: system metrics could not be read; they are turned off")
            self._sampler = None
            return
        if values:
            from ._system import encode_gauges

            payload = gzip.compress(encode_gauges(self.encoder.resource, time.time_ns(), values), compresslevel=5)
            self._deliver(payload, len(values), "metrics")
