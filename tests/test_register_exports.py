"""stats and the graph exports over the whole register (the shipped graph plus the made-up register of
tests/fixtures/register, test fixtures not facts): the register's figures, with statuses by the
catalogue's one rule, and the register projection (agreements, parties, people, areas, countries)
that Gephi opens."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from mou_graph.publish.graphs import GRAPH_FORMATS, graph_files, project, rankings_text
from mou_graph.publish.stats import graph_stats

BASE = "https://w3id.org/mou-graph/id/"
MOU = "https://w3id.org/mou-graph/ontology#"


def test_stats_count_the_register(register_store, store):
    def figures(st, day):
        return {name: {key: n for key, _, n in rows} for name, rows in graph_stats(st, day=day).register.items()}

    day = dt.date(2025, 6, 1)
    fig, shipped = figures(register_store, day), figures(store, day)

    def added(name, key):  # what the made-up register adds to the shipped graph
        return fig.get(name, {}).get(key, 0) - shipped.get(name, {}).get(key, 0)

    assert added("events", MOU + "Signing") == 7 and added("events", MOU + "Termination") == 1
    assert added("supports", MOU + "Citation") == 7 and added("supports", MOU + "Quotation") == 1
    assert added("conflicts", "") == 2 and added("reports", "") == 3
    assert added("countries", BASE + "country/test-fixturia") == 4
    # the statuses are the rule's: on that day A, D ended; B, E, F in force; C, G, H unknown
    assert added("status", "in-force") + added("status", "in-extension") == 3
    assert added("status", "ended") == 2 and added("status", "unknown") == 3
    stats = graph_stats(register_store, day=day)
    en, th = stats.to_text("en"), stats.to_text("th")
    assert "Agreements by status on 2025-06-01:" in en and "in force (initial term)" in en
    assert "ความตกลงตามสถานะ ณ วันที่ 2025-06-01:" in th and "สิ้นสุดแล้ว" in th
    assert "Claims on which sources disagree:" in en
    later = figures(register_store, dt.date(2026, 12, 1))["status"]
    assert later["ended"] - figures(store, dt.date(2026, 12, 1))["status"].get("ended", 0) == 3  # E's two years ran out


def test_the_register_projection_holds_the_actors_and_their_links(register_store):
    g = project(register_store, "register", lang="en")
    kinds = Counter(d["kind"] for n, d in g.nodes(data=True) if "/test-" in n)  # the made-up ones
    assert kinds["agreement"] == 8 and kinds["person"] == 4 and kinds["country"] == 1
    assert kinds["organisation"] == 5  # the parties, the cabinet that approved, the renamed ministry's two names
    assert not [n for n in g.nodes if "/claim/" in n or "/event/" in n or "/term/" in n or "/source/" in n]
    b = BASE + "mou/test-alpha-2022"
    assert g.has_edge(b, BASE + "person/test-prime-minister", "mou:WitnessRole")
    assert g.has_edge(b, BASE + "mou/test-alpha-2018", "mou:succeeds")
    assert g.has_edge(BASE + "org/test-ministry-beta", BASE + "org/test-ministry-beta-old", "org:resultedFrom")
    assert g.has_edge(BASE + "person/test-person-a", BASE + "org/test-ministry-alpha", "mou:onBehalfOf")
    assert g.has_edge(BASE + "area/cloud-computing", BASE + "area/ict-digital-innovation", "skos:broader")
    # an agreement recorded without events links its signatories through mou:signatory
    assert g.has_edge(BASE + "mou/th-la-digital-2022", BASE + "person/chaiwut-thanakamanusorn", "mou:SignatoryRole")
    assert g.nodes[BASE + "mou/test-gamma-2020"]["signed"] == "2020-06"  # as the source gives it
    assert g.nodes[BASE + "mou/test-gamma-2020"]["year"] == "2020"
    th = project(register_store, "register", lang="th")
    assert th.nodes[b]["label"] == "บันทึกความเข้าใจอัลฟา–เบตา 2565 (ข้อมูลทดสอบ)"
    assert "Register graph" in rankings_text(g, lang="en", top=3)
    assert not [n for n in project(register_store, "register").nodes if "/contact/" in n]  # no personal data


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
def test_the_register_projection_writes_every_graph_format(register_store, fmt):
    files = graph_files(project(register_store, "register", lang="en"), fmt)
    assert all(data for data in files.values())


def test_cli_stats_ranks_the_register_graph(cli):
    run = cli("stats", "--graph", "--projection", "register", "--lang", "en", "--top", "3")
    assert run.code == 0, run.err
    assert "Register graph (agreements, parties, people, areas, countries)" in run.out
    assert "Agreements by status on" in run.out
