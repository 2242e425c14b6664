"""Parameters read as people write them (mou_graph.query.params, Param.term): a Buddhist-Era date is
converted and said so, never read as a date five centuries on; an entity may be named by a label in
any language, and a label that names nothing is refused. The command line (exit 2) and the catalogue
API (400) behave alike."""

from __future__ import annotations

import pytest

from mou_graph.errors import UsageError
from mou_graph.query.catalogue import Param, load_catalogue
from mou_graph.query.params import Labels, read_date
from mou_graph.query.run import run_local

from .conftest import BASE, running_server

AREA_TH = "การพาณิชย์อิเล็กทรอนิกส์"


@pytest.fixture(scope="module")
def labels(store):
    return Labels.of(store)


@pytest.mark.parametrize(("given", "read"), [
    ("2569-12-01", ("2026-12-01", True)),
    ("2565-11-07", ("2022-11-07", True)),
    ("๒๕๖๙-๑๒-๐๑", ("2026-12-01", True)),  # Thai digits
    ("໒໕໖໙-໑໒-໐໑", ("2026-12-01", True)),  # Lao digits
    ("2026-12-01", ("2026-12-01", False)),
    (" 2399-01-01 ", ("2399-01-01", False)),
    ("2400-01-01", ("1857-01-01", True)),
])
def test_dates_are_read_in_either_era(given, read):
    assert read_date(given) == read


@pytest.mark.parametrize("given", ["2569-13-01", "2568-02-29", "1 Dec 2569", "2569/12/01", "", "25691201"])
def test_what_is_no_date_is_refused(given):
    with pytest.raises(ValueError):
        read_date(given)
    with pytest.raises(UsageError, match="is not a date .*ไม่ใช่วันที่"):
        Param.parse("date | type: date").term(given, base=BASE)


def test_a_buddhist_era_date_gives_the_status_of_its_common_era_day(store):
    entry = load_catalogue().get("status-on")
    notes: list = []
    rows = run_local(store, entry.text, entry.bind({"date": "2569-12-01"}, "en", base=BASE, notes=notes)).rows
    row = next(r for r in rows if r["mou"].value == BASE + "mou/th-la-digital-2022")
    assert row["status"].value == "in-force"  # 2026-12-01; read as the year 2569 it would be "ended"
    assert row["date"].value == "2026-12-01"
    assert [n.kind for n in notes] == ["buddhist-era"]
    assert "2569 BE = 2026 CE" in notes[0].text("en") and "พ.ศ. 2569 = ค.ศ. 2026" in notes[0].text("th")


def test_an_area_is_read_from_its_label_in_any_language(store, labels):
    entry = load_catalogue().get("by-area")
    for given in (AREA_TH, "E-commerce", "  e-COMMERCE ", "การพาณิชย์อิเล็กทรอนิกส\u0e4c"):
        notes: list = []
        bound = entry.bind({"area": given}, "th", base=BASE, labels=labels, notes=notes)
        assert bound["area"].value == BASE + "area/e-commerce", given
        assert notes[0].kind == "label"
    rows = run_local(store, entry.text, entry.bind({"area": AREA_TH}, "th", base=BASE, labels=labels)).rows
    assert BASE + "mou/th-la-digital-2022" in {r["mou"].value for r in rows}


def test_a_name_that_is_no_entity_is_refused_not_answered_with_nothing(labels):
    entry = load_catalogue().get("by-area")
    with pytest.raises(UsageError, match="no entity of the graph is labelled 'ไม่มีสาขานี้'.*ไม่มีสิ่งใดในกราฟ"):
        entry.bind({"area": "ไม่มีสาขานี้"}, "th", base=BASE, labels=labels)
    with pytest.raises(UsageError, match="is not an IRI, a prefixed name or a path"):
        entry.bind({"area": AREA_TH}, "th", base=BASE)  # no graph to read labels from: refused


def test_a_label_of_several_entities_is_refused_with_them():
    labels = Labels()
    for iri in ("https://x.test/a", "https://x.test/b"):
        labels.by_key["twin"].add(iri)
    with pytest.raises(UsageError, match="is the label of 2 entities .*x.test/a.*x.test/b"):
        Param.parse("thing | type: iri").term("Twin", base="https://x.test/", labels=labels)


def test_the_command_line_converts_and_says_so_or_refuses_with_exit_2(cli):
    run = cli("query", "status-on", "--param", "date=2569-12-01", "--format", "csv", "--lang", "en")
    assert run.code == 0, run.err
    line = next(r for r in run.out.splitlines() if "/mou/th-la-digital-2022," in r)
    assert ",in-force," in line and "2026-12-01" in line
    assert "read as a Buddhist-Era date" in run.err
    run = cli("query", "by-area", "--param", f"area={AREA_TH}", "--format", "csv")
    assert run.code == 0, run.err
    assert "/mou/th-la-digital-2022," in run.out
    for param, message in (("date=2569-13-01", "ไม่ใช่วันที่"), ("date=1 ธันวาคม 2569", "is not a date")):
        run = cli("query", "status-on", "--param", param)
        assert run.code == 2 and message in run.err, run.err
    run = cli("query", "by-area", "--param", "area=ไม่มีสาขานี้")
    assert run.code == 2 and "no entity of the graph is labelled" in run.err and run.out == ""


def test_the_catalogue_api_converts_and_says_so_or_answers_400(store):
    from urllib.parse import quote, unquote

    import httpx

    from mou_graph.web import create_app

    with running_server(create_app(store)) as url:
        r = httpx.get(f"{url}/api/queries/status-on", params={"date": "2569-12-01", "lang": "en"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert r.status_code == 200
        row = next(b for b in r.json()["results"]["bindings"] if b["mou"]["value"].endswith("/mou/th-la-digital-2022"))
        assert row["status"]["value"] == "in-force"
        assert "Buddhist-Era" in unquote(r.headers["mou-graph-note"])
        r = httpx.get(f"{url}/api/queries/by-area?area={quote(AREA_TH)}&lang=th", timeout=60,
                      headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200
        assert any(b["mou"]["value"].endswith("/mou/th-la-digital-2022") for b in r.json()["results"]["bindings"])
        for params, message in (({"date": "2569-13-01"}, "ไม่ใช่วันที่"),):
            r = httpx.get(f"{url}/api/queries/status-on", params=params, timeout=60)
            assert r.status_code == 400 and message in r.text
        r = httpx.get(f"{url}/api/queries/by-area", params={"area": "ไม่มีสาขานี้"}, timeout=60)
        assert r.status_code == 400 and "ไม่มีสิ่งใดในกราฟที่มีชื่อ" in r.text


def test_a_path_that_names_nothing_is_refused_where_the_graph_is_known(labels):
    entry = load_catalogue().get("by-area")
    with pytest.raises(UsageError, match="the graph has no entity .*area/no-such-area"):
        entry.bind({"area": "area/no-such-area"}, "en", base=BASE, labels=labels)
    assert entry.bind({"area": "area/e-commerce"}, "en", base=BASE, labels=labels)["area"].value.endswith("/e-commerce")


def test_a_contact_persons_name_is_not_read_as_a_parameter_over_http(store):
    """The server does not serve contact persons: their names are no labels to read a parameter by,
    so the answer neither resolves one nor names it among the candidates."""
    from urllib.parse import unquote

    import httpx

    from mou_graph.web import create_app

    with running_server(create_app(store)) as url:
        r = httpx.get(f"{url}/api/queries/person-events", params={"person": "จิตต์สิริ กลิ่นบุญนาค"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)
    said = r.text + unquote(r.headers.get("mou-graph-note", ""))
    assert r.status_code == 400, said
    assert "chitsiri" not in said.lower() and "Klinbunnak" not in said
