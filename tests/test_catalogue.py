"""Every catalogue question parses, runs on the shipped graph and returns the rows the
article's facts call for; labels follow the one fallback rule (mou_graph.lang.pick)."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from mou_graph.errors import InputError, UsageError
from mou_graph.lang import pick
from mou_graph.query.catalogue import Param, load_catalogue
from mou_graph.query.run import run_local
from tests.conftest import BASE

MOU = BASE + "mou/th-la-digital-2022"
SIGNED = dt.date(2022, 11, 7)


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


INITIAL_END = _add_years(SIGNED, 5)  # the article: in force on signing, for 5 years
EXTENSION_END = _add_years(INITIAL_END, 3)  # then extended automatically by 3 years


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def run(store, catalogue, name, lang="en", **params):
    entry = catalogue.get(name)
    return run_local(store, entry.text, entry.bind(params, lang, base=BASE))


def labels_of(store, iri):
    """{lang: text} of the entity's skos:prefLabel, else rdfs:label (docs/model.md)."""
    out = {}
    for prop in ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"):
        for quad in store.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(prop), None, None):
            out.setdefault(quad.object.language or "", quad.object.value)
        if out:
            return out
    return out


def objects(store, s, p):
    return {q.object.value for q in store.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None)}


def test_at_least_twenty_questions_with_bilingual_headers(catalogue):
    assert len(catalogue) >= 20
    for entry in catalogue:
        assert entry.titles.get("th") and entry.titles.get("en"), entry.name
        assert entry.descriptions.get("th") and entry.descriptions.get("en"), entry.name
        assert entry.tags, entry.name
        for p in entry.params:
            assert p.example, (entry.name, p.name)


# Questions about what only a register holds (conflicts, successions) are asked of the shipped graph
# together with the made-up register of tests/fixtures/register; these examples point into it.
REGISTER_EXAMPLES = {"related": {"agreement": "mou/test-alpha-2022"}}


@pytest.mark.parametrize("lang", ["th", "en", "lo"])
def test_every_question_runs_and_labels_follow_the_fallback_rule(store, register_store, catalogue, lang):
    checked = 0
    for entry in catalogue:
        params = {p.name: p.example for p in entry.params}
        run(store, catalogue, entry.name, lang, **params)  # runs on the shipped graph alone
        params.update(REGISTER_EXAMPLES.get(entry.name, {}))
        result = run(register_store, catalogue, entry.name, lang, **params)
        if result.form == "SELECT":
            assert result.rows, entry.name
        elif result.form in ("CONSTRUCT", "DESCRIBE"):
            assert result.triples, entry.name
        for row in result.rows:
            for var, value in row.items():
                if var.endswith("Label") and isinstance(row.get(var[:-5]), ox.NamedNode):
                    expected = pick(labels_of(register_store, row[var[:-5]].value), lang)
                    assert value.value == expected, (entry.name, var, lang)
                    checked += 1
    assert checked > 100


def test_signatories(store, catalogue):
    rows = run(store, catalogue, "signatories").rows
    got = {(r["personLabel"].value, r["ministry"].value, r["countryLabel"].value) for r in rows}
    # the register signs many MoUs: the 2022 MoU's two signatories are among them
    assert {("Chaiwut Thanakamanusorn", BASE + "org/mdes", "Thailand"),
            ("Boviengkham Vongdara", BASE + "org/mtc-lao", "Lao People's Democratic Republic")} <= got
    th = {r["personLabel"].value for r in run(store, catalogue, "signatories", "th").rows}
    assert {"ชัยวุฒิ ธนาคมานุสรณ์", "บ่อเวียงคำ วงดาลา"} <= th


def test_parties(store, catalogue):
    rows = run(store, catalogue, "parties").rows
    # the register holds more MoUs than the 2022 one: every party of an MoU, the 2022 MoU's among them
    every = {r["p"].value for r in store.query("""SELECT DISTINCT ?p WHERE {
        ?m a <https://w3id.org/mou-graph/ontology#MemorandumOfUnderstanding> ;
           <https://w3id.org/mou-graph/ontology#party> ?p ; <https://w3id.org/mou-graph/ontology#party> ?q .
        ?p <https://w3id.org/mou-graph/ontology#country> ?c }""")}
    assert {r["ministry"].value for r in rows} == every
    assert objects(store, MOU, "https://w3id.org/mou-graph/ontology#party") <= every
    assert {BASE + "country/thailand", BASE + "country/lao-pdr"} <= {r["country"].value for r in rows}


def test_term_dates(store, catalogue):
    (row,) = run(store, catalogue, "term-dates").rows
    assert row["signingDate"].value == row["entryIntoForceDate"].value == SIGNED.isoformat()
    assert row["initialEndExclusive"].value == INITIAL_END.isoformat() == "2027-11-07"
    assert row["extensionEndExclusive"].value == row["totalEndExclusive"].value == EXTENSION_END.isoformat()
    assert EXTENSION_END.isoformat() == "2030-11-07"
    # the last day in force, the day before the exclusive end
    assert row["initialLastDay"].value == "2027-11-06" and row["initialLastDay"].datatype.value.endswith("#date")
    assert row["extensionLastDay"].value == row["totalLastDay"].value == "2030-11-06"
    assert (row["initialDuration"].value, row["extensionDuration"].value, row["totalDuration"].value) == \
        ("P5Y", "P3Y", "P8Y")


def test_terms(store, catalogue):
    rows = run(store, catalogue, "terms").rows
    got = {r["property"].value.rsplit("#")[-1]: (r["start"].value, r["lastDay"].value, r["endExclusive"].value,
                                                  r["duration"].value) for r in rows}
    assert got == {"initialTerm": ("2022-11-07", "2027-11-06", "2027-11-07", "P5Y"),
                   "extensionTerm": ("2027-11-07", "2030-11-06", "2030-11-07", "P3Y"),
                   "totalTerm": ("2022-11-07", "2030-11-06", "2030-11-07", "P8Y")}
    automatic = {r["property"].value.rsplit("#")[-1] for r in rows if "automatic" in r}
    assert automatic == {"extensionTerm"}


@pytest.mark.parametrize(("day", "status", "term"), [
    (SIGNED - dt.timedelta(days=1), "not-yet-in-force", None),
    (SIGNED, "in-force", "initial"),
    (INITIAL_END - dt.timedelta(days=1), "in-force", "initial"),
    (INITIAL_END, "in-extension", "extension"),
    (EXTENSION_END - dt.timedelta(days=1), "in-extension", "extension"),
    (EXTENSION_END, "ended", None),
])
def test_status_on_a_date(store, catalogue, day, status, term):
    row = next(r for r in run(store, catalogue, "status-on", date=day.isoformat()).rows if r["mou"].value == MOU)
    assert row["status"].value == status
    assert row["date"].value == day.isoformat()
    assert (row["term"].value.rsplit("/")[-1] if "term" in row else None) == term
    th = next(r for r in run(store, catalogue, "status-on", "th", date=day.isoformat()).rows if r["mou"].value == MOU)
    assert th["statusLabel"].language == "th" and row["statusLabel"].language == "en"
    in_force = {r["mou"].value for r in run(store, catalogue, "in-force-on", date=day.isoformat()).rows}
    assert (MOU in in_force) is (status in ("in-force", "in-extension"))


def test_areas_and_hierarchy(store, catalogue):
    rows = run(store, catalogue, "areas").rows
    areas = {r["area"].value for r in rows}
    typed = {q.subject.value for q in store.store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("https://w3id.org/mou-graph/ontology#CooperationArea"), None)}
    assert areas == typed
    broader = {(r["area"].value, r["broader"].value) for r in rows if "broader" in r}
    expected = {(q.subject.value, q.object.value) for q in store.store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader"), None, None)}
    assert broader == expected and broader
    scope = {r["area"].value.rsplit("/")[-1] for r in run(store, catalogue, "scope").rows}
    assert scope == {"postal-services", "telecommunications", "ict", "digital-technology"}


def test_areas_under_is_transitive(store, catalogue):
    sub = {r["sub"].value.rsplit("/")[-1] for r in run(store, catalogue, "areas-under",
                                                          area="area/ict-telecom-digital-industry").rows}
    assert {"hardware", "software", "digital-content"} <= sub
    # the transitive closure computed here, from skos:broader
    broader = {}
    for q in store.store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader"),
                                           None, None):
        broader.setdefault(q.subject.value, set()).add(q.object.value)
    for top in {b for bs in broader.values() for b in bs}:
        below = {s for s in broader if top in _ancestors(s, broader)}
        got = {r["sub"].value for r in run(store, catalogue, "areas-under", area=top).rows}
        assert got == below, top


def _ancestors(node, broader):
    seen, todo = set(), [node]
    while todo:
        for b in broader.get(todo.pop(), ()):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def test_activities_principles_objectives(store, catalogue):
    ns = "https://w3id.org/mou-graph/ontology#"
    acts = {r["activity"].value for r in run(store, catalogue, "activities").rows}
    assert acts == objects(store, MOU, ns + "activity") and len(acts) == 10
    princ = {r["principleLabel"].value for r in run(store, catalogue, "principles").rows}
    assert {"Equality", "Reciprocity", "Mutual benefit"} <= princ and len(princ) == 4
    objs = {r["objective"].value for r in run(store, catalogue, "objectives").rows}
    assert objs == objects(store, MOU, ns + "objective")
    in_digital = {r["activity"].value for r in run(store, catalogue, "activities-in-area",
                                                     area="area/digital-technology").rows}
    concerns = {q.subject.value for q in store.store.quads_for_pattern(
        None, ox.NamedNode(ns + "concerns"), ox.NamedNode(BASE + "area/digital-technology"), None)}
    assert concerns <= in_digital and in_digital


def test_statements_of_a_minister(store, catalogue):
    rows = run(store, catalogue, "statements-by", "th", speaker="person/chaiwut-thanakamanusorn").rows
    # two direct quotes and two passages of reported speech (after กล่าวว่า, กล่าวต่อไปอีกว่า)
    assert {r["statement"].value.rsplit("/")[-1] for r in rows} == {"chaiwut-signing", "chaiwut-1",
                                                                   "chaiwut-framework", "chaiwut-2"}
    assert all(r["text"].language == "th" for r in rows)
    en = run(store, catalogue, "statements-by", "en", speaker="person/boviengkham-vongdara").rows
    assert [r["text"].language for r in en] == ["en"]
    lo = run(store, catalogue, "statements-by", "lo", speaker="person/boviengkham-vongdara").rows
    assert [r["text"].language for r in lo] == ["th"]  # no Lao text: Thai, by the fallback rule
    everyone = run(store, catalogue, "statements").rows
    assert len(everyone) == 5


def test_evidence_of_the_signing_date(store, catalogue):
    rows = run(store, catalogue, "evidence", subject="mou/th-la-digital-2022", property="mou:signingDate").rows
    assert rows
    for r in rows:
        assert r["quote"].value in r["sentenceText"].value
    assert any("7 พฤศจิกายน 2565" in r["sentenceText"].value for r in rows)


def test_search_any_language(store, catalogue):
    found = {r["entity"].value for r in run(store, catalogue, "search", text="lao pdr").rows}
    assert BASE + "country/lao-pdr" in found
    found = {r["entity"].value for r in run(store, catalogue, "search", text="คลาวด์").rows}
    assert BASE + "area/cloud-computing" in found
    assert not run(store, catalogue, "search", text="zzz-not-there").rows


def test_counts_by_class(store, catalogue):
    rows = {r["class"].value.rsplit("#")[-1]: int(r["n"].value) for r in run(store, catalogue, "counts-by-class").rows}

    def count(cls: str) -> int:
        q = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <https://w3id.org/mou-graph/ontology#{cls}> }}"
        return int(next(iter(store.query(q)))["n"].value)

    assert rows["MemorandumOfUnderstanding"] == count("MemorandumOfUnderstanding") >= 2  # 2022 and its predecessor
    assert rows["Ministry"] == count("Ministry") >= 2
    assert rows["Term"] == count("Term") >= 3
    assert rows["Statement"] == 5


def test_summary_and_describe(store, catalogue):
    triples = run(store, catalogue, "summary", "en").triples
    by_pred = {}
    for t in triples:
        by_pred.setdefault(t.predicate.value.rsplit("#")[-1], set()).add(t.object.value)
    assert by_pred["signingDate"] == {"2022-11-07"}
    assert len(by_pred["party"]) == 2
    assert all(t.object.language in ("en", None) for t in triples if isinstance(t.object, ox.Literal))
    described = run(store, catalogue, "describe", entity="person/boviengkham-vongdara").triples
    assert {t.subject.value for t in described} == {BASE + "person/boviengkham-vongdara"}
    expected = [t for t in store.triples() if t.subject.value == BASE + "person/boviengkham-vongdara"]
    assert len(described) == len(expected)


def test_parameter_errors(store, catalogue):
    with pytest.raises(UsageError, match="missing parameter date"):
        run(store, catalogue, "status-on")
    with pytest.raises(UsageError, match="not a date"):
        run(store, catalogue, "status-on", date="2022-13-40")
    with pytest.raises(UsageError, match="unknown parameter"):
        run(store, catalogue, "status-on", date="2022-11-07", when="x")
    with pytest.raises(UsageError, match="no question named"):
        catalogue.get("status")
    with pytest.raises(UsageError, match="unknown language"):
        run(store, catalogue, "parties", "fr")
    with pytest.raises(UsageError, match="is not an IRI"):
        run(store, catalogue, "describe", entity="a b> } DROP ALL")


def test_values_are_terms_not_text(store, catalogue):
    # a string that would break out of the query if pasted in is just a string here
    rows = run(store, catalogue, "search", text='") } } SELECT * WHERE { ?s ?p ?o } #').rows
    assert rows == []


def test_param_spec_and_bad_header(tmp_path):
    assert Param.parse("n | type: integer | values: 1, 2").values == ("1", "2")
    with pytest.raises(UsageError, match="not one of"):
        Param.parse("n | type: integer | values: 1, 2").term("3", base=BASE)
    bad = tmp_path / "bad.rq"
    bad.write_text("# title@en: only English\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError, match="title@th"):
        load_catalogue(tmp_path)
