"""Personal data: which nodes carry it, and the graph without them.

A node is personal when the graph says ``mou:personalData true`` of it (the contact
persons, and the source sentence that prints their names and telephone numbers).
Leaving personal data out removes those nodes, every triple that points at them, the
evidence about them or resting only on them, the claims about them or naming them as the value,
and the quotations resting only on personal sentences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mou_graph.config import ONTOLOGY_NS

if TYPE_CHECKING:
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = ["personal_nodes", "public_triples"]

_PERSONAL = f"""
PREFIX mou: <{ONTOLOGY_NS}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?x WHERE {{
  {{ ?x mou:personalData true }}
  UNION {{ ?x a mou:Evidence ; mou:about ?p . ?p mou:personalData true }}
  UNION {{ ?x a mou:Evidence .
          FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?s . FILTER NOT EXISTS {{ ?s mou:personalData true }} }} }}
  UNION {{ ?x a mou:Claim ; rdf:subject|rdf:object ?p . ?p mou:personalData true }}
  UNION {{ ?x a mou:Quotation .
          FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?s . FILTER NOT EXISTS {{ ?s mou:personalData true }} }} }}
}}"""


def personal_nodes(store: GraphStore) -> set[str]:
    """IRIs of the nodes to leave out when personal data is not wanted."""
    return {row["x"].value for row in store.query(_PERSONAL)}


def public_triples(store: GraphStore, graphs: list[str] | None = None) -> list[pyoxigraph.Triple]:
    """The store's triples (sorted) without personal data."""
    hidden = personal_nodes(store)
    return [t for t in store.triples(graphs) if t.subject.value not in hidden and t.object.value not in hidden]
