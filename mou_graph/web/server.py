"""The HTTP server: uvicorn, with read deadlines and a bound on a request's head of our own.

uvicorn 0.x bounds the idle time between requests (``timeout_keep_alive``), but not the time a
client may take to send a request's head or its body: 3,000 half-sent requests were all still
held after 70 s. Our protocols add two deadlines: the head of each request must arrive within
``header_timeout`` seconds of its first byte (or of the connection), and its body within
``body_timeout`` seconds of the head; past either the connection is closed. The head of a
request is bounded too: h11 does it itself (``max_incomplete_event_size``, 16 KiB);
:class:`FastDeadlineProtocol`, on httptools, whose parser keeps a header of any length, counts
what a head has taken and answers 400 and closes past the same 16 KiB (give or take the one
read in which the head began). ``limit_concurrency`` caps open connections (past it uvicorn
answers 503), and :class:`mou_graph.web.app.WebSettings` holds the figures.

Two parsers: :class:`FastDeadlineProtocol` is uvicorn's httptools protocol (a C parser, and the
answer's head written without h11's checks of every header it writes, less than half the CPU a
request: ``serve --http``); :class:`DeadlineProtocol` is uvicorn's h11 protocol, used where
httptools is not installed or asked for. Both keep the same deadlines and bounds.

uvicorn writes an answer's head and its body to the socket separately: two ``send`` calls, and a
client woken twice, for every small answer. :class:`_Coalescing` joins what one step of the
event loop writes into one ``send`` (the rest of an iteration's writes go out at its end; nothing
is held longer, and a write of 64 KiB or more goes at once).
"""

from __future__ import annotations

import contextlib
import importlib
from typing import TYPE_CHECKING, Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    import asyncio

    import uvicorn

    from mou_graph.web.app import WebSettings

__all__ = ["HEAD_LIMIT", "DeadlineProtocol", "FastDeadlineProtocol", "http_protocol", "server_config"]

HEAD_LIMIT = 16 * 1024  # bytes of a request's line and headers (h11's own bound, kept on httptools)


class _Coalescing:
    """A transport whose writes of one event-loop step go out as one (see the module's text)."""

    LIMIT = 64 * 1024

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport, self._loop = transport, loop
        self._pending = b""
        self._scheduled = False

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._pending:  # a head, then its body: one send
            data, self._pending = self._pending + data, b""
            self._transport.write(data)
        elif len(data) >= self.LIMIT:
            self._transport.write(data)
        else:
            self._pending = bytes(data)
            if not self._scheduled:
                self._scheduled = True
                self._loop.call_soon(self._flush)

    def writelines(self, data: Any) -> None:
        self.write(b"".join(data))

    def _flush(self) -> None:
        self._scheduled = False
        if self._pending:
            data, self._pending = self._pending, b""
            self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending = b""
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _Deadlines:
    """The deadline of the part of a request that is on its way (``head`` or ``body``)."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    loop: asyncio.AbstractEventLoop
    transport: Any
    logger: Any

    def _arm(self, phase: str, seconds: float) -> None:
        # one timer a connection, moved on only when it fires early: arming costs no timer a request
        self._phase: str | None = phase
        self._due = self.loop.time() + seconds
        timer: asyncio.TimerHandle | None = getattr(self, "_deadline", None)
        if timer is None or timer.when() > self._due:
            if timer is not None:
                timer.cancel()
            self._deadline: asyncio.TimerHandle | None = self.loop.call_at(self._due, self._expired)

    def _cancel(self) -> None:
        self._phase = None  # the timer, if any, finds nothing due when it fires

    def _stop_timer(self) -> None:
        self._phase = None
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
        self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        phase = self._phase
        if phase is None:
            return
        if self.loop.time() < self._due:  # armed again since: wait for the new deadline
            self._deadline = self.loop.call_at(self._due, self._expired)
            return
        self._phase = None
        if not self.transport.is_closing():
            self.logger.info("closed a connection whose request %s did not arrive in time", phase)
            self.transport.close()


class DeadlineProtocol(_Deadlines, H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head or body is late."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = _Coalescing(transport, self.loop)
        self._deadline = None
        self._phase = None
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
        self._stop_timer()
        super().connection_lost(exc)

    def _follow(self) -> None:
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._phase != "body":
                self._arm("body", self.body_timeout)
        elif state is not h11.IDLE:
            self._cancel()  # the request is in (or the connection is ending): the app's time limits apply


class _Refused(Exception):
    pass


def _fast_base() -> Any:
    """uvicorn's httptools protocol, or None where httptools is not installed (h11 is the fallback)."""
    import importlib.util

    if importlib.util.find_spec("httptools") is None:  # pragma: no cover - httptools is a dependency
        return None
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    return HttpToolsProtocol


_FastBase: Any = _fast_base()
_FastOrNothing: Any = _FastBase or object  # a class either way; without httptools it is never used
_httptools: Any = importlib.import_module("httptools") if _FastBase is not None else None  # (once, not a read)


class FastDeadlineProtocol(_Deadlines, _FastOrNothing):
    """uvicorn's httptools protocol with the same deadlines, and a head of at most
    ``head_limit`` bytes (one read more at worst: see the module's text)."""

    head_limit: int = HEAD_LIMIT
    parser: Any

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self.transport = _Coalescing(transport, self.loop)
        self._deadline = None
        self._phase = None
        self._in_message = False  # between a request's first byte and its end
        self._in_head = False
        self._head_bytes = 0
        self._messages = 0
        self._replay: bytes | None = None  # the head of a request to read again, without its Upgrade
        self._replaying = False
        self._arm("head", self.header_timeout)

    def data_received(self, data: bytes) -> None:
        httptools = _httptools
        if not self._in_message and self._phase is None:
            self._arm("head", self.header_timeout)  # the first byte of a next request on a kept-alive connection
        before = self._in_head, self._messages
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            if self._replay is None:  # a WebSocket upgrade (only with a WebSocket library): uvicorn's way
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                return
            head, self._replay = self._replay, None
            self.parser = httptools.HttpRequestParser(self)
            with contextlib.suppress(AttributeError):
                self.parser.set_dangerous_leniencies(lenient_data_after_close=True)
            self._replaying = True
            try:
                self.data_received(head + data[upgrade.args[0]:])
            finally:
                self._replaying = False
            return
        except httptools.HttpParserError:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return
        if before == (True, self._messages) and self._in_head:  # all of this read was the same head
            self._head_bytes += len(data)
            if self._head_bytes > self.head_limit and not self.transport.is_closing():
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_message, self._in_head, self._head_bytes = True, True, 0
        self._messages += 1
        if self._phase != "head":
            self._arm("head", self.header_timeout)

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self.parser.should_upgrade() and not self._should_upgrade():
            # an upgrade this server does not make (Java's HTTP client asks every request for h2c): llhttp
            # would skip the body, so the request is read again without it, as h11 reads it
            if self._replaying or self.parser.get_method() == b"CONNECT":
                raise _Refused  # (a parser error: 400)
            self._replay = self._plain_head()
            return
        if any(k == b"transfer-encoding" or (k == b"content-length" and v.strip() != b"0")
               for k, v in self.headers):
            self._arm("body", self.body_timeout)
        else:
            self._cancel()  # no body: the request is in
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        if self._replay is not None:
            return  # the request read again ends on its own
        self._in_message = False
        self._cancel()  # the request is in: the app's time limits apply
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def _plain_head(self) -> bytes:
        """The request's head without ``Upgrade`` (and ``HTTP2-Settings``), ``Connection`` without them."""
        drop = {b"upgrade", b"http2-settings"}
        lines = [b"%s %s HTTP/%s\r\n" % (self.parser.get_method(), self.url, self.parser.get_http_version().encode())]
        for name, value in self.headers:
            if name in drop:
                continue
            if name == b"connection":
                value = b", ".join(t for t in (t.strip() for t in value.split(b",")) if t.lower() not in drop)
                if not value:
                    continue
            lines.append(b"%s: %s\r\n" % (name, value))
        return b"".join(lines) + b"\r\n"


def http_protocol(name: str = "auto") -> type:
    """The protocol class for ``serve --http``: ``httptools``, ``h11``, or ``auto`` (httptools when
    installed)."""
    from mou_graph.errors import UsageError

    if name not in ("auto", "httptools", "h11"):
        raise UsageError(f"unknown HTTP implementation {name!r}: auto, httptools or h11")
    if name == "h11" or (name == "auto" and _FastBase is None):
        return DeadlineProtocol
    if _FastBase is None:
        raise UsageError("serve --http httptools: the httptools package is not installed (scripts/setup)")
    return FastDeadlineProtocol


def server_config(app: Any, web: WebSettings, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration for ``app`` with the limits of ``web`` (host, port, log level... in ``options``)."""
    import uvicorn

    base = http_protocol(web.http)
    protocol = type(base.__name__, (base,), {"header_timeout": web.header_timeout, "body_timeout": web.body_timeout})
    # uvicorn formats an access line for every request whatever the level; below info none is printed
    options.setdefault("access_log", options.get("log_level") in (None, "info", "debug", "trace"))
    return uvicorn.Config(app, http=protocol, limit_concurrency=web.max_connections,
                          h11_max_incomplete_event_size=HEAD_LIMIT, **options)
