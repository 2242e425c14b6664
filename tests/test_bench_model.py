"""bench/generate.py writes its corpora in the register's model (ontology 0.2): every memorandum an
agreement of a kind, with life events and participations, claims with several supports, conflicts
with one preferred value and its reason, successions; the corpus validates and the register's
questions find all of it."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.generate import generate
from mou_graph.config import Settings
from mou_graph.query.catalogue import load_catalogue
from mou_graph.query.run import run_local
from mou_graph.store import load_store

MOU = "https://w3id.org/mou-graph/ontology#"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    home = generate(300, seed=3, out=tmp_path_factory.mktemp("bench"))
    return load_store(Settings(root=home))


def _count(store, sparql):
    return int(next(iter(store.query(sparql)))["n"].value)


def test_every_memorandum_is_an_agreement_with_events_and_participations(corpus):
    assert _count(corpus, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{MOU}Agreement> }}") == 300
    kinds = {r["k"].value for r in corpus.query(f"""SELECT DISTINCT ?k WHERE {{ ?a a <{MOU}Agreement>, ?k .
        FILTER (STRSTARTS(STR(?k), STR(<{MOU}>)) && ?k != <{MOU}Agreement>) }}""")}
    assert len(kinds) >= 5  # memoranda of understanding, of cooperation, letters of intent, action plans, ...
    signings = f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a <{MOU}event> ?e . ?e a <{MOU}Signing> ;
        <{MOU}participation>/<{MOU}role> <{MOU}SignatoryRole> }}"""
    assert _count(corpus, signings) == 300
    events = Counter(r["k"].value.rsplit("#")[-1] for r in corpus.query(f"""SELECT ?e ?k WHERE {{
        ?a <{MOU}event> ?e . ?e a ?k FILTER (?k != <{MOU}Event>) }}"""))
    assert events["Signing"] == events["EntryIntoForce"] == 300
    assert events["Approval"] > 30 and events["Termination"] > 5 and events["Supersession"] >= 5
    witnesses = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p <{MOU}role> <{MOU}WitnessRole> }}"
    assert _count(corpus, witnesses) > 30


def test_claims_have_several_supports_and_conflicts_one_preferred_value(corpus):
    supports = Counter(int(r["n"].value) for r in corpus.query(f"""SELECT ?c (COUNT(?s) AS ?n) WHERE {{
        ?c a <{MOU}Claim> ; <{MOU}support> ?s }} GROUP BY ?c"""))
    assert set(supports) == {1, 2, 3}
    kinds = {r["k"].value for r in corpus.query(f"SELECT DISTINCT ?k WHERE {{ ?c <{MOU}support>/a ?k }}")}
    assert kinds == {MOU + "Quotation", MOU + "Citation"}
    entry = load_catalogue().get("conflicts")
    rows = run_local(corpus, entry.text, entry.bind({}, "en", base=corpus.settings.base)).rows
    by_conflict = Counter(r["conflict"].value for r in rows)
    assert len(by_conflict) > 10 and set(by_conflict.values()) == {2}
    preferred = [r for r in rows if r["rank"].value == MOU + "PreferredRank"]
    assert len(preferred) == len(by_conflict) and all("reason" in r for r in preferred)


def test_successions_are_in_order_and_the_status_rule_sees_them(corpus):
    rows = list(corpus.query(f"""SELECT ?new ?old ?d1 ?d2 WHERE {{ ?new <{MOU}succeeds> ?old .
        ?new <{MOU}signingDate> ?d1 . ?old <{MOU}signingDate> ?d2 }}"""))
    assert len(rows) >= 5 and all(r["d1"].value > r["d2"].value for r in rows)
    entry = load_catalogue().get("status-on")
    status = {r["mou"].value: r for r in run_local(corpus, entry.text, entry.bind(
        {"date": "2030-01-01"}, "en", base=corpus.settings.base)).rows}
    assert len(status) == 300
    for r in rows:
        if r["d1"].value <= "2030-01-01":
            assert status[r["old"].value]["status"].value == "ended"


def test_the_corpus_validates(corpus):
    from mou_graph.validation.validate import validate_store

    report = validate_store(corpus)
    assert report.conforms, report
