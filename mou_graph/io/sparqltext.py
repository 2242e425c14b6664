"""A small lexical reader of SPARQL text: what kind of request it is, which remote
resources it names, and where its WHERE group opens.

It tokenises the way the engine (pyoxigraph) does: comments, strings, IRIs, prefixed names
and variables are tokens of their own, so a ``SERVICE`` inside a comment, a string or an IRI
is not a ``SERVICE`` call; codepoint escapes (``\\u0022``) are decoded inside strings and IRIs
only, never before tokenising; a prefixed name may hold ``\\#`` or ``\\'`` (not a comment, not
a quote). It is an early, friendly check: the endpoint refuses ``SERVICE``, remote ``FROM``
and updates with a clear 403. The guarantee that no query opens a connection does not rest
on it but on :mod:`mou_graph.io.sandbox`, in the processes that evaluate queries.

>>> info = inspect("PREFIX ex: <http://ex/> # SERVICE <x>\\nSELECT * FROM ex:g { ?s ?p 'SERVICE' }")
>>> info.form, info.service, info.datasets
('SELECT', False, ['http://ex/g'])
>>> inspect("select * { service <http://h/> { ?s ?p ?o } }").service
True
>>> inspect("INSERT DATA { <a:b> <a:b> <a:b> }").form
'INSERT'
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["QUERY_FORMS", "SERVICE_FAILED", "UPDATE_FORMS", "Info", "error_position", "inject_values", "inspect",
           "stray_escape"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

# the one message for a failed SERVICE call, whatever the target did (open, closed, filtered)
SERVICE_FAILED = ("the query failed: it calls a remote service (SERVICE), and queries here make no network "
                  "connection\nคำค้นล้มเหลว: คำค้นเรียกบริการภายนอก (SERVICE) แต่การค้นที่นี่ไม่เชื่อมต่อเครือข่าย")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>(?:[^\W\d][\w\-.]*)?:(?:[\w\-:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w\-:%\\]))*)
    |(?P<word>[^\W\d][\w\-]*)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Info:
    """What :func:`inspect` found."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or an update keyword
    service: bool = False
    datasets: list[str] = field(default_factory=list)  # FROM / FROM NAMED IRIs (resolved)
    unresolved: list[str] = field(default_factory=list)  # FROM targets we could not resolve
    where: int | None = None  # offset (in the original text) of the first "{" of the body
    error: str | None = None  # an unterminated string or the like

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the last alternative matches any character
            break
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, m.group(), pos
        pos = m.end()


def stray_escape(query: str) -> bool:
    r"""Whether a codepoint escape stands outside every string and IRI. SPARQL 1.1 decodes such
    escapes before parsing, so rdflib (and pyshacl) reads ``SERV\u0049CE`` as ``SERVICE``;
    pyoxigraph decodes them inside strings and IRIs only, and refuses that text.

    >>> stray_escape('SELECT * { SERV\\u0049CE <http://h/> { ?s ?p ?o } }')
    True
    >>> stray_escape('SELECT * { ?s ?p "\\u0E32" FILTER (?s != <http://h/\\u0041>) }')
    False
    """
    return any(kind == "other" and _ESCAPE.match(query, pos) for kind, _text, pos in _tokens(query))


def inspect(query: str) -> Info:
    """Read ``query`` without evaluating it. The endpoint reads every query twice (the early
    refusals, then the worker's choice of dataset), often the same text again: the last few
    hundred readings are kept (each caller gets its own copy)."""
    if len(query) > 100_000:
        return _inspect(query)
    found = _inspect_cached(query)
    return dataclasses.replace(found, datasets=list(found.datasets), unresolved=list(found.unresolved))


@functools.lru_cache(maxsize=512)
def _inspect_cached(query: str) -> Info:
    return _inspect(query)


def _inspect(query: str) -> Info:
    info = Info()
    text = query  # escapes are decoded inside strings and IRIs only, as the engine does
    prefixes: dict[str, str] = {}
    base = ""
    toks = list(_tokens(text))
    seen_where = False
    i = 0
    while i < len(toks):
        kind, value, pos = toks[i]
        upper = value.upper() if kind == "word" else ""
        if kind == "other" and value in "\"'":
            info.error = "unterminated string"
        if upper == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].rstrip(":")] = _unescape(toks[i + 2][1][1:-1])
            i += 3
            continue
        if upper == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = _unescape(toks[i + 1][1][1:-1])
            i += 2
            continue
        if info.form is None and upper in QUERY_FORMS + UPDATE_FORMS:
            info.form = upper
        elif upper == "SERVICE":
            info.service = True
        elif upper == "FROM":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED":
                j += 1
            target = toks[j] if j < len(toks) else ("other", "", 0)
            iri = _resolve(target, prefixes, base)
            (info.datasets if iri is not None else info.unresolved).append(iri or target[1])
        elif upper == "WHERE":
            seen_where = True
        elif (kind == "other" and value == "{" and info.where is None and info.form is not None
              and (info.form != "CONSTRUCT" or seen_where)):
            info.where = pos
        i += 1
    return info


def _resolve(token: tuple[str, str, int], prefixes: Mapping[str, str], base: str) -> str | None:
    kind, value, _ = token
    if kind == "iri":
        iri = _unescape(value[1:-1])
        return iri if ":" in iri.split("/")[0] else (base + iri if base else None)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


_POSITION = re.compile(r"(?:error )?at (\d+):(\d+):\s*")


def error_position(message: str) -> tuple[int | None, int | None, str]:
    """Line, column and the rest of a pyoxigraph syntax error message.

    >>> error_position("error at 4:17: expected one of ABS, AVG")
    (4, 17, 'expected one of ABS, AVG')
    """
    m = _POSITION.match(message)
    if not m:
        return None, None, message
    return int(m.group(1)), int(m.group(2)), message[m.end():]


@functools.lru_cache(maxsize=256)
def _where_offset(query: str) -> int | None:
    """Where the WHERE group of ``query`` opens; cached, as the catalogue's texts recur."""
    return inspect(query).where


@functools.lru_cache(maxsize=256)
def query_form(query: str) -> str | None:
    """The form of ``query`` (SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword); cached.

    >>> query_form("DESCRIBE <http://e/a>")
    'DESCRIBE'
    """
    return inspect(query).form


def inject_values(query: str, bindings: Mapping[str, Any]) -> str:
    """Add ``VALUES (?a ?b) { (t1 t2) }`` at the top of the query's WHERE group, built from
    RDF terms (for servers that take no substitutions).

    >>> import pyoxigraph as ox
    >>> inject_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ox.NamedNode("http://e/a")})
    'SELECT ?x WHERE { VALUES (?x) { (<http://e/a>) } ?x ?p ?o }'
    """
    if not bindings:
        return query
    where = _where_offset(query)
    if where is None:
        raise ValueError("cannot find the WHERE group of the query to bind its parameters")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())  # SPARQL syntax, escaped by pyoxigraph
    at = where + 1
    return f"{query[:at]} VALUES ({names}) {{ ({values}) }}{query[at:]}"
