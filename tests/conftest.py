"""Shared fixtures and helpers: the repository's ROOT and the default BASE, the shipped graph loaded once
per session, the export fixture graph (:func:`load_fixture`, :func:`make_home`), a CLI runner in a real child
process (:func:`run_cli`, the ``cli`` fixture) and a real uvicorn server (:func:`running_server`)."""

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
FIXTURE = ROOT / "tests" / "fixtures" / "export"
SOURCE = ROOT / "data" / "source" / "thaigov-61364.th.txt"
# an RDF syntax by its export name, in rdflib's and in pyoxigraph's (RdfFormat) names
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
                 "nquads": "nquads"}
OX_FORMAT = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "trig": "TRIG",
             "nquads": "N_QUADS"}


@pytest.fixture(scope="session")
def store():
    from mou_graph import load_store

    return load_store()


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
    """Run ``python -m mou_graph`` in a real child process."""
    proc = subprocess.run(
        [sys.executable, "-m", "mou_graph", *args],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def cli():
    """:func:`run_cli` as a fixture (it keeps no state: any scope may use it)."""
    return run_cli


def load_fixture(root: Path = FIXTURE):  # a GraphStore
    """The export fixture graph, loaded file by file (the fixture has no source article)."""
    from mou_graph.config import Settings
    from mou_graph.store import GraphStore

    settings = Settings(root=root)
    store = GraphStore(settings)
    for graph, paths in settings.files().items():
        for path in paths:
            store.load_file(path, graph)
    return store


def tree(folder: Path) -> dict[str, bytes]:
    """Relative path (with /) -> bytes of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_home(target: Path, fixture: Path = FIXTURE) -> Path:
    """A --home folder for the CLI: the fixture's ontology/ and data/ plus the checked source."""
    import shutil

    shutil.copytree(fixture / "ontology", target / "ontology")
    shutil.copytree(fixture / "data", target / "data")
    (target / "data" / "source").mkdir()
    shutil.copy(SOURCE, target / "data" / "source" / SOURCE.name)
    return target


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
