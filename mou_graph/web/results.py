"""Running one query in a worker and serialising its answer, with a cap on the size.

The endpoint's formats: SPARQL results in JSON, XML, CSV and TSV for SELECT and ASK
(written by :func:`mou_graph.query.run.result_chunks`, the CLI's writer too); Turtle,
N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE (the exports' serialiser).
The dataset is chosen by :func:`mou_graph.query.run.evaluate`, as for ``mou-graph query``.

>>> import pyoxigraph as ox
>>> s = ox.Store()
>>> a = execute(s, query="SELECT ?x WHERE { VALUES ?x { 1 2 3 } }", fmt="csv", max_results=2)
>>> a.status, a.body, a.headers
(200, b'x\\r\\n1\\r\\n2\\r\\n', {'X-SPARQL-MaxRows': '2'})
>>> s.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c\\r")))
>>> execute(s, query="CONSTRUCT WHERE { ?s ?p ?o }", fmt="rdfxml", max_results=9).body.count(b"&#13;")
1
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from mou_graph.config import DEFAULT_BASE
from mou_graph.io.sparqltext import SERVICE_FAILED
from mou_graph.publish.export import RDF_FORMATS, serialize_triples
from mou_graph.query.run import Results, evaluate, query_error, write_results

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "Answer", "execute", "format_name"]


@dataclass(frozen=True)
class Answer:
    """An HTTP answer of the endpoint: made here by :func:`execute`, carried by :mod:`mou_graph.web.pool`."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str]
    chunks: AsyncIterator[bytes] | None = field(default=None, compare=False)  # the body, when it streams

# format -> media type
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {name: RDF_FORMATS[name][1] for name in ("turtle", "nt", "jsonld", "rdfxml")}

# values of a ``format`` / ``output`` / ``results`` parameter -> (for SELECT/ASK, for CONSTRUCT/DESCRIBE):
# our own names, SPARQLWrapper's (json, xml, turtle, n3, rdf, rdf+xml, json-ld, csv, tsv) and media types
_PARAM_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"), "nt": (None, "nt"),
    "ntriples": (None, "nt"), "n-triples": (None, "nt"), "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdf": (None, "rdfxml"), "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"),
    "application/json": ("json", "jsonld"), "application/xml": ("xml", "rdfxml"), "text/xml": ("xml", "rdfxml"),
    "text/n3": (None, "turtle"), "application/x-turtle": (None, "turtle"), "application/turtle": (None, "turtle"),
    **{media: (name, None) for name, media in RESULT_TYPES.items()},
    **{media: (None, name) for name, media in GRAPH_TYPES.items()},
}


def format_name(value: str, form: str) -> str | None:
    """The endpoint's format for a ``format`` parameter's ``value`` and a query ``form``:
    None when the value names no format of that form (the caller then negotiates). Raises
    ValueError for a value that names no format at all.

    >>> format_name("json", "SELECT"), format_name("json", "CONSTRUCT"), format_name("n3", "DESCRIBE")
    ('json', 'jsonld', 'turtle')
    >>> format_name("rdf+xml", "ASK") is None, format_name("application/ld+json,application/x-json+ld", "DESCRIBE")
    (True, 'jsonld')
    """
    keys = [part.split(";")[0].strip().lower() for part in value.split(",")]  # a name, or media types
    known = [_PARAM_NAMES[k] for k in keys if k in _PARAM_NAMES]
    if not known:
        raise ValueError(value)
    side = 1 if form in ("CONSTRUCT", "DESCRIBE") else 0
    return next((names[side] for names in known if names[side]), None)


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", message.encode(), {})


def execute(store: Any, *, query: str, fmt: str, max_results: int, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, base: str = DEFAULT_BASE) -> Answer:
    """Run ``query`` on a pyoxigraph store and serialise the answer in ``fmt``: the query's own
    dataset, replaced by the protocol's when given, and by default the union of the named graphs."""
    import pyoxigraph

    try:
        result = evaluate(store, query, default_graphs=default_graphs, named_graphs=named_graphs)
        headers: dict[str, str] = {}
        if isinstance(result, pyoxigraph.QueryTriples):
            triples: list[pyoxigraph.Triple] = []
            for triple in result:
                if len(triples) >= max_results:
                    headers["X-SPARQL-MaxRows"] = str(max_results)
                    break
                triples.append(triple)
            return Answer(200, GRAPH_TYPES[fmt], serialize_triples(triples, fmt, base=base), headers)
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[dict[str, Any]] = []
            for solution in result:
                if len(rows) >= max_results:
                    headers["X-SPARQL-MaxRows"] = str(max_results)
                    break
                rows.append({v: t for v, t in zip(variables, solution, strict=True) if t is not None})
            return Answer(200, RESULT_TYPES[fmt], write_results(Results("SELECT", variables, rows), fmt), headers)
        return Answer(200, RESULT_TYPES[fmt], write_results(Results("ASK", boolean=bool(result)), fmt), headers)
    except SyntaxError as err:
        line, column, message = query_error(err, query)
        where = f"line {line}, column {column}: " if line else ""
        return _error(400, f"syntax error in the query: {where}{message}")
    except OSError:  # a SERVICE call: one text whatever the target (no port scanning)
        return _error(400, SERVICE_FAILED)
    except (ValueError, RuntimeError) as err:
        return _error(400, f"the query failed: {err}")
