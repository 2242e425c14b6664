"""A network guard: proves (and enforces) that no outbound connection is made.

A :func:`sys.addaudithook` hook watches the audit events Python raises before any name
lookup or connection (``socket.getaddrinfo``, ``socket.connect``, ``urllib.Request``...).
While a guard is active, each such event is recorded, and refused with
:class:`NetworkRefused` unless it stays on the loopback interface (or, with
``loopback=False``, refused whatever its target). The hook is installed once per process
(audit hooks cannot be removed) and does nothing while no guard is active.

The guard sees what Python code does (rdflib, urllib, http.client, SPARQLWrapper...);
native code such as pyoxigraph's Rust does not raise audit events, which is why the tests
also watch a real listening socket (``tests/test_security_input.py``, ``test_endpoint.py``).

>>> with no_network() as seen:
...     import socket
...     try:
...         socket.getaddrinfo("example.org", 80)
...     except NetworkRefused as err:
...         print(err.event)
socket.getaddrinfo
>>> [event for event, _ in seen]
['socket.getaddrinfo']
"""

from __future__ import annotations

import contextlib
import ipaddress
import sys
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["NetworkRefused", "is_loopback", "no_network"]

_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect",
    "ftplib.connect", "smtplib.connect", "imaplib.open", "poplib.connect", "nntplib.connect", "telnetlib.Telnet.open",
})


class NetworkRefused(PermissionError):
    """A network access attempted while a guard was active."""

    def __init__(self, event: str, args: tuple[Any, ...]) -> None:
        self.event = event
        self.target = args
        super().__init__(f"network access refused ({event} {args!r}): mou-graph makes no outbound connection")


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.installed = False
        self.guards: list[tuple[bool, list[tuple[str, tuple[Any, ...]]]]] = []  # (loopback allowed, log)


_STATE = _State()


def is_loopback(host: Any) -> bool:
    """Whether ``host`` (a name, an address, bytes or None) is this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("10.0.0.1")
    (True, True, True, False)
    """
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]")
    if host.lower() in ("localhost", "localhost.localdomain", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _target_host(event: str, args: tuple[Any, ...]) -> tuple[bool, Any]:
    """(whether the event names a network host, that host)."""
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        if isinstance(address, (str, bytes)):  # AF_UNIX path: not the network
            return False, None
        return True, address[0] if isinstance(address, tuple) and address else address
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        return True, args[0] if args else None
    if event == "socket.getnameinfo":
        sockaddr = args[0] if args else None
        return True, sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr
    if event == "urllib.Request":
        from urllib.parse import urlsplit

        url = str(args[0]) if args else ""
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", ""):
            return False, None  # not the network
        return True, parts.hostname
    return True, args[1] if len(args) > 1 else None  # (self, host, port) of the client libraries


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS or not _STATE.guards:
        return
    network, host = _target_host(event, args)
    if not network:
        return
    with _STATE.lock:
        guards = list(_STATE.guards)
    refuse = False
    for loopback, log in guards:
        log.append((event, tuple(repr(a)[:200] for a in args)))
        if not (loopback and is_loopback(host)):
            refuse = True
    if refuse:
        raise NetworkRefused(event, args)


@contextlib.contextmanager
def no_network(*, loopback: bool = True) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Refuse network access (in every thread of the process) while the block runs; yields
    the list of attempts seen (event, args), loopback ones included."""
    with _STATE.lock:
        if not _STATE.installed:
            sys.addaudithook(_hook)
            _STATE.installed = True
        entry: tuple[bool, list[tuple[str, tuple[Any, ...]]]] = (loopback, [])
        _STATE.guards.append(entry)
    try:
        yield entry[1]
    finally:
        with _STATE.lock:
            _STATE.guards.remove(entry)
