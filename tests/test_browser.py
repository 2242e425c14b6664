"""The browser in a real browser: Debian's Chromium driven by Playwright, against a uvicorn
server on 127.0.0.1 and against the static site opened from file://. Screenshots go to
test-output/screenshots/. No request may leave 127.0.0.1 or file://."""

from __future__ import annotations

import re

import pytest

from .conftest import needs_chromium, running_server
from .conftest import only_local as _only_local
from .conftest import shot as _shot

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web import create_app

    with running_server(create_app(store), lifespan="off") as url:
        yield url


def test_policy_team_journey(server, page):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    # keyboard: the first Tab reaches the skip link, which is visible when focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    _shot(page, "01-home-th")

    page.fill("#q", "คลาวด์")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    results = page.locator("ol.results > li")
    assert results.count() >= 1
    cloud = page.locator("ol.results a", has_text="คลาวด์คอมพิวติ้ง").first
    assert "คลาวด์" in results.first.inner_text()
    _shot(page, "02-search-cloud")

    cloud.click()
    page.wait_for_url(re.compile(r"/page/area/cloud-computing"))
    assert page.locator("h1").inner_text() == "คลาวด์คอมพิวติ้ง"
    assert "Cloud computing" in page.locator(".entity-header").inner_text()
    assert page.locator(".neighbourhood .graph-canvas g.node[role=button]").count() >= 1
    _shot(page, "03-cloud-computing")

    page.locator(".links-incoming a[href*='/page/mou/']").first.click()
    page.wait_for_url(re.compile(r"/page/mou/th-la-digital-2022"))
    summary = page.locator(".mou-answer").inner_text()  # the answer first (issue 12): signing, last day in force
    assert "7 พฤศจิกายน 2565" in summary and "6 พฤศจิกายน 2573" in summary
    assert page.locator(".mou-answer .status").inner_text().strip()
    assert page.locator(".mou-scope .tree li").count() >= 4
    assert page.locator(".sources.quoted mark").first.is_visible()  # each sentence once, the words marked
    _shot(page, "04-mou-th")

    page.locator(".mou-answer .signatory a", has_text="ชัยวุฒิ").click()
    page.wait_for_url(re.compile(r"/page/person/chaiwut-thanakamanusorn"))
    assert "ชัยวุฒิ" in page.locator("h1").inner_text()
    _shot(page, "05-minister-th")

    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Chaiwut" in page.locator("h1").inner_text()
    assert page.locator(".lang-switch a[aria-current]").inner_text() == "English"
    _shot(page, "06-minister-en")

    page.goto(server + "/page/mou/th-la-digital-2022")  # no ?lang=: the cookie remembers English
    assert page.locator("html").get_attribute("lang") == "en"
    assert "7 November 2022" in page.locator(".mou-answer").inner_text()
    _shot(page, "07-mou-en")

    assert not page.problems, page.problems
    assert not _only_local(page.requests, (server + "/",)), page.requests


def test_static_site_from_file_url_with_search(shipped_site, page):
    out = shipped_site
    page.goto((out / "index.html").as_uri())
    page.wait_for_url(re.compile(r"/th/index\.html$"))
    assert page.locator("html").get_attribute("lang") == "th"
    page.fill("#q", "สรรพสิ่ง")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?"))
    link = page.locator("#search-results ol.results a").first
    link.wait_for()
    assert link.inner_text() == "อินเทอร์เน็ตเพื่อสรรพสิ่ง"
    _shot(page, "08-static-search")
    link.click()
    page.wait_for_url(re.compile(r"/th/id/area/internet-of-things\.html$"))
    assert page.locator("h1").inner_text() == "อินเทอร์เน็ตเพื่อสรรพสิ่ง"
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/en/id/area/internet-of-things\.html$"))
    assert page.locator("h1").inner_text() == "Internet of Things"
    page.fill("#q", "chaiwut")
    page.keyboard.press("Enter")
    page.locator("#search-results a", has_text="Chaiwut Thanakamanusorn").first.wait_for()
    _shot(page, "09-static-en")
    assert not page.problems, page.problems
    assert not _only_local(page.requests, ("file://",)), page.requests


def test_static_site_search_folds_a_decomposed_sara_am_and_knows_the_search_forms(shipped_site_en, page):
    out = shipped_site_en
    for query, label in (("บ่อเวียงค\u0e4d\u0e32", "Boviengkham Vongdara"),  # ำ typed as ํ + า
                         ("\u0e9a\u0ecd\u0ec8\u0ea7\u0ebd\u0e87\u0e84\u0ecd\u0eb2", "Boviengkham Vongdara"),  # Lao ໍ + າ
                         ("MDES", "Ministry of Digital Economy and Society"),
                         ("สมาร์ทซิตี้", "Smart city")):
        page.goto((out / "en" / "search.html").as_uri() + "?q=" + query)
        first = page.locator("#search-results ol.results a").first
        first.wait_for()
        assert first.inner_text() == label, query
    _shot(page, "10-static-search-decomposed-sara-am")
    assert not page.problems, page.problems


def test_an_english_reader_sees_the_translation_beside_the_thai_evidence(server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/page/area/e-commerce?lang=en")
    box = page.locator("details.evidence").first
    box.locator("summary").click()
    pair = box.locator(".evidence-pair").first
    thai, english = pair.locator("blockquote[lang=th]"), pair.locator("blockquote[lang=en]")
    assert thai.is_visible() and english.is_visible()
    assert any("e-commerce" in m for m in english.locator("mark").all_inner_texts())
    assert thai.locator("mark").count() >= 1
    t, e = thai.bounding_box(), english.bounding_box()
    assert e["x"] > t["x"] + t["width"] / 2  # beside, not below, on a wide screen
    _shot(page, "11-evidence-parallel-en")
    page.set_viewport_size({"width": 390, "height": 844})
    assert english.is_visible()  # on a phone the English follows the Thai
    _shot(page, "12-evidence-parallel-phone")
    assert not page.problems, page.problems
