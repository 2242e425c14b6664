"""The register's pages in a real browser (Debian's Chromium, Playwright), on the shipped graph plus
the made-up register of tests/fixtures/register (test fixtures, not facts): the agreements page
with its filters and sorting, the timeline, an agreement's events and sources, an organisation's
names over time, in Thai and English; and the static site's agreements page from file://, which
must show the rows the server shows for the same filters. Screenshots: test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .conftest import needs_chromium, running_server
from .conftest import only_local as _only_local
from .conftest import shot as _shot

pytestmark = needs_chromium

DAY = "2025-06-01"  # the status of every row is the rule's on this day, not today's


@pytest.fixture(scope="module")
def server(register_store):
    from mou_graph.web import create_app

    with running_server(create_app(register_store), lifespan="off") as url:
        yield url


def _titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#agreements tbody tr:not([hidden]) td:first-child").all_inner_texts()]


def _agreements(store) -> int:
    mou = "https://w3id.org/mou-graph/ontology#"
    rows = store.query(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {{ ?a a <{mou}Agreement> }} "
                       f"UNION {{ ?a a <{mou}MemorandumOfUnderstanding> }} }}")
    return int(next(iter(rows))["n"].value)


def test_agreements_page_filters_sorts_and_leads_to_events_and_sources(register_store, server, page):
    every = _agreements(register_store)
    page.goto(f"{server}/agreements?lang=en&date={DAY}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#agreements tbody tr").count() == every
    assert page.locator("#shown-count").inner_text() == str(every)
    _shot(page, "20-agreements-en")

    # partner: a country; the narrower-area rule: e-commerce brings in cross-border e-commerce
    page.select_option("#f-partner", "country/test-fixturia")
    page.locator(".agreement-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"partner=country%2Ftest-fixturia"))
    assert sorted(_titles(page)) == ["Alpha–Gamma Action Plan (test fixture)",
                                     "Alpha–Gamma Memorandum of Cooperation (test fixture)",
                                     "Beta–Gamma Agreement (test fixture)", "Beta–Gamma MoU of 2019 (test fixture)"]
    page.select_option("#f-area", "area/e-commerce")
    page.select_option("#f-sort", "title")
    page.locator(".agreement-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"area=area%2Fe-commerce"))
    assert _titles(page) == ["Alpha–Gamma Memorandum of Cooperation (test fixture)",
                             "Beta–Gamma Agreement (test fixture)"]
    assert page.locator("#f-area").input_value() == "area/e-commerce"  # the form shows what is applied
    _shot(page, "21-agreements-filtered-en")

    # status and year, then the oldest first
    old_beta = "partner=org/test-ministry-beta-old"
    page.goto(f"{server}/agreements?lang=en&date={DAY}&status=ended&sort=signed-asc&{old_beta}")
    assert _titles(page) == ["Beta–Gamma Agreement (test fixture)", "Alpha–Beta MoU of 2018 (test fixture)"]
    page.goto(f"{server}/agreements?lang=en&date={DAY}&year=2024&sort=title&partner=org/test-ministry-alpha")
    assert _titles(page) == ["Alpha–Beta Letter of Intent (test fixture)", "Alpha–Gamma Action Plan (test fixture)"]
    assert page.locator("#agreements .status").all_inner_texts() == ["in force (initial term)"] * 2
    page.goto(f"{server}/agreements?lang=en&date={DAY}&partner=nobody")
    assert page.locator(".no-rows").is_visible() and page.locator("#shown-count").inner_text() == "0"

    # an agreement's page: its events, a conflicting date and why one is preferred, sources, relations
    page.goto(f"{server}/agreements?lang=en&date={DAY}")
    page.locator("#agreements a", has_text="Alpha–Beta MoU of 2022 (test fixture)").click()
    page.wait_for_url(re.compile(r"/page/mou/test-alpha-2022"))
    events = page.locator("table.events tbody tr")
    assert [t.split("\n")[0].strip() for t in page.locator("table.events tbody td:first-child").all_inner_texts()][:2] \
        == ["25 October 2022", "7 November 2022"]
    signing = events.nth(1).inner_text()
    assert "Other sources give another value: 8 November 2022" in signing
    assert "names the day itself" in signing  # the reason the preferred value is preferred
    assert "Test Prime Minister (witness)" in signing
    assert "Person A Test (signatory, on behalf of Ministry Alpha (test fixture))" in signing
    assert "Test Cabinet (test fixture)" in events.nth(0).inner_text()  # who approved the draft
    sources = page.locator(".sources > li")  # each report cited once, each sentence quoted once
    assert sources.count() == 3
    assert sources.filter(has=page.locator("a[href='https://example.org/test-fixture/report-2']")).count() == 1
    assert page.locator("ol.sources q[lang=th]", has_text="8 พฤศจิกายน").count() == 1  # the report's words, tagged Thai
    _shot(page, "22-agreement-events-en")
    page.locator("ul.related a", has_text="Alpha–Beta MoU of 2018").click()
    page.wait_for_url(re.compile(r"/page/mou/test-alpha-2018"))
    assert "successor: Alpha–Beta MoU of 2022 (test fixture)" in page.locator("ul.related").inner_text()
    assert "Supersession" in page.locator("table.events").inner_text()

    # an organisation: its names over time and its agreements (under either name), in Thai
    page.locator("table.events a", has_text="Old Ministry Beta").first.click()
    page.wait_for_url(re.compile(r"/page/org/test-ministry-beta-old"))
    page.locator(".lang-switch a[hreflang=th]").click()
    page.wait_for_url(re.compile(r"lang=th"))
    names = page.locator("ol.names > li").all_inner_texts()
    assert len(names) == 2 and "กระทรวงเบตาเดิม" in names[0] and "ถึง 2564" in names[0]
    assert "กระทรวงเบตา (ข้อมูลทดสอบ)" in names[1] and "ตั้งแต่ 2564" in names[1]
    assert page.locator(".register-organisation table.agreements tbody tr").count() == 6  # A B D E G H
    _shot(page, "23-organisation-names-th")

    # the timeline across agreements, Buddhist Era on Thai pages
    page.locator(".site-nav a", has_text="ลำดับเวลาของความตกลงทั้งหมด").click()
    page.wait_for_url(re.compile(r"/timeline"))
    years = page.locator(".timeline-year h2").all_inner_texts()
    assert years == sorted(years, reverse=True) and {"2568", "2567", "2565", "2563", "2559"} <= set(years)
    y2567 = page.locator(".timeline-year", has_text="2567").first.inner_text()
    assert y2567.count("8 ตุลาคม 2567") >= 2 and "การลงนาม" in y2567
    assert "แผนปฏิบัติการอัลฟา–แกมมา (ข้อมูลทดสอบ)" in y2567
    assert "มิถุนายน 2563" in page.locator(".timeline-year", has_text="2563").inner_text()  # a month-only date
    _shot(page, "24-timeline-th")
    assert not page.problems, page.problems
    assert not _only_local(page.requests, (server + "/",)), page.requests


def test_a_label_shown_in_another_language_is_tagged_with_it(server, page):
    mine = "partner=org/test-ministry-alpha"  # the made-up agreements have Thai and English titles
    for lang in ("th", "en"):
        page.goto(f"{server}/agreements?lang={lang}&date={DAY}&{mine}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("#agreements tbody td:first-child a").count() == 6
        assert page.locator("#agreements tbody td:first-child a[lang]").count() == 0
    page.goto(f"{server}/agreements?lang=en&date={DAY}")
    links = page.locator("#agreements tbody a")
    tags = {links.nth(i).get_attribute("lang") for i in range(links.count())}
    assert tags <= {None, "th", "lo"}  # English where there is English, else tagged with the language shown


def test_static_agreements_page_filters_like_the_server(register_store, server, page, tmp_path):
    from mou_graph.present.site import build_site

    out = tmp_path / "site"
    build_site(register_store, out, langs=["en", "th"], today=dt.date.fromisoformat(DAY))
    base = (out / "en" / "agreements.html").as_uri()
    for query in ("", "?partner=country/test-fixturia", "?area=area/ict-digital-innovation&sort=title",
                  "?status=in-force&sort=signed-asc", "?year=2022&sort=status", "?partner=org/test-ministry-beta-old"):
        page.goto(base + query)
        static = _titles(page)
        page.goto(f"{server}/agreements{query or '?'}&lang=en&date={DAY}")
        assert static == _titles(page), query
    page.requests.clear()  # from here on, the static site alone
    page.goto(base + "?area=area/ict-digital-innovation&sort=title&partner=org/test-ministry-alpha")
    assert page.locator("#shown-count").inner_text() == "2"  # B and G
    assert page.locator("#f-area").input_value() == "area/ict-digital-innovation"
    _shot(page, "25-static-agreements-en")
    page.goto((out / "th" / "timeline.html").as_uri())
    assert page.locator(".timeline-year h2").first.inner_text() == "2568"
    page.goto((out / "en" / "id" / "mou" / "test-epsilon-2024.html").as_uri())
    assert "Signed at the same ceremony" in page.locator("table.events").inner_text()
    assert "Alpha–Gamma Action Plan" in page.locator("table.events").inner_text()
    assert not page.problems, page.problems
    assert not _only_local(page.requests, ("file://",)), page.requests
