"""The neighbourhood graph of an entity page in a real browser (Debian's Chromium, Playwright), on a
uvicorn server on 127.0.0.1 and in the static site opened from file://: what matters is drawn first,
no two boxes overlap, labels are cut only between grapheme clusters (checked with the ``regex``
module's ``\\X``, not with the browser's own segmenter), a node expands, and the table beside the
drawing holds every link. No request may leave 127.0.0.1 or file://."""

from __future__ import annotations

import re

import pytest
import regex

from .conftest import BASE, needs_chromium, running_server
from .conftest import only_local as _only_local
from .conftest import shot as _shot

pytestmark = needs_chromium

MOU = BASE + "mou/th-la-digital-2022"
NODES = """() => Array.from(document.querySelectorAll('.graph-canvas g.node')).map(g => {
  const words = document.querySelector(`.graph-canvas g.node-words[data-for="${g.getAttribute('data-words')}"]`);
  const r = g.querySelector('rect').getBoundingClientRect(), rel = words.querySelector('text.rel');
  return {label: g.getAttribute('data-label'), rel: g.getAttribute('data-rel'),
          shown: words.querySelector('text.label').textContent,
          relShown: rel ? Array.from(rel.childNodes).filter(c => c.nodeType === 3).map(c => c.textContent).join('')
                        : null,
          x: r.left, y: r.top, w: r.width, h: r.height, role: g.getAttribute('role'),
          expanded: g.getAttribute('aria-expanded'), id: g.getAttribute('data-node')};
})"""
LEADING_VOWEL = re.compile("[\u0e40-\u0e44\u0ec0-\u0ec4]$")


@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web import create_app

    with running_server(create_app(store), lifespan="off") as url:
        yield url


@pytest.fixture(scope="module")
def data(store):
    from mou_graph.present.pages import PageData

    return PageData(store)


def _nodes(page) -> list[dict]:
    return page.evaluate(NODES)


def _drawn(page) -> None:
    page.locator(".graph-canvas g.node").first.wait_for()


def _overlapping(nodes: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] \
                    and b["y"] < a["y"] + a["h"]:
                bad.append((a["label"], b["label"]))
    return bad


def _cluster_ends(text: str) -> set[int]:
    ends, at = set(), 0
    for cluster in regex.findall(r"\X", text):
        at += len(cluster)
        ends.add(at)
    return ends


def _badly_cut(nodes: list[dict]) -> list[tuple[str, str]]:
    """Every shown text that is not the whole text, unless it is a prefix ending between two grapheme
    clusters (and not after a Thai or Lao leading vowel), followed by an ellipsis."""
    bad = []
    for n in nodes:
        for full, shown in ((n["label"], n["shown"]), (n["rel"], n["relShown"])):
            if full is None or shown == full:
                continue
            prefix = shown[:-1]
            if not (shown.endswith("…") and full.startswith(prefix) and len(prefix) in _cluster_ends(full)
                    and not LEADING_VOWEL.search(prefix)):
                bad.append((full, shown))
    return bad


def _cut(nodes: list[dict]) -> list[str]:
    return [n["shown"] for n in nodes if n["shown"] != n["label"]]


def _only_buttons_interactive(page) -> bool:
    """No interactive element inside another in the drawing (axe's nested-interactive)."""
    return page.evaluate("""() => {
      const svg = document.querySelector('.graph-canvas svg');
      if (!svg || svg.getAttribute('role') === 'img' || svg.querySelector('a')) return false;
      return Array.from(svg.querySelectorAll('[role=button]')).every(b =>
        !b.querySelector('a, button, [role=button], [tabindex]'));
    }""")


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_mou_graph_draws_its_participants_and_signatories(server, page, data, lang):
    page.goto(f"{server}/page/mou/th-la-digital-2022?lang={lang}")
    _drawn(page)
    mou = data.mou(MOU, lang)
    wanted = [r["label"] for r in mou["parties"] + mou["signatories"]]
    assert len(wanted) == 4
    nodes = [n for n in _nodes(page) if n["role"] == "button"]
    assert {n["label"] for n in nodes} >= set(wanted)
    # drawn in rank order: the four come first
    assert {n["label"] for n in nodes[:4]} == set(wanted)
    assert _only_buttons_interactive(page)
    status = page.locator(".graph-status").inner_text()
    drawn = {n["label"] for n in nodes}
    more = len([r for r in _ranked(data, lang) if r["label"] not in drawn])
    expected = f"{more} more links" if lang == "en" else f"ยังมีอีก {more} ความเชื่อมโยง"
    assert expected in status, status
    _shot(page, f"graph-mou-{lang}")
    assert not page.problems, page.problems
    assert not _only_local(page.requests, (server + "/",)), page.requests


def _ranked(data, lang):
    from mou_graph.present.graph import ranked_links

    return ranked_links(data, MOU, lang)


@pytest.mark.parametrize(("lang", "width", "height"), [("th", 1280, 900), ("en", 1280, 900), ("th", 390, 844)])
def test_no_two_node_boxes_overlap_and_labels_are_cut_between_grapheme_clusters(server, page, lang, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server}/page/mou/th-la-digital-2022?lang={lang}")
    _drawn(page)
    assert not _overlapping(_nodes(page))
    page.locator(".neighbourhood h2").scroll_into_view_if_needed()
    _shot(page, f"graph-mou-{lang}-{width}")
    # draw every link, then expand the participants and signatories: still no overlap
    while page.locator(".graph-draw-more").count():
        page.locator(".graph-draw-more").click()
    for i in range(4):
        page.locator(".graph-canvas g.node[role=button]").nth(i).click()
    nodes = _nodes(page)
    assert len(nodes) > 60
    assert not _overlapping(nodes), _overlapping(nodes)[:5]
    assert _cut(nodes), "no label was cut: the check below would prove nothing"
    assert not _badly_cut(nodes), _badly_cut(nodes)[:5]
    page.evaluate("() => { for (const e of document.querySelectorAll('article.entity > *:not(.neighbourhood)'))"
                  " e.hidden = true; window.scrollTo(0, 0); }")  # the picture alone, for the screenshot
    _shot(page, f"graph-mou-{lang}-{width}-all")
    assert not page.problems, page.problems
    assert not _only_local(page.requests, (server + "/",)), page.requests


def test_a_reader_expands_a_node_by_click_and_by_keyboard(server, page, data):
    from mou_graph.present.graph import HOP_LINKS, ranked_links

    page.goto(f"{server}/page/mou/th-la-digital-2022?lang=en")
    _drawn(page)
    chaiwut = BASE + "person/chaiwut-thanakamanusorn"
    label = data.label(chaiwut, "en")
    theirs = ranked_links(data, chaiwut, "en")[:HOP_LINKS]
    his = {link["label"] for link in theirs}
    before = {n["label"] for n in _nodes(page)}
    assert not his <= before  # something of his is not drawn yet
    node = page.locator(f".graph-canvas g.node[data-label='{label}']")
    assert node.get_attribute("aria-expanded") == "false"
    node.click()
    after = {n["label"] for n in _nodes(page)}
    assert his <= after and len(after) > len(before)
    assert node.get_attribute("aria-expanded") == "true"
    panel = page.locator(".graph-selected")
    assert label in panel.inner_text() and panel.locator("li").count() == len(theirs)
    assert label in page.locator(".graph-announce").inner_text()
    _shot(page, "graph-expanded-click")
    node.click()  # collapses
    assert {n["label"] for n in _nodes(page)} == before
    # the keyboard: Tab reaches the drawing at one node (roving tabindex), the arrows move, Enter expands
    assert page.locator(".graph-canvas g.node[tabindex='0']").count() == 1
    page.locator(".graph-canvas g.node[role=button]").first.focus()
    page.keyboard.press("ArrowRight")
    second = page.evaluate("document.activeElement.getAttribute('data-label')")
    assert second == _nodes(page)[2]["label"]  # [0] is the centre
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    assert len(_nodes(page)) > len(before)
    _shot(page, "graph-expanded-keyboard")
    assert not page.problems, page.problems
    assert not _only_local(page.requests, (server + "/",)), page.requests


def test_the_table_beside_the_drawing_lists_every_link_and_stays_without_javascript(server, browser, page, data):
    ranked = _ranked(data, "th")
    page.goto(f"{server}/page/mou/th-la-digital-2022?lang=th")
    _drawn(page)
    rows = page.locator("#graph-list tbody tr")
    assert rows.count() == len(ranked) == 73
    shown = page.evaluate("() => Array.from(document.querySelectorAll('#graph-list tbody tr td:nth-child(2)'))"
                          ".map(td => td.textContent.trim())")
    assert shown == [r["label"] for r in ranked]
    # the drawing's "more" link opens the table
    assert page.locator("#graph-list").get_attribute("open") is None
    page.locator(".graph-status a.graph-more").click()
    assert page.locator("#graph-list").get_attribute("open") is not None
    assert rows.first.is_visible()
    context = browser.new_context(java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto(f"{server}/page/mou/th-la-digital-2022?lang=th")
        assert bare.locator("#graph-list tbody tr").count() == len(ranked)
        assert bare.locator("#graph-list tbody tr").first.is_visible()
        assert not bare.locator("#graph-view").is_visible()
    finally:
        context.close()
    assert not page.problems, page.problems


def test_the_graph_works_in_the_static_site_from_file_url(shipped_site_en, page):
    out = shipped_site_en
    page.goto((out / "en" / "id" / "mou" / "th-la-digital-2022.html").as_uri())
    _drawn(page)
    nodes = _nodes(page)
    assert "Chaiwut Thanakamanusorn" in {n["label"] for n in nodes}
    assert not _overlapping(nodes)
    page.locator(".graph-canvas g.node[data-label='Chaiwut Thanakamanusorn']").click()
    assert len(_nodes(page)) > len(nodes)
    link = page.locator(".graph-selected a").first
    assert link.get_attribute("href").endswith("person/chaiwut-thanakamanusorn.html")
    _shot(page, "graph-static-site")
    link.click()
    page.wait_for_url(re.compile(r"/en/id/person/chaiwut-thanakamanusorn\.html$"))
    _drawn(page)
    assert not page.problems, page.problems
    assert not _only_local(page.requests, ("file://",)), page.requests
