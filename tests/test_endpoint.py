"""The SPARQL endpoint on a real uvicorn server, with SPARQLWrapper as a real client."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import running_server

PREFIX = "PREFIX mou: <https://w3id.org/mou-graph/ontology#>\n"
# the 2022 MoU's signing date (the register holds many agreements)
MOU_2022 = "<https://w3id.org/mou-graph/id/mou/th-la-digital-2022>"
SIGNING = PREFIX + f"SELECT ?d WHERE {{ {MOU_2022} mou:signingDate ?d }}"
TIME_LIMIT = 2.0


@pytest.fixture(scope="session")
def server(store):
    from mou_graph.web.app import WebSettings, create_app

    web = WebSettings(query_timeout=TIME_LIMIT, max_concurrent_queries=3, max_results=50, max_query_length=5000)
    with running_server(create_app(store, web=web)) as url:
        yield url


def get(url, accept="*/*", data=None, ctype=None):
    headers = {"Accept": accept}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def q(server, query, **extra):
    return f"{server}/sparql?" + urllib.parse.urlencode({"query": query, **extra})


def test_sparqlwrapper_json_xml_csv_turtle(server):
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery(SIGNING)
    sw.setReturnFormat(JSON)
    doc = sw.query().convert()
    assert [b["d"]["value"] for b in doc["results"]["bindings"]] == ["2022-11-07"]
    sw.setReturnFormat(XML)
    xml = sw.query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["2022-11-07"]
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().split() == ["d", "2022-11-07"]
    sw.setQuery(PREFIX + f"CONSTRUCT {{ {MOU_2022} mou:signingDate ?d }} WHERE {{ {MOU_2022} mou:signingDate ?d }}")
    sw.setReturnFormat(TURTLE)
    graph = sw.query().convert()
    import rdflib

    g = rdflib.Graph().parse(data=graph, format="turtle")
    assert [str(o) for o in g.objects()] == ["2022-11-07"]


def test_get_post_form_post_direct_and_formats(server):
    for fmt, media in (("json", "sparql-results+json"), ("xml", "sparql-results+xml"), ("csv", "text/csv"),
                       ("tsv", "tab-separated-values")):
        status, headers, body = get(q(server, SIGNING), accept={"json": "application/sparql-results+json",
                                    "xml": "application/sparql-results+xml", "csv": "text/csv",
                                    "tsv": "text/tab-separated-values"}[fmt])
        assert status == 200 and media in headers["content-type"] and b"2022-11-07" in body
        assert headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in {k.lower() for k in headers}
    form = urllib.parse.urlencode({"query": SIGNING}).encode()
    assert get(f"{server}/sparql", data=form, ctype="application/x-www-form-urlencoded")[0] == 200
    status, _, body = get(f"{server}/sparql", data=SIGNING.encode(), ctype="application/sparql-query")
    assert status == 200 and b"2022-11-07" in body
    construct = PREFIX + "DESCRIBE <https://w3id.org/mou-graph/id/org/mdes>"
    for accept, marker in (("text/turtle", b"@prefix"), ("application/n-triples", b"<https://w3id.org"),
                           ("application/ld+json", b"@id"), ("application/rdf+xml", b"rdf:RDF")):
        status, headers, body = get(q(server, construct), accept=accept)
        assert status == 200 and accept in headers["content-type"] and marker in body and b"mdes" in body
    assert get(q(server, SIGNING), accept="image/png")[0] == 406
    status, headers, body = get(f"{server}/sparql", accept="text/turtle")
    assert status == 200 and b"<http://www.w3.org/ns/sparql-service-description#Service>" in body.replace(
        b"rdf:type", b"a")


def test_refusals_are_4xx_with_messages(server):
    status, _, body = get(q(server, "SELECT * WHERE { ?s ?p }"))
    assert status == 400 and b"line 1" in body
    update = "INSERT DATA { <http://a> <http://b> <http://c> }"
    assert get(q(server, update))[0] == 403
    assert get(f"{server}/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
               ctype="application/x-www-form-urlencoded")[0] == 403
    assert get(f"{server}/sparql", data=update.encode(), ctype="application/sparql-update")[0] == 403
    assert get(q(server, "SELECT * WHERE { ?s ?p ?o } # " + "x" * 6000))[0] == 413
    status, headers, body = get(q(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 200 and headers.get("x-sparql-maxrows") == "50"
    assert get(f"{server}/sparql", data=b"\xff", ctype="application/sparql-query")[0] == 400
    assert get(f"{server}/sparql", data=b"x", ctype="image/png")[0] == 415


def test_service_and_remote_from_make_no_connection(server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    seen = []

    def watch():
        end = time.time() + 3
        while time.time() < end:
            try:
                conn, _ = listener.accept()
                seen.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=watch)
    thread.start()
    attacks = [
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <http://127.0.0.1:{port}/x> WHERE {{ ?s ?p ?o }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> SELECT * FROM NAMED r:x WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ]
    for attack in attacks:
        status, _, body = get(q(server, attack))
        assert status == 403, (attack, body)
    # the engine decodes escapes inside strings and IRIs only: an escaped keyword is a syntax error
    status, _, body = get(q(server, f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
    assert status == 400, body
    status, _, _ = get(q(server, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": f"http://127.0.0.1:{port}/"}))
    assert status == 403
    thread.join()
    listener.close()
    assert seen == []
    # a SERVICE keyword inside a comment or a string is not a call
    status, _, _ = get(q(server, '# SERVICE <http://x/>\nSELECT ?x WHERE { BIND("SERVICE" AS ?x) }'))
    assert status == 200
    local = PREFIX + "SELECT ?d FROM <https://w3id.org/mou-graph/graph/data> WHERE { ?m mou:signingDate ?d }"
    assert b"2022-11-07" in get(q(server, local))[2]


def test_runaway_queries_stop_while_others_are_answered(server):
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    path = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x:p>|^!<urn:x:p>)* ?b . ?b (!<urn:x:p>|^!<urn:x:p>)+ ?c }"
    with ThreadPoolExecutor(2) as pool:
        slow = [pool.submit(get, q(server, text)) for text in (cartesian, path)]
        time.sleep(0.3)
        status, _, body = get(q(server, SIGNING))
        running_meanwhile = [not f.done() for f in slow]  # answered while the runaways still run
        results = [f.result() for f in slow]
    assert status == 200 and b"2022-11-07" in body
    assert running_meanwhile == [True, True]
    assert [r[0] for r in results] == [503, 503]
    assert all(b"time limit" in r[2] for r in results)  # stopped by the time limit, not by anything else
    # the replaced workers answer again
    deadline = time.time() + 30
    codes = []
    while time.time() < deadline:
        with ThreadPoolExecutor(3) as pool:
            codes = [f.result()[0] for f in [pool.submit(get, q(server, SIGNING)) for _ in range(3)]]
        if codes == [200, 200, 200]:
            break
        time.sleep(0.2)
    assert codes == [200, 200, 200]


def test_catalogue_api_and_query_page(server):
    import json

    status, _, body = get(f"{server}/api/queries?lang=en")
    entries = json.loads(body)
    assert status == 200 and len(entries) >= 20
    status, _, body = get(f"{server}/api/queries/status-on?lang=en&date=2028-01-01", accept="application/json")
    rows = json.loads(body)["results"]["bindings"]
    row = next(r for r in rows if r["mou"]["value"].endswith("/mou/th-la-digital-2022"))
    assert row["status"]["value"] == "in-extension"
    assert get(f"{server}/api/queries/status-on?date=nope")[0] == 400
    status, headers, body = get(f"{server}/query?lang=en", accept="text/html")
    assert status == 200 and b"query-0.2.1.js" in body and b"<script>" not in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert get(f"{server}/static/query-0.2.1.js")[0] == 200
