"""Deterministic RDF export: the same graph gives the same bytes, every run.

Triples (and quads) are sorted before serialisation; there are no blank nodes in the
graph, so a sorted order is a canonical one. Files are written atomically.

Triple formats (the union of the named graphs): Turtle, N-Triples, JSON-LD (with the
context shipped in the package) and RDF/XML. Quad formats keep the named graphs of the
store (:data:`mou_graph.config.GRAPHS`): TriG and N-Quads. The ``personal`` graph and every
node the graph marks ``mou:personalData true`` are left out unless asked for.

>>> sorted(RDF_FORMATS)
['jsonld', 'nquads', 'nt', 'rdfxml', 'trig', 'turtle']
>>> RDF_FORMATS["trig"]
('.trig', 'application/trig')
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mou_graph.config import GRAPHS
from mou_graph.errors import UsageError
from mou_graph.io.atomic import atomic_output
from mou_graph.io.extsort import RUN_BYTES, STORE_RUN_BYTES, batches
from mou_graph.io.rdfio import serialized, well_formed_xml
from mou_graph.publish.personal import is_public, personal_nodes
from mou_graph.vocab import PREFIXES, XSD
from mou_graph.vocab import RDF_TYPE as _RDF_TYPE

if TYPE_CHECKING:
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = [
    "QUAD_FORMATS",
    "RDF_FORMATS",
    "describe_entity",
    "export_quads",
    "export_rdf",
    "export_triples",
    "iter_export_quads",
    "rdf_bytes",
    "serialize_quads",
    "serialize_triples",
]


# format name -> (file extension, media type)
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": (".ttl", "text/turtle"),
    "nt": (".nt", "application/n-triples"),
    "jsonld": (".jsonld", "application/ld+json"),
    "rdfxml": (".rdf", "application/rdf+xml"),
    "trig": (".trig", "application/trig"),
    "nquads": (".nq", "application/n-quads"),
}
QUAD_FORMATS = frozenset({"trig", "nquads"})


def _check_format(fmt: str) -> None:
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}: use one of {', '.join(RDF_FORMATS)}")


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context shipped with the package (never fetched)."""
    text = resources.files("mou_graph").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


# -- what is exported ------------------------------------------------------------
def _graph_rank(store: GraphStore) -> dict[str, int]:
    return {store.settings.graph_iri(name): i for i, name in enumerate(GRAPHS)}


def export_quads(store: GraphStore, *, include_personal: bool = False) -> list[pyoxigraph.Quad]:
    """The quads to export, in the canonical order: the named graphs in the order of
    :data:`~mou_graph.config.GRAPHS` (others after them, by IRI), then the triples by text.

    Without ``include_personal`` the ``personal`` graph is left out, and so is every
    quad whose subject or object is a personal node (:func:`mou_graph.publish.personal.is_public`).
    (A list in memory: for small graphs and tests; :func:`export_rdf` streams.)
    """
    rank = _graph_rank(store)
    quads = iter_export_quads(store, include_personal=include_personal)
    return sorted(quads, key=lambda q: (rank.get(q.graph_name.value, len(rank)), q.graph_name.value,
                                        str(q.subject), str(q.predicate), str(q.object)))


def iter_export_quads(store: GraphStore, *, include_personal: bool = False,
                      public: Callable[[pyoxigraph.Quad], bool] | None = None) -> Iterator[pyoxigraph.Quad]:
    """The quads of :func:`export_quads` in the store's order, one at a time (nothing held);
    ``public``: :func:`~mou_graph.publish.personal.is_public` of the store, for a caller reading
    them several times (it queries the whole graph)."""
    if include_personal:
        yield from store.quads()
        return
    if public is None:
        public = is_public(store)
    yield from (q for q in store.quads() if public(q))


def export_triples(store: GraphStore, *, include_personal: bool = False) -> list[pyoxigraph.Triple]:
    """The distinct triples of :func:`export_quads`, sorted by their text."""
    return _distinct_triples(export_quads(store, include_personal=include_personal))


def _distinct_triples(quads: list[pyoxigraph.Quad]) -> list[pyoxigraph.Triple]:
    return sorted({q.triple for q in quads}, key=str)


# -- the stream every serialiser reads ---------------------------------------------------
# Every export is made from N-Triples lines, one graph at a time, put into its order by an
# external sort (mou_graph.io.extsort: bounded memory). The canonical order of the triples (by
# their text, Python's order of str(triple)) is the byte order of their N-Triples lines, since
# str(triple) is the line without " ." and a space sorts before every character that can follow
# a term; the order of quads is the graphs' order (by their rank, then IRI) and, within a graph,
# the triples' (each graph sorted on its own: TriG).
_CHUNK = 50_000  # triples serialised at a time when the source is a list


def _graph_lines(store: GraphStore, *, include_personal: bool, tmp: Path,
                 rank: dict[str, int]) -> Iterator[tuple[str, Iterable[bytes]]]:
    """(graph IRI, its N-Triples lines) for each named graph of the export, in the export's order of
    the graphs (:func:`_graph_order`): the store dumps each graph to a file in ``tmp`` (its lines in
    the store's order), read back a line at a time; personal quads are left out as in
    :func:`export_quads`."""
    import pyoxigraph

    personal = store.settings.graph_iri("personal")
    hidden_lines: dict[str, set[bytes]] = {}
    source = store.store
    if not include_personal and store.public_path is not None:
        # a persistent store's copy without personal data: the quads is_public keeps, written by
        # mou_graph.publish.persistent.build_store (no query of the whole graph, no line to skip)
        source = pyoxigraph.Store.read_only(str(store.public_path))
    elif not include_personal:  # the lines is_public refuses: of the quads on a personal node
        hidden = personal_nodes(store)  # (a query of the whole graph: made once)
        public = is_public(store, hidden)
        found: dict[str, list[pyoxigraph.Triple]] = {}
        for iri in hidden:
            node = pyoxigraph.NamedNode(iri)
            for q in (*store.store.quads_for_pattern(node, None, None, None),
                      *store.store.quads_for_pattern(None, None, node, None)):
                if not public(q):
                    found.setdefault(q.graph_name.value, []).append(q.triple)
        hidden_lines = {g: set(_nt(ts).splitlines(keepends=True)) for g, ts in found.items()}
    for graph in sorted(source.named_graphs(), key=lambda g: _graph_order(g.value, rank)):
        if not include_personal and graph.value == personal:
            continue
        path = tmp / "graph.nt"
        source.dump(path, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph)
        skip = hidden_lines.get(graph.value)
        with path.open("rb", buffering=1 << 20) as f:
            yield graph.value, f if not skip else (line for line in f if line not in skip)
        path.unlink()


def _graph_order(graph: str, rank: dict[str, int]) -> tuple[int, str]:
    """The place of a graph in an export: the named graphs in ``rank``'s order, others after them by IRI."""
    return rank.get(graph, len(rank)), graph


def _list_lines(quads: Iterable[Any], rank: dict[str, int] | None = None) -> Iterator[tuple[str, Iterable[bytes]]]:
    """(graph IRI, N-Triples lines) for quads (or triples: graph "") held in memory, the graphs in
    the order of :func:`_graph_order`."""
    by_graph: dict[str, list[Any]] = {}
    for q in quads:
        graph = getattr(q, "graph_name", None)
        by_graph.setdefault(getattr(graph, "value", "") if graph is not None else "", []).append(
            q.triple if hasattr(q, "triple") else q)
    for graph in sorted(by_graph, key=lambda g: _graph_order(g, rank or {})):
        triples = by_graph[graph]
        yield graph, (line for i in range(0, len(triples), _CHUNK)
                      for line in _nt(triples[i:i + _CHUNK]).splitlines(keepends=True))


def _nt(triples: Iterable[Any]) -> bytes:
    import pyoxigraph

    return serialized(triples, pyoxigraph.RdfFormat.N_TRIPLES)


def _graph_tail(graph: str) -> bytes:
    """The end of an N-Quads line in ``graph`` ("": the default graph), after "s p o "."""
    return b"<" + graph.encode("utf-8") + b"> .\n" if graph else b".\n"


def _records(sources: Iterable[tuple[str, Iterable[bytes]]], kind: str, ref: Any = None) -> Iterator[bytes]:
    """The lines to sort for an export of ``kind``: ``nt`` (triple lines), ``nquads`` (quad
    lines), ``jsonld`` (triple lines behind the subject's JSON-LD id and a NUL)."""
    for graph, lines in sources:
        if kind == "nt":
            yield from lines
        elif kind == "nquads":
            tail = _graph_tail(graph)
            for block in batches(lines, 1 << 20):
                yield from [line[:-2] + tail for line in block]
        else:  # jsonld: the subject is the line's first term (an IRI or a blank node: no space in it)
            for line in lines:
                subject = line[:line.index(b" ")].decode("utf-8")
                name = subject[2:] if subject.startswith("_:") else subject[1:-1]
                yield ref(name, subject.startswith("_:")).encode("utf-8") + b"\0" + line


def _trig_lines(sources: Iterable[tuple[str, Iterable[bytes]]], tmp: Path | None, run_bytes: int) -> Iterator[bytes]:
    """The N-Quads lines of a TriG export: the graphs in the order they come (:func:`_graph_order`),
    each graph's triples sorted on their own. That is the order of the quads by (graph, triple):
    within one graph every line ends with the same " <graph> .", and a space sorts before every
    character that can follow a term, so the quad lines sort as their triple lines do."""
    from mou_graph.io.extsort import sorted_blocks

    for graph, lines in sources:
        tail = _graph_tail(graph)
        for block in sorted_blocks(lines, folder=tmp, run_bytes=run_bytes):
            # a line feed ends each line and only that (N-Triples escapes one in a literal): ".\n" is each
            # line's end, made the quad's end a block at a time
            yield b"".join(block).replace(b".\n", tail) if graph else b"".join(block)


class _LineStream(io.RawIOBase):
    """Lines from an iterator as a binary stream, for ``pyoxigraph.parse`` to read: the sorted lines go
    from the sort to the parser without a copy of them all (in memory or in a file); ``count``: the
    lines read so far."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        super().__init__()
        self._lines = iter(lines)
        self._rest = b""
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        want = len(buffer)
        data = self._rest
        if len(data) < want:
            parts, size = [data], len(data)
            for line in self._lines:  # lines, or blocks of them
                parts.append(line)
                size += len(line)
                if size >= want:
                    break
            data = b"".join(parts)
        n = min(want, len(data))
        buffer[:n] = memoryview(data)[:n]
        self.count += data.count(b"\n", 0, n)  # each line counted once, as its end is read
        self._rest = data[n:]
        return n


def _parsed(lines: Iterable[bytes], fmt: Any) -> tuple[_LineStream, Iterator[pyoxigraph.Quad]]:
    """(the stream, its quads) of N-Triples or N-Quads lines, parsed as they are read."""
    import pyoxigraph

    stream = _LineStream(lines)
    return stream, pyoxigraph.parse(io.BufferedReader(stream, buffer_size=1 << 20), format=fmt)


def _write_sorted(sources: Iterable[tuple[str, Iterable[bytes]]], fmt: str, out: BinaryIO, *, base: str,
                  tmp: Path | None, run_bytes: int = RUN_BYTES) -> int:
    """Write the export of ``sources`` (the graphs in the order of :func:`_graph_order`) in ``fmt`` to
    ``out``; the number of triples (quads) written. ``run_bytes``: the external sort's runs."""
    import pyoxigraph

    from mou_graph.io.extsort import sorted_blocks

    prefixes = dict(PREFIXES, id=base)
    if fmt in ("nt", "nquads"):
        n = 0
        for block in sorted_blocks(_records(sources, fmt), folder=tmp, run_bytes=run_bytes):
            out.writelines(block)
            n += len(block)
        return n
    if fmt == "jsonld":
        return _write_jsonld(sources, out, base=base, tmp=tmp, run_bytes=run_bytes)
    if fmt == "trig":
        stream, quads = _parsed(_trig_lines(sources, tmp, run_bytes), pyoxigraph.RdfFormat.N_QUADS)
        pyoxigraph.serialize(quads, out, pyoxigraph.RdfFormat.TRIG, prefixes=prefixes)
        return stream.count
    # the sorted lines, read by the parser as the sort gives them; quads of the default graph are the
    # triples to the serialisers of triple formats
    blocks = sorted_blocks(_records(sources, "nt"), folder=tmp, run_bytes=run_bytes)
    stream, triples = _parsed((b"".join(block) for block in blocks), pyoxigraph.RdfFormat.N_TRIPLES)
    if fmt == "turtle":
        pyoxigraph.serialize(triples, out, pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
        return stream.count
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL, dir=None if tmp is None else str(tmp)) as xml:
        pyoxigraph.serialize(triples, xml, pyoxigraph.RdfFormat.RDF_XML, prefixes=prefixes)
        xml.seek(0)
        while True:  # a piece at a time, cut at a line's end
            piece = xml.read(1 << 20)
            if not piece:
                break
            piece += xml.readline()
            # every character XML cannot carry is refused; a CR must travel as a reference (XML parsers
            # turn a raw one into a line feed; a CR can only be in text or attribute values here: IRIs
            # cannot hold one)
            out.write(well_formed_xml(piece, "RDF/XML").replace(b"\r", b"&#13;"))
    return stream.count


_SPOOL = 64 << 20


def _jsonld_namer(base: str) -> tuple[dict[str, Any], Any, Any]:
    """(the context, compact(iri), ref(name, blank)) of the JSON-LD export."""
    context = dict(jsonld_context(), id=base)
    prefixes: dict[str, str] = {}
    for prefix, ns in sorted(context.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        prefixes.setdefault(ns, prefix)
    # the longest namespace the IRI starts with and goes on after, not with "//" (the alternatives are
    # tried in order, longest first: one match in C instead of a test of each namespace)
    longest = re.compile("(" + "|".join(map(re.escape, prefixes)) + ")(?!//)(.+)", re.DOTALL)

    @functools.lru_cache(maxsize=1 << 16)  # predicates, classes and datatypes recur on every node
    def compact(iri: str) -> str:
        found = longest.match(iri)
        return f"{prefixes[found.group(1)]}:{found.group(2)}" if found else iri

    def ref(name: str, blank: bool) -> str:
        return f"_:{name}" if blank else compact(name)

    return context, compact, ref


def _write_jsonld(sources: Iterable[tuple[str, Iterable[bytes]]], out: BinaryIO, *, base: str,
                  tmp: Path | None, run_bytes: int) -> int:
    """JSON-LD written directly, so that the bytes are stable and every value keeps its form: one node object
    per subject, values as ``{"@id"}`` / ``{"@value", "@language" | "@type"}`` objects,
    IRIs compacted with the shipped context, nodes and values sorted. The nodes come out of
    the external sort grouped and ordered by their id; each is written as ``json.dumps`` of
    the whole document would write it."""
    import pyoxigraph

    from mou_graph.io.extsort import sorted_unique

    context, compact, ref = _jsonld_namer(base)

    def term_ref(term: Any) -> str:
        return ref(term.value, isinstance(term, pyoxigraph.BlankNode))

    string = json.JSONEncoder(ensure_ascii=False).encode
    # The layout is json.dumps(doc, indent=2, sort_keys=True)'s, with a node's values sorted by their
    # json.dumps(value, sort_keys=True): each value's text and that key are made once, as strings (json's
    # indenting encoder is pure Python and was most of the export's time): a node object at 4 spaces,
    # its keys at 6, a list's values at 8 and a value object's fields at 10.
    item, field = "\n        ", "\n          "

    def value(term: Any) -> tuple[str, str]:
        """(the sort key, the text) of a value: {"@id"} or {"@value", "@language" | "@type"}."""
        if not isinstance(term, pyoxigraph.Literal):
            pairs: tuple[tuple[str, str], ...] = (("@id", term_ref(term)),)
        elif term.language:
            pairs = (("@language", term.language), ("@value", term.value))
        elif term.datatype.value == _XSD_STRING:
            pairs = (("@value", term.value),)
        else:
            pairs = (("@type", compact(term.datatype.value)), ("@value", term.value))
        fields = [f"{string(k)}: {string(v)}" for k, v in pairs]
        return "{" + ", ".join(fields) + "}", "{" + field + ("," + field).join(fields) + item + "}"

    def dumps(x: Any) -> str:
        return json.dumps(x, ensure_ascii=False, indent=2, sort_keys=True)

    # "@context" then "@graph"
    out.write(("{\n  \"@context\": " + dumps(context).replace("\n", "\n  ") + ",\n  \"@graph\": [").encode("utf-8"))
    first = True

    def flush(ident: str, values: dict[str, list[tuple[str, str]]]) -> None:
        nonlocal first
        keys = [("@id", string(ident))]
        keys += [(k, "[" + item + ("," + item).join(text for _, text in sorted(v)) + "\n      ]")
                 for k, v in values.items()]
        keys.sort()
        text = "{\n      " + ",\n      ".join(f"{string(k)}: {t}" for k, t in keys) + "\n    }"
        out.write(((",\n    " if not first else "\n    ") + text).encode("utf-8"))
        first = False

    # the triples in the order of their node's id, parsed as the sort gives them and cut where the id changes
    records = sorted_unique(_records(sources, "jsonld", ref), folder=tmp, run_bytes=run_bytes)
    stream, quads = _parsed((record[record.index(b"\0") + 1:] for record in records), pyoxigraph.RdfFormat.N_TRIPLES)
    ident: str | None = None
    values: dict[str, list[tuple[str, str]]] = {}
    for q in quads:
        subject = term_ref(q.subject)
        if subject != ident:
            if ident is not None:
                flush(ident, values)
            ident, values = subject, {}
        if q.predicate.value == _RDF_TYPE and not isinstance(q.object, pyoxigraph.Literal):
            kind = string(term_ref(q.object))
            values.setdefault("@type", []).append((kind, kind))
        else:
            values.setdefault(compact(q.predicate.value), []).append(value(q.object))
    if ident is not None:
        flush(ident, values)
    n = stream.count
    out.write(("]\n}\n" if first else "\n  ]\n}\n").encode("utf-8"))
    return n


# -- serialisers -------------------------------------------------------------------
def _stream(sources: Any, fmt: str, *, base: str) -> bytes:
    import io

    buffer = io.BytesIO()
    _write_sorted(sources, fmt, buffer, base=base, tmp=None)  # the system's temporary folder
    return buffer.getvalue()


def serialize_triples(triples: Iterable[pyoxigraph.Triple], fmt: str, *, base: str) -> bytes:
    """Serialise triples in a triple format (turtle, nt, jsonld, rdfxml), deterministically."""
    if fmt in QUAD_FORMATS:
        raise UsageError(f"{fmt} keeps named graphs: serialise quads with serialize_quads")
    _check_format(fmt)
    return _stream(_list_lines(triples), fmt, base=base)


def describe_entity(store: GraphStore, iri: str, fmt: str, *,
                    keep: Callable[[pyoxigraph.Quad], bool] | None) -> bytes:
    """An entity's description in a triple format: the triples with ``iri`` as subject or object,
    from every graph, kept by ``keep`` (``publish.personal.is_public(store)``, computed once by the
    caller; None keeps all), distinct and sorted. The server's ``/data/<path>.<ext>`` and the
    static site's ``data/<path>.<ext>`` both give this."""
    import pyoxigraph

    node = pyoxigraph.NamedNode(iri)
    quads = [*store.store.quads_for_pattern(node, None, None, None),
             *store.store.quads_for_pattern(None, None, node, None)]
    triples = sorted({q.triple for q in quads if keep is None or keep(q)}, key=str)
    return serialize_triples(triples, fmt, base=store.settings.base)


def serialize_quads(quads: list[pyoxigraph.Quad], fmt: str, *, base: str,
                    rank: dict[str, int] | None = None) -> bytes:
    """Serialise quads as TriG or N-Quads; TriG takes the graphs in the order of ``rank``
    (graph IRI -> position; the others after them, by IRI) or, without it, of the quads."""
    _check_format(fmt)
    if fmt not in QUAD_FORMATS:
        raise UsageError(f"{fmt} is a triple format: serialise triples with serialize_triples")
    if rank is None:  # the graphs in the order they come in
        rank = {}
        for q in quads:
            rank.setdefault(q.graph_name.value, len(rank))
    return _stream(_list_lines(quads, rank), fmt, base=base)


_XSD_STRING = XSD + "string"


def rdf_bytes(quads: list[pyoxigraph.Quad], fmt: str, *, base: str) -> bytes:
    """The bytes of the export of ``quads`` (from :func:`export_quads`, in its order) in any RDF format."""
    _check_format(fmt)
    if fmt in QUAD_FORMATS:
        return serialize_quads(quads, fmt, base=base)
    return serialize_triples((q.triple for q in quads), fmt, base=base)


def export_rdf(store: GraphStore, fmt: str, output: Path | BinaryIO, *, include_personal: bool = False) -> int:
    """Write the graph to ``output`` in ``fmt``, streaming: the graphs are dumped by the store and
    put in order by an external sort, so memory stays bounded whatever the graph's size; the
    bytes are those of :func:`rdf_bytes` over :func:`export_quads`. A file is replaced atomically.
    Returns the number of triples (of quads for TriG and N-Quads) written."""
    _check_format(fmt)
    rank = _graph_rank(store)
    # the sort's runs are larger where the graph is on disk (a persistent store), not in this process
    run_bytes = STORE_RUN_BYTES if store.path is not None else RUN_BYTES
    with tempfile.TemporaryDirectory(prefix="mou-export-") as tmp:
        sources = _graph_lines(store, include_personal=include_personal, tmp=Path(tmp), rank=rank)
        if not isinstance(output, str | os.PathLike):  # a binary stream (standard output)
            n = _write_sorted(sources, fmt, output, base=store.settings.base, tmp=Path(tmp), run_bytes=run_bytes)
            output.flush()
            return n
        with atomic_output(Path(output)) as handle:
            return _write_sorted(sources, fmt, handle, base=store.settings.base, tmp=Path(tmp), run_bytes=run_bytes)
