"""A real Oxigraph server (the `oxigraph` package's binary) on 127.0.0.1: push the graph,
then every catalogue question gives the same rows there as on the embedded store."""

from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mou_graph.errors import UsageError
from mou_graph.publish.personal import public_triples
from mou_graph.publish.push import push_store
from mou_graph.query.catalogue import load_catalogue
from mou_graph.query.run import run_local, run_remote

from .conftest import REGISTER_CASES

BIN = Path(sys.executable).parent / "oxigraph"


@pytest.fixture(scope="module")
def oxigraph_server():
    binary = str(BIN) if BIN.exists() else shutil.which("oxigraph")
    if not binary:
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]'")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "30"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode())
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


def test_push_then_every_question_matches_the_embedded_store(store, oxigraph_server, cli):
    pushed = push_store(store, gsp=f"{oxigraph_server}/store", update=None, include_personal=True)
    assert {r.method for r in pushed} == {"gsp-put"}
    assert sum(r.triples for r in pushed) == len(list(store.quads()))
    graphs = [store.settings.graph_iri(g) for g in ("ontology", "areas", "data", "personal", "evidence")]
    catalogue = load_catalogue()
    compared = 0
    for entry in catalogue:
        params = {p.name: p.example for p in entry.params}
        for lang in ("th", "en"):
            bound = entry.bind(params, lang, base=store.settings.base)
            here = run_local(store, entry.text, bound)
            there = run_remote(f"{oxigraph_server}/query", entry.text, bound, timeout=20, graphs=graphs)
            assert here.keys() == there.keys(), (entry.name, lang)
            compared += 1
    assert compared == 2 * len(catalogue)
    # the command line, through SPARQLWrapper, gives the embedded answer too
    remote = cli("query", "status-on", "--param", "date=2027-11-07", "--lang", "en", "--format", "csv",
                 "--endpoint", f"{oxigraph_server}/query", "--timeout", "10")
    local = cli("query", "status-on", "--param", "date=2027-11-07", "--lang", "en", "--format", "csv")
    assert remote.code == 0, remote.err
    assert remote.out == local.out and "in-extension" in remote.out


def test_the_register_questions_give_the_embedded_rows_on_the_server(register_store, oxigraph_server):
    """The questions across agreements, on the shipped graph plus the made-up register."""
    push_store(register_store, gsp=f"{oxigraph_server}/store", update=None, include_personal=True)
    graphs = [register_store.settings.graph_iri(g) for g in ("ontology", "areas", "data", "personal", "evidence")]
    catalogue = load_catalogue()
    for name, params in REGISTER_CASES:
        entry = catalogue.get(name)
        for lang in ("th", "en"):
            bound = entry.bind(params, lang, base=register_store.settings.base)
            here = run_local(register_store, entry.text, bound)
            there = run_remote(f"{oxigraph_server}/query", entry.text, bound, timeout=20, graphs=graphs)
            assert here.rows and here.keys() == there.keys(), (name, params, lang)


def test_push_falls_back_to_sparql_update_and_keeps_personal_data_out(store, oxigraph_server):
    graph = "https://example.org/test/one-graph"
    pushed = push_store(store, gsp=f"{oxigraph_server}/no-such-path", update=f"{oxigraph_server}/update",
                        graph=graph, query=f"{oxigraph_server}/query")
    assert [r.method for r in pushed] == ["update"]
    count = run_remote(f"{oxigraph_server}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graphs=[graph])
    assert int(count.rows[0]["n"].value) == pushed[0].triples
    personal = run_remote(f"{oxigraph_server}/query",
                          "ASK { ?x <https://w3id.org/mou-graph/ontology#personalData> true }", graphs=[graph])
    assert personal.boolean is False


def test_unreachable_endpoint_is_a_clear_error(cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = cli("query", "parties", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3")
    assert run.code == 2 and "cannot reach the endpoint" in run.err


# -- all or nothing --------------------------------------------------------------------------

OLD = "https://example.org/test/old#"


def _request(url: str, data: bytes | None = None, method: str = "GET", headers: dict | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _seed(server: str, store) -> bytes:
    """Empty the server, give each of the five graphs one old triple, and return the whole
    dataset as the server writes it (N-Quads)."""
    _request(f"{server}/update", b"update=DROP%20ALL", "POST", {"Content-Type": "application/x-www-form-urlencoded"})
    for name in ("ontology", "areas", "data", "personal", "evidence"):
        body = f"<{OLD}{name}> <{OLD}was> \"old {name}\" .\n".encode()
        _request(f"{server}/store?graph={store.settings.graph_iri(name)}", body, "PUT",
                 {"Content-Type": "application/n-triples"})
    return _dataset(server)


def _dataset(server: str) -> bytes:
    return _request(f"{server}/store", headers={"Accept": "application/n-quads"})


@contextlib.contextmanager
def refusing_proxy(target: str, refuse):
    """A real HTTP server on 127.0.0.1 that passes requests on to ``target`` and answers 500
    instead to the write requests (PUT, POST, DELETE) for which ``refuse(number, method, body)``
    is true; ``number`` counts the writes from 1."""
    writes = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _pass_on(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if self.command != "GET" else None
            if self.command != "GET":
                writes.append((self.command, body))
                if refuse(len(writes), self.command, body or b""):
                    self.send_response(500)
                    self.send_header("Content-Length", "7")
                    self.end_headers()
                    self.wfile.write(b"refused")
                    return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            try:
                with urllib.request.urlopen(urllib.request.Request(target + self.path, data=body, method=self.command,
                                                                   headers=headers), timeout=30) as response:
                    status, kind, answer = response.status, response.headers.get("Content-Type", ""), response.read()
            except urllib.error.HTTPError as err:
                status, kind, answer = err.code, err.headers.get("Content-Type", ""), err.read()
            self.send_response(status)
            self.send_header("Content-Type", kind or "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_PUT = do_POST = do_DELETE = _pass_on

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", writes
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("refuse", [
    pytest.param(lambda n, method, body: n == 3, id="the third write (a staging batch)"),
    pytest.param(lambda n, method, body: b"MOVE" in body, id="the swap"),
])
def test_a_push_refused_part_way_leaves_the_server_as_it_was(store, oxigraph_server, refuse):
    before = _seed(oxigraph_server, store)
    with refusing_proxy(oxigraph_server, refuse) as (proxy, writes), pytest.raises(UsageError) as failed:
        push_store(store, gsp=f"{proxy}/store", update=f"{proxy}/update")
    assert len(writes) >= 3  # the refusal came part-way, not at the first request
    assert "not changed" in str(failed.value)
    assert _dataset(oxigraph_server) == before  # byte for byte, and no staging graph left behind


def test_a_push_through_sparql_update_in_batches_refused_part_way_changes_nothing(store, oxigraph_server):
    before = _seed(oxigraph_server, store)
    with refusing_proxy(oxigraph_server, lambda n, method, body: n == 4) as (proxy, writes), \
            pytest.raises(UsageError):
        push_store(store, gsp=None, update=f"{proxy}/update", query=f"{oxigraph_server}/query", batch=300)
    assert len(writes) >= 4
    assert _dataset(oxigraph_server) == before


def test_a_graph_store_only_push_says_exactly_which_graphs_changed(store, oxigraph_server):
    _seed(oxigraph_server, store)
    with refusing_proxy(oxigraph_server, lambda n, method, body: n == 3) as (proxy, _), \
            pytest.raises(UsageError) as failed:
        push_store(store, gsp=f"{proxy}/store", update=None)
    graphs = [store.settings.graph_iri(g) for g in ("ontology", "areas", "data", "evidence", "personal")]
    assert failed.value.changed == graphs[:2]
    assert failed.value.unchanged == graphs[2:]
    assert f"<{graphs[0]}>" in str(failed.value) and "not changed" in str(failed.value)


def test_a_push_without_personal_data_removes_the_personal_graph_a_previous_push_left(store, oxigraph_server, cli):
    _seed(oxigraph_server, store)
    personal = store.settings.graph_iri("personal")
    run = cli("push", "--endpoint", f"{oxigraph_server}/store", "--update", f"{oxigraph_server}/update",
              "--include-personal", "--lang", "en")
    assert run.code == 0, run.err
    assert _request(f"{oxigraph_server}/store?graph={personal}", headers={"Accept": "application/n-triples"})
    run = cli("push", "--endpoint", f"{oxigraph_server}/store", "--update", f"{oxigraph_server}/update",
              "--lang", "en")
    assert run.code == 0, run.err
    assert f"<{personal}>: dropped" in run.err
    held = run_remote(f"{oxigraph_server}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graphs=[personal])
    assert int(held.rows[0]["n"].value) == 0
    assert b"urn:mou-graph:staging" not in _dataset(oxigraph_server)
    for name in ("ontology", "areas", "data", "evidence"):
        held = run_remote(f"{oxigraph_server}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                          graphs=[store.settings.graph_iri(name)])
        assert int(held.rows[0]["n"].value) == len(public_triples(store, [name])), name
