"""The neighbourhood graph of an entity page: its links ranked by importance, as a table and as data.

The ranking is :data:`TIERS`, its one home: the links of a page are ordered by the tier of their
property, then by the property's place in its tier, links from the page before links to it, then by
the linked thing's label. The tiers, most important first:

1. ``who``: participants and signatories (``mou:party``, ``mou:signatory``, ``mou:participant``,
   ``mou:onBehalfOf``, ``mou:speaker``, ``mou:agent``, ``mou:witness``);
2. ``roles``: posts and organisations (``org:holds``, ``org:heldBy``, ``mou:post``, ``mou:country`` ...);
3. ``when``: dates and events (``mou:event``, the terms, ``mou:participation``, ``mou:ceremony`` ...);
4. ``what``: what the agreement says and the agreements it follows (``mou:scope``, ``mou:objective``,
   ``mou:principle``, ``mou:statement``, ``mou:succeeds`` ...);
5. ``areas``: areas and activities (``mou:area``, ``mou:activity``, ``mou:concerns``, the SKOS tree);
6. ``other``: every other property (contact points, mentions, sources), by its label.

The page shows all of them as a table (templates/graph.html: the accessible form, and the whole of it
without JavaScript) and carries them as JSON for static/graph-0.1.0.js, which draws the first ones
and, for each linked entity, the first :data:`HOP_LINKS` of its own links (drawn when a reader
expands it). The drawing never re-ranks: it draws in the order given here.

>>> rank_key("out", MOU + "area", "Big data", "x") < rank_key("out", MOU + "signatory", "Zed", "y")
False
>>> [t for t, _ in TIERS]
['who', 'roles', 'when', 'what', 'areas', 'other']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mou_graph.vocab import DCTERMS, MOU, ORG, PROV, RDFS, SKOS

if TYPE_CHECKING:
    from mou_graph.present.pages import PageData

__all__ = ["HOP_LINKS", "TIERS", "neighbourhood", "rank_key", "ranked_links", "tier_of"]

TIERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("who", (MOU + "party", MOU + "signatory", MOU + "participant", MOU + "onBehalfOf", MOU + "speaker",
             MOU + "agent", MOU + "witness")),
    ("roles", (ORG + "holds", ORG + "heldBy", MOU + "post", ORG + "postIn", MOU + "tenure", MOU + "role",
               ORG + "role", ORG + "memberOf", ORG + "subOrganizationOf", ORG + "unitOf", MOU + "country",
               ORG + "originalOrganization", ORG + "resultingOrganization", ORG + "changedBy",
               ORG + "resultedFrom")),
    ("when", (MOU + "event", MOU + "initialTerm", MOU + "extensionTerm", MOU + "totalTerm",
              MOU + "participation", MOU + "ceremony", MOU + "place")),
    ("what", (MOU + "scope", MOU + "objective", MOU + "principle", MOU + "statement", MOU + "succeeds",
              MOU + "revises", MOU + "amends", MOU + "partOf")),
    ("areas", (MOU + "area", MOU + "activity", MOU + "concerns", SKOS + "broader", SKOS + "narrower",
               SKOS + "topConceptOf", SKOS + "hasTopConcept", SKOS + "inScheme")),
    ("other", (MOU + "contactPoint", MOU + "mentions", MOU + "cites", DCTERMS + "publisher",
               PROV + "wasDerivedFrom", RDFS + "seeAlso")),
)
_PLACE = {prop: (tier, place) for tier, (_name, props) in enumerate(TIERS) for place, prop in enumerate(props)}
HOP_LINKS = 12  # the links of a linked entity carried for drawing it expanded; its page has them all


def rank_key(direction: str, prop: str, label: str, iri: str, prop_label: str = "") -> tuple[Any, ...]:
    """The sort key of a link (``direction`` is ``"out"`` or ``"in"``): tier, place in the tier
    (a property no tier names comes last in ``other``, by ``prop_label``), outgoing first, label.

    >>> sorted(["area", "signatory", "event", "contactPoint", "party"],
    ...        key=lambda p: rank_key("out", MOU + p, "", ""))
    ['party', 'signatory', 'event', 'area', 'contactPoint']
    >>> rank_key("in", "https://x.test/unknown", "A", "a", "zz")[:2] == (len(TIERS) - 1, len(TIERS[-1][1]))
    True
    """
    tier, place = _PLACE.get(prop, (len(TIERS) - 1, len(TIERS[-1][1])))
    return (tier, place, prop_label.casefold(), direction != "out", label.casefold(), iri)


def tier_of(prop: str) -> str:
    """The name of the tier of ``prop`` (``"other"`` for a property no tier names)."""
    return TIERS[_PLACE.get(prop, (len(TIERS) - 1, 0))[0]][0]


def ranked_links(data: PageData, iri: str, lang: str, *, first: int | None = None) -> list[dict[str, str]]:
    """The links of ``iri``'s page (:meth:`PageData.linked`), most important first, with labels
    (only the ``first`` ones when it is given)."""
    import heapq

    label = data.label
    keyed = [(rank_key(d, p, label(o, lang), o, label(p, lang)), d, p, o) for d, p, o in data.linked(iri)]
    best = heapq.nsmallest(first, keyed) if first is not None else sorted(keyed)
    return [{"dir": d, "prop": p, "rel": label(p, lang), "iri": o, "label": label(o, lang), "tier": tier_of(p)}
            for _key, d, p, o in best]


def neighbourhood(data: PageData, iri: str, lang: str, href: Callable[[str], str | None], *,
                  title: str) -> dict[str, Any]:
    """The view model of ``templates/graph.html``: ``links`` (ranked, for the table), ``tiers``
    (key and name), ``data`` (the JSON for the drawing, safe to put inside a ``<script>`` element)."""
    from jinja2.utils import htmlsafe_json_dumps

    from mou_graph.present.pages import message

    links = ranked_links(data, iri, lang)
    index: dict[str, int] = {}
    nodes: list[list[Any]] = []

    def node(target: str, label: str) -> int:
        if target not in index:
            index[target] = len(nodes)
            nodes.append([label, href(target) if target != iri else None])
        return index[target]

    rels: dict[tuple[str, str], int] = {}

    def rel(link: dict[str, str]) -> int:
        return rels.setdefault((link["rel"], link["tier"]), len(rels))

    node(iri, data.label(iri, lang))
    centre = [[node(link["iri"], link["label"]), rel(link), link["dir"]] for link in links]
    hops: dict[int, dict[str, Any]] = {}
    for link in links:
        target = link["iri"]
        n = index[target]
        if n in hops or not target.startswith(data.base) or target in data.hidden:
            continue
        theirs = ranked_links(data, target, lang, first=HOP_LINKS)
        hops[n] = {"total": len(data.linked(target)),
                   "links": [[node(t["iri"], t["label"]), rel(t), t["dir"]] for t in theirs]}
    tiers = [(name, message("graph_tier_" + name, lang)) for name, _props in TIERS]
    keys = ("graph_help", "graph_drawn", "graph_more", "graph_more_list", "graph_draw_more", "graph_expand",
            "graph_collapse", "graph_its_links", "graph_open", "graph_not_drawn", "graph_out", "graph_in")
    payload = {
        "lang": lang, "title": title, "nodes": nodes, "links": centre,
        "rels": [[label, tier] for (label, tier) in rels], "hops": hops,
        "tiers": dict(tiers), "text": {k[len("graph_"):]: message(k, lang) for k in keys},
    }
    return {"links": links, "tiers": tiers, "title": title,
            "data": htmlsafe_json_dumps(payload, ensure_ascii=False, separators=(",", ":"))}
