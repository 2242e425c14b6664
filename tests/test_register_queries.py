"""The questions across agreements, on the shipped graph plus the made-up register of
tests/fixtures/register (test fixtures, not facts): the one status rule and its presets, partners,
areas with narrower ones, successions, a person's events, every source of a claim, conflicts."""

from __future__ import annotations

import pytest

from mou_graph.errors import InputError, UsageError
from mou_graph.query.catalogue import load_catalogue
from mou_graph.query.run import run_local

from .conftest import REGISTER_CASES

BASE = "https://w3id.org/mou-graph/id/"
MOU = "https://w3id.org/mou-graph/ontology#"
A, B, C, D = (BASE + "mou/test-" + s for s in ("alpha-2018", "alpha-2022", "gamma-2020", "delta-2016"))
E, F, G, H = (BASE + "mou/test-" + s for s in ("epsilon-2024", "zeta-2024", "eta-2025", "theta-2019"))
REAL = BASE + "mou/th-la-digital-2022"
MINE = {A, B, C, D, E, F, G, H, REAL}  # the made-up agreements and the 2022 MoU (the register may hold more)


def mine(iris):
    return set(iris) & MINE


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def ask(store, catalogue, name, lang="en", **params):
    entry = catalogue.get(name)
    return run_local(store, entry.text, entry.bind(params, lang, base=BASE)).rows


def by_mou(rows, column="status"):
    return {r["mou"].value: r[column].value for r in rows if column in r}


# -- the status rule ------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    # before anything: the month-only signing of C is after May 2020
    ("2016-02-29", {D: "not-yet-in-force", C: "not-yet-in-force", A: "not-yet-in-force"}),
    # D signed on 1 March, in force only from 1 April
    ("2016-03-15", {D: "not-yet-in-force"}),
    ("2016-04-01", {D: "in-force"}),
    # D terminated on 10 January 2018, before its term ended (1 April 2019)
    ("2018-01-10", {D: "ended", A: "not-yet-in-force"}),
    ("2018-02-15", {A: "in-force"}),
    # C was signed in June 2020, day unknown; and it states no term: unknown from then on
    ("2020-05-31", {C: "not-yet-in-force"}),
    ("2020-06-15", {C: "unknown"}),
    ("2030-01-01", {C: "unknown"}),
    # A superseded by B on 7 November 2022, before its own term ended (15 February 2023)
    ("2022-11-06", {A: "in-force", B: "not-yet-in-force"}),
    ("2022-11-07", {A: "ended", B: "in-force", REAL: "in-force"}),
    # F signed 8 October 2024, in force from 1 January 2025; automatic extension from 1 January 2026
    ("2024-12-31", {F: "not-yet-in-force", E: "in-force"}),
    ("2025-01-01", {F: "in-force"}),
    ("2026-01-01", {F: "in-extension"}),
    ("2027-01-01", {F: "ended"}),
    # E's term of 2 years ends (exclusive) on 8 October 2026
    ("2026-10-07", {E: "in-force"}),
    ("2026-10-08", {E: "ended"}),
    # G states no term: unknown once signed
    ("2025-03-03", {G: "unknown"}),
    ("2027-11-07", {B: "in-extension", REAL: "in-extension"}),
    ("2030-11-07", {B: "ended", REAL: "ended"}),
])
def test_status_of_every_agreement_on_a_date(register_store, catalogue, day, expected):
    rows = ask(register_store, catalogue, "status-on", date=day)
    got = by_mou(rows)
    assert len(got) == len(rows) and set(got) >= MINE  # every agreement, once
    for iri, status in expected.items():
        assert got[iri] == status, (iri, day)


def test_what_ended_an_agreement_and_the_current_term(register_store, catalogue):
    rows = {r["mou"].value: r for r in ask(register_store, catalogue, "status-on", date="2025-06-01")}
    assert (rows[A]["ending"].value, rows[A]["endingDate"].value) == (A + "/event/supersession", "2022-11-07")
    assert rows[D]["ending"].value == D + "/event/termination"
    assert "term" not in rows[A] and "term" not in rows[C]
    assert rows[B]["term"].value == B + "/term/initial" and rows[B]["end"].value == "2027-11-07"
    assert rows[B]["next"].value == B + "/term/extension"  # an automatic extension follows
    assert "next" not in rows[E]
    th = {r["mou"].value: r for r in ask(register_store, catalogue, "status-on", "th", date="2025-06-01")}
    assert th[C]["statusLabel"].language == "th" and rows[C]["statusLabel"].value.startswith("unknown")


def test_in_force_on_is_the_status_rule_with_one_status(register_store, catalogue):
    for day in ("2016-04-01", "2020-06-15", "2025-01-01", "2026-06-01", "2027-11-07"):
        every = by_mou(ask(register_store, catalogue, "status-on", date=day))
        in_force = by_mou(ask(register_store, catalogue, "in-force-on", date=day))
        assert in_force == {k: v for k, v in every.items() if v in ("in-force", "in-extension")}, day
        only = by_mou(ask(register_store, catalogue, "status-on", date=day, only="unknown"))
        assert only == {k: v for k, v in every.items() if v == "unknown"}, day
    assert mine(by_mou(ask(register_store, catalogue, "in-force-on", date="2026-06-01"))) == {B, E, F, REAL}


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-06-01", 3, set()),
    ("2026-06-01", 4, set()),  # 8 October 2026 is 4 months and 7 days away
    ("2026-06-01", 5, {E}),
    ("2026-06-08", 4, {E}),
    ("2026-06-07", 4, set()),
    ("2026-06-01", 7, {E, F}),  # F's extension ends on 1 January 2027
    ("2027-01-01", 12, {B, REAL}),  # both 2022 MoUs end their initial term on 7 November 2027
])
def test_expiring_within_n_months(register_store, catalogue, day, months, expected):
    rows = ask(register_store, catalogue, "expiring", date=day, within=str(months))
    assert mine(by_mou(rows)) == expected, (day, months)
    for r in rows:
        assert r["status"].value in ("in-force", "in-extension")


def test_a_preset_fixes_its_parameters(catalogue, tmp_path):
    entry = catalogue.get("in-force-on")
    assert entry.preset == "status-on" and dict(entry.fixed) == {"only": "in-force"}
    assert [p.name for p in entry.params] == ["date", "within"]
    assert entry.text == catalogue.get("status-on").text  # one rule, one text
    with pytest.raises(UsageError, match="unknown parameter"):
        entry.bind({"date": "2025-01-01", "only": "ended"}, "en", base=BASE)
    (tmp_path / "base.rq").write_text("# title@th: ก\n# title@en: a\n# param: x | type: integer | example: 1\n"
                                      "SELECT ?x WHERE {}\n", encoding="utf-8")
    (tmp_path / "bad.rq").write_text("# title@th: ข\n# title@en: b\n# preset: base | x: seven\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an integer"):
        load_catalogue(tmp_path)
    (tmp_path / "bad.rq").write_text("# title@th: ข\n# title@en: b\n# preset: nothing\n", encoding="utf-8")
    with pytest.raises(InputError, match="no such question"):
        load_catalogue(tmp_path)


# -- partners, areas, successions -------------------------------------------------------------

def test_by_partner_country(register_store, catalogue):
    rows = ask(register_store, catalogue, "by-partner", country="country/test-fixturia")
    assert {r["mou"].value for r in rows} == {C, D, F, H}
    assert {r["party"].value for r in rows} == {BASE + "org/test-agency-gamma"}
    lao = {r["mou"].value for r in ask(register_store, catalogue, "by-partner", country="country/lao-pdr")}
    assert mine(lao) == {A, B, D, E, G, H, REAL}  # the old and the renamed ministry both count


def test_by_area_includes_narrower_areas(register_store, catalogue):
    rows = ask(register_store, catalogue, "by-area", area="area/e-commerce")
    got = {(r["mou"].value, r["matched"].value.rsplit("/", 1)[-1]) for r in rows}
    assert (D, "cross-border-e-commerce") in got and (C, "e-commerce") in got
    assert mine(m for m, _ in got) == {C, D, REAL}
    narrow = {r["mou"].value for r in ask(register_store, catalogue, "by-area", area="area/cross-border-e-commerce")}
    assert mine(narrow) == {D, REAL}  # a narrower area does not bring in the broader one's agreements
    assert {r["signingDate"].value for r in rows if r["mou"].value == C} == {"2020-06"}  # the month a source gives


def test_predecessors_and_successors(register_store, catalogue):
    rows = ask(register_store, catalogue, "related", agreement="mou/test-alpha-2022")
    assert {(r["relation"].value, r["other"].value) for r in rows} == {("predecessor", A), ("amended-by", G)}
    back = ask(register_store, catalogue, "related", "th", agreement="mou/test-alpha-2018")
    assert {(r["relation"].value, r["other"].value) for r in back} == {("successor", B)}
    assert back[0]["relationLabel"].language == "th"
    amends = ask(register_store, catalogue, "related", agreement="mou/test-eta-2025")
    assert {(r["relation"].value, r["other"].value) for r in amends} == {("amends", B)}


# -- people, sources, conflicts ---------------------------------------------------------------

def test_everything_a_person_signed_witnessed_or_announced(register_store, catalogue):
    rows = ask(register_store, catalogue, "person-events", person="person/test-person-a")
    got = {(r["mou"].value, r["role"].value.rsplit("#")[-1], r.get("onBehalfOf") and r["onBehalfOf"].value)
           for r in rows}
    alpha = BASE + "org/test-ministry-alpha"
    assert got == {(A, "SignatoryRole", alpha), (B, "SignatoryRole", alpha), (C, "SignatoryRole", alpha),
                   (E, "SignatoryRole", alpha), (E, "AnnouncerRole", None)}
    assert {r["date"].value for r in rows if r["mou"].value == C} == {"2020-06"}  # as the source gives it
    pm = ask(register_store, catalogue, "person-events", person="person/test-prime-minister")
    assert {(r["mou"].value, r["role"].value.rsplit("#")[-1]) for r in pm} == {(B, "WitnessRole"), (E, "WitnessRole"),
                                                                             (H, "WitnessRole")}
    # an agreement that names its people only by mou:signatory / mou:witness (no event records) counts, once
    b = ask(register_store, catalogue, "person-events", person="person/test-person-b")
    assert sorted((r["mou"].value, r["role"].value.rsplit("#")[-1]) for r in b) == \
        sorted([(A, "SignatoryRole"), (D, "SignatoryRole"), (H, "SignatoryRole")])
    assert {r["date"].value for r in b if r["mou"].value == H} == {"2019-05-20"}
    assert all("event" not in r for r in b if r["mou"].value == H)


def test_every_source_of_a_claim_both_kinds_and_every_value(register_store, catalogue):
    rows = ask(register_store, catalogue, "claim-sources", subject="mou/test-alpha-2022/event/signing",
               property="mou:date")
    got = {(r["value"].value, r["rank"].value.rsplit("#")[-1], r["kind"].value.rsplit("#")[-1]) for r in rows}
    assert got == {("2022-11-07", "PreferredRank", "Quotation"), ("2022-11-07", "PreferredRank", "Citation"),
                   ("2022-11-08", "NormalRank", "Citation")}
    quote = next(r for r in rows if r["kind"].value == MOU + "Quotation")
    assert (quote["quote"].value, quote["begin"].value, quote["end"].value) == ("วันนี้", "0", "6")
    assert quote["sentence"].value == BASE + "source/test-text/s01"
    cite = next(r for r in rows if r["value"].value == "2022-11-08")
    assert cite["words"].value == "8 พฤศจิกายน" and cite["report"].value == BASE + "source/test-report-2"
    assert cite["url"].value == "https://example.org/test-fixture/report-2"
    # the 2022 MoU's signing date: its quotations of the shipped article (or, in 0.1 data, its evidence nodes)
    real = ask(register_store, catalogue, "claim-sources", subject="mou/th-la-digital-2022", property="mou:signingDate")
    assert real and {r["kind"].value for r in real} <= {MOU + "Evidence", MOU + "Quotation"}
    assert any("7" in r["quote"].value and "พฤศจิกายน" in r["quote"].value for r in real)


def test_every_conflict_with_the_preferred_value_and_why(register_store, catalogue):
    rows = [r for r in ask(register_store, catalogue, "conflicts") if r["agreement"].value in MINE]
    got = {(r["agreement"].value, r["value"].value, r["rank"].value.rsplit("#")[-1], int(r["supports"].value))
           for r in rows}
    assert got == {(B, "2022-11-07", "PreferredRank", 2), (B, "2022-11-08", "NormalRank", 1),
                   (E, "2024-10-08", "PreferredRank", 1), (E, "2024-10-09", "NormalRank", 1)}
    reasons = {r["value"].value: r["reason"] for r in rows if "reason" in r}
    assert set(reasons) == {"2022-11-07", "2024-10-08"}
    assert reasons["2024-10-08"].language == "en"
    th = ask(register_store, catalogue, "conflicts", "th")
    assert {r["reason"].language for r in th if "reason" in r and r["agreement"].value in MINE} == {"th"}


def test_the_cases_have_rows(register_store, catalogue):
    for name, params in REGISTER_CASES:
        assert ask(register_store, catalogue, name, **params), (name, params)
