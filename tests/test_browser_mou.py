"""An agreement's page in a real browser (Debian's Chromium driven by Playwright, against a uvicorn server
on 127.0.0.1): the answer on the first screen on a desktop and a phone, in Thai and English; each quoted
sentence once, as a citation; terms in words, start before end; areas and activities in the article's
order; printing as a brief of at most two A4 pages (issue 12, items 12, 13 and 17).
Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import BASE, needs_chromium, running_server
from .conftest import shot as _shot

pytestmark = needs_chromium

MOU_PATH = "/page/mou/th-la-digital-2022"
MOU_IRI = BASE + "mou/th-la-digital-2022"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web import create_app

    with running_server(create_app(store), lifespan="off") as url:
        yield url


@pytest.fixture(scope="module")
def data(store):
    from mou_graph.present.pages import PageData

    return PageData(store)


def _expected(data, lang: str) -> dict[str, object]:
    """What the answer must say, read from the graph and the status rule (not written into the test)."""
    from mou_graph.present.pages import day_before, format_date

    today = dt.date.today()
    status = data.statuses(today, lang)[MOU_IRI]
    posts = {"th": ["รัฐมนตรีว่าการกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
                    "รัฐมนตรีว่าการกระทรวงเทคโนโลยีและการสื่อสาร"],
             "en": ["Minister of Digital Economy and Society", "Minister of Technology and Communications"]}[lang]
    return {
        "participants": [data.label(BASE + "org/mdes", lang), data.label(BASE + "org/mtc-lao", lang)],
        "signatories": [data.label(BASE + "person/chaiwut-thanakamanusorn", lang),
                        data.label(BASE + "person/boviengkham-vongdara", lang)],
        "posts": posts,
        "signing": format_date("2022-11-07", lang),
        "status": status["label"],
        "last_day": format_date(day_before(status["end"]), lang) if status.get("end") else None,
        "extension": ["3 ปี" if lang == "th" else "3 years", format_date("2030-11-06", lang)],
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_answer_is_on_the_first_screen(server, page, data, lang, viewport):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server}{MOU_PATH}?lang={lang}")
    answer = page.locator(".mou-answer dl.answer")
    box = answer.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)  # all of it, without scrolling
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    text = answer.inner_text()
    want = _expected(data, lang)
    # a non-binding MoU has participants, and each side names who signed for it, with the post
    assert ("ผู้เข้าร่วม" if lang == "th" else "Participants") in answer.locator("dt").first.inner_text()
    sides = answer.locator(".side").all_inner_texts()
    for i, (org, person, post) in enumerate(zip(want["participants"], want["signatories"], want["posts"], strict=True)):
        assert org in sides[i] and person in sides[i] and post in sides[i], sides
    assert want["signing"] in text
    assert want["status"] and want["status"] in answer.locator(".status").inner_text()
    if want["last_day"]:
        assert want["last_day"] in answer.locator(".answer-last-day").inner_text()
    assert all(w in answer.locator(".answer-extension").inner_text() for w in want["extension"])
    _shot(page, f"mou-answer-{lang}-{viewport}")
    assert not page.problems, page.problems


def test_each_quoted_sentence_is_shown_once_as_a_citation(server, page, data):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}{MOU_PATH}?lang=en")
    quoted = page.locator("main .evidence-pair blockquote[lang=th]")
    sentences = [quoted.nth(i).get_attribute("cite") for i in range(quoted.count())]
    assert len(sentences) >= 10
    assert len(set(sentences)) == len(sentences)  # once per sentence (the article repeats its headline: two)
    assert page.locator("main details.evidence").count() == 0
    # a fact points to its sentence by number, on this page
    refs = page.locator(".links .sentence-refs a")
    assert refs.count() >= 10 and all(h.startswith("#src-s") for h in
                                      (refs.nth(i).get_attribute("href") for i in range(refs.count())))
    entry = page.locator("#src-s06")
    line = entry.locator(".cite-line").inner_text()
    assert "Sentence 6" in line
    assert entry.locator("a.article-url").get_attribute("href") == "https://www.thaigov.go.th/news/contents/details/61364"
    assert entry.locator("a[rel=bookmark]").get_attribute("href") == BASE + "source/thaigov-61364/s06"
    # the quoted words are marked in the Thai and in the project's English beside it
    assert entry.locator("blockquote[lang=th] mark").count() >= 3
    assert entry.locator("blockquote[lang=en] mark").count() >= 1
    facts = entry.locator(".facts").inner_text()
    assert "participant: Ministry of Digital Economy and Society" in facts and "signatory: " in facts
    assert "-vongdara" not in facts  # no unlabelled node (a participation) shown by its slug
    _shot(page, "mou-sentence-6")
    # the sentence in the article's page
    entry.locator("a.sentence-link").click()
    page.wait_for_url(re.compile(r"/page/source/thaigov-61364\?lang=en#s06$"))
    target = page.locator("li:target")
    assert target.get_attribute("id") == "s06"
    sentence = data.sentences[BASE + "source/thaigov-61364/s06"]["text"]
    assert sentence in target.locator("blockquote[lang=th]").inner_text()
    expect(target).to_be_in_viewport()  # the browser scrolled to the sentence
    _shot(page, "mou-article-sentence-6")
    assert not page.problems, page.problems


def test_cite_this_copy_iri_and_a_cited_report(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    try:
        page.goto(f"{server}{MOU_PATH}?lang=en")
        copy = page.locator(".mou-answer button.copy")
        assert copy.is_visible()
        copy.click()
        assert page.evaluate("navigator.clipboard.readText()") == MOU_IRI
        assert page.locator(".mou-answer a[rel=bookmark]").get_attribute("href") == MOU_IRI
        page.locator("#src-s06 button.copy").click()
        assert page.evaluate("navigator.clipboard.readText()") == BASE + "source/thaigov-61364/s06"
        cite = page.locator(".cite-this details.cite")
        cite.locator("summary").click()
        reference = cite.locator(".reference").inner_text()
        assert reference.startswith("Royal Thai Government. (2022, November 7). ")
        assert "(in Thai)" in reference and reference.endswith("https://www.thaigov.go.th/news/contents/details/61364")
        item = json.loads(cite.locator("pre.csl-json").inner_text())[0]
        assert item["URL"] == "https://www.thaigov.go.th/news/contents/details/61364"
        assert item["issued"] == {"date-parts": [[2022, 11, 7]]} and item["language"] == "th"
        assert item["publisher"] == "Royal Thai Government" and item["title"].startswith("ดีอีเอส")
        cite.locator("button.copy").last.click()
        assert json.loads(page.evaluate("navigator.clipboard.readText()")) == [item]
        _shot(page, "mou-cite-this")
        # a report cited, not copied: publisher, date, language and URL, and a few words at most
        report = page.locator(".sources.cited > li", has_text="Bangkok Post")
        meta = report.locator(".meta").inner_text()
        assert "Publisher: Bangkok Post" in meta and "Published 8 November 2022" in meta and "Language: English" in meta
        assert report.locator("a.report-url, .meta a").first.get_attribute("href").startswith("https://www.bangkokpost.com/")
        assert all(len(q.split()) <= 12 for q in report.locator("q").all_inner_texts())
    finally:
        context.close()


def test_terms_in_words_start_before_end(server, page):
    page.goto(f"{server}{MOU_PATH}?lang=th")
    main = page.locator("main").inner_text()
    assert not re.search(r"\bP\d+[YMWD]\b", main)
    rows = page.locator("table.terms tbody tr")
    first = rows.first.inner_text()
    assert "5 ปี" in first and first.index("7 พฤศจิกายน 2565") < first.index("6 พฤศจิกายน 2570")
    page.goto(f"{server}{MOU_PATH}/term/initial?lang=en")
    main = page.locator("main").inner_text()
    assert "P5Y" not in main and "5 years" in main
    props = page.locator(".links-outgoing dt .prop").all_inner_texts()
    assert props.index("start date") < props.index("end date (exclusive)")
    _shot(page, "mou-term-initial-en")


def test_areas_and_activities_follow_the_article(server, page, data):
    page.goto(f"{server}{MOU_PATH}?lang=en")
    def shown(selector: str) -> list[tuple[str, str]]:
        links = page.locator(selector)
        return [(links.nth(i).inner_text(), BASE + links.nth(i).get_attribute("href").split("?")[0][len("/page/"):])
                for i in range(links.count())]

    roots, acts = shown(".mou-scope > ul.tree > li > a"), shown(".mou-scope ol.activities a")
    for items in (roots, acts):
        assert len(items) >= 5
        offsets = [data.article_order(iri) for _, iri in items]
        labels = [label for label, _ in items]
        assert offsets == sorted(offsets) and labels != sorted(labels)  # the article's order, not the alphabet
    activities = [label for label, _ in acts]
    assert activities[0].startswith("Exchange of information") and activities[-1].startswith("Other forms")
    # a narrower area sits under the area the article names it with ("X such as A, B and C")
    narrower = page.evaluate("""() => { const li = [...document.querySelectorAll('.mou-scope ul.tree li')]
        .find(x => x.querySelector(':scope > a').textContent.startsWith('Innovation in ICT'));
        return [...li.querySelectorAll(':scope > ul > li > a')].map(a => a.textContent); }""")
    assert narrower == ["Big data", "Internet of Things", "Cloud computing"]


def test_every_agreement_page_answers_first(server, page, data):
    agreements = sorted(data.statuses(dt.date(2026, 1, 1), "en"))  # every agreement the status rule knows
    assert len(agreements) >= 30
    for iri in agreements:
        path = "/page/" + iri[len(BASE):]
        for lang in ("th", "en"):
            with urllib.request.urlopen(f"{server}{path}?lang={lang}") as r:  # our own server
                html = r.read().decode("utf-8")
            main = re.search(r"<main.*?</main>", html, re.S).group(0)
            assert 'class="mou-answer"' in main, path
            assert main.index('class="mou-answer"') < main.index('class="record"'), path
            assert not re.search(r">[^<]*\bP\d+[YMWD]\b", main), path
            assert "details class=\"evidence\"" not in main, path
    # a register agreement with only cited reports, on a phone: the answer still comes first
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/page/mou/th-la-labour-2016?lang=en")
    box = page.locator(".mou-answer dl.answer").bounding_box()
    assert box["y"] + box["height"] <= 844
    assert "signed by" in page.locator(".mou-answer").inner_text()
    _shot(page, "mou-register-labour-2016-phone")


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_mou_prints_as_a_brief_of_at_most_two_a4_pages(server, page, lang):
    page.goto(f"{server}{MOU_PATH}?lang={lang}")
    assert page.locator("link[rel=stylesheet][media=print]").get_attribute("href").endswith("print-0.1.0.css")
    page.emulate_media(media="print")
    assert page.locator(".mou-answer").is_visible() and page.locator(".mou-scope").is_visible()
    for hidden in (".site-header", ".neighbourhood", ".links-outgoing", ".sources .evidence-pair"):
        assert not page.locator(hidden).first.is_visible(), hidden
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= 2, pages
    page.emulate_media(media="screen")
    assert page.locator(".neighbourhood").is_visible()
