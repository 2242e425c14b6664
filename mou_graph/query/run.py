"""Running a query on the embedded store or on a SPARQL endpoint, and formatting results.

Both paths give the same :class:`Results`: pyoxigraph terms, so the rows of the embedded
store and of a server compare equal.

>>> import pyoxigraph as ox
>>> r = Results("SELECT", ["x"], rows=[{"x": ox.Literal("ก")}])
>>> format_results(r, "csv")
'x\\r\\nก\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from mou_graph.errors import InputError, UsageError
from mou_graph.io.sparqltext import SERVICE_FAILED, error_position, inject_values, inspect, query_form
from mou_graph.vocab import XSD

__all__ = ["FORMATS", "RESULT_FORMATS", "Results", "evaluate", "format_results", "query_error", "result_chunks",
           "run_local", "run_remote", "sparql_json", "term_from_json", "write_results"]

FORMATS = ("table", "csv", "tsv", "json", "md")


@dataclass
class Results:
    """The outcome of a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)

    def keys(self) -> list[tuple[str | None, ...]]:
        """Rows as sorted tuples of N-Triples strings (for comparing result sets)."""
        if self.form == "ASK":
            return [(str(self.boolean),)]
        if self.triples:
            return sorted((str(t.subject), str(t.predicate), str(t.object)) for t in self.triples)
        rows = [tuple(str(r[v]) if r.get(v) is not None else None for v in self.variables) for r in self.rows]
        return sorted(rows, key=lambda row: tuple((x is not None, x or "") for x in row))  # None sorts first


def evaluate(store: Any, text: str, *, default_graphs: Sequence[str] | None = None,
             named_graphs: Sequence[str] | None = None) -> Any:
    """Evaluate ``text`` on a ``pyoxigraph.Store`` over the right dataset; the one place that
    chooses it, for ``mou-graph query`` and for the endpoint's workers.

    * a protocol dataset (``default-graph-uri`` / ``named-graph-uri``) replaces the query's own,
      and holds only the graphs it names (SPARQL 1.1 Protocol, 2.1.4);
    * else a query with ``FROM`` / ``FROM NAMED`` is left to the engine, which reads its dataset
      (``use_default_graph_as_union`` would override it);
    * else the default graph is the union of the named graphs.

    >>> import pyoxigraph as ox
    >>> s = ox.Store()
    >>> for i, g in enumerate(["http://g/a", "http://g/b", "http://g/b"]):
    ...     s.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal(f"{i}"), ox.NamedNode(g)))
    >>> n = "SELECT (COUNT(*) AS ?n) {FROM} WHERE {{ ?s ?p ?o }}"
    >>> [r[0].value for q in ("", "FROM <http://g/a>") for r in evaluate(s, n.format(FROM=q))]
    ['3', '1']
    >>> [r[0].value for r in evaluate(s, n.format(FROM="FROM <http://g/a>"), default_graphs=["http://g/b"])]
    ['2']
    """
    import pyoxigraph

    if default_graphs or named_graphs:
        return store.query(text, default_graph=[pyoxigraph.NamedNode(g) for g in default_graphs or ()],
                           named_graphs=[pyoxigraph.NamedNode(g) for g in named_graphs or ()])
    info = inspect(text)
    if info.datasets or info.unresolved:
        return store.query(text)
    return store.query(text, use_default_graph_as_union=True)


_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BASE = re.compile(r"(?i)\bBASE\s*<")
# an IRI (kept), or a string or a comment (blanked): the lexical units that may hold a "<" or a "#"
_LEXEME = re.compile(r"(<[^<>\"{}|^`\\\x00-\x20]*>)|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'"
                     r"|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*", re.DOTALL)


def query_error(err: SyntaxError, text: str) -> tuple[int | None, int | None, str]:
    """Line, column and message of a syntax error in ``text``. A relative IRI with no BASE
    (which the parser reports as some other token it expected) is named as such, in English
    and Thai. Only the wording depends on this reading of the text: nothing is evaluated.

    >>> query_error(SyntaxError("error at 1:26: expected OPTIONAL"), "SELECT * WHERE { <s> ?p ?o }")[2][:39]
    'a relative IRI needs a BASE declaration'
    """
    line, column, message = error_position(str(err.msg or err))
    bare = _LEXEME.sub(lambda m: m.group(1) or " ", text)
    relative = [m.group(0) for m in _IRI.finditer(bare) if not _SCHEME.match(m.group(1))]
    if relative and not _BASE.search(bare):
        message = (f"a relative IRI needs a BASE declaration (or use a full IRI): {relative[0]} / "
                   f"IRI แบบสัมพัทธ์ต้องมีการประกาศ BASE (หรือใช้ IRI แบบเต็ม): {relative[0]}")
    return line, column, message


def _syntax_error(err: SyntaxError, text: str, path: str | None) -> InputError:
    line, column, message = query_error(err, text)
    return InputError(f"syntax error in the query: {message}", path=path or "query", line=line, column=column)


def run_local(store: Any, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              path: str | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None) -> Results:
    """Run ``sparql`` on a :class:`~mou_graph.store.GraphStore`, with variables bound to terms.

    The terms travel in a VALUES block at the top of the WHERE group, as for a server
    (pyoxigraph substitutions would require every bound variable to be projected). The
    query's ``FROM`` / ``FROM NAMED``, or the given graphs, make its dataset
    (:func:`evaluate`).
    """
    import pyoxigraph

    try:
        text = inject_values(sparql, bindings or {})
    except ValueError as err:
        raise InputError(str(err), path=path or "query") from None
    try:
        result = evaluate(store.store, text, default_graphs=default_graphs, named_graphs=named_graphs)
    except SyntaxError as err:
        failure = err
        try:  # report the position in the text as written, without the VALUES block
            pyoxigraph.Store().query(sparql)
        except SyntaxError as original:
            failure = original
        raise _syntax_error(failure, sparql, path) from None
    except OSError:  # a SERVICE call: one text whatever the target (no port scanning)
        raise InputError(SERVICE_FAILED, path=path) from None
    try:  # results are computed as they are read: a SERVICE fails here
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = [v.value for v in result.variables]
            # a solution iterates its values in the order of the variables: zip, not a look-up by name
            rows = [{v: t for v, t in zip(variables, sol, strict=True) if t is not None} for sol in result]
            return Results("SELECT", variables, rows)
        if isinstance(result, pyoxigraph.QueryTriples):
            return Results(query_form(sparql) or "CONSTRUCT", triples=list(result))
        return Results("ASK", boolean=bool(result))
    except OSError:
        raise InputError(SERVICE_FAILED, path=path) from None


def term_from_json(value: Mapping[str, str]) -> Any:
    """A pyoxigraph term from a SPARQL 1.1 JSON results binding."""
    import pyoxigraph

    kind = value["type"]
    if kind == "uri":
        return pyoxigraph.NamedNode(value["value"])
    if kind == "bnode":
        return pyoxigraph.BlankNode(value["value"])
    if "xml:lang" in value:
        return pyoxigraph.Literal(value["value"], language=value["xml:lang"])
    if value.get("datatype"):
        return pyoxigraph.Literal(value["value"], datatype=pyoxigraph.NamedNode(value["datatype"]))
    return pyoxigraph.Literal(value["value"])


def run_remote(endpoint: str, sparql: str, bindings: Mapping[str, Any] | None = None, *,
               timeout: float = 30.0, graphs: Sequence[str] = (), path: str | None = None) -> Results:
    """Run ``sparql`` on a SPARQL 1.1 endpoint through SPARQLWrapper.

    Parameters travel as a VALUES block built from RDF terms. ``graphs`` become the
    protocol's ``default-graph-uri`` and ``named-graph-uri`` (the union as default graph, as
    on the embedded store). ``timeout`` is the client's limit and is sent to the server
    as its ``timeout`` parameter (seconds).
    """
    import urllib.error

    import pyoxigraph
    from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    try:
        text = inject_values(sparql, bindings or {})
    except ValueError as err:
        raise InputError(str(err), path=path or "query") from None
    form = inspect(sparql).form or "SELECT"
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.queryType = form  # SPARQLWrapper guesses with a regex that words in comments can fool
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setTimeout(max(1, round(timeout)))
    client.addParameter("timeout", str(timeout))
    for graph in graphs:
        client.addDefaultGraph(graph)
        client.addNamedGraph(graph)
    client.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
    try:
        response = client.query()
        body = response.response.read()
    except SPARQLWrapperException as err:
        raise InputError(f"the endpoint refused the query: {err}", path=path or endpoint) from None
    except (urllib.error.URLError, OSError) as err:
        raise UsageError(f"cannot reach the endpoint {endpoint}: {getattr(err, 'reason', err)}") from None
    if form in ("CONSTRUCT", "DESCRIBE"):
        try:
            triples = [q.triple for q in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE)]
        except SyntaxError as err:
            raise InputError(f"the endpoint sent bad Turtle: {err}", path=endpoint) from None
        return Results(form, triples=triples)
    try:
        doc = json.loads(body)
    except ValueError as err:
        raise InputError(f"the endpoint sent bad JSON: {err}", path=endpoint) from None
    if "boolean" in doc:
        return Results("ASK", boolean=bool(doc["boolean"]))
    variables = list(doc["head"].get("vars", []))
    rows = [{k: term_from_json(v) for k, v in b.items()} for b in doc["results"]["bindings"]]
    return Results("SELECT", variables, rows)


# -- formatting ----------------------------------------------------------------------

def _nt(term: Any) -> str:
    """``term`` in N-Triples 1.2 syntax: pyoxigraph's ``str`` leaves a triple term's ``<<( )>>`` out."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.Triple):
        return f"<<( {_nt(term.subject)} {_nt(term.predicate)} {_nt(term.object)} )>>"
    return str(term)


def _term_json(term: Any) -> dict[str, Any]:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Triple):  # a triple term (SPARQL 1.2: TRIPLE(), a reifier's object)
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def sparql_json(results: Results) -> dict[str, Any]:
    """SPARQL 1.1 Query Results JSON."""
    if results.form == "ASK":
        return {"head": {}, "boolean": bool(results.boolean)}
    return {"head": {"vars": results.variables},
            "results": {"bindings": [{k: _term_json(v) for k, v in r.items()} for r in results.rows]}}


RESULT_FORMATS = ("json", "xml", "csv", "tsv")


def _xml_text(text: str) -> str:
    # a carriage return survives XML parsing only as a character reference
    return escape(text, {"\r": "&#13;"})


def _xml_term(term: Any) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, pyoxigraph.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"


def _csv_cell(term: Any) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.Triple):  # its three values, as pyoxigraph writes it
        return " ".join(_csv_cell(t) for t in (term.subject, term.predicate, term.object))
    return "_:" + term.value if isinstance(term, pyoxigraph.BlankNode) else term.value


def result_chunks(results: Results, fmt: str) -> Iterator[str]:
    """SPARQL 1.1 results of a SELECT or ASK in ``fmt`` (json, xml, csv, tsv), piece by piece:
    the one writer of the CLI and the endpoint. CSV lines end in CRLF (RFC 4180), TSV lines in
    LF; TSV terms are in N-Triples syntax and variables carry their ``?``; ASK is one column,
    ``_askResult``.

    >>> import pyoxigraph as ox
    >>> r = Results("SELECT", ["x"], rows=[{"x": ox.BlankNode("b1")}, {"x": ox.Literal("a\\rb")}])
    >>> "".join(result_chunks(r, "csv"))
    'x\\r\\n_:b1\\r\\n"a\\rb"\\r\\n'
    >>> "".join(result_chunks(Results("ASK", boolean=True), "tsv"))
    '?_askResult\\ntrue\\n'
    """
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown results format {fmt!r}: use one of {', '.join(RESULT_FORMATS)}")
    ask = results.form == "ASK"
    if fmt == "json":
        yield json.dumps(sparql_json(results), ensure_ascii=False)
        return
    if fmt == "xml":
        yield '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>\n'
        yield "".join(f"<variable name={quoteattr(v)}/>\n" for v in ([] if ask else results.variables))
        yield "</head>\n"
        if ask:
            yield f"<boolean>{'true' if results.boolean else 'false'}</boolean>\n"
        else:
            yield "<results>\n"
            for row in results.rows:
                yield "<result>" + "".join(f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>"
                                           for k, v in row.items()) + "</result>\n"
            yield "</results>\n"
        yield "</sparql>\n"
        return
    header = ["_askResult"] if ask else results.variables
    cells: Iterator[list[str]]
    if ask:
        cells = iter([["true" if results.boolean else "false"]])
    elif fmt == "csv":
        cells = ([_csv_cell(r[v]) if v in r else "" for v in header] for r in results.rows)
    else:
        cells = ([_nt(r[v]) if v in r else "" for v in header] for r in results.rows)
    if fmt == "tsv":
        yield "\t".join("?" + h for h in header) + "\n"
        for line in cells:
            yield "\t".join(line) + "\n"
        return
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for line in cells:
        writer.writerow(line)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def write_results(results: Results, fmt: str) -> bytes:
    """:func:`result_chunks` joined, as UTF-8."""
    return "".join(result_chunks(results, fmt)).encode()


def _short(term: Any, prefixes: Mapping[str, str]) -> str:
    """A term for a table: IRIs with a known prefix abbreviated, literals as their text."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.Triple):
        inner = (_short(t, prefixes) for t in (term.subject, term.predicate, term.object))
        return "<<( " + " ".join(inner) + " )>>"
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, ns in prefixes.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
    return term.value


# control characters (Cc: C0, DEL, C1) shown as \\xNN: a terminal would obey them (ESC, CSI, BEL, CR)
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_CONTROLS_KEEP_LINES = {c: e for c, e in _CONTROLS.items() if c not in (0x09, 0x0A)}


def terminal_safe(text: str, *, lines: bool = True) -> str:
    """``text`` with its control characters written as ``\\xNN``, so that a terminal shows
    them instead of obeying them; with ``lines``, TAB and LF are kept.

    >>> terminal_safe("red \\x1b[31m bell \\x07 cr \\r nl \\n")
    'red \\\\x1b[31m bell \\\\x07 cr \\\\x0d nl \\n'
    """
    return text.translate(_CONTROLS_KEEP_LINES if lines else _CONTROLS)


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    header = [terminal_safe(h, lines=False) for h in header]
    rows = [[terminal_safe(c.replace("\n", " "), lines=False) for c in r] for r in rows]
    if markdown:
        esc = [[c.replace("|", "\\|") for c in r] for r in rows]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in esc]) + "\n"
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]) + "\n"


def format_results(results: Results, fmt: str, *, base: str | None = None) -> str:
    """Render results as table, csv, tsv, json (SPARQL JSON; JSON-LD for graphs) or md.
    Tables abbreviate IRIs (``id:`` for ``base``); csv, tsv and json keep them whole. The
    csv and tsv of SELECT and ASK come from :func:`result_chunks`, as on the endpoint."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if results.form in ("SELECT", "ASK") and fmt in ("csv", "tsv"):
        return "".join(result_chunks(results, fmt))
    if results.form == "ASK":
        if fmt == "json":
            return json.dumps(sparql_json(results)) + "\n"
        return ("true" if results.boolean else "false") + "\n"
    if results.form in ("CONSTRUCT", "DESCRIBE"):
        header = ["subject", "predicate", "object"]
        cells = sorted([_nt(t.subject), _nt(t.predicate), _nt(t.object)] for t in results.triples)
        if fmt == "json":
            import pyoxigraph

            from mou_graph.io.rdfio import serialized

            return serialized(results.triples, pyoxigraph.RdfFormat.JSON_LD).decode() + "\n"
        if fmt in ("csv", "tsv"):  # the triples in N-Triples syntax, one column per position
            out = io.StringIO()
            if fmt == "tsv":
                out.write("\t".join(header) + "\n")
                out.writelines("\t".join(row) + "\n" for row in cells)
            else:
                csv.writer(out, lineterminator="\r\n").writerows([header, *cells])
            return out.getvalue()
    else:
        header = results.variables
        if fmt == "json":
            return json.dumps(sparql_json(results), ensure_ascii=False, indent=1) + "\n"
        from mou_graph.vocab import PREFIXES

        prefixes = {"id": base, **PREFIXES} if base else dict(PREFIXES)
        cells = [[_short(r[v], prefixes) if v in r else "" for v in header] for r in results.rows]
    return _table(header, cells, markdown=fmt == "md")
