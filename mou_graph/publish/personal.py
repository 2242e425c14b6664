"""Personal data: which nodes carry it, and the graph without them.

A node is personal when the graph says ``mou:personalData true`` of it (the contact
persons, and the source sentence that prints their names and telephone numbers), or when it is
described in the ``personal`` graph (``data/contacts.ttl``) and nowhere else, marked or not. Leaving personal data
out removes the ``personal`` graph, those nodes, every triple that points at them, the
evidence about them or resting only on them, the claims (ontology 0.2) about them or naming them as
the value, and the quotations resting only on personal sentences: :func:`is_public` is that one rule,
and every output (exports, push, the endpoint's workers, pages and search) goes through it or
:func:`personal_nodes`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from mou_graph.config import ONTOLOGY_NS
from mou_graph.vocab import PROV, RDF

if TYPE_CHECKING:
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = ["is_public", "personal_nodes", "public_quads", "public_triples"]

_PERSONAL = f"""
PREFIX mou: <{ONTOLOGY_NS}>
PREFIX prov: <{PROV}>
PREFIX rdf: <{RDF}>
SELECT DISTINCT ?x WHERE {{
  VALUES ?personal {{ %s }}
  {{ ?x mou:personalData true }}
  UNION {{ GRAPH ?personal {{ ?x ?p0 ?o0 }}
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?x ?p1 ?o1 }} FILTER (?g != ?personal) }} }}
  UNION {{ ?x a mou:Evidence ; mou:about ?p .
          {{ ?p mou:personalData true }}
          UNION {{ GRAPH ?personal {{ ?p ?p2 ?o2 }}
                  FILTER NOT EXISTS {{ GRAPH ?h {{ ?p ?p3 ?o3 }} FILTER (?h != ?personal) }} }} }}
  UNION {{ ?x a mou:Evidence .
          FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?s . FILTER NOT EXISTS {{ ?s mou:personalData true }} }} }}
  UNION {{ ?x a mou:Claim ; rdf:subject|rdf:object ?p . ?p mou:personalData true }}
  UNION {{ ?x a mou:Quotation .
          FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?s . FILTER NOT EXISTS {{ ?s mou:personalData true }} }} }}
}}"""


def personal_nodes(store: GraphStore) -> set[str]:
    """IRIs of the nodes to leave out when personal data is not wanted."""
    import pyoxigraph

    personal = pyoxigraph.NamedNode(store.settings.graph_iri("personal"))  # a real term, written by pyoxigraph
    return {row["x"].value for row in store.query(_PERSONAL % personal)}


def is_public(store: GraphStore) -> Callable[[pyoxigraph.Quad], bool]:
    """The one personal-data rule as a test of a quad: False for a quad of the ``personal`` graph and
    for one whose subject or object is a personal node."""
    hidden = personal_nodes(store)
    personal = store.settings.graph_iri("personal")
    return lambda q: (q.graph_name.value != personal and q.subject.value not in hidden
                      and q.object.value not in hidden)


def public_quads(store: GraphStore, graphs: Iterable[str] | None = None) -> list[pyoxigraph.Quad]:
    """The quads of the given graphs (or of all) without personal data, in the store's order."""
    public = is_public(store)
    return [q for q in store.quads(graphs) if public(q)]


def public_triples(store: GraphStore, graphs: list[str] | None = None) -> list[pyoxigraph.Triple]:
    """The distinct triples of :func:`public_quads`, sorted by their text (as ``GraphStore.triples``)."""
    import pyoxigraph

    return sorted({pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in public_quads(store, graphs)}, key=str)
