"""The HTTP server: uvicorn, with read deadlines it does not have of its own.

uvicorn 0.x bounds the size of a request's head (h11's ``max_incomplete_event_size``) and
the idle time between requests (``timeout_keep_alive``), but not the time a client may take
to send its head or its body: 3,000 half-sent requests were all still held after 70 s.
:class:`DeadlineProtocol` is uvicorn's own h11 protocol with two deadlines, passed to it with
``http=``: the head of each request must arrive within ``header_timeout`` seconds of its first
byte (or of the connection), and its body within ``body_timeout`` seconds of the head; past
either the connection is closed. ``limit_concurrency`` caps open connections (past it uvicorn
answers 503), and :class:`mou_graph.web.app.WebSettings` holds the figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import asyncio

    import uvicorn

    from mou_graph.web.app import WebSettings

__all__ = ["DeadlineProtocol", "server_config"]


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head or body is late."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._phase: str | None = None
        self._arm("head", self.header_timeout)

    def data_received(self, data: bytes) -> None:
        if self._phase is None and self.conn.their_state is h11.IDLE:
            self._arm("head", self.header_timeout)  # the first byte of a next request on a kept-alive connection
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _follow(self) -> None:
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._phase != "body":
                self._arm("body", self.body_timeout)
        elif state is not h11.IDLE:
            self._cancel()  # the request is in (or the connection is ending): the app's time limits apply

    def _arm(self, phase: str, seconds: float) -> None:
        self._cancel()
        self._phase = phase
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._phase = None

    def _expired(self) -> None:
        phase, self._deadline, self._phase = self._phase, None, None
        if not self.transport.is_closing():
            self.logger.info("closed a connection whose request %s did not arrive in time", phase)
            self.transport.close()


def server_config(app: Any, web: WebSettings, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration for ``app`` with the limits of ``web`` (host, port, log level... in ``options``)."""
    import uvicorn

    protocol = type("DeadlineProtocol", (DeadlineProtocol,),
                    {"header_timeout": web.header_timeout, "body_timeout": web.body_timeout})
    return uvicorn.Config(app, http=protocol, limit_concurrency=web.max_connections, **options)
