"""The view buffer: counts kept out of the database until the flush job writes them.

Counting a view must cost a page nothing, so a request only adds to a buffer:

- :class:`RedisBuffer` (``REDIS_URL`` set, production): a Lua script adds the visitor's
  hash to the day's set and, if it was new, increments the count; the request only puts
  the view on a queue, which a thread sends to Redis in pipelined batches. Counts survive a restart of the web or worker processes; the flush moves
  the pending counts to a batch key (``RENAME``, atomic), writes the batch and deletes it.
  A batch whose writing was interrupted is written by the next flush; one already
  written (its id is in ``stats_flushes``) is only deleted, so nothing counts twice.
- :class:`MemoryBuffer` (embedded, no Redis): the same in process memory, flushed by a
  thread every ``STATS_FLUSH_SECONDS`` and when the process exits normally. A crash
  loses at most the views of the last interval; one process per instance (two processes
  would each count a visitor once).

Counter keys are strings: ``v|<day>|<kind>|<id>`` for views, ``q|<day>|<0 or 1>|<query>``
for searches (1: found nothing).
"""
from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
import uuid
from collections import Counter
from datetime import date

log = logging.getLogger("tercul.stats")

SEEN_SECONDS = 2 * 24 * 3600  # a safety net: the cleanup job deletes older days' hashes and salts first
RETRY_SECONDS = 5.0  # after a Redis error, views are not counted for this long (requests never wait on it)
QUEUE_MAX = 10000  # views waiting for the sender thread; beyond, views are dropped (Redis too slow)


def view_key(day: date, kind: str, target_id: int) -> str:
    return f"v|{day.isoformat()}|{kind}|{target_id}"


def search_key(day: date, query: str, empty: bool) -> str:
    return f"q|{day.isoformat()}|{int(empty)}|{query}"


class MemoryBuffer:
    """Counts and the day's visitor hashes in process memory (the embedded mode)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._day: date | None = None
        self._salt = b""
        self._seen: set[str] = set()
        self._counts: Counter[str] = Counter()
        self._batches: dict[str, Counter[str]] = {}

    def _today(self, day: date) -> None:
        if day != self._day:  # a new day: a new salt, and yesterday's hashes forgotten
            self._day, self._salt, self._seen = day, secrets.token_bytes(32), set()

    def salt(self, day: date) -> bytes:
        with self._lock:
            self._today(day)
            return self._salt

    def add_view(self, day: date, digest: str, key: str) -> bool:
        """Count ``key`` unless ``digest`` was seen today; True when counted."""
        with self._lock:
            self._today(day)
            if digest in self._seen:
                return False
            self._seen.add(digest)
            self._counts[key] += 1
            return True

    def add(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._counts[key] += n

    def seal(self) -> None:
        """Move the pending counts into a batch of their own."""
        with self._lock:
            if self._counts:
                self._batches[uuid.uuid4().hex] = self._counts
                self._counts = Counter()

    def batches(self) -> list[tuple[str, dict[str, int]]]:
        with self._lock:
            return [(batch, dict(counts)) for batch, counts in self._batches.items()]

    def done(self, batch: str) -> None:
        with self._lock:
            self._batches.pop(batch, None)

    def forget_before(self, day: date) -> None:
        with self._lock:
            if self._day is not None and self._day < day:
                self._day, self._salt, self._seen = None, b"", set()

    def pending(self) -> int:
        with self._lock:
            return sum(self._counts.values()) + sum(sum(c.values()) for c in self._batches.values())


# KEYS: the day's seen set, the pending counts; ARGV: digest, counter key, seconds to keep the set
_ADD_VIEW = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  return 1
end
return 0
"""


class RedisBuffer:
    """Counts and the day's visitor hashes in Redis, shared by every process (see the module)."""

    def __init__(self, client, prefix: str = "tercul:stats", *, background: bool = False) -> None:
        self.client = client
        self.prefix = prefix
        # background: views are handed to a thread that sends them in pipelined batches, so
        # that a request does not wait for Redis (a crash loses the few in the queue)
        self.background = background
        self._queue: queue.Queue[tuple[date, str, str]] = queue.Queue(maxsize=QUEUE_MAX)
        self._sender: threading.Thread | None = None
        self._sender_lock = threading.Lock()
        self._pending = f"{prefix}:pending"
        self._script = client.register_script(_ADD_VIEW)
        self._salts: dict[date, bytes] = {}
        self._retry_at = 0.0
        from redis.exceptions import RedisError

        self._errors = (RedisError, OSError)

    @classmethod
    def from_url(cls, url: str, prefix: str = "tercul:stats", *, background: bool = False) -> RedisBuffer:
        import redis

        return cls(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5), prefix,
                   background=background)

    def _up(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self, what: str) -> None:
        self._retry_at = time.monotonic() + RETRY_SECONDS
        log.warning("view counting: Redis failed (%s); views are not counted for %.0f s", what, RETRY_SECONDS)

    def salt(self, day: date) -> bytes | None:
        """The day's salt, shared by every process (None while Redis does not answer)."""
        salt = self._salts.get(day)
        if salt is None and self._up():
            key = f"{self.prefix}:salt:{day.isoformat()}"
            try:
                self.client.set(key, secrets.token_hex(32), nx=True, ex=SEEN_SECONDS)
                salt = bytes.fromhex(self.client.get(key).decode())
            except self._errors as exc:
                self._failed(type(exc).__name__)
                return None
            self._salts = {day: salt}  # only today's is kept
        return salt

    def add_view(self, day: date, digest: str, key: str) -> bool:
        """Count ``key`` unless ``digest`` was seen today. In the background mode the view is
        queued and True means accepted (Redis decides whether it is new)."""
        if not self._up():
            return False
        if self.background:
            self._start_sender()
            try:
                self._queue.put_nowait((day, digest, key))
            except queue.Full:  # Redis is slow: drop the view rather than hold the request
                return False
            return True
        try:
            return bool(self._script(keys=[f"{self.prefix}:seen:{day.isoformat()}", self._pending],
                                     args=[digest, key, SEEN_SECONDS]))
        except self._errors as exc:
            self._failed(type(exc).__name__)
            return False

    def _start_sender(self) -> None:
        if self._sender is None or not self._sender.is_alive():
            with self._sender_lock:
                if self._sender is None or not self._sender.is_alive():
                    self._sender = threading.Thread(target=self._send_loop, name="tercul-stats-sender",
                                                    daemon=True)
                    self._sender.start()

    def _send_loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < 500:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                pipe = self.client.pipeline(transaction=False)
                for day, digest, key in batch:
                    self._script(keys=[f"{self.prefix}:seen:{day.isoformat()}", self._pending],
                                 args=[digest, key, SEEN_SECONDS], client=pipe)
                pipe.execute()
            except self._errors as exc:
                self._failed(type(exc).__name__)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def drain(self) -> None:
        """Wait until the queued views are in Redis (tests, shutdown)."""
        if self.background:
            self._queue.join()

    def add(self, key: str, n: int = 1) -> None:
        if not self._up():
            return
        try:
            self.client.hincrby(self._pending, key, n)
        except self._errors as exc:
            self._failed(type(exc).__name__)

    def seal(self) -> None:
        from redis.exceptions import ResponseError

        try:
            self.client.rename(self._pending, f"{self.prefix}:batch:{uuid.uuid4().hex}")
        except ResponseError:  # nothing pending ("no such key")
            pass

    def batches(self) -> list[tuple[str, dict[str, int]]]:
        found = []
        for name in self.client.scan_iter(match=f"{self.prefix}:batch:*", count=100):
            name = name.decode()
            counts = {k.decode(): int(v) for k, v in self.client.hgetall(name).items()}
            found.append((name.rsplit(":", 1)[1], counts))
        return found

    def done(self, batch: str) -> None:
        self.client.delete(f"{self.prefix}:batch:{batch}")

    def forget_before(self, day: date) -> None:
        """Delete the salts and visitor hashes of the days before ``day``."""
        for pattern in ("salt", "seen"):
            for name in self.client.scan_iter(match=f"{self.prefix}:{pattern}:*", count=100):
                if date.fromisoformat(name.decode().rsplit(":", 1)[1]) < day:
                    self.client.delete(name)
        self._salts = {d: s for d, s in self._salts.items() if d >= day}

    def pending(self) -> int:
        total = sum(int(v) for v in self.client.hvals(self._pending))
        return total + sum(sum(c.values()) for _b, c in self.batches())


def make_buffer(redis_url: str | None) -> MemoryBuffer | RedisBuffer:
    """A Redis buffer (sending from a thread) when Redis is configured, else one in process memory."""
    return RedisBuffer.from_url(redis_url, background=True) if redis_url else MemoryBuffer()

