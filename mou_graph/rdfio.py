"""Reading RDF files: the strict parse gate every command goes through.

One place knows the formats and turns parser errors into :class:`InputError` with file,
line and column. Before a parser sees a byte:

* the file must be smaller than :func:`max_file_bytes` (``MOU_GRAPH_MAX_FILE_BYTES``);
* RDF/XML and TriX must be UTF-8 and hold no DOCTYPE, ENTITY or other markup declaration
  (no billion laughs, no ``file:///etc/passwd``), whatever the installed XML parser does;
* JSON-LD must be plain JSON whose every ``@context`` (and ``@import``) is inline: a remote
  context is refused, so nothing is ever fetched; the package's own context is shipped in it.

pyoxigraph parses every format it knows. rdflib parses RDF/XML and JSON-LD a second time,
because there the two are independent designs (quick-xml vs Expat SAX; oxjsonld vs rdflib's
own) and each accepts things the other refuses (``rdf:bagID``, ``rdf:about`` on a property
element). For Turtle, N-Triples, N-Quads and TriG pyoxigraph refuses everything rdflib does
and more (``tests/test_security_input.py`` checks a sample), so a second parse there would
only cost time (about 0.3 s for the shipped data). TriX only rdflib reads.

Then literals are bounded (:func:`max_literal_chars`, ``MOU_GRAPH_MAX_LITERAL_CHARS``),
string values NFC-normalised and language tags lower-cased, once, here, at load.

>>> normalise_text("e\\u0301")
'é'
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["FORMATS", "format_for", "load_into", "max_file_bytes", "max_literal_chars", "normalise_text",
           "parse_file"]

# extension -> pyoxigraph format name ("TRIX": read by rdflib only)
FORMATS: dict[str, str] = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".trix": "TRIX",
}
_XML = frozenset({"RDF_XML", "TRIX"})
_SECOND_PARSER = {"RDF_XML": "xml", "JSON_LD": "json-ld", "TRIX": "trix"}  # rdflib's names
_POSITION = re.compile(r"line (\d+) column (\d+)")
_RDFLIB_POSITION = re.compile(r":(\d+):(\d+):\s*")
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[)")
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_LITERAL_CHARS = 1_000_000


def _limit(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        n = int(value)
    except ValueError:
        raise InputError(f"{name} must be a whole number of bytes or characters, not {value!r}") from None
    return n if n > 0 else default


def max_file_bytes() -> int:
    """The largest RDF file read: ``MOU_GRAPH_MAX_FILE_BYTES`` or 64 MiB."""
    return _limit("MOU_GRAPH_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


def max_literal_chars() -> int:
    """The longest literal accepted: ``MOU_GRAPH_MAX_LITERAL_CHARS`` or one million characters."""
    return _limit("MOU_GRAPH_MAX_LITERAL_CHARS", DEFAULT_MAX_LITERAL_CHARS)


def format_for(path: Path) -> pyoxigraph.RdfFormat:
    """The RDF format of a file pyoxigraph reads, from its extension.

    >>> format_for(Path("a.ttl")).name
    'Turtle'
    """
    import pyoxigraph

    name = _format_name(path)
    if name == "TRIX":
        raise InputError("pyoxigraph does not read TriX", path=str(path))
    return getattr(pyoxigraph.RdfFormat, name)


def _format_name(path: Path) -> str:
    name = FORMATS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown RDF file extension {path.suffix!r} (known: {known})", path=str(path))
    return name


def normalise_text(text: str) -> str:
    """Unicode NFC (cheap when the text already is)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# -- the gate ------------------------------------------------------------------------------
def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_xml(data: bytes, path: Path) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("XML input must be UTF-8 (it is not, at byte "
                         f"{err.start}); no other encoding is read", path=str(path)) from None
    declared = _ENCODING.match(text)
    if declared and declared.group(1).strip().lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii",
                                                                                 "ascii"):
        raise InputError(f"XML input must be UTF-8, but it declares encoding {declared.group(1)!r}", path=str(path))
    found = _DECLARATION.search(text)
    if found:
        line, column = _line_col(text, found.start())
        raise InputError("XML with a DOCTYPE, ENTITY or other markup declaration is refused (entity expansion "
                         "and external entities are attacks); remove the declaration", path=str(path),
                         line=line, column=column)


def _remote_contexts(node: Any, key: str | None = None) -> list[str]:
    """Every context in a JSON-LD document that is not inline (a string: an IRI to fetch)."""
    found: list[str] = []
    if key in ("@context", "@import"):
        values = node if isinstance(node, list) else [node]
        found += [str(v) for v in values if not isinstance(v, (dict, type(None)))]
    if isinstance(node, dict):
        for k, v in node.items():
            found += _remote_contexts(v, k)
    elif isinstance(node, list):
        for v in node:
            found += _remote_contexts(v, None)
    return found


def _check_jsonld(data: bytes, path: Path) -> None:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError(f"JSON-LD input must be UTF-8 (it is not, at byte {err.start})", path=str(path)) from None
    except json.JSONDecodeError as err:
        raise InputError(f"syntax error: {err.msg}", path=str(path), line=err.lineno, column=err.colno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", path=str(path)) from None
    try:
        remote = _remote_contexts(doc)
    except RecursionError:
        raise InputError("JSON nested too deeply", path=str(path)) from None
    if remote:
        raise InputError(f"remote JSON-LD context refused: {', '.join(sorted(set(remote)))}; nothing is fetched "
                         "from the network: put the context inline (the package's is mou_graph/context.jsonld)",
                         path=str(path))


def _syntax_error(err: SyntaxError, path: Path) -> InputError:
    line, column = err.lineno, err.offset
    found = _POSITION.search(str(err.msg or err))
    if found and line is None:
        line, column = int(found.group(1)), int(found.group(2))
    message = re.sub(r"^Parser error at line \d+ column \d+: ", "", str(err.msg or err))
    return InputError(f"syntax error: {message}", path=str(path), line=line, column=column)


def _second_parse(data: bytes, name: str, path: Path, base: str) -> list[Any]:
    """Parse with rdflib (under the network guard); its triples (quads for TriX) as pyoxigraph quads."""
    import logging

    import rdflib

    from .netguard import no_network

    fmt = _SECOND_PARSER[name]
    graph = rdflib.Dataset() if name == "TRIX" else rdflib.Graph()
    quiet = logging.getLogger("rdflib")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with no_network():
            graph.parse(data=data, format=fmt, publicID=base)
    except Exception as err:  # noqa: BLE001 - rdflib raises many kinds; each is a refusal
        line = getattr(err, "getLineNumber", lambda: None)()
        column = getattr(err, "getColumnNumber", lambda: None)()
        message = str(err)
        found = _RDFLIB_POSITION.search(message)
        if found:
            line, column = line or int(found.group(1)), column or int(found.group(2))
            message = message[found.end():]
        raise InputError(f"syntax error (rdflib): {message}", path=str(path), line=line, column=column) from None
    finally:
        quiet.setLevel(level)
    if name != "TRIX":
        return []
    import pyoxigraph

    return list(pyoxigraph.parse(graph.serialize(format="nquads", encoding="utf-8"),
                                 format=pyoxigraph.RdfFormat.N_QUADS))


def _normalised(quad: pyoxigraph.Quad, graph: pyoxigraph.NamedNode, limit: int, path: Path) -> pyoxigraph.Quad:
    import pyoxigraph

    obj = quad.object
    if isinstance(obj, pyoxigraph.Literal):
        value = obj.value
        if len(value) > limit:
            raise InputError(f"a literal of {len(value)} characters is longer than the limit of {limit} "
                             f"(MOU_GRAPH_MAX_LITERAL_CHARS); subject {quad.subject}", path=str(path))
        text = normalise_text(value)
        lang = obj.language
        if text != value or (lang and lang != lang.lower()):
            obj = (pyoxigraph.Literal(text, language=lang.lower()) if lang else
                   pyoxigraph.Literal(text, datatype=obj.datatype))
    name = graph if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name
    if obj is quad.object and name is quad.graph_name:
        return quad
    return pyoxigraph.Quad(quad.subject, quad.predicate, obj, name)


def parse_file(path: Path, *, base: str, graph: str) -> list[pyoxigraph.Quad]:
    """Read ``path`` through the gate: the quads it holds, triples put in the named graph
    ``graph``, literals bounded and normalised. Raises :class:`InputError`."""
    import pyoxigraph

    path = Path(path)
    name = _format_name(path)
    if not path.is_file():
        raise InputError("no such file", path=str(path))
    limit = max_file_bytes()
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"the file is {size} bytes, larger than the limit of {limit} (MOU_GRAPH_MAX_FILE_BYTES)",
                         path=str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise InputError(str(err), path=str(path)) from None
    if len(data) > limit:
        raise InputError(f"the file is larger than the limit of {limit} bytes (MOU_GRAPH_MAX_FILE_BYTES)",
                         path=str(path))
    if name in _XML:
        _check_xml(data, path)
    elif name == "JSON_LD":
        _check_jsonld(data, path)
    if name == "TRIX":
        quads = _second_parse(data, name, path, base)
    else:
        try:
            quads = list(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, name), base_iri=base))
        except SyntaxError as err:
            raise _syntax_error(err, path) from None
        except ValueError as err:
            raise InputError(str(err), path=str(path)) from None
        if name in _SECOND_PARSER:
            _second_parse(data, name, path, base)
    target = pyoxigraph.NamedNode(graph)
    chars = max_literal_chars()
    return [_normalised(q, target, chars, path) for q in quads]


def _fast_load(store: pyoxigraph.Store, path: Path, *, base: str, graph: str) -> bool:
    """Load a Turtle or N-Triples file without a Python pass over its quads, when that gives
    the same store as :func:`parse_file` would: the text is already NFC and holds no ``\\u``
    escapes (so every literal is NFC; the parser lower-cases language tags), and the target
    graph is empty (so a literal over the length limit, found afterwards by one SPARQL ASK, is
    undone by clearing the graph: all or nothing still). Returns False to take the slow path.
    """
    import pyoxigraph

    name = _format_name(path)
    if name not in ("TURTLE", "N_TRIPLES") or not path.is_file():
        return False
    size = path.stat().st_size
    if size > max_file_bytes():
        return False  # parse_file gives the message
    target = pyoxigraph.NamedNode(graph)
    if next(iter(store.quads_for_pattern(None, None, None, target)), None) is not None:
        return False
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "\\u" in text or "\\U" in text or not unicodedata.is_normalized("NFC", text):
        return False
    try:
        store.load(data, format=getattr(pyoxigraph.RdfFormat, name), base_iri=base, to_graph=target)
    except SyntaxError as err:
        raise _syntax_error(err, path) from None
    except ValueError as err:
        raise InputError(str(err), path=str(path)) from None
    limit = max_literal_chars()
    too_long = "SELECT ?limit WHERE { ?s ?p ?o FILTER (isLiteral(?o) && STRLEN(STR(?o)) > ?limit) } LIMIT 1"
    if size > limit and list(store.query(too_long, default_graph=target,
                                         substitutions={pyoxigraph.Variable("limit"): pyoxigraph.Literal(limit)})):
        store.clear_graph(target)
        return False  # parse_file names the subject and gives the message
    return True


def load_into(store: pyoxigraph.Store, path: Path, *, base: str, graph: str) -> None:
    """Parse ``path`` through the gate into the named graph ``graph`` of ``store``, all or nothing."""
    path = Path(path)
    if _fast_load(store, path, base=base, graph=graph):
        return
    store.extend(parse_file(path, base=base, graph=graph))
