"""Shared fixtures and helpers: the repository's ROOT and the default BASE, the shipped graph loaded once
per session, the export fixture graph (:func:`load_fixture`, :func:`make_home`), a CLI runner in a real child
process (:func:`run_cli`, the ``cli`` fixture) and a real uvicorn server (:func:`running_server`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
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
# the validator's cache of query analyses (mou_graph/validation/qcache.py): one of the session's own,
# so that no test reads an answer an older checkout left, and nothing is written under HOME
os.environ.setdefault("MOU_GRAPH_CACHE", tempfile.mkdtemp(prefix="mou-graph-cache-"))


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


def _site_once(store, tmp_path_factory, name: str, langs: tuple[str, ...]) -> Path:
    """The static site of the shipped graph in ``langs``, built once for the whole run: under xdist every
    worker reads the folder the first one to ask built (in the run's shared temporary folder, under a lock).
    A build takes 20-40 s and half a dozen modules browse the same site; the tests only read it."""
    import fcntl

    from mou_graph.present.site import build_site

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # .../pytest-N/popen-gwK: the run's folder, shared by its workers
    out = base / f"shared-site-{name}"
    with open(base / f"shared-site-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").exists():
            build_site(store, out, langs=list(langs))  # it writes a temporary folder, then renames it
    return out


@pytest.fixture(scope="session")
def shipped_site(store, tmp_path_factory) -> Path:
    """The static site of the shipped graph in both interface languages, as ``mou-graph site -o DIR`` writes it."""
    from mou_graph.lang import INTERFACE_LANGUAGES

    return _site_once(store, tmp_path_factory, "all", INTERFACE_LANGUAGES)


@pytest.fixture(scope="session")
def shipped_site_en(store, tmp_path_factory) -> Path:
    """The static site of the shipped graph in English only (``--lang en``)."""
    return _site_once(store, tmp_path_factory, "en", ("en",))


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
    """Serve ``app`` with a real uvicorn server on 127.0.0.1 in a thread, on the protocol ``serve``
    uses (:func:`mou_graph.web.server.http_protocol`); yield its base URL."""
    import threading
    import time

    import uvicorn

    from mou_graph.web.server import http_protocol

    config.setdefault("http", http_protocol())
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


# every register question with parameters that give rows on the fixture (test_triplestore.py and
# test_virtuoso.py ask real servers the same and expect the same rows)
REGISTER_CASES = [
    ("status-on", {"date": d}) for d in ("2016-03-15", "2018-01-10", "2020-06-15", "2025-01-01", "2026-01-01")
] + [
    ("status-on", {"date": "2025-06-01", "only": "unknown"}),
    ("in-force-on", {"date": "2026-06-01"}),
    ("expiring", {"date": "2026-06-01", "within": "7"}),
    ("by-partner", {"country": "country/test-fixturia"}),
    ("by-area", {"area": "area/e-commerce"}),
    ("related", {"agreement": "mou/test-alpha-2022"}),
    ("related", {"agreement": "mou/test-alpha-2018"}),
    ("person-events", {"person": "person/test-person-a"}),
    ("person-events", {"person": "person/chaiwut-thanakamanusorn"}),
    ("claim-sources", {"subject": "mou/test-alpha-2022/event/signing", "property": "mou:date"}),
    ("claim-sources", {"subject": "mou/th-la-digital-2022", "property": "mou:signingDate"}),
    ("conflicts", {}),
]


# -- Chromium (Playwright), for the browser tests ------------------------------------------------

SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                                    reason="Debian's chromium is not installed (scripts/setup --test installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="th-TH")
    pg = context.new_page()
    pg.requests = []  # every URL the page asked for
    pg.problems = []  # console errors (a CSP violation is one)
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    yield pg
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def only_local(urls: list[str], allowed: tuple[str, ...]) -> list[str]:
    return [u for u in urls if not u.startswith(allowed) and not u.startswith(("data:", "about:"))]
