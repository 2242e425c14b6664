"""Summary figures of the graph: triples, entities per class, labels per language, and the register's
figures (agreements by kind and by status on a day, by the catalogue's one rule; events by kind; claims
by kind of support; conflicts; reports cited; partner countries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mou_graph.lang import pick
from mou_graph.vocab import MOU

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


_MOU = MOU
_REGISTER = {
    # figure -> a query of (?key ?n): the key is an IRI (labelled from the graph) or a plain value
    "agreements": f"""SELECT ?key (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{_MOU}Agreement> , ?key .
        FILTER (?key != <{_MOU}Agreement> || NOT EXISTS {{ ?a a ?other .
                ?other <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{_MOU}Agreement> }}) }}
        GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "events": f"""SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?a <{_MOU}event> ?e . ?e a ?key .
        FILTER (?key != <{_MOU}Event>) }} GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "supports": f"""SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE {{
        ?c a <{_MOU}Claim> ; <{_MOU}support> ?s . ?s a ?key .
        FILTER (?key IN (<{_MOU}Quotation>, <{_MOU}Citation>)) }} GROUP BY ?key ORDER BY ?key""",
    "conflicts": f"""SELECT ("" AS ?key) (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?claim <{_MOU}conflict> ?c }}""",
    "reports": f"""SELECT ("" AS ?key) (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{_MOU}Report> }}""",
    "countries": f"""SELECT ?key (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a <{_MOU}party>/<{_MOU}country> ?key }}
        GROUP BY ?key ORDER BY DESC(?n) ?key""",
}
_HEADINGS = {
    "agreements": {"th": "ความตกลงตามประเภท", "en": "Agreements by kind"},
    "status": {"th": "ความตกลงตามสถานะ ณ วันที่", "en": "Agreements by status on"},
    "events": {"th": "เหตุการณ์ตามประเภท", "en": "Events by kind"},
    "supports": {"th": "ข้อเท็จจริง (claim) ตามประเภทของที่มา", "en": "Claims by kind of support"},
    "conflicts": {"th": "ข้อเท็จจริงที่แหล่งข่าวให้ค่าไม่ตรงกัน", "en": "Claims on which sources disagree"},
    "reports": {"th": "รายงานที่อ้างอิง", "en": "Reports cited"},
    "countries": {"th": "ความตกลงตามประเทศของภาคี", "en": "Agreements by the parties' countries"},
}


@dataclass(frozen=True)
class Stats:
    triples: int
    graphs: dict[str, int]
    classes: list[tuple[str, dict[str, str], int]]
    labels: dict[str, int]
    # figure -> [(key, {lang: label}, count)]; "status" holds the day in ``day``
    register: dict[str, list[tuple[str, dict[str, str], int]]] = field(default_factory=dict)
    day: str = ""

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
        for name, rows in self.register.items():
            head = pick(_HEADINGS[name], lang) or name
            lines += ["", f"{head} {self.day}:" if name == "status" else f"{head}:"]
            lines += [f"  {n:>5}  {pick(labels, lang) or key}" + (f"  <{key}>" if ":" in key else "")
                      for key, labels, n in rows]
        return "\n".join(lines) + "\n"


def graph_stats(store: GraphStore, *, day: dt.date | None = None) -> Stats:
    """Count what the store holds; statuses are the catalogue's rule (``status-on``) on ``day`` (today)."""
    from mou_graph.config import GRAPHS

    graphs = {name: sum(1 for _ in store.quads([name])) for name in GRAPHS}
    classes = []
    for row in store.query(_PER_CLASS % {"ontology": store.settings.graph_iri("ontology")}):
        labels = {k: row[f"label_{k}"].value for k in ("th", "en") if row[f"label_{k}"] is not None}
        classes.append((row["class"].value, labels, int(row["n"].value)))
    labels = {row["lang"].value: int(row["n"].value) for row in store.query(_LABELS)}
    day = day or dt.date.today()
    return Stats(triples=len(store.triples()), graphs=graphs, classes=classes, labels=labels,
                 register=_register(store, day), day=day.isoformat())


def _register(store: GraphStore, day: dt.date) -> dict[str, list[tuple[str, dict[str, str], int]]]:
    import pyoxigraph

    def labels_of(term: Any) -> dict[str, str]:
        if not isinstance(term, pyoxigraph.NamedNode):
            return {}
        out: dict[str, str] = {}
        for row in store.query("""SELECT ?x ?l WHERE { ?x <http://www.w3.org/2004/02/skos/core#prefLabel>|"""
                               """<http://www.w3.org/2000/01/rdf-schema#label> ?l }""", substitutions={"x": term}):
            out.setdefault(row["l"].language or "", row["l"].value)
        return out

    figures: dict[str, list[tuple[str, dict[str, str], int]]] = {}
    for name, sparql in _REGISTER.items():
        rows = [(r["key"].value, labels_of(r["key"]), int(r["n"].value)) for r in store.query(sparql)]
        figures[name] = [row for row in rows if row[2]]
    figures["status"] = _statuses(store, day)
    order = ("agreements", "status", "events", "supports", "conflicts", "reports", "countries")
    return {name: figures[name] for name in order if figures.get(name)}


def _statuses(store: GraphStore, day: dt.date) -> list[tuple[str, dict[str, str], int]]:
    """How many agreements have each status on ``day``, by the catalogue's one rule."""
    from collections import Counter

    from mou_graph.query.catalogue import catalogue_of
    from mou_graph.query.run import run_local

    entry = catalogue_of(store.settings.root).get("status-on")
    counts: Counter[str] = Counter()
    labels: dict[str, dict[str, str]] = {}
    for lang in ("th", "en"):
        for row in run_local(store, entry.text, entry.bind({"date": day.isoformat()}, lang,
                                                            base=store.settings.base)).rows:
            key = row["status"].value
            if lang == "th":
                counts[key] += 1
            if row.get("statusLabel") is not None:
                labels.setdefault(key, {})[row["statusLabel"].language or lang] = row["statusLabel"].value
    return [(key, labels.get(key, {}), n) for key, n in counts.most_common()]
