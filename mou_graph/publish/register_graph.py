"""The register as a network of its actors, for Gephi and networkx: agreements, organisations,
people, areas and countries, and nothing else.

The entity projection (:mod:`mou_graph.publish.graphs`) keeps every IRI of the data as a node: with
a register that is mostly claims, supports, events and terms, which bury the actors. Here the
reification is read through instead:

* nodes: the agreements, their parties (and the organisations acting or renamed around them), the
  people who took part in their events, their areas of cooperation (with the broader areas), and the
  organisations' countries; each with ``kind`` (``agreement``, ``organisation``, ``person``, ``area``,
  ``country``), ``iri``, ``type``, labels by :func:`mou_graph.lang.pick`, and for an agreement
  ``signed`` (as the source gives it: a day, a month or a year) and ``year``;
* edges: agreement → party (``mou:party``), agreement → area (``mou:area``, ``mou:scope``),
  agreement → person in a role (``mou:SignatoryRole``, ``mou:WitnessRole``, ``mou:AnnouncerRole``; from
  the events' participations, or ``mou:signatory`` / ``mou:witness`` where an agreement has no event
  records), person → organisation (``mou:onBehalfOf``), organisation → country (``mou:country``),
  agreement → agreement (``mou:succeeds``, ``mou:amends``, ``mou:revises``), renamed organisation → its
  earlier self (``org:resultedFrom``, through the W3C ORG change event), area → broader area
  (``skos:broader``).

Personal data (contact persons) stays out unless asked for, as in every export.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from mou_graph.lang import LANGUAGES, check_language, pick
from mou_graph.vocab import MOU, ORG, RDFS, SKOS, curie

if TYPE_CHECKING:
    import networkx as nx

    from mou_graph.store import GraphStore

__all__ = ["register_graph"]


_AGREEMENTS = f"""SELECT DISTINCT ?x WHERE {{ {{ ?x a <{MOU}Agreement> }}
    UNION {{ ?x a <{MOU}MemorandumOfUnderstanding> }} }}"""
_EDGES = f"""PREFIX mou: <{MOU}> PREFIX org: <{ORG}> PREFIX skos: <{SKOS}>
SELECT DISTINCT ?s ?key ?o WHERE {{
  {{ ?s mou:party ?o BIND ("mou:party" AS ?key) }}
  UNION {{ ?s mou:area ?o BIND ("mou:area" AS ?key) }}
  UNION {{ ?s mou:scope ?o BIND ("mou:scope" AS ?key) }}
  UNION {{ ?s mou:succeeds ?o BIND ("mou:succeeds" AS ?key) }}
  UNION {{ ?s mou:amends ?o BIND ("mou:amends" AS ?key) }}
  UNION {{ ?s mou:revises ?o BIND ("mou:revises" AS ?key) }}
  UNION {{ ?s mou:event/mou:participation ?p . ?p mou:participant ?o ; mou:role ?role
           BIND (CONCAT("mou:", STRAFTER(STR(?role), STR(mou:))) AS ?key) }}
  UNION {{ ?s mou:signatory ?o BIND ("mou:SignatoryRole" AS ?key)
           FILTER NOT EXISTS {{ ?s mou:event/mou:participation/mou:participant ?o }} }}
  UNION {{ ?s mou:witness ?o BIND ("mou:WitnessRole" AS ?key)
           FILTER NOT EXISTS {{ ?s mou:event/mou:participation/mou:participant ?o }} }}
  UNION {{ ?p mou:participant ?s ; mou:onBehalfOf ?o BIND ("mou:onBehalfOf" AS ?key) }}
  UNION {{ ?c org:resultingOrganization ?s ; org:originalOrganization ?o BIND ("org:resultedFrom" AS ?key) }}
  UNION {{ ?e mou:agent ?o . ?s mou:event ?e BIND ("mou:agent" AS ?key) }}
}}"""
_EDGE_PROPS = {"mou:party": MOU + "party", "mou:area": MOU + "area", "mou:scope": MOU + "scope",
               "mou:succeeds": MOU + "succeeds", "mou:amends": MOU + "amends", "mou:revises": MOU + "revises",
               "mou:SignatoryRole": MOU + "SignatoryRole", "mou:WitnessRole": MOU + "WitnessRole",
               "mou:AnnouncerRole": MOU + "AnnouncerRole", "mou:onBehalfOf": MOU + "onBehalfOf",
               "org:resultedFrom": ORG + "resultedFrom", "mou:agent": MOU + "agent", "mou:country": MOU + "country",
               "skos:broader": SKOS + "broader"}
# the kind of the node at each end of an edge
_ENDS = {"mou:party": ("agreement", "organisation"), "mou:area": ("agreement", "area"),
         "mou:scope": ("agreement", "area"), "mou:succeeds": ("agreement", "agreement"),
         "mou:amends": ("agreement", "agreement"), "mou:revises": ("agreement", "agreement"),
         "mou:SignatoryRole": ("agreement", "person"), "mou:WitnessRole": ("agreement", "person"),
         "mou:AnnouncerRole": ("agreement", "person"), "mou:onBehalfOf": ("person", "organisation"),
         "org:resultedFrom": ("organisation", "organisation"), "mou:agent": ("agreement", "organisation")}


def register_graph(store: GraphStore, *, lang: str = "th", include_personal: bool = False) -> nx.MultiDiGraph:
    """The actors of the register and how they are linked (see the module's docstring)."""
    import networkx as nx

    from mou_graph.publish.personal import personal_nodes

    lang = check_language(lang)
    base = store.settings.base
    hidden = set() if include_personal else personal_nodes(store)
    agreements = {r["x"].value for r in store.query(_AGREEMENTS)} - hidden
    kinds: dict[str, str] = {a: "agreement" for a in agreements}
    edges: set[tuple[str, str, str]] = set()
    for r in store.query(_EDGES):
        s, key, o = r["s"].value, r["key"].value, r["o"].value
        ends = _ENDS.get(key)
        if ends is None or s in hidden or o in hidden:
            continue
        if ends[0] == "agreement" and s not in agreements:
            continue
        if ends[1] == "agreement" and o not in agreements:
            continue
        edges.add((s, o, key))
        for node, kind in zip((s, o), ends, strict=True):
            kinds.setdefault(node, kind)
    # keep only people and organisations linked to some agreement (directly or as a party's other name)
    linked = {n for s, o, _ in edges for n in (s, o)}
    kinds = {n: k for n, k in kinds.items() if n in linked or k == "agreement"}
    edges = {e for e in edges if e[0] in kinds and e[1] in kinds}
    for r in store.query(f"SELECT ?s ?c WHERE {{ ?s <{MOU}country> ?c }}"):
        s, c = r["s"].value, r["c"].value
        if kinds.get(s) == "organisation" and c not in hidden:
            kinds.setdefault(c, "country")
            edges.add((s, c, "mou:country"))
    broader: dict[str, set[str]] = defaultdict(set)
    for r in store.query(f"""SELECT DISTINCT ?c ?b WHERE {{ {{ ?c <{SKOS}broader> ?b }}
            UNION {{ ?b <{SKOS}narrower> ?c }} }}"""):
        broader[r["c"].value].add(r["b"].value)
    todo = [n for n, k in kinds.items() if k == "area"]
    while todo:
        area = todo.pop()
        for b in broader.get(area, ()):
            edges.add((area, b, "skos:broader"))
            if b not in kinds:
                kinds[b] = "area"
                todo.append(b)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    alt: dict[str, dict[str, str]] = defaultdict(dict)
    for r in store.query(f"""SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ <{SKOS}prefLabel> <{RDFS}label> }}
            ?s ?p ?l FILTER (isLiteral(?l)) }}"""):
        s = r["s"].value
        if s in kinds or s in _EDGE_PROPS.values():
            target = labels if r["p"].value == SKOS + "prefLabel" else alt
            code = r["l"].language or ""
            if code not in target[s] or r["l"].value < target[s][code]:
                target[s][code] = r["l"].value
    types: dict[str, set[str]] = defaultdict(set)
    for r in store.query("SELECT ?s ?t WHERE { ?s a ?t }"):
        if r["s"].value in kinds:
            types[r["s"].value].add(curie(r["t"].value, base=base))
    signed = _signing_dates(store)
    graph = nx.MultiDiGraph(projection="register", lang=lang)
    for node in sorted(kinds):
        texts = {**alt.get(node, {}), **labels.get(node, {})}
        attrs = {"iri": node, "kind": kinds[node], "label": pick(texts, lang) or curie(node, base=base)}
        attrs.update({f"label_{c}": texts[c] for c in LANGUAGES if c in texts})
        if types.get(node):
            attrs["type"] = " | ".join(sorted(types[node]))
        if node in signed:
            attrs["signed"], attrs["year"] = signed[node], signed[node][:4]
        graph.add_node(node, **attrs)
    for s, o, key in sorted(edges, key=lambda e: (e[0], e[2], e[1])):
        prop = _EDGE_PROPS[key]
        texts = {**alt.get(prop, {}), **labels.get(prop, {})}
        attrs = {"property": prop, "label": pick(texts, lang) or key}
        attrs.update({f"label_{c}": texts[c] for c in LANGUAGES if c in texts})
        graph.add_edge(s, o, key=key, **attrs)
    return graph


def _signing_dates(store: GraphStore) -> dict[str, str]:
    """Agreement -> its signing date as a source gives it (the event's date, else ``mou:signingDate``)."""
    out: dict[str, str] = {}
    for r in store.query(f"""SELECT ?a ?d WHERE {{ ?a <{MOU}event> ?e . ?e a <{MOU}Signing> ; <{MOU}date> ?d }}"""):
        out[r["a"].value] = min(out.get(r["a"].value, r["d"].value), r["d"].value)
    for r in store.query(f"SELECT ?a ?d WHERE {{ ?a <{MOU}signingDate> ?d }}"):
        out.setdefault(r["a"].value, r["d"].value)
    return out
