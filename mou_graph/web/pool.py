"""A small pool of worker processes that run SPARQL queries with a real time limit.

pyoxigraph cannot cancel a running query, so each worker is a separate process holding
its own copy of the store (sent once as N-Quads). A query past its limit gets its worker
killed and replaced while the other workers keep answering. The fast path is one pipe
round trip: the request goes out pickled, the serialised answer comes back as bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import pickle
import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["Answer", "Busy", "QueryPool", "TimedOut"]


class Busy(Exception):
    """Every worker is busy and the waiting line is full."""


class TimedOut(Exception):
    """The query ran past its time limit; its worker was stopped."""


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str]


def _worker(conn: Any, nquads: bytes, base: str) -> None:  # runs in the child process
    import pyoxigraph

    from .results import execute

    store = pyoxigraph.Store()
    store.load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    conn.send_bytes(b"ready")
    while True:
        try:
            request = pickle.loads(conn.recv_bytes())  # noqa: S301 - our own parent process
        except (EOFError, OSError):
            return
        try:
            answer = execute(store, **request)
        except Exception as err:  # noqa: BLE001 - report anything rather than die
            answer = Answer(500, "text/plain; charset=utf-8", f"internal error: {err}".encode(), {})
        conn.send_bytes(pickle.dumps(answer))


class _Worker:
    def __init__(self, ctx: Any, nquads: bytes, base: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, nquads, base), daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self.conn.poll(timeout) or self.conn.recv_bytes() != b"ready":
            raise RuntimeError("a query worker did not start")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class QueryPool:
    """``size`` workers; ``queue`` requests may wait for one; ``timeout`` seconds per query."""

    def __init__(self, store: Any, size: int = 2, timeout: float = 10.0, queue: int = 8,
                 wait: float = 5.0, include_personal: bool = False) -> None:
        import pyoxigraph

        from ..export import export_quads

        self.size, self.timeout, self.queue_limit, self.wait = max(1, size), timeout, queue, wait
        # the workers hold only what they may answer: without personal data unless asked for
        quads = export_quads(store, include_personal=include_personal)
        self._nquads = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)
        self._base = store.settings.base
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._waiting = 0
        self._lock = threading.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self._nquads, self._base)
        worker.wait_ready()
        with self._lock:
            self._all.append(worker)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        workers = [_Worker(self._ctx, self._nquads, self._base) for _ in range(self.size)]
        for worker in workers:
            await asyncio.to_thread(worker.wait_ready)
            self._all.append(worker)
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()

    async def _replace(self, dead: _Worker) -> None:
        with self._lock:
            if dead in self._all:
                self._all.remove(dead)
        dead.kill()
        worker = await asyncio.to_thread(self._spawn)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def run(self, request: dict[str, Any]) -> Answer:
        """Run one request in a worker; raises :class:`Busy` or :class:`TimedOut`."""
        assert self._idle is not None, "the pool is not started"
        if self._idle.empty() and self._waiting >= self.queue_limit:
            raise Busy
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.wait)
        except TimeoutError:
            raise Busy from None
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bytes] = loop.create_future()

        def readable() -> None:
            loop.remove_reader(worker.conn.fileno())
            try:
                data = worker.conn.recv_bytes()
            except (EOFError, OSError) as err:
                if not done.done():
                    done.set_exception(err)
                return
            if not done.done():
                done.set_result(data)

        worker.conn.send_bytes(pickle.dumps(request))
        loop.add_reader(worker.conn.fileno(), readable)
        try:
            data = await asyncio.wait_for(done, self.timeout)
        except (TimeoutError, EOFError, OSError, asyncio.CancelledError) as err:
            with contextlib.suppress(Exception):
                loop.remove_reader(worker.conn.fileno())
            self._tasks.add(task := loop.create_task(self._replace(worker)))
            task.add_done_callback(self._tasks.discard)
            if isinstance(err, asyncio.CancelledError):
                raise
            raise TimedOut from None
        self._idle.put_nowait(worker)
        return pickle.loads(data)  # noqa: S301 - our own child process
