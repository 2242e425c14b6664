"""The endpoint's dataset and protocol details, on a real uvicorn server (issue 10, items 6, 7, 9).

Expected answers are computed from the store directly (quads counted, literals collected),
never from the endpoint's own code path.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import BASE, ROOT, running_server

GRAPH = "https://w3id.org/mou-graph/graph/"
SCHEMA = "PREFIX schema: <https://schema.org/>\n"


def _app(store, **extra):
    from mou_graph.web.app import WebSettings, create_app

    web = WebSettings(query_timeout=10.0, max_concurrent_queries=1, max_results=100_000, extra=extra)
    return create_app(store, web=web)


@pytest.fixture(scope="module")
def server(store):
    with running_server(_app(store, public_url="https://mou.example.go.th")) as url:
        yield url


@pytest.fixture(scope="module")
def personal_server(store):
    with running_server(_app(store, include_personal=True)) as url:
        yield url


def get(url, accept="*/*", headers=None):
    req = urllib.request.Request(url, headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def sparql(server, query, accept="application/sparql-results+json", **params):
    pairs = [("query", query)] + [(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)]
    return get(f"{server}/sparql?" + urllib.parse.urlencode([(k.replace("_", "-"), v) for k, v in pairs]), accept)


# -- item 6: no personal data unless `serve --include-personal` ------------------------

@pytest.fixture(scope="module")
def secrets(store):
    """The contact persons' IRIs and the names and numbers that only the personal graph holds
    (read from the store's quads, not through any filter of the project)."""
    public = {q.object.value for q in store.quads() if q.graph_name.value != GRAPH + "personal"}
    personal = [q for q in store.quads(["personal"])]
    found = {q.object.value for q in personal
             if q.predicate.value in ("https://schema.org/telephone", "https://schema.org/givenName",
                                      "https://schema.org/familyName", "http://www.w3.org/2000/01/rdf-schema#label")}
    found -= public
    found |= {q.subject.value for q in personal if q.subject.value.startswith(BASE + "contact/")}
    assert len([s for s in found if s[:1].isdigit()]) >= 5  # five telephone numbers
    return sorted(found)


def _probes(store):
    personal = GRAPH + "personal"
    contact = next(q.subject.value for q in store.quads(["personal"]) if "/contact/" in q.subject.value)
    everything = "SELECT * WHERE { ?s ?p ?o }"
    return [
        (everything, {}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        (f"SELECT * FROM NAMED <{personal}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        (f"SELECT * FROM <{personal}> WHERE {{ ?s ?p ?o }}", {}),
        (everything, {"default_graph_uri": personal}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named_graph_uri": personal}),
        (SCHEMA + "SELECT ?t WHERE { ?c schema:telephone ?t }", {}),
        ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        (f"DESCRIBE <{contact}>", {}),
        (f"CONSTRUCT WHERE {{ <{contact}> ?p ?o }}", {}),
    ]


def _leaks(body: bytes, secrets: list[str]) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [s for s in secrets if s in text or json.dumps(s)[1:-1] in text]


def test_endpoint_serves_no_personal_data_by_default(server, store, secrets):
    for query, params in _probes(store):
        for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                       "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json",
                       "application/rdf+xml"):
            status, _, body = sparql(server, query, accept, **params)
            assert status in (200, 403, 406), (query, status, body[:300])
            assert _leaks(body, secrets) == [], (query, params, accept)
    ask = SCHEMA + "ASK { ?c schema:telephone ?t }"
    assert json.loads(sparql(server, ask)[2])["boolean"] is False
    assert json.loads(sparql(server, "ASK { GRAPH ?g { ?s a <https://w3id.org/mou-graph/ontology#ContactPerson> } }")[2]
                      )["boolean"] is False


def test_catalogue_questions_serve_no_personal_data(server, secrets):
    entries = json.loads(get(f"{server}/api/queries?lang=en")[2])
    assert entries
    for entry in entries:
        params = {p["name"]: p["example"] for p in entry.get("params", []) if p.get("example")}
        for lang in ("th", "en"):
            url = f"{server}/api/queries/{entry['name']}?" + urllib.parse.urlencode({**params, "lang": lang})
            status, _, body = get(url, accept="application/sparql-results+json, text/turtle")
            assert status == 200, (entry["name"], body[:300])
            assert _leaks(body, secrets) == [], entry["name"]
    for secret in secrets:
        if not secret.startswith("http"):
            for text in (secret, secret[:4]):
                url = f"{server}/api/queries/search?" + urllib.parse.urlencode({"text": text, "lang": "en"})
                status, _, body = get(url, accept="application/sparql-results+json")
                assert status == 200 and _leaks(body, secrets) == [], text


def test_include_personal_serves_them(personal_server, store, secrets):
    seen: set[str] = set()
    for query, params in _probes(store):
        status, _, body = sparql(personal_server, query, "application/sparql-results+json, text/turtle", **params)
        assert status == 200, (query, body[:300])
        seen |= set(_leaks(body, secrets))
    assert seen == set(secrets)
    assert json.loads(sparql(personal_server, SCHEMA + "ASK { ?c schema:telephone ?t }")[2])["boolean"] is True


# -- item 7: FROM, FROM NAMED and the protocol's dataset ---------------------------------

def _distinct(quads) -> int:
    return len({(q.subject, q.predicate, q.object) for q in quads})


def _count(server, query, **params) -> int:
    status, _, body = sparql(server, query, **params)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


COUNT = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


def test_from_and_from_named_are_honoured(server, store):
    from mou_graph.publish.export import export_quads

    served = export_quads(store)
    data, onto = GRAPH + "data", GRAPH + "ontology"
    n_data = _distinct(q for q in served if q.graph_name.value == data)
    n_onto = _distinct(q for q in served if q.graph_name.value == onto)
    n_both = _distinct(q for q in served if q.graph_name.value in (data, onto))
    n_all = _distinct(served)
    assert 0 < n_data < n_both < n_all
    assert _count(server, COUNT.format(dataset="")) == n_all
    assert _count(server, COUNT.format(dataset=f"FROM <{data}>")) == n_data
    assert _count(server, COUNT.format(dataset=f"FROM <{data}> FROM <{onto}>")) == n_both
    assert _count(server, COUNT_NAMED.format(dataset=f"FROM NAMED <{data}>")) == n_data
    assert _count(server, COUNT.format(dataset=f"FROM NAMED <{data}>")) == 0  # an empty default graph
    # the protocol's dataset replaces the query's, and holds only the graphs it names
    assert _count(server, COUNT.format(dataset=f"FROM <{onto}>"), default_graph_uri=data) == n_data
    assert _count(server, COUNT.format(dataset=""), default_graph_uri=[data, onto]) == n_both
    assert _count(server, COUNT_NAMED.format(dataset=""), default_graph_uri=data) == 0
    assert _count(server, COUNT_NAMED.format(dataset=""), named_graph_uri=onto) == n_onto
    assert _count(server, COUNT.format(dataset=""), named_graph_uri=onto) == 0


def test_cli_query_against_the_endpoint_names_five_graphs_and_gets_the_public_ones(cli, server, store):
    from mou_graph.publish.export import export_quads

    run = cli("query", "-e", COUNT.format(dataset=""), "--endpoint", f"{server}/sparql", "--format", "json")
    assert run.code == 0, run.err
    assert int(json.loads(run.out)["results"]["bindings"][0]["n"]["value"]) == _distinct(export_quads(store))


def test_cli_query_honours_from(cli, store):
    data, onto = GRAPH + "data", GRAPH + "ontology"
    n_data = _distinct(store.quads(["data"]))
    n_both = _distinct(list(store.quads(["data"])) + list(store.quads(["ontology"])))
    n_all = _distinct(store.quads())
    for dataset, expected in (("", n_all), (f"FROM <{data}>", n_data), (f"FROM <{data}> FROM <{onto}>", n_both)):
        run = cli("query", "-e", COUNT.format(dataset=dataset), "--format", "json")
        assert run.code == 0, run.err
        assert int(json.loads(run.out)["results"]["bindings"][0]["n"]["value"]) == expected, dataset
    run = cli("query", "-e", COUNT_NAMED.format(dataset=f"FROM NAMED <{data}>"), "--format", "json")
    assert int(json.loads(run.out)["results"]["bindings"][0]["n"]["value"]) == n_data


# -- item 9: smaller protocol faults ---------------------------------------------------------

def test_tsv_ask_header_has_its_question_mark(server):
    import rdflib

    status, headers, body = sparql(server, "ASK { ?s ?p ?o }", "text/tab-separated-values")
    assert status == 200 and body == b"?_askResult\ntrue\n"
    status, _, body = sparql(server, "SELECT ?x WHERE { BIND(1 AS ?x) }", "text/tab-separated-values")
    assert body.splitlines()[0] == b"?x"
    parsed = rdflib.query.Result.parse(io.BytesIO(body), format="tsv")
    assert [str(r[0]) for r in parsed] == ["1"]


def test_xml_results_keep_a_carriage_return(server):
    import pyoxigraph as ox

    query = 'SELECT ?x ?y WHERE { BIND("a\\rb\\r\\nc" AS ?x) BIND(STRLANG("d\\re", "th") AS ?y) }'
    status, _, body = sparql(server, query, "application/sparql-results+xml")
    assert status == 200 and b"&#13;" in body
    (row,) = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))
    assert row["x"].value == "a\rb\r\nc" and row["y"].value == "d\re"
    from xml.dom import minidom

    texts = [n.firstChild.data for n in minidom.parseString(body).getElementsByTagName("literal")]
    assert texts == ["a\rb\r\nc", "d\re"]


def test_csv_writes_blank_nodes_as_blank_nodes(server):
    status, _, body = sparql(server, "SELECT ?b ?i WHERE { BIND(BNODE() AS ?b) BIND(<http://ex/i> AS ?i) }",
                             "text/csv")
    (header, row) = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert header == ["b", "i"] and row[0].startswith("_:") and len(row[0]) > 2 and row[1] == "http://ex/i"


def test_service_description_negotiates_and_names_the_public_url(server):
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode("https://mou.example.go.th/sparql")
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                        ("application/ld+json", ox.RdfFormat.JSON_LD),
                        ("application/n-triples", ox.RdfFormat.N_TRIPLES), ("*/*", ox.RdfFormat.TURTLE)):
        status, headers, body = get(f"{server}/sparql", accept, headers={"Host": "evil.example:666"})
        assert status == 200 and headers["content-type"].startswith(fmt.media_type), accept
        assert b"evil.example" not in body
        triples = {(t.subject, t.predicate, t.object) for t in ox.parse(body, format=fmt)}
        assert (endpoint, ox.NamedNode(sd + "endpoint"), endpoint) in triples
        assert (endpoint, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(sd + "Service")) in triples
    assert get(f"{server}/sparql", "image/png")[0] == 406


def test_relative_iri_gets_a_message_that_says_so(server, cli):
    for query in ("SELECT * WHERE { <s> ?p ?o }", "SELECT * FROM <g> WHERE { ?s ?p ?o }",
                  "CONSTRUCT { ?s <p> ?o } WHERE { ?s ?p ?o }"):
        status, _, body = sparql(server, query, "*/*")
        text = body.decode()
        assert status == 400 and "relative IRI" in text and "BASE" in text and "สัมพัทธ์" in text, text
        assert "expected" not in text
        run = cli("query", "-e", query)
        assert run.code == 2 and "relative IRI" in run.err and "สัมพัทธ์" in run.err, run.err
    # with a BASE it runs
    assert sparql(server, "BASE <http://ex/> SELECT * WHERE { <s> ?p ?o }")[0] == 200
    # another syntax error keeps the parser's message
    status, _, body = sparql(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"relative" not in body


def test_csv_and_tsv_are_the_same_bytes_from_the_cli_and_http(server):
    query = ("PREFIX mou: <https://w3id.org/mou-graph/ontology#>\n"
             "SELECT ?m ?d ?b WHERE { ?m mou:signingDate ?d BIND(\"x,\\\"y\\\"\\nz\" AS ?b) } ORDER BY ?m")
    for fmt, accept in (("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        status, _, body = sparql(server, query, accept)
        assert status == 200
        run = subprocess.run([sys.executable, "-m", "mou_graph", "query", "-e", query, "--format", fmt],
                             capture_output=True, cwd=ROOT, timeout=300, check=False)  # bytes: no newline translation
        assert run.returncode == 0 and run.stdout == body, fmt
    lines = sparql(server, query, "text/csv")[2].split(b"\r\n")
    assert lines[0] == b"m,d,b" and lines[-1] == b"" and len(lines) > 2


@pytest.mark.parametrize("include", [False, True], ids=["default", "include-personal"])
def test_serve_flags(secrets, include):
    """`mou-graph serve` itself: --public-url names the endpoint, --include-personal opts in."""
    import time

    from .conftest import free_port

    port = free_port()
    args = [sys.executable, "-m", "mou_graph", "serve", "--port", str(port), "--workers", "1",
            "--log-level", "warning", "--public-url", "https://mou.example.go.th/"]
    proc = subprocess.Popen(args + (["--include-personal"] if include else []), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _, body = get(f"{url}/sparql", "application/n-triples")
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
                time.sleep(0.3)
        assert status == 200 and b"<https://mou.example.go.th/sparql>" in body
        status, _, body = sparql(url, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert status == 200 and bool(_leaks(body, secrets)) is include
    finally:
        proc.terminate()
        proc.wait(30)
