"""Running one query in a worker and serialising its answer, with a cap on the size.

The endpoint's formats: SPARQL results in JSON, XML, CSV and TSV for SELECT and ASK;
Turtle, N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE.

>>> import pyoxigraph as ox
>>> s = ox.Store()
>>> a = execute(s, query="SELECT ?x WHERE { VALUES ?x { 1 2 3 } }", fmt="csv", max_results=2)
>>> a.status, a.body, a.headers
(200, b'x\\r\\n1\\r\\n2\\r\\n', {'X-SPARQL-MaxRows': '2'})
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..query import sparql_json
from ..sparqltext import SERVICE_FAILED, error_position

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "execute"]

# format -> media type
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def _xml_term(term: Any) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"


def _select(variables: list[str], rows: list[dict[str, Any]], fmt: str, boolean: bool | None) -> bytes:
    from ..query import Results

    if fmt == "json":
        form = "ASK" if boolean is not None else "SELECT"
        return json.dumps(sparql_json(Results(form, variables, rows, boolean)), ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>")
        if boolean is not None:
            out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in rows:
                out.append("<result>" + "".join(f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>"
                                                for k, v in row.items()) + "</result>")
            out.append("</results>")
        out.append("</sparql>\n")
        return "\n".join(out).encode()
    if boolean is not None:  # ASK in CSV/TSV: one column, as several servers do
        return f"_askResult\r\n{'true' if boolean else 'false'}\r\n".encode()
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([row[v].value if v in row else "" for v in variables] for row in rows)
    else:
        buf.write("\t".join("?" + v for v in variables) + "\n")
        for row in rows:
            buf.write("\t".join(str(row[v]) if v in row else "" for v in variables) + "\n")
    return buf.getvalue().encode()


def _error(status: int, message: str) -> Any:
    from .pool import Answer

    return Answer(status, "text/plain; charset=utf-8", message.encode(), {})


def execute(store: Any, *, query: str, fmt: str, max_results: int, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None) -> Any:
    """Run ``query`` on a pyoxigraph store and serialise the answer in ``fmt``; the default
    graph is the union of the named graphs unless the protocol's dataset says otherwise."""
    import pyoxigraph

    from .pool import Answer

    try:
        if default_graphs or named_graphs:
            result = store.query(query, default_graph=[pyoxigraph.NamedNode(g) for g in default_graphs or []],
                                 named_graphs=[pyoxigraph.NamedNode(g) for g in named_graphs or []] or None)
        else:
            result = store.query(query, use_default_graph_as_union=True)
        headers: dict[str, str] = {}
        if isinstance(result, pyoxigraph.QueryTriples):
            triples = []
            for triple in result:
                if len(triples) >= max_results:
                    headers["X-SPARQL-MaxRows"] = str(max_results)
                    break
                triples.append(triple)
            name = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}[fmt]
            if fmt == "turtle":
                from ..export import PREFIXES

                body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
            else:
                body = pyoxigraph.serialize(triples, format=getattr(pyoxigraph.RdfFormat, name)) or b""
            return Answer(200, GRAPH_TYPES[fmt], body, headers)
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) >= max_results:
                    headers["X-SPARQL-MaxRows"] = str(max_results)
                    break
                rows.append({v: solution[v] for v in variables if solution[v] is not None})
            return Answer(200, RESULT_TYPES[fmt], _select(variables, rows, fmt, None), headers)
        return Answer(200, RESULT_TYPES[fmt], _select([], [], fmt, bool(result)), headers)
    except SyntaxError as err:
        line, column, message = error_position(str(err.msg or err))
        where = f"line {line}, column {column}: " if line else ""
        return _error(400, f"syntax error in the query: {where}{message}")
    except OSError:  # a SERVICE call: one text whatever the target (no port scanning)
        return _error(400, SERVICE_FAILED)
    except (ValueError, RuntimeError) as err:
        return _error(400, f"the query failed: {err}")
