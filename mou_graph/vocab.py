"""The vocabularies the graph speaks: one home for every namespace and for the project's prefix table.

Namespaces are plain strings (pyoxigraph, rdflib and the SPARQL text all take them so); build a term
with ``RDFS + "label"``. :data:`PREFIXES` is the table every serialiser, table writer and compact IRI
uses, so a prefix means the same thing in Turtle, in a query's results and on a page.

>>> PREFIXES["skos"] == SKOS
True
>>> curie("http://www.w3.org/2004/02/skos/core#prefLabel")
'skos:prefLabel'
>>> curie("https://w3id.org/mou-graph/id/org/mdes", base="https://w3id.org/mou-graph/id/")
'id:org/mdes'
>>> curie("urn:x-unknown:thing")
'urn:x-unknown:thing'
"""

from __future__ import annotations

import functools

from mou_graph.config import DEFAULT_BASE, GRAPH_NS, ONTOLOGY_IRI, ONTOLOGY_NS

__all__ = [
    "DCAT", "DCTERMS", "DEFAULT_BASE", "FORMATS", "GRAPH_NS", "MOU", "NIF", "ONTOLOGY_IRI", "ONTOLOGY_NS", "ORG",
    "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "RDF_TYPE", "SCHEMA", "SD", "SH", "SHAPES_NS", "SKOS",
    "TIME", "VOID", "XSD", "curie",
]

MOU = ONTOLOGY_NS
SHAPES_NS = "https://w3id.org/mou-graph/shapes#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FORMATS = "http://www.w3.org/ns/formats/"  # the W3C's names of result and RDF formats
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ORG = "http://www.w3.org/ns/org#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "https://schema.org/"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TIME = "http://www.w3.org/2006/time#"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_TYPE = RDF + "type"

PREFIXES: dict[str, str] = {
    "dcterms": DCTERMS,
    "mou": MOU,
    "nif": NIF,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "time": TIME,
    "xsd": XSD,
}


def curie(iri: str, *, base: str | None = None) -> str:
    """A compact name for ``iri`` with :data:`PREFIXES` (and ``id:`` for ``base``); the longest namespace
    wins (of prefixes naming one namespace, the first by name)."""
    for ns, prefix in _namespaces(base or None, tuple(PREFIXES.items())):
        if len(iri) > len(ns) and iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@functools.lru_cache(maxsize=16)
def _namespaces(base: str | None, prefixes: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(namespace, prefix) longest first, then by prefix: the first that ``iri`` starts with is :func:`curie`'s."""
    table = dict(prefixes, id=base) if base else dict(prefixes)
    return tuple(sorted(((ns, p) for p, ns in table.items()), key=lambda item: (-len(item[0]), item[1])))
