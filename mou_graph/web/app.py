"""The ASGI application factory.

``create_app(store, settings)`` builds a Starlette app around a store that the caller
loaded (the CLI loads the shipped graph; tests hand it fixtures). There is no global
graph. Each part of the site contributes its routes through a ``routes(ctx)`` function:
:mod:`mou_graph.web.sparql` (the endpoint and the query page) and
:mod:`mou_graph.web.browse` (the browser). Every response gets the security headers.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from ..config import Settings
    from ..store import GraphStore

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
    max_query_memory: int = 1 << 30  # bytes of memory a worker may add to its copy of the store
    max_result_bytes: int = 64 << 20  # bytes of one answer
    max_queries_per_client: int = 0  # queries one client may run at once (0: half the workers)
    require_sandbox: bool = False  # refuse to start where no query worker can be cut off the network
    default_lang: str = "th"
    extra: dict[str, Any] = field(default_factory=dict)


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
    async def lifespan(_app):  # noqa: ANN001, ANN202 - route modules' start/stop hooks (e.g. query workers)
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

    app.add_middleware(_SecurityHeaders)
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
