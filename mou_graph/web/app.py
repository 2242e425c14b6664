"""The ASGI application factory.

``create_app(store, settings)`` builds a Starlette app around a store that the caller
loaded (the CLI loads the shipped graph; tests hand it fixtures). There is no global
graph. Each part of the site contributes its routes through a ``routes(ctx)`` function:
:mod:`mou_graph.web.sparql` (the endpoint and the query page) and
:mod:`mou_graph.web.browse` (the browser). Every response gets the security headers, and
no request body larger than :meth:`WebSettings.body_limit` is ever read whole: one with a
larger ``Content-Length`` is answered 413 before a byte of it is read, and a chunked one is
counted as it streams and answered 413 at the limit (:class:`_BodyLimit`). The deadlines for
a request's head and body are the server's (:mod:`mou_graph.web.server`). Answers are
gzip-compressed for clients that accept it (Starlette's ``GZipMiddleware``).

A route module may name a handler for a path in ``ctx.state["fast"]`` (``/sparql`` does): a GET
of it with no body, from a client that does not accept gzip, goes to the handler directly
(:class:`_FastPaths`), past the router and the middleware whose work it does itself, with the
same answer, headers and all; anything else takes the whole stack.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from mou_graph.config import Settings
    from mou_graph.store import GraphStore

__all__ = ["WebContext", "WebSettings", "create_app"]

# modules that contribute routes, in order (each defines ``routes(ctx) -> list``)
ROUTE_MODULES = ["mou_graph.web.sparql", "mou_graph.web.browse"]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


@dataclass(frozen=True)
class WebSettings:
    """Limits and options of the server (all have safe defaults)."""

    query_timeout: float = 10.0  # seconds a query may run
    max_query_length: int = 20_000  # characters
    max_results: int = 10_000  # rows or triples
    max_concurrent_queries: int = 4
    # queries that may wait for a worker; past workers + this many at once: 503 with Retry-After
    max_waiting: int = 128
    answer_cache_bytes: int = 32 << 20  # recent small answers given again without a worker (0: none)
    max_query_memory: int = 1 << 30  # bytes of memory a worker may add to its copy of the store
    max_result_bytes: int = 64 << 20  # bytes of one answer
    max_queries_per_client: int = 0  # queries one client may run at once (0: half the workers)
    require_sandbox: bool = False  # refuse to start where no query worker can be cut off the network
    default_lang: str = "th"
    max_body_bytes: int | None = None  # bytes of a request body; None: room for the longest query, form-encoded
    header_timeout: float = 10.0  # seconds for a request's head to arrive
    body_timeout: float = 30.0  # seconds for its body to arrive
    max_connections: int = 256  # open connections (past it: 503)
    http: str = "auto"  # the HTTP parser: httptools (when installed: auto), or h11 (mou_graph.web.server)
    extra: dict[str, Any] = field(default_factory=dict)

    def body_limit(self) -> int:
        """The largest request body read: by default 4 bytes a character of the longest query
        (UTF-8) and 4 KiB for the other parameters, as the endpoint's own check.

        >>> WebSettings(max_query_length=1000).body_limit()
        8096
        """
        return self.max_body_bytes or self.max_query_length * 4 + 4096


@dataclass
class WebContext:
    """What route modules get: the store, its settings and the server's settings."""

    store: GraphStore
    settings: Settings
    web: WebSettings
    state: dict[str, Any] = field(default_factory=dict)


def create_app(store: GraphStore, settings: Settings | None = None, web: WebSettings | None = None) -> Starlette:
    """Build the application for ``store``."""
    from starlette.applications import Starlette
    from starlette.middleware.gzip import GZipMiddleware

    ctx = WebContext(store=store, settings=settings or store.settings, web=web or WebSettings())
    routes: list[Any] = []
    for name in ROUTE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        routes += module.routes(ctx)

    @contextlib.asynccontextmanager
    async def lifespan(_app):  # route modules' start/stop hooks (e.g. query workers)
        hooks = list(ctx.state.get("lifespan", []))
        for start, _ in hooks:
            await start()
        try:
            yield
        finally:
            for _, stop in reversed(hooks):
                await stop()

    # Starlette answers an unhandled error from its outermost middleware, outside ours: the
    # handler gives that 500 the security headers itself, and says nothing of the error.
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={500: _server_error})
    app.state.ctx = ctx

    # innermost: answers of 1 KiB or more are gzip-compressed for a client that accepts it, a streamed
    # answer chunk by chunk (SPARQL results keep streaming, and their size limit counts the
    # uncompressed bytes, as before); a 206 or an already encoded answer is left alone. Nothing the
    # server sends reflects a secret (no session, token or credential exists), so compressing is
    # safe from BREACH-style attacks (docs/security.md).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(_BodyLimit, limit=ctx.web.body_limit())  # inside the security headers: its 413 gets them
    app.add_middleware(_SecurityHeaders)
    app.add_middleware(_FastPaths, fast=ctx.state.setdefault("fast", {}), minimum_size=1024)
    return app


async def _server_error(_request: Any, _exc: Exception) -> Any:
    from starlette.responses import PlainTextResponse

    return PlainTextResponse("เกิดข้อผิดพลาดภายในเซิร์ฟเวอร์ / Internal server error\n", status_code=500,
                             headers=SECURITY_HEADERS)


class _SecurityHeaders:
    """Pure ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response (Starlette 1.x
    has no ``app.middleware`` decorator)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SECURITY_RAW = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]


class _FastPaths:
    """Pure ASGI middleware, outside the others: a GET of a path in ``fast`` with no body (no
    ``Content-Length`` or ``Transfer-Encoding``, so no body limit to keep) from a client that does
    not accept gzip is answered by its handler (``handler(request) -> Response``) directly. What
    the middleware it passes would have done to that answer, it does: the security headers
    (:class:`_SecurityHeaders`), and, for a body of ``minimum_size`` bytes or more or a streamed
    one, ``Accept-Encoding`` added to ``Vary`` (what ``GZipMiddleware`` does for a client it does
    not compress for). An error is Starlette's outermost middleware's, as on the other path."""

    def __init__(self, app: Any, fast: dict[str, Any], minimum_size: int) -> None:
        self.app, self.fast, self.minimum_size = app, fast, minimum_size

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        handler = self.fast.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if handler is not None:
            for key, value in scope["headers"]:
                if key in (b"content-length", b"transfer-encoding") or (key == b"accept-encoding" and b"gzip" in value):
                    handler = None
                    break
        if handler is None:
            await self.app(scope, receive, send)
            return
        from starlette.requests import Request

        response = await handler(Request(scope, receive))
        start: dict[str, Any] = {}
        minimum = self.minimum_size

        async def secured(message: Any) -> None:
            nonlocal start
            kind = message["type"]
            if kind == "http.response.start":  # held until the first body, as GZipMiddleware does
                start = message
                return
            if start:
                headers = list(start.get("headers", []))
                if kind == "http.response.body" and (message.get("more_body", False)
                                                     or len(message.get("body", b"")) >= minimum):
                    _add_vary(headers, start.get("status"))
                names = {k for k, _ in headers}
                headers += [(k, v) for k, v in _SECURITY_RAW if k not in names]
                first, start = {**start, "headers": headers}, {}
                await send(first)
            await send(message)

        await response(scope, receive, secured)


def _add_vary(headers: list[tuple[bytes, bytes]], status: int | None) -> None:
    """``Accept-Encoding`` added to ``Vary`` (its first line; any others folded into it), unless the
    answer is encoded already or partial."""
    if status == 206 or any(k == b"content-encoding" for k, _ in headers):
        return
    at = [i for i, (k, _) in enumerate(headers) if k == b"vary"]
    value = b", ".join([*(headers[i][1] for i in at), b"Accept-Encoding"])
    if not at:
        headers.append((b"vary", value))
        return
    headers[at[0]] = (b"vary", value)
    for i in reversed(at[1:]):
        del headers[i]


class _TooLarge(Exception):
    pass


class _BodyLimit:
    """Pure ASGI middleware: no request body past ``limit`` bytes is read. A ``Content-Length``
    over it is answered 413 at once (uvicorn stops reading the socket once 64 KiB wait
    unread, so the body stays in the client); a chunked body is counted message by message,
    and at the limit the app's reading stops and the answer is 413. Either 413 closes the
    connection, so the rest of the body is never read."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length" and (not value.strip().isdigit() or int(value) > self.limit):
                await self._refuse(send)
                return
        seen = 0
        started = False

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def watched(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        from starlette.requests import ClientDisconnect

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:
                raise
            await self._refuse(send)
        except ClientDisconnect:
            pass  # the client left (or its body was late and the server closed): no one to answer

    async def _refuse(self, send: Any) -> None:
        body = (f"the request body is larger than {self.limit} bytes (serve --max-body-bytes)\n"
                f"คำขอมีขนาดใหญ่เกิน {self.limit} ไบต์ (ปรับได้ด้วย serve --max-body-bytes)\n").encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
