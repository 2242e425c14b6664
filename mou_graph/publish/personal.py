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

_PREFIXES = f"""PREFIX mou: <{ONTOLOGY_NS}>
PREFIX prov: <{PROV}>
PREFIX rdf: <{RDF}>
"""
# the rule's cases, each the body of a query of its own: one query holding all of them (a UNION) is
# evaluated in a far worse order by the engine (16 s against 2 s in all at 10,000 agreements), and the
# DISTINCT ?x of a UNION is the union of the cases' ?x. ``?personal`` is bound to the personal graph.
_ONLY_PERSONAL = """GRAPH ?personal {{ ?{v} ?{v}p0 ?{v}o0 }}
  FILTER NOT EXISTS {{ GRAPH ?{v}g {{ ?{v} ?{v}p1 ?{v}o1 }} FILTER (?{v}g != ?personal) }}"""
_PERSONAL_CASES = (
    "?x mou:personalData true",
    _ONLY_PERSONAL.format(v="x"),
    # the evidence about a personal node, the node marked or only in the personal graph
    "?p mou:personalData true . ?x mou:about ?p . ?x a mou:Evidence",
    _ONLY_PERSONAL.format(v="p") + " ?x mou:about ?p . ?x a mou:Evidence",
    "?x a mou:Evidence . FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s . "
    "FILTER NOT EXISTS { ?s mou:personalData true } }",
    "?x a mou:Claim ; rdf:subject|rdf:object ?p . ?p mou:personalData true",
    "?x a mou:Quotation . FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s . "
    "FILTER NOT EXISTS { ?s mou:personalData true } }",
)


def personal_nodes(store: GraphStore) -> set[str]:
    """IRIs of the nodes to leave out when personal data is not wanted."""
    import pyoxigraph

    personal = pyoxigraph.NamedNode(store.settings.graph_iri("personal"))  # a real term, written by pyoxigraph
    return {row["x"].value for case in _PERSONAL_CASES
            for row in store.query(f"{_PREFIXES}SELECT DISTINCT ?x WHERE {{ VALUES ?personal {{ {personal} }}\n"
                                   f"  {case}\n}}")}


def is_public(store: GraphStore, hidden: set[str] | None = None) -> Callable[[pyoxigraph.Quad], bool]:
    """The one personal-data rule as a test of a quad: False for a quad of the ``personal`` graph and
    for one whose subject or object is a personal node (``hidden``: :func:`personal_nodes` of the
    store, when the caller has them already)."""
    if hidden is None:
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
