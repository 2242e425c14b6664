"""Shared fixtures: the shipped graph loaded once per session, and a CLI runner."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/mou-graph/id/"


@pytest.fixture(scope="session")
def store():
    from mou_graph import load_store

    return load_store()


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli():
    """Run ``python -m mou_graph`` in a real child process."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "mou_graph", *args],
            capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout,
            env={**os.environ, **(env or {})},
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(app, **config):
    """Serve ``app`` with a real uvicorn server on 127.0.0.1 in a thread; yield its base URL."""
    import threading
    import time

    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


REGISTER_FIXTURE = ROOT / "tests" / "fixtures" / "register"


def load_register_store():
    """The shipped graph plus the made-up register of ``tests/fixtures/register`` (test fixtures,
    not facts) in the data graph; the fixture's labels of ontology 0.2 terms only where the
    shipped ontology does not define the term yet."""
    import pyoxigraph

    from mou_graph import load_store

    store = load_store()
    for name in ("entities.ttl", "register.ttl"):
        store.load_file(REGISTER_FIXTURE / name, "data")
    defined = store.ask("ASK { <https://w3id.org/mou-graph/ontology#Signing> "
                        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    if not defined:
        store.load_file(REGISTER_FIXTURE / "terms.ttl", "ontology")
    assert isinstance(store.store, pyoxigraph.Store)
    return store


@pytest.fixture(scope="session")
def register_store():
    return load_register_store()
