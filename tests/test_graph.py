"""The neighbourhood graph's ranking and data (mou_graph/present/graph.py), on the shipped graph."""

from __future__ import annotations

import json

import pytest

from .conftest import BASE

MOU_IRI = BASE + "mou/th-la-digital-2022"
ONT = "https://w3id.org/mou-graph/ontology#"


@pytest.fixture(scope="module")
def data(store):
    from mou_graph.present.pages import PageData

    return PageData(store)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_mou_links_rank_participants_and_signatories_first_then_dates_before_areas(data, lang):
    from mou_graph.present.graph import TIERS, ranked_links

    links = ranked_links(data, MOU_IRI, lang)
    assert [link["prop"] for link in links[:4]] == [ONT + "party"] * 2 + [ONT + "signatory"] * 2
    order = [name for name, _ in TIERS]
    tiers = [order.index(link["tier"]) for link in links]
    assert tiers == sorted(tiers)  # never a less important group before a more important one
    first = {link["prop"]: i for i, link in reversed(list(enumerate(links)))}
    assert first[ONT + "event"] < first[ONT + "initialTerm"] < first[ONT + "area"] < first[ONT + "activity"]


def test_a_person_page_ranks_the_agreement_signed_first(data):
    from mou_graph.present.graph import ranked_links

    links = ranked_links(data, BASE + "person/chaiwut-thanakamanusorn", "en")
    assert links[0]["tier"] == "who" and links[0]["prop"] == ONT + "signatory" and links[0]["dir"] == "in"
    assert links[0]["iri"] == MOU_IRI


def test_a_property_no_tier_names_comes_last_by_its_label():
    from mou_graph.present.graph import rank_key

    keys = sorted([rank_key("out", "https://x.test/zeta", "a", "1", "zeta"),
                   rank_key("out", "https://x.test/alpha", "b", "2", "alpha"),
                   rank_key("in", ONT + "contactPoint", "c", "3", "contact point"),
                   rank_key("in", ONT + "party", "d", "4", "participant")])
    assert [k[-1] for k in keys] == ["4", "3", "2", "1"]


def test_the_links_are_those_the_entity_page_lists(data):
    """PageData.linked (the graph's links) and PageData.entity (the page's link sections) agree on
    every entity of the shipped graph."""
    for iri in data.entities():
        page = data.entity(iri, "en")
        listed = {(d, g["iri"], v["iri"]) for d, key in (("out", "outgoing"), ("in", "incoming"))
                  for g in page[key] for v in g["values"] if "iri" in v}
        assert {(d, p, o) for d, p, o in data.linked(iri)} == listed, iri


def test_the_drawing_data_is_safe_inside_a_script_element_and_carries_each_neighbours_links(data):
    from mou_graph.present.graph import HOP_LINKS, neighbourhood

    graph = neighbourhood(data, MOU_IRI, "en", lambda iri: "/page/" + iri[len(BASE):], title="</script><b>")
    text = str(graph["data"])
    assert "<" not in text and ">" not in text and "&" not in text
    payload = json.loads(text)
    assert payload["title"] == "</script><b>"
    assert len(payload["links"]) == len(graph["links"]) == 73
    nodes = payload["nodes"]
    chaiwut = next(i for i, n in enumerate(nodes) if n[0] == "Chaiwut Thanakamanusorn")
    hop = payload["hops"][str(chaiwut)]
    assert hop["total"] == len(data.linked(BASE + "person/chaiwut-thanakamanusorn"))
    assert len(hop["links"]) == min(HOP_LINKS, hop["total"])
    assert nodes[0] == [data.label(MOU_IRI, "en"), None]  # the centre links nowhere: it is this page
