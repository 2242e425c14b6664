"""Summary figures of the graph: triples, entities per class, labels per language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mou_graph.lang import pick

if TYPE_CHECKING:
    from mou_graph.store import GraphStore

__all__ = ["Stats", "graph_stats"]

_PER_CLASS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) (SAMPLE(?th) AS ?label_th) (SAMPLE(?en) AS ?label_en) WHERE {
  GRAPH ?g { ?x a ?class }
  FILTER (?g != <%(ontology)s>)
  OPTIONAL { ?class rdfs:label ?th FILTER (lang(?th) = "th") }
  OPTIONAL { ?class rdfs:label ?en FILTER (lang(?en) = "en") }
} GROUP BY ?class ORDER BY DESC(?n) STR(?class)"""

_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?lang (COUNT(*) AS ?n) WHERE {
  ?x rdfs:label|skos:prefLabel|skos:altLabel ?l BIND (lang(?l) AS ?lang)
} GROUP BY ?lang ORDER BY ?lang"""


@dataclass(frozen=True)
class Stats:
    triples: int
    graphs: dict[str, int]
    classes: list[tuple[str, dict[str, str], int]]
    labels: dict[str, int]

    def to_text(self, lang: str = "th") -> str:
        t = {
            "triples": {"th": "จำนวนทริเพิล", "en": "Triples"},
            "graphs": {"th": "กราฟย่อย", "en": "Named graphs"},
            "classes": {"th": "จำนวนสมาชิกของแต่ละคลาส", "en": "Entities per class"},
            "labels": {"th": "ป้ายชื่อตามภาษา", "en": "Labels per language"},
        }
        lines = [f"{pick(t['triples'], lang)}: {self.triples}", "", f"{pick(t['graphs'], lang)}:"]
        lines += [f"  {name:<10} {n:>6}" for name, n in self.graphs.items()]
        lines += ["", f"{pick(t['classes'], lang)}:"]
        for iri, labels, n in self.classes:
            lines.append(f"  {n:>5}  {pick(labels, lang) or iri}  <{iri}>")
        lines += ["", f"{pick(t['labels'], lang)}:"]
        lines += [f"  {code or '-':<4} {n:>6}" for code, n in self.labels.items()]
        return "\n".join(lines) + "\n"


def graph_stats(store: GraphStore) -> Stats:
    """Count what the store holds."""
    from mou_graph.config import GRAPHS

    graphs = {name: sum(1 for _ in store.quads([name])) for name in GRAPHS}
    classes = []
    for row in store.query(_PER_CLASS % {"ontology": store.settings.graph_iri("ontology")}):
        labels = {k: row[f"label_{k}"].value for k in ("th", "en") if row[f"label_{k}"] is not None}
        classes.append((row["class"].value, labels, int(row["n"].value)))
    labels = {row["lang"].value: int(row["n"].value) for row in store.query(_LABELS)}
    return Stats(triples=len(store.triples()), graphs=graphs, classes=classes, labels=labels)
