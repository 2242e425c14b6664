"""A small pool of worker processes that run SPARQL queries within limits, fairly.

pyoxigraph cannot cancel a running query, so each worker is a separate process holding
its own copy of the store (sent once as N-Quads). Each worker, before it reads anything:

* makes itself unable to open a network socket (:func:`mou_graph.io.sandbox.deny_network`),
  so ``SERVICE`` cannot reach the network whatever the query text looks like;
* after loading the store, caps its address space (``RLIMIT_AS``) at what it holds then
  plus ``memory`` bytes, so a runaway query ends in a failed allocation, not a swapping host.

A query that ends its worker is reported by the limit that ended it (:class:`Stopped`):
``time`` (the parent killed it at the time limit), ``memory`` (Rust's "memory allocation
of N bytes failed" or Python's ``MemoryError`` on the worker's standard error), ``bytes``
(the answer is larger than ``max_bytes``) or ``crash`` (anything else, e.g. a stack
overflow); its worker is replaced while the others keep answering.

Answers travel in chunks of :data:`CHUNK` bytes: a header message, then the body, read by
the caller as it goes (the pipe's back-pressure holds the worker), so the main process never
holds a whole answer.

Workers are shared fairly (:class:`QueryPool`), by client (an address; IPv6 by /64): waiters
are served lowest recent worker-seconds first; a client whose recent use is heavy may run
``per_client`` queries at once, and heavy clients together hold at most ``size - 1`` workers,
so one worker stays free for everyone else; a full waiting line drops its heaviest waiter
for a lighter newcomer.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import math
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from mou_graph.web.results import Answer

__all__ = ["CHUNK", "Answer", "Busy", "QueryPool", "Stopped", "TimedOut", "client_key"]

CHUNK = 64 * 1024
_HALF_LIFE = 60.0  # seconds: how fast a client's recent worker-seconds are forgotten


class Busy(Exception):
    """Every worker this client may use is busy and the waiting line is full."""


class Stopped(Exception):
    """The query was stopped by a limit: ``limit`` is time, memory, bytes or crash."""

    def __init__(self, limit: str, detail: str = "") -> None:
        super().__init__(limit, detail)
        self.limit, self.detail = limit, detail


class TimedOut(Stopped):
    """The query ran past its time limit; its worker was stopped."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("time", detail)


def client_key(host: str | None) -> str:
    """The fairness key of a client address: the address, an IPv6 address by its /64.

    >>> client_key("2001:db8::1") == client_key("2001:db8::2"), client_key("192.0.2.7")
    (True, '192.0.2.7')
    """
    if not host:
        return "-"
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _worker(conn: Any, nquads: bytes, base: str, memory: int, errpath: str) -> None:  # runs in the child
    from mou_graph.io.sandbox import deny_network

    fd = os.open(errpath, os.O_WRONLY | os.O_APPEND)
    os.dup2(fd, 2)  # Rust's abort messages land where the parent can read them
    os.close(fd)
    status = deny_network()
    import pyoxigraph

    from mou_graph.web.results import execute

    store = pyoxigraph.Store()
    store.load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    del nquads
    if memory and sys.platform == "linux":
        import resource

        limit = _vm_size() + memory
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))
    conn.send_bytes(pickle.dumps(("ready", status)))
    while True:
        try:
            request = pickle.loads(conn.recv_bytes())  # noqa: S301 - our own parent process
        except (EOFError, OSError):
            return
        max_bytes = request.pop("max_bytes", 0)
        try:
            answer = execute(store, **request)
            body = answer.body
            if max_bytes and len(body) > max_bytes:
                conn.send_bytes(pickle.dumps(("bytes", len(body))))
                continue
            conn.send_bytes(pickle.dumps(("head", answer.status, answer.media_type, answer.headers, len(body))))
            view = memoryview(body)
            for at in range(0, len(body), CHUNK):
                conn.send_bytes(view[at:at + CHUNK])
            del view, body, answer
        except MemoryError:
            os.write(2, b"mou-graph worker: MemoryError\n")
            os._exit(3)
        except Exception as err:  # noqa: BLE001 - report anything rather than die
            body = f"internal error: {err}".encode()
            conn.send_bytes(pickle.dumps(("head", 500, "text/plain; charset=utf-8", {}, len(body))))
            conn.send_bytes(body)


class _Worker:
    def __init__(self, ctx: Any, nquads: bytes, base: str, memory: int) -> None:
        fd, self.errpath = tempfile.mkstemp(prefix="mou-graph-worker-", suffix=".err")
        os.close(fd)
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, nquads, base, memory, self.errpath), daemon=True)
        self.proc.start()
        child.close()
        self.sandbox: Any = None

    def wait_ready(self, timeout: float = 120.0) -> None:
        if not self.conn.poll(timeout):
            raise RuntimeError("a query worker did not start")
        try:
            tag, self.sandbox = pickle.loads(self.conn.recv_bytes())  # noqa: S301 - our own child
        except (EOFError, OSError):
            raise RuntimeError(f"a query worker did not start: {self.stderr_tail()}") from None
        if tag != "ready":
            raise RuntimeError("a query worker did not start")

    def stderr_tail(self, size: int = 4096) -> str:
        try:
            with open(self.errpath, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                fh.seek(max(0, fh.tell() - size))
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(OSError):
            os.unlink(self.errpath)


def _why_dead(worker: _Worker) -> Stopped:
    """What ended a worker that closed its pipe: memory, or a crash (named)."""
    with contextlib.suppress(Exception):
        worker.proc.join(2)
    tail = worker.stderr_tail()
    if tail.strip():
        sys.stderr.write(tail if tail.endswith("\n") else tail + "\n")
    if "memory allocation of" in tail or "MemoryError" in tail:
        return Stopped("memory")
    if "overflowed its stack" in tail:
        return Stopped("crash", "stack overflow")
    code = worker.proc.exitcode
    if code is not None and code < 0:
        import signal

        with contextlib.suppress(ValueError):
            return Stopped("crash", f"signal {signal.Signals(-code).name}")
    return Stopped("crash", f"exit code {code}" if code is not None else "")


@dataclass
class _Waiter:
    key: str
    seq: int
    future: asyncio.Future[_Worker]


class QueryPool:
    """``size`` workers; ``queue`` requests may wait ``wait`` seconds for one; ``timeout``
    seconds, ``memory`` bytes (beyond the store) and ``max_bytes`` of answer per query;
    ``per_client`` queries at once per client; ``require_sandbox`` refuses to start where
    the network sandbox cannot be enforced (otherwise a loud warning)."""

    def __init__(self, store: Any, size: int = 2, timeout: float = 10.0, queue: int = 8,
                 wait: float | None = None, *, memory: int = 1 << 30, max_bytes: int = 64 << 20,
                 per_client: int | None = None, heavy: float | None = None,
                 require_sandbox: bool = False, include_personal: bool = False) -> None:
        import pyoxigraph

        from mou_graph.io.rdfio import serialized
        from mou_graph.publish.export import export_quads

        self.size, self.timeout, self.queue_limit = max(1, size), timeout, queue
        # long enough to outlast one runaway query and the replacement of its worker
        self.wait = wait if wait is not None else timeout + 5.0
        self.memory, self.max_bytes, self.require_sandbox = memory, max_bytes, require_sandbox
        self.per_client = per_client if per_client else max(1, self.size // 2)
        self.heavy = heavy if heavy is not None else min(1.0, timeout / 2)  # recent worker-seconds
        # the workers hold only what they may answer: without personal data unless asked for
        quads = export_quads(store, include_personal=include_personal)
        self._nquads = serialized(quads, pyoxigraph.RdfFormat.N_QUADS)
        self._base = store.settings.base
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] | None = None
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._usage: dict[str, tuple[float, float]] = {}  # key -> (worker-seconds, when)
        self._running: dict[_Worker, tuple[str, float]] = {}
        self.sandbox: Any = None

    # -- workers
    def _new(self) -> _Worker:
        return _Worker(self._ctx, self._nquads, self._base, self.memory)

    def _spawn(self) -> _Worker:
        worker = self._new()
        worker.wait_ready()
        with self._lock:
            self._all.append(worker)
        return worker

    def _check_sandbox(self, worker: _Worker) -> None:
        from mou_graph.io.sandbox import SandboxUnavailable, warn_if_unenforced

        if self.sandbox is None:
            self.sandbox = worker.sandbox
            if not worker.sandbox.enforced:
                if self.require_sandbox:
                    raise SandboxUnavailable(worker.sandbox.reason)
                warn_if_unenforced(worker.sandbox, "the query workers of the SPARQL endpoint")

    async def start(self) -> None:
        idle: list[_Worker] = []
        workers = [self._new() for _ in range(self.size)]
        try:
            for worker in workers:
                await asyncio.to_thread(worker.wait_ready)
                self._check_sandbox(worker)
                self._all.append(worker)
                idle.append(worker)
        except BaseException:
            for worker in workers:
                worker.kill()
            raise
        self._idle = idle

    @property
    def started(self) -> bool:
        """Whether :meth:`start` has brought the workers up."""
        return self._idle is not None

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
        self._release(worker)

    def _discard(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        self._finish(worker)
        self._tasks.add(task := loop.create_task(self._replace(worker)))
        task.add_done_callback(self._tasks.discard)

    # -- fairness
    def _cost(self, key: str, now: float) -> float:
        return self._used(key, now) + sum(now - t0 for k, t0 in self._running.values() if k == key)

    def _used(self, key: str, now: float) -> float:
        used, when = self._usage.get(key, (0.0, now))
        return used * math.pow(0.5, (now - when) / _HALF_LIFE)

    def _eligible(self, key: str, now: float) -> bool:
        """Light clients may take any idle worker; a heavy one (recent worker-seconds past
        ``heavy``) runs at most ``per_client`` at once, and heavy ones together hold at most
        ``size - 1`` workers."""
        if self._used(key, now) < self.heavy:
            return True
        running = [k for k, _ in self._running.values()]
        if running.count(key) >= self.per_client:
            return False
        if self.size > 1:
            return sum(self._used(k, now) >= self.heavy for k in running) < self.size - 1
        return True

    def _rank(self, waiter: _Waiter, now: float) -> tuple[float, int, int]:
        """Who is served first: least recent worker-seconds, then fewest queries of the same
        client running or waiting ahead, then the longest waiting."""
        ahead = sum(k == waiter.key for k, _ in self._running.values())
        ahead += sum(w.key == waiter.key and w.seq < waiter.seq for w in self._waiters)
        return self._cost(waiter.key, now), ahead, waiter.seq

    def _finish(self, worker: _Worker) -> None:
        if worker in self._running:
            key, t0 = self._running.pop(worker)
            now = time.monotonic()
            used, when = self._usage.get(key, (0.0, now))
            self._usage[key] = (used * math.pow(0.5, (now - when) / _HALF_LIFE) + (now - t0), now)
            if len(self._usage) > 10_000:  # forget the lightest half
                for k, _ in sorted(self._usage.items(), key=lambda kv: kv[1][0])[:5_000]:
                    del self._usage[k]

    def _release(self, worker: _Worker) -> None:
        self._finish(worker)
        assert self._idle is not None
        self._idle.append(worker)
        self._dispatch()

    def _dispatch(self) -> None:
        assert self._idle is not None
        now = time.monotonic()
        while self._idle and self._waiters:
            ready = [w for w in self._waiters if not w.future.done() and self._eligible(w.key, now)]
            if not ready:
                break
            chosen = min(ready, key=lambda w: self._rank(w, now))
            self._waiters.remove(chosen)
            worker = self._idle.pop()
            self._running[worker] = (chosen.key, now)
            chosen.future.set_result(worker)

    async def _acquire(self, key: str) -> _Worker:
        assert self._idle is not None, "the pool is not started"
        now = time.monotonic()
        self._waiters = [w for w in self._waiters if not w.future.done()]
        if self._idle and not self._waiters and self._eligible(key, now):
            worker = self._idle.pop()
            self._running[worker] = (key, now)
            return worker
        if len(self._waiters) >= self.queue_limit:
            newcomer = _Waiter(key, next(self._seq), asyncio.get_running_loop().create_future())
            worst = max(self._waiters, key=lambda w: self._rank(w, now))
            if self._rank(worst, now) <= self._rank(newcomer, now):
                raise Busy
            self._waiters.remove(worst)
            worst.future.set_exception(Busy())
        waiter = _Waiter(key, next(self._seq), asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        self._dispatch()
        future = waiter.future
        try:
            await asyncio.wait({future}, timeout=self.wait)
        except BaseException:  # the client went away while waiting
            if future.done() and not future.cancelled() and future.exception() is None:
                self._release(future.result())  # served just before: give the worker back
            self._forget(waiter)
            raise
        if not future.done():
            self._forget(waiter)
            raise Busy
        return future.result()  # raises Busy if a lighter client took its place

    def _forget(self, waiter: _Waiter) -> None:
        if not waiter.future.done():
            waiter.future.cancel()
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)

    # -- running
    async def _recv(self, worker: _Worker, timeout: float | None) -> bytes:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bytes] = loop.create_future()
        fileno = worker.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fileno)
            try:
                data = worker.conn.recv_bytes()
            except (EOFError, OSError) as err:
                if not done.done():
                    done.set_exception(err)
                return
            if not done.done():
                done.set_result(data)

        loop.add_reader(fileno, readable)
        try:
            return await asyncio.wait_for(done, timeout)
        finally:
            with contextlib.suppress(Exception):
                loop.remove_reader(fileno)

    async def run(self, request: dict[str, Any], client: str = "-") -> Answer:
        """Run one request in a worker; raises :class:`Busy` or :class:`Stopped`. A large
        answer comes with ``chunks``: iterate them to the end (the worker is held meanwhile)."""
        worker = await self._acquire(client_key(client) if client != "-" else client)
        try:
            worker.conn.send_bytes(pickle.dumps({**request, "max_bytes": self.max_bytes}))
            head = pickle.loads(await self._recv(worker, self.timeout))  # noqa: S301 - our own child
        except TimeoutError:
            self._discard(worker)
            raise TimedOut from None
        except (EOFError, OSError):
            stopped = _why_dead(worker)
            self._discard(worker)
            raise stopped from None
        except BaseException:
            self._discard(worker)
            raise
        if head[0] == "bytes":
            self._release(worker)
            raise Stopped("bytes", str(head[1]))
        _, status, media_type, headers, size = head
        if size <= CHUNK:
            try:
                body = await self._recv(worker, self.timeout) if size else b""
            except BaseException:
                self._discard(worker)
                raise
            self._release(worker)
            return Answer(status, media_type, body, headers)
        return Answer(status, media_type, b"", headers, chunks=self._stream(worker, size))

    async def _stream(self, worker: _Worker, size: int) -> AsyncIterator[bytes]:
        sent = 0
        try:
            while sent < size:
                chunk = await self._recv(worker, self.timeout)
                sent += len(chunk)
                yield chunk
        except BaseException:
            self._discard(worker)  # a client gone mid-answer: the worker is replaced, not drained
            raise
        self._release(worker)
