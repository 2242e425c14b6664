"""Deterministic RDF export: the same graph gives the same bytes, every run.

Triples are sorted before serialisation; there are no blank nodes in the graph, so a
sorted order is a canonical one. Files are written atomically.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import write_bytes
from .config import ONTOLOGY_NS
from .errors import UsageError
from .personal import public_triples

if TYPE_CHECKING:
    import pyoxigraph

    from .store import GraphStore

__all__ = ["PREFIXES", "RDF_FORMATS", "export_rdf", "serialize_triples"]

PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "mou": ONTOLOGY_NS,
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# format name -> (file extension, media type)
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "turtle": (".ttl", "text/turtle"),
    "nt": (".nt", "application/n-triples"),
    "jsonld": (".jsonld", "application/ld+json"),
}


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context shipped with the package (never fetched)."""
    text = resources.files("mou_graph").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def serialize_triples(triples: list[pyoxigraph.Triple], fmt: str, *, base: str) -> bytes:
    """Serialise sorted triples in ``fmt`` (one of :data:`RDF_FORMATS`)."""
    import pyoxigraph

    if fmt == "nt":
        data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        lines = sorted(set(data.decode("utf-8").splitlines()))
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    if fmt == "turtle":
        prefixes = dict(PREFIXES, id=base)
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    if fmt == "jsonld":
        return _jsonld(triples, base=base)
    raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(RDF_FORMATS)}")


def _jsonld(triples: list[pyoxigraph.Triple], *, base: str) -> bytes:
    import pyoxigraph
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    context = dict(jsonld_context(), id=base)
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = doc.get("@graph", [doc] if "@id" in doc else [])
    doc = {"@context": context, "@graph": sorted((_sorted_values(n) for n in nodes), key=lambda n: n["@id"])}
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _sorted_values(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _sorted_values(v) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((_sorted_values(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True,
                                                                                   ensure_ascii=False))
    return node


def export_rdf(store: GraphStore, fmt: str, output: Path, *, include_personal: bool = False) -> int:
    """Write the whole graph to ``output`` in ``fmt``; returns the number of triples."""
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(RDF_FORMATS)}")
    triples = store.triples() if include_personal else public_triples(store)
    write_bytes(Path(output), serialize_triples(triples, fmt, base=store.settings.base))
    return len(triples)
