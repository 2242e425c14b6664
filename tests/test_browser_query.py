"""The query page in a real browser (Debian's Chromium driven by Playwright), on a uvicorn server on
127.0.0.1 and in the static site opened from file:// (where Oxigraph compiled to WebAssembly answers
in the page): a Buddhist-Era date is read as such and said so, an area is picked by its Thai label,
the language is kept, the graph's own IRIs link to the local pages, the answer shows under the
question in a table that scrolls in its own box. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import needs_chromium, only_local, running_server, shot

pytestmark = needs_chromium

IN_FORCE_TH = "มีผลบังคับใช้ในระยะเวลาเริ่มต้น"
AREA_TH = "การพาณิชย์อิเล็กทรอนิกส์"  # area/e-commerce


@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web import create_app

    with running_server(create_app(store), lifespan="off") as url:
        yield url


@pytest.fixture(scope="module")
def site(shipped_site):
    return shipped_site


def _run(page, name: str, **values: str) -> None:
    form = page.locator(f"form.question[data-name='{name}']")
    for param, value in values.items():
        form.locator(f"[name='{param}']").fill(value)
    page.locator("#status").evaluate("e => { e.textContent = ''; }")
    form.locator("button[type=submit]").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^[^…]+$"), timeout=60_000)


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] < height


def _problems(page) -> list[str]:
    """Console errors, but for the 400 that a refused value is answered with (Chromium logs it)."""
    return [p for p in page.problems if "status of 400" not in p]


def _digital_2022_row(page):
    return page.locator("#table tr", has=page.locator("a[title$='/mou/th-la-digital-2022']"))


def test_the_query_page_is_linked_both_ways_and_keeps_the_language(server, page):
    page.goto(server + "/?lang=en")
    page.locator(".site-nav a", has_text="Ask the data").click()
    page.wait_for_url(re.compile(r"/query\?lang=en$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Questions for analysts"
    # the free text box and every parameter field have a label
    assert page.get_by_label("SPARQL query text").is_visible()
    assert page.get_by_label(re.compile(r"^date")).first.is_visible()
    page.locator(".lang-switch a[hreflang=th]").click()
    page.wait_for_url(re.compile(r"/query\?lang=th$"))
    assert page.locator("h1").inner_text() == "คำถามสำหรับนักวิเคราะห์"
    page.locator(".site-nav a.brand").click()
    page.wait_for_url(re.compile(r"/\?lang=th$"))
    assert page.locator(".site-nav a", has_text="ถามข้อมูล").count() == 1
    assert not _problems(page), page.problems


def test_a_buddhist_era_date_is_read_as_such_and_said_so(server, page):
    page.goto(server + "/query?lang=th")
    _run(page, "status-on", date="2569-12-01")
    assert page.locator("li#q-status-on #results").count() == 1  # under the question asked
    assert _in_view(page, "#results h2")
    row = _digital_2022_row(page)
    assert IN_FORCE_TH in row.inner_text()  # 2026-12-01: in force, not "ended" (year 2569 CE)
    assert "พุทธศักราช" in page.locator("#notes").inner_text() and "2026-12-01" in page.locator("#notes").inner_text()
    shot(page, "query-01-be-date-th")
    _run(page, "status-on", date="2569-13-01")  # no such day: refused, not answered
    assert page.locator("#status.error").is_visible()
    assert "ไม่ใช่วันที่" in page.locator("#status").inner_text()
    assert page.locator("#table tr").count() == 0
    assert not _problems(page), page.problems


def test_an_area_is_picked_by_its_thai_label_and_results_link_to_local_pages(server, page):
    page.goto(server + "/query?lang=th")
    assert page.locator(f"#q-by-area-area-choices option[value='{AREA_TH}']").count() == 1
    _run(page, "by-area", area=AREA_TH)
    link = _digital_2022_row(page).locator("a[title$='/mou/th-la-digital-2022']").first
    assert link.get_attribute("href") == "/page/mou/th-la-digital-2022?lang=th"
    assert AREA_TH in page.locator("#notes").inner_text() or "e-commerce" in page.locator("#notes").inner_text()
    shot(page, "query-02-area-by-label-th")
    link.click()
    page.wait_for_url(re.compile(r"/page/mou/th-la-digital-2022\?lang=th$"))
    assert page.locator("html").get_attribute("lang") == "th"
    # a name that is no area is refused clearly, not answered with nothing
    page.goto(server + "/query?lang=en")
    _run(page, "by-area", area="ไม่มีสาขานี้")
    assert "no entity of the graph is labelled" in page.locator("#status.error").inner_text()
    assert not _problems(page), page.problems
    assert not only_local(page.requests, (server + "/",)), page.requests


def test_on_a_phone_the_answer_is_in_view_and_its_table_scrolls_in_its_own_box(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/query?lang=en")
    _run(page, "status-on", date="2026-12-01")
    assert _in_view(page, "#results h2")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # the page does not scroll sideways
    assert page.evaluate("(() => { const t = document.getElementById('table'); "
                         "return t.scrollWidth > t.clientWidth && getComputedStyle(t).overflowX === 'auto'; })()")
    shot(page, "query-03-phone-en")
    assert not _problems(page), page.problems


def test_the_static_site_answers_in_the_page_from_file_url(site, page):
    page.goto((site / "th" / "index.html").as_uri())
    page.locator(".site-nav a", has_text="ถามข้อมูล").click()
    page.wait_for_url(re.compile(r"/th/query\.html$"))
    _run(page, "status-on", date="๒๕๖๙-๑๒-๐๑")  # Thai digits, Buddhist Era
    assert IN_FORCE_TH in _digital_2022_row(page).inner_text()
    assert "พุทธศักราช" in page.locator("#notes").inner_text()
    assert _in_view(page, "#results h2")
    shot(page, "query-04-static-be-date-th")
    _run(page, "by-area", area=AREA_TH)
    link = _digital_2022_row(page).locator("a[title$='/mou/th-la-digital-2022']").first
    assert link.get_attribute("href") == "id/mou/th-la-digital-2022.html"
    _run(page, "by-area", area="ไม่มีสาขานี้")
    assert "ไม่มีสิ่งใดในกราฟที่มีชื่อ" in page.locator("#status.error").inner_text()
    page.fill("#sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a "
                         "<https://w3id.org/mou-graph/ontology#MemorandumOfUnderstanding> }")
    page.locator("#free button[type=submit]").click()
    page.locator("#free + #results td").first.wait_for(timeout=60_000)
    assert int(page.locator("#table td").first.inner_text()) >= 1
    _run(page, "by-area", area=AREA_TH)
    _digital_2022_row(page).locator("a[title$='/mou/th-la-digital-2022']").first.click()
    page.wait_for_url(re.compile(r"/th/id/mou/th-la-digital-2022\.html$"))
    page.goto((site / "th" / "query.html").as_uri())
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/en/query\.html$"))
    assert page.locator("h1").inner_text() == "Questions for analysts"
    _run(page, "status-on", date="2569-12-01")
    assert "Buddhist-Era" in page.locator("#notes").inner_text()
    shot(page, "query-05-static-en")
    _run(page, "by-area", area="E-commerce")  # an English label that reads like a path
    assert _digital_2022_row(page).count() >= 1
    _run(page, "by-area", area="area/no-such-area")
    assert page.locator("#status.error").is_visible()
    assert not _problems(page), page.problems
    assert not only_local(page.requests, ("file://", "blob:")), page.requests


def test_the_static_page_reads_values_as_the_core_does(store, site, page):
    """Parity: the static page's reading of a value (query-0.2.1.js) against the core's (Param.term) on
    the same generated inputs: dates in both eras and three scripts of digits, impossible days, labels of
    every area in Thai and English, paths, prefixed names, nonsense."""
    import random

    from mou_graph.publish.personal import personal_nodes
    from mou_graph.query.catalogue import load_catalogue
    from mou_graph.query.params import Labels

    from .conftest import BASE

    labels = Labels.of(store, exclude=personal_nodes(store))
    cat = load_catalogue()
    rng = random.Random(12)
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    dates = [f"{rng.randint(1, 9999):04d}-{rng.randint(1, 13):02d}-{rng.randint(1, 31):02d}" for _ in range(150)]
    dates += [d.translate(thai) for d in dates[:30]] + ["2569-12-01", "2400-01-01", "2399-12-31", "2568-02-29",
                                                       "2567-02-29", "7 Nov 2022", "", " 2026-12-01 "]
    areas = [i for i in labels.kin(BASE + "area/e-commerce")]
    names = [labels.name(i, lang) for i in areas for lang in ("th", "en")]
    iris = names + [n.upper() for n in names[:10]] + ["area/e-commerce", "area/no-such-area", "E-commerce",
                                                      "mou:signingDate", "id:area/e-commerce", "ไม่มีสาขานี้",
                                                      "https://example.org/x", "a b", "<" + BASE + "area/e-commerce>"]
    cases = ([(cat.get("status-on").params[0], v) for v in dates]
             + [(cat.get("by-area").params[0], v) for v in iris]
             + [(cat.get("status-on").params[1], v) for v in ("any", "in-force", "ended ", "nope")]
             + [(cat.get("expiring").params[1], v) for v in ("12", "-3", "1.5", "x", "+7")]
             + [(cat.get("search").params[0], v) for v in ('ดิจิทัล', 'a "quoted" \\ text')])

    def core(param, value):
        notes: list = []
        try:
            return {"term": str(param.term(value, base=BASE, labels=labels, notes=notes)), "notes": len(notes)}
        except Exception:  # noqa: BLE001 - any refusal
            return "refused"

    page.goto((site / "en" / "query.html").as_uri())
    page.evaluate("() => window.mouGraphQuery.ready()")
    specs = [{"name": p.name, "type": p.type, "values": list(p.values), "default": p.default, "example": p.example}
             for p, _ in cases]
    got = page.evaluate("([specs, values]) => specs.map((p, i) => window.mouGraphQuery.read(p, values[i]))",
                        [specs, [v for _, v in cases]])
    js = ["refused" if "refused" in g else g for g in got]
    mismatches = [(p.name, v, c, j) for (p, v), j in zip(cases, js, strict=True) if (c := core(p, v)) != j]
    assert not mismatches, "\n".join(map(repr, mismatches))
    assert sum(j == "refused" for j in js) > 10 and sum(j != "refused" for j in js) > 10


TRIPLE_QUERY = ('SELECT ?t WHERE { BIND (TRIPLE(<https://w3id.org/mou-graph/id/mou/th-la-digital-2022>, '
                '<http://www.w3.org/2000/01/rdf-schema#label>, "x"@en) AS ?t) }')


@pytest.mark.parametrize("where", ["server", "static"])
def test_a_triple_term_in_an_answer_is_shown_as_one(where, server, site, page):
    """A triple term made by a query (SPARQL 1.2 ``TRIPLE()``) shows as ``<<( s p o )>>`` with its
    parts as cells of their own (it was "[object Object]")."""
    page.goto(server + "/query?lang=en" if where == "server" else (site / "en" / "query.html").as_uri())
    page.fill("#sparql", TRIPLE_QUERY)
    page.locator("#free button[type=submit]").click()
    cell = page.locator("#free + #results td").first
    cell.wait_for(timeout=60_000)
    text = cell.inner_text()
    assert "[object Object]" not in text
    assert text.startswith("<<( ") and text.endswith(' )>>') and "x" in text, text
    assert cell.locator("span.triple a, span.triple code").count() == 2  # the subject and the predicate
    assert not _problems(page), page.problems
