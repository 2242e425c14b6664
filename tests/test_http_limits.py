"""Request bodies and slow clients, against a real ``mou-graph serve`` process on 127.0.0.1,
spoken to with raw sockets (docs/security.md, "The server").

No body past the limit is read: a large ``Content-Length`` is answered 413 without the server
reading it (its resident memory, read from ``/proc``, does not grow by what the client pushes),
a chunked body is answered 413 at the limit, and a request whose head or body stops half-way
is closed by the server after its deadline (1 s here; the tests wait up to 30 s for it), and a
request's head past 16 KiB is answered 400 and closed. Each test runs on both HTTP parsers
(``serve --http h11`` and ``--http httptools``).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, free_port

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")

WAIT = 30.0  # seconds a test waits for the server to answer or close: generous, never a measure
MIB = 1 << 20


def _httptools() -> bool:
    try:
        import httptools  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module", params=["h11", pytest.param("httptools", marks=pytest.mark.skipif(
    not _httptools(), reason="httptools is not installed"))])
def server(request):
    """``mou-graph serve`` in its own process, with 1 s deadlines for a request's head and body."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mou_graph", "serve", "--no-validate", "--port", str(port), "--workers", "1",
         "--header-timeout", "1", "--body-timeout", "1", "--log-level", "warning", "--http", request.param],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(1200):  # up to 120 s to start
            assert proc.poll() is None, proc.stderr.read().decode()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(20)


def rss(pid: int) -> int:
    """Resident memory of a process, in bytes (``VmRSS`` of ``/proc/PID/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    sock.settimeout(WAIT)
    return sock


def push(sock: socket.socket, chunk: bytes, most: int) -> int:
    """Send ``chunk`` again and again, up to ``most`` bytes, until the server answers, stops
    reading or closes; the bytes sent."""
    sent = 0
    sock.settimeout(2)
    try:
        while sent < most:
            if select.select([sock], [], [], 0)[0]:
                break  # an answer is waiting
            sock.sendall(chunk)
            sent += len(chunk)
    except (TimeoutError, BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading, or closed
    sock.settimeout(WAIT)
    return sent


def answer(sock: socket.socket) -> tuple[bytes, bool]:
    """What the server sends until it closes (at most 1 MiB), and whether it closed."""
    got = b""
    try:
        while len(got) < MIB:
            data = sock.recv(65536)
            if not data:
                return got, True
            got += data
    except ConnectionResetError:
        return got, True
    except TimeoutError:
        return got, False
    return got, False


HEAD = ("POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n{}\r\n")


def test_a_large_content_length_is_refused_without_reading_the_body(server):
    port, pid = server
    before = rss(pid)
    with connect(port) as sock:
        sock.sendall(HEAD.format("Content-Length: 1000000000\r\n").encode())
        sent = push(sock, b"x" * MIB, 192 * MIB)
        got, closed = answer(sock)
    grown = rss(pid) - before
    assert got.startswith(b"HTTP/1.1 413"), got[:200]
    assert closed, "the connection was left open for the rest of the body"
    assert grown < 48 * MIB, f"the server grew by {grown / MIB:.0f} MiB while the client sent {sent / MIB:.0f} MiB"


def test_a_chunked_body_past_the_limit_gets_413(server):
    port, pid = server
    before = rss(pid)
    chunk = b"%x\r\n%s\r\n" % (16384, b"#" * 16384)  # a SPARQL comment, 16 KiB a chunk
    with connect(port) as sock:
        sock.sendall(HEAD.format("Transfer-Encoding: chunked\r\n").encode() + b"4\r\nASK \r\n")
        sent = push(sock, chunk, 64 * MIB)
        got, closed = answer(sock)
    assert got.startswith(b"HTTP/1.1 413"), got[:200]
    assert b"84096" in got and closed
    assert rss(pid) - before < 48 * MIB, f"the client sent {sent / MIB:.0f} MiB"


def test_a_small_body_is_still_answered(server):
    port, _ = server
    query = b"ASK { ?s ?p ?o }"
    with connect(port) as sock:
        sock.sendall(HEAD.format(f"Content-Length: {len(query)}\r\nConnection: close\r\n").encode() + query)
        got, _ = answer(sock)
    assert got.startswith(b"HTTP/1.1 200") and b"true" in got


@pytest.mark.parametrize("half", [
    "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # the head never ends
    "GET /sparq",  # nor the request line
    HEAD.format("Content-Length: 100\r\n") + "ASK { ?s",  # the body stops at 8 of 100 bytes
    HEAD.format("Transfer-Encoding: chunked\r\n") + "8\r\nASK { ?s\r\n",  # a chunked body that never ends
])
def test_half_sent_requests_are_closed_by_the_server(server, half):
    port, _ = server
    socks = [connect(port) for _ in range(20)]
    try:
        for sock in socks:
            sock.sendall(half.encode())
        for sock in socks:
            got, closed = answer(sock)
            assert closed, "the server still holds a half-sent request"
            assert b" 200 " not in got
    finally:
        for sock in socks:
            sock.close()


@pytest.mark.parametrize("part", ["header", "url"])
def test_a_head_past_16_kib_is_refused_before_it_is_read_whole(server, part):
    """A header (or a request line) that goes on and on: 400 and closed once the head passes
    16 KiB, long before the 8 MiB the client would send, and well before the 1 s head deadline
    (which alone would close without an answer); the server's memory does not grow by it."""
    port, pid = server
    before = rss(pid)
    start = b"GET /sparql?q=" if part == "url" else b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: "
    with connect(port) as sock:
        sock.sendall(start)
        sent = push(sock, b"a" * 4096, 8 * MIB)
        got, closed = answer(sock)
    assert got.startswith(b"HTTP/1.1 400"), got[:200]
    assert closed and sent < 4 * MIB, f"{sent / MIB:.1f} MiB were taken"
    assert rss(pid) - before < 16 * MIB


def test_a_head_of_a_few_kib_is_still_answered(server):
    port, _ = server
    with connect(port) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"p" * 8000
                     + b"\r\nConnection: close\r\n\r\n")
        got, _ = answer(sock)
    assert got.startswith(b"HTTP/1.1 200"), got[:200]


def test_a_post_asking_for_an_h2c_upgrade_is_answered_as_http_1_1(server):
    """Java's HTTP client (Jena's rsparql --post) asks every request to upgrade to h2c. The server
    makes no upgrade: it answers the request, body and all, and the next one on the connection
    (httptools' parser would skip the body of a request that asks for an upgrade)."""
    port, _ = server
    query = b"ASK { ?s ?p ?o }"
    head = HEAD.format("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                       f"Content-Length: {len(query)}\r\n")
    with connect(port) as sock:
        sock.sendall(head.encode() + query + HEAD.format(f"Content-Length: {len(query)}\r\nConnection: close\r\n")
                     .encode() + query)
        got, _ = answer(sock)
    assert got.startswith(b"HTTP/1.1 200"), got[:300]
    assert got.count(b"HTTP/1.1 200") == 2 and got.count(b"true") == 2, got
