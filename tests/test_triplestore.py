"""A real Oxigraph server (the `oxigraph` package's binary) on 127.0.0.1: push the graph,
then every catalogue question gives the same rows there as on the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mou_graph.catalogue import load_catalogue
from mou_graph.push import push_store
from mou_graph.query import run_local, run_remote

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


def test_push_falls_back_to_sparql_update_and_keeps_personal_data_out(store, oxigraph_server):
    graph = "https://example.org/test/one-graph"
    pushed = push_store(store, gsp=f"{oxigraph_server}/no-such-path", update=f"{oxigraph_server}/update",
                        graph=graph)
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
