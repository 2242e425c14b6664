"""The endpoint under load, on a real ``mou-graph serve --store`` process and real concurrent
clients on loopback: nothing refused below the documented limit (workers + ``--queue``), 503
with ``Retry-After`` past it, repeated answers given without a worker, and the workers opening
the store's copy without personal data, read-only, instead of each holding a copy."""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

# a query that keeps a worker busy for some seconds whatever the graph holds (30^5 = 24 M rows of VALUES,
# 3.7 s on this machine's Oxigraph; a join of the graph with itself grew with the register to 30 s, and two
# of them one after the other outlasted a client's 120 s on a busy machine)
_THIRTY = " ".join(map(str, range(30)))
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {_THIRTY} }}" for i in range(5))
        + " FILTER (?v0 + ?v1 >= 0) } # %s")
SHORT = "SELECT ?label WHERE { <https://w3id.org/mou-graph/id/org/mdes> ?p ?label } LIMIT 3 # %s"
PERSONAL = "ASK { ?x <https://w3id.org/mou-graph/ontology#personalData> true }"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store") / "store"
    proc = subprocess.run([sys.executable, "-m", "mou_graph", "build", "--store", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return folder


@contextlib.contextmanager
def serving(folder: Path, *options: str):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mou_graph", "serve", "--store", str(folder), "--port", str(port),
                             "--log-level", "warning", *options], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                if get(port, SHORT % ("ready"))[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def get(port: int, query: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                     headers={"Accept": "application/sparql-results+json"})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        if own:
            conn.close()


def concurrently(count: int, work) -> list:
    """Run ``work(0..count-1)`` in threads that start together; their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return results


def test_no_request_fails_while_fewer_clients_than_the_limit_are_connected(built):
    """16 keep-alive clients, 2 workers: every request answered (the old waiting line of
    2 x workers answered 42-73 % of them 503)."""
    with serving(built, "--workers", "2", "--queue", "32", "--cache-mb", "0") as (port, _):
        def client(i: int) -> list[int]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                return [get(port, SHORT % (f"{i}-{n}"), conn)[0] for n in range(15)]
            finally:
                conn.close()

        statuses = [s for per in concurrently(16, client) for s in per]
    assert statuses == [200] * 16 * 15


def test_past_the_limit_the_answer_is_503_with_retry_after_naming_the_limit(built):
    """1 worker and 1 waiting place: of 6 slow queries sent together, at most 2 are taken; the
    others are told at once to retry, with the limit and how to raise it."""
    with serving(built, "--workers", "1", "--queue", "1", "--cache-mb", "0", "--timeout", "60") as (port, _):
        answers = concurrently(6, lambda i: get(port, SLOW % (i)))
    busy = [(h, b) for s, h, b in answers if s == 503]
    assert len(busy) >= 4, [s for s, _, _ in answers]
    for headers, body in busy:
        assert headers["retry-after"] == "2"
        assert b"more than 2 running or waiting" in body and b"--queue" in body
    assert [s for s, _, _ in answers].count(200) == 6 - len(busy)


def test_a_repeated_answer_is_given_while_every_worker_is_busy(built):
    """With the answer cache, a question asked before is answered even when the only worker
    is busy and nothing may wait; a new question is then refused, which shows the worker was busy."""
    with serving(built, "--workers", "1", "--queue", "0", "--timeout", "60") as (port, _):
        first = get(port, SHORT % ("again"))
        assert first[0] == 200
        slow = threading.Thread(target=get, args=(port, SLOW % ("hold")))
        slow.start()
        try:
            deadline = time.monotonic() + 120
            while get(port, SHORT % (f"probe-{time.monotonic()}"))[0] != 503:  # until the worker is taken
                assert time.monotonic() < deadline
                if not slow.is_alive():  # refused while a probe held the worker (nothing may wait): again
                    slow = threading.Thread(target=get, args=(port, SLOW % (f"hold-{time.monotonic()}")))
                    slow.start()
                time.sleep(0.05)
            again = get(port, SHORT % ("again"))
            new = get(port, SHORT % ("new"))
        finally:
            slow.join(120)
    assert again[0] == 200 and again[2] == first[2]
    assert new[0] == 503


def _workers(server_pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return [pid for pid in found if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def _open_under(pid: int) -> set[str]:
    names = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            names.add(os.readlink(fd))
    return names


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the workers' open files in /proc")
@pytest.mark.parametrize("personal", [False, True])
def test_workers_open_the_store_without_personal_data_read_only(built, personal):
    options = ("--workers", "2") + (("--include-personal",) if personal else ())
    with serving(built, *options) as (port, proc):
        status, _, body = get(port, PERSONAL)
        workers = _workers(proc.pid)
        files = [_open_under(pid) for pid in workers]
    assert status == 200 and (b"true" in body) is personal
    assert len(workers) == 2
    wanted, other = (built / "all", built / "public") if personal else (built / "public", built / "all")
    for names in files:
        assert any(n.startswith(str(wanted.resolve()) + "/") and n.endswith(".sst") for n in names), names
        assert not any(n.startswith(str(other.resolve()) + "/") for n in names)
        assert not any("LOCK" in n for n in names)  # read-only: RocksDB takes no lock
