"""A small HTTP/1.1 load generator: ``clients`` keep-alive connections, each sending one GET
after another for ``seconds`` (or ``requests`` in all), as ``ab -k -c N`` does.

Written on raw asyncio streams (one request is one ``write`` and a read of the head and of
``Content-Length`` or chunked bytes), so that the client costs little of the CPU the servers
share with it on a small machine. It counts answers by status and keeps every latency.

>>> parse_head(b"HTTP/1.1 503 Service Unavailable\\r\\nRetry-After: 2\\r\\ncontent-length: 5\\r\\n")
(503, {'retry-after': '2', 'content-length': '5'})
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

__all__ = ["Load", "hammer", "parse_head"]


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers


@dataclass
class Load:
    clients: int
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    retry_after: set[str] = field(default_factory=set)
    errors: int = 0

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def throughput(self) -> float:
        return self.statuses.get(200, 0) / self.seconds if self.seconds else 0.0

    def failed(self) -> int:
        return self.answered - self.statuses.get(200, 0) + self.errors


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> None:
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
        return
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return


async def _client(host: str, port: int, request: bytes, until: float, budget: list[int], load: Load) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until and budget[0] > 0:
            budget[0] -= 1
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status, headers = parse_head(head[:-4])
            await _read_body(reader, headers)
            load.latencies.append(time.perf_counter() - t0)
            load.statuses[status] = load.statuses.get(status, 0) + 1
            if "retry-after" in headers:
                load.retry_after.add(headers["retry-after"])
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    except (OSError, asyncio.IncompleteReadError):
        load.errors += 1
    finally:
        writer.close()


def hammer(host: str, port: int, path: str, *, clients: int, seconds: float = 5.0, requests: int = 10**9,
           accept: str = "application/sparql-results+json") -> Load:
    """``clients`` concurrent keep-alive clients sending ``GET path`` for ``seconds`` (or until
    ``requests`` have been sent in all)."""
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: {accept}\r\n\r\n").encode()
    load = Load(clients)

    async def main() -> None:
        budget = [requests]
        t0 = time.perf_counter()
        until = t0 + seconds
        await asyncio.gather(*(_client(host, port, request, until, budget, load) for _ in range(clients)))
        load.seconds = time.perf_counter() - t0

    asyncio.run(main())
    return load
