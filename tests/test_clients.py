"""Real SPARQL clients against a real uvicorn server on 127.0.0.1 (issue 10, item 8).

Every query form with every return format SPARQLWrapper offers, with its default settings
(it sends ``format``/``output``/``results`` parameters besides ``Accept``) and with
``setOnlyConneg(True)``; rdflib's SPARQLStore with each of its result formats. Each answer
is parsed by what its Content-Type says and compared with the embedded store's.

Apache Jena's ``rsparql`` runs from Debian's ``libapache-jena-java`` through ``scripts/rsparql``
(which supplies the message files Debian's build leaves where its classes do not look).
"""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest

from .conftest import ROOT, running_server

MOU = "PREFIX mou: <https://w3id.org/mou-graph/ontology#>\n"
ORG = "https://w3id.org/mou-graph/id/org/mdes"
QUERIES = {
    "SELECT": MOU + "SELECT ?m ?d ?t WHERE { ?m mou:signingDate ?d OPTIONAL { ?m a ?t } }",
    "ASK": MOU + "ASK { ?m mou:signingDate ?d }",
    "CONSTRUCT": MOU + "CONSTRUCT { ?m mou:signingDate ?d ; a ?t } WHERE { ?m mou:signingDate ?d ; a ?t }",
    "DESCRIBE": f"DESCRIBE <{ORG}>",
}


@pytest.fixture(scope="module")
def endpoint(store):
    from mou_graph.web.app import WebSettings, create_app

    web = WebSettings(query_timeout=10.0, max_concurrent_queries=2)
    with running_server(create_app(store, web=web)) as url:
        yield f"{url}/sparql"


@pytest.fixture(scope="module")
def expected(store):
    """The embedded store's answers: (kind, value) per form."""
    from mou_graph.query.run import run_local

    out = {}
    for form, text in QUERIES.items():
        r = run_local(store, text)
        if form == "ASK":
            out[form] = r.boolean
        elif form == "SELECT":
            out[form] = _rows(r.variables, r.rows)
        else:
            out[form] = {str(t) for t in r.triples}
    assert out["ASK"] is True and len(out["SELECT"]) >= 1 and out["CONSTRUCT"] and len(out["DESCRIBE"]) > 3
    return out


def _rows(variables, rows):
    return sorted(tuple(str(r[v]) if r.get(v) is not None else "" for v in variables) for r in rows)


def _parse(content_type: str, body: bytes):
    """(kind, value) of an answer, read as its Content-Type says."""
    import pyoxigraph as ox

    media = content_type.split(";")[0].strip()
    results = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}
    graphs = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
              "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}
    if media == "text/csv":  # lossy: plain strings
        table = list(csv.reader(io.StringIO(body.decode(), newline="")))
        if table[0] == ["_askResult"]:
            return "boolean", table[1][0] == "true"
        return "csv", sorted(tuple(row) for row in table[1:])
    if media in results:
        parsed = ox.parse_query_results(body, format=results[media])
        if isinstance(parsed, ox.QueryBoolean):
            return "boolean", bool(parsed)
        variables = [v.value for v in parsed.variables]
        if variables == ["_askResult"]:  # ASK in TSV
            return "boolean", [str(s[0]) for s in parsed] == ['"true"^^<http://www.w3.org/2001/XMLSchema#boolean>']
        return "rows", _rows(variables, [{v: s[v] for v in variables if s[v] is not None} for s in parsed])
    assert media in graphs, content_type
    return "triples", {str(q.triple) for q in ox.parse(body, format=graphs[media])}


def _check(form, kind, value, expected, store):
    want = expected[form]
    if form == "ASK":
        assert kind == "boolean" and value is want
    elif form == "SELECT":
        if kind == "csv":
            from mou_graph.query.run import run_local

            r = run_local(store, QUERIES[form])
            want = sorted(tuple(r_[v].value if v in r_ else "" for v in r.variables) for r_ in r.rows)
        else:
            assert kind == "rows"
        assert value == want
    else:
        assert kind == "triples" and value == want


SW_FORMATS = ("json", "xml", "turtle", "n3", "rdf", "rdf+xml", "csv", "tsv", "json-ld")


@pytest.mark.parametrize("only_conneg", [False, True], ids=["defaults", "onlyConneg"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_every_form_and_format(endpoint, expected, store, only_conneg, method):
    from SPARQLWrapper import SPARQLWrapper

    failures = []
    for form, text in QUERIES.items():
        for fmt in SW_FORMATS:
            sw = SPARQLWrapper(endpoint)
            sw.setQuery(text)
            sw.setReturnFormat(fmt)
            sw.setMethod(method)
            sw.setOnlyConneg(only_conneg)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # "Sending Accept header '*/*'" etc.
                try:
                    result = sw.query()
                    content_type = result.info()["content-type"]
                    body = result.response.read()
                    converted = sw.query().convert()  # SPARQLWrapper's own reading of a second answer
                except Exception as err:  # noqa: BLE001 - collected, reported together below
                    failures.append((form, fmt, repr(err)[:200]))
                    continue
            assert converted is not None
            kind, value = _parse(content_type, body)
            try:
                _check(form, kind, value, expected, store)
            except AssertionError:
                failures.append((form, fmt, content_type, "answer differs from the embedded store's"))
    assert failures == []


@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore(endpoint, expected, store, return_format):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat=return_format))
    for form, text in QUERIES.items():
        result = graph.query(text)
        if form == "ASK" and result.askAnswer is None:  # rdflib reads a CSV/TSV ASK as one column, one row
            assert [str(row[0]) for row in result] == [str(expected["ASK"]).lower()], return_format
        elif form == "ASK":
            assert result.askAnswer is expected["ASK"]
        elif form == "SELECT":
            rows = sorted(tuple(_n3(t) for t in row) for row in result)
            if return_format == "csv":
                from mou_graph.query.run import run_local

                r = run_local(store, text)
                want = sorted(tuple(x[v].value if v in x else "" for v in r.variables) for x in r.rows)
                rows = sorted(tuple("" if t is None else str(t) for t in row) for row in result)
                assert rows == want
            else:
                assert rows == expected["SELECT"]
        else:
            triples = {" ".join(t.n3() for t in triple) + " ." for triple in result.graph}
            want = {t + " ." if not t.endswith(" .") else t for t in expected[form]}
            assert {_canon(t) for t in triples} == {_canon(t) for t in want}


def _n3(term):
    if term is None:
        return ""
    import rdflib

    if isinstance(term, rdflib.Literal) and term.datatype is None and term.language is None:
        return json.dumps(str(term), ensure_ascii=False)
    return term.n3()


def _canon(line: str) -> str:
    """One N-Triples line as pyoxigraph writes it (for comparing rdflib's terms with ours)."""
    import pyoxigraph as ox

    (quad,) = list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))
    return str(quad.triple)


RSPARQL = ROOT / "scripts" / "rsparql"


@pytest.mark.parametrize("post", [False, True], ids=["GET", "POST"])
def test_jena_rsparql(endpoint, expected, store, tmp_path, post):
    import subprocess

    outputs = {"SELECT": ("json", "xml", "tsv", "csv"), "ASK": ("json", "xml", "tsv"),
               "CONSTRUCT": ("nt",), "DESCRIBE": ("nt",)}
    media = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
             "tsv": "text/tab-separated-values", "csv": "text/csv", "nt": "application/n-triples"}
    for form, text in QUERIES.items():
        rq = tmp_path / f"{form}.rq"
        rq.write_text(text, encoding="utf-8")
        for results in outputs[form]:
            run = subprocess.run([str(RSPARQL), "--service", endpoint, "--query", str(rq), "--results", results,
                                  *(["--post"] if post else [])], capture_output=True, timeout=120, check=False)
            assert run.returncode == 0, (form, results, run.stderr.decode()[-2000:])
            body = run.stdout
            if form == "ASK" and results == "tsv":  # Jena writes an ASK in TSV as ?_askResult
                assert body.split() == [b"?_askResult", b"true"]
                continue
            kind, value = _parse(media[results], body)
            _check(form, kind, value, expected, store)
