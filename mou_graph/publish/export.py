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

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mou_graph.config import GRAPHS
from mou_graph.errors import UsageError
from mou_graph.io.atomic import write_bytes
from mou_graph.io.rdfio import serialized, well_formed_xml
from mou_graph.publish.personal import public_quads
from mou_graph.vocab import PREFIXES, XSD
from mou_graph.vocab import RDF_TYPE as _RDF_TYPE

if TYPE_CHECKING:
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = [
    "QUAD_FORMATS",
    "RDF_FORMATS",
    "export_quads",
    "export_rdf",
    "export_triples",
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
    """
    rank = _graph_rank(store)
    quads = list(store.quads()) if include_personal else public_quads(store)
    return sorted(quads, key=lambda q: (rank.get(q.graph_name.value, len(rank)), q.graph_name.value,
                                        str(q.subject), str(q.predicate), str(q.object)))


def export_triples(store: GraphStore, *, include_personal: bool = False) -> list[pyoxigraph.Triple]:
    """The distinct triples of :func:`export_quads`, sorted by their text."""
    return _distinct_triples(export_quads(store, include_personal=include_personal))


def _distinct_triples(quads: list[pyoxigraph.Quad]) -> list[pyoxigraph.Triple]:
    return sorted({q.triple for q in quads}, key=str)


# -- serialisers -------------------------------------------------------------------
def serialize_triples(triples: list[pyoxigraph.Triple], fmt: str, *, base: str) -> bytes:
    """Serialise triples in a triple format (turtle, nt, jsonld, rdfxml), deterministically."""
    import pyoxigraph

    triples = sorted(set(triples), key=str)
    prefixes = dict(PREFIXES, id=base)
    if fmt == "nt":
        return _sorted_lines(serialized(triples, pyoxigraph.RdfFormat.N_TRIPLES))
    if fmt == "turtle":
        return serialized(triples, pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    if fmt == "rdfxml":
        data = serialized(triples, pyoxigraph.RdfFormat.RDF_XML, prefixes=prefixes)
        # XML parsers turn a raw carriage return into a line feed; only a character reference keeps it
        # (a CR can only be in text or attribute values here: IRIs cannot hold one)
        return well_formed_xml(data.replace(b"\r", b"&#13;"), "RDF/XML")
    if fmt == "jsonld":
        return _jsonld(triples, base=base)
    if fmt in QUAD_FORMATS:
        raise UsageError(f"{fmt} keeps named graphs: serialise quads with serialize_quads")
    _check_format(fmt)
    raise AssertionError(fmt)  # pragma: no cover - every format is handled above


def serialize_quads(quads: list[pyoxigraph.Quad], fmt: str, *, base: str) -> bytes:
    """Serialise quads (in the given, canonical order) as TriG or N-Quads."""
    import pyoxigraph

    if fmt == "nquads":
        return _sorted_lines(serialized(quads, pyoxigraph.RdfFormat.N_QUADS))
    if fmt == "trig":
        return serialized(quads, pyoxigraph.RdfFormat.TRIG, prefixes=dict(PREFIXES, id=base))
    _check_format(fmt)
    raise UsageError(f"{fmt} is a triple format: serialise triples with serialize_triples")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _jsonld(triples: list[pyoxigraph.Triple], *, base: str) -> bytes:
    """JSON-LD written directly, so that the bytes are stable and every value keeps its form: one node object
    per subject, values as ``{"@id"}`` / ``{"@value", "@language" | "@type"}`` objects,
    IRIs compacted with the shipped context, nodes and values sorted."""
    import pyoxigraph

    context = dict(jsonld_context(), id=base)
    namespaces = sorted(context.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def compact(iri: str) -> str:
        for prefix, ns in namespaces:
            rest = iri[len(ns):]
            if iri.startswith(ns) and rest and not rest.startswith("//"):
                return f"{prefix}:{rest}"
        return iri

    def ref(term: Any) -> str:
        return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else compact(term.value)

    def value(term: Any) -> dict[str, str]:
        if not isinstance(term, pyoxigraph.Literal):
            return {"@id": ref(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        node = nodes.setdefault(ref(t.subject), {"@id": ref(t.subject)})
        if t.predicate.value == _RDF_TYPE and not isinstance(t.object, pyoxigraph.Literal):
            node.setdefault("@type", []).append(ref(t.object))
        else:
            node.setdefault(compact(t.predicate.value), []).append(value(t.object))
    doc = {"@context": context, "@graph": sorted((_sorted_values(n) for n in nodes.values()), key=lambda n: n["@id"])}
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


_XSD_STRING = XSD + "string"


def _sorted_values(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _sorted_values(v) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((_sorted_values(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True,
                                                                                   ensure_ascii=False))
    return node


def rdf_bytes(quads: list[pyoxigraph.Quad], fmt: str, *, base: str) -> bytes:
    """The bytes of the export of ``quads`` (from :func:`export_quads`) in any RDF format."""
    _check_format(fmt)
    if fmt in QUAD_FORMATS:
        return serialize_quads(quads, fmt, base=base)
    return serialize_triples(_distinct_triples(quads), fmt, base=base)


def export_rdf(store: GraphStore, fmt: str, output: Path | BinaryIO, *, include_personal: bool = False) -> int:
    """Write the graph to ``output`` in ``fmt``; returns the number of triples (of quads
    for TriG and N-Quads) written."""
    _check_format(fmt)
    quads = export_quads(store, include_personal=include_personal)
    write_bytes(output if hasattr(output, "write") else Path(output), rdf_bytes(quads, fmt, base=store.settings.base))
    return len(quads) if fmt in QUAD_FORMATS else len(_distinct_triples(quads))
