"""The walk: a policy officer's questions answered in real Chromium, and axe-core over every page type.

A policy officer asks of the Thai-Lao digital MoU of 7 November 2022 (the shipped article,
``data/source/thaigov-61364.th.txt``): who signed it, for which ministry and in which post; which areas
and activities it covers; whether it is in force today and until when; and where the article says so.
Each question is walked in Thai and English (the interface languages; Lao is not offered), on a desktop
(1280x900) and a phone (390x844), on the server (uvicorn on 127.0.0.1) and on the static site
(``mou-graph site``, opened from file://), and the test asserts what the reader *sees*: visible text,
within the width of the screen.

Then axe-core (``tests/js``, installed by ``scripts/setup --test`` from its lock) runs on every page type
in both languages, both viewports and both targets; no violation of impact "serious" or "critical" may
remain, except those listed in :data:`EXPECTED` (other engineers' pages being rewritten: the lead removes
an entry once its page is merged; :func:`test_every_expected_violation_is_still_seen` says when one is
stale). One browser, one context per viewport, one reused page each: axe runs take about 0.3 s.
Screenshots go to test-output/screenshots/walk-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import ROOT, needs_chromium, running_server, shot

pytestmark = needs_chromium

AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGS = ("th", "en")
TARGETS = ("server", "static")
BLOCKING = ("serious", "critical")

MOU = "mou/th-la-digital-2022"
# page type -> path of the page (server: /page/<path>, static: <lang>/id/<path>.html), or the
# (server, static) paths of the other pages; None: the target has no such page
PAGES: dict[str, tuple[str | None, str | None]] = {
    "home": ("/", "index.html"),
    "search": ("/search?q=" + quote("คลาวด์"), "search.html?q=" + quote("คลาวด์")),
    "agreements": ("/agreements", "agreements.html"),
    "timeline": ("/timeline", "timeline.html"),
    "areas": ("/area", "area.html"),
    "agreement": (MOU, MOU),
    "organisation": ("org/mdes", "org/mdes"),
    "person": ("person/chaiwut-thanakamanusorn", "person/chaiwut-thanakamanusorn"),
    "area": ("area/cloud-computing", "area/cloud-computing"),
    "activity": ("activity/seminars", "activity/seminars"),
    "country": ("country/lao-pdr", "country/lao-pdr"),
    "event": (MOU + "/event/signing", MOU + "/event/signing"),
    "source": ("source/thaigov-61364", "source/thaigov-61364"),
    "query": ("/query", "query.html"),  # the static site has none yet (the "query" engineer adds it)
    "ontology": ("/ontology", "ontology.html"),  # neither has one yet (the "jargon" engineer adds it)
    "error": ("/page/no-such-thing", None),  # a file:// site has no error page of its own
    "review": ("review", None),  # `mou-graph review DRAFT`: its own local server, not in the site
}
# page types that may not exist yet: skipped (with the reason) where the target answers 404 / has no file
NOT_YET: set[str] = set()
ENTITY_TYPES = {"agreement", "organisation", "person", "area", "activity", "country", "event", "source"}

# (page type, axe rule id) -> why the violation is expected today; every other serious or critical
# violation fails the walk. The lead removes an entry once its owner's rewrite is merged.
EXPECTED: dict[tuple[str, str], str] = {}


# -- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web import create_app

    with running_server(create_app(store), lifespan="off") as url:
        yield url


@pytest.fixture(scope="module")
def review(store, tmp_path_factory):
    """The review page of ``mou-graph review`` over a draft of a fixture release (Thai)."""
    from mou_graph.ingest.draft import build_draft, write_draft
    from mou_graph.ingest.intake import read_article
    from mou_graph.web.review import create_review_app

    path = tmp_path_factory.mktemp("walk-review") / "draft.yaml"
    write_draft(build_draft(read_article(ROOT / "tests/fixtures/ingest/releases/r01-energy-th.txt"), store=store), path)
    with running_server(create_review_app(path), lifespan="off") as url:
        yield url


@pytest.fixture(scope="module")
def site(shipped_site) -> Path:
    """The static site, as ``mou-graph site -o DIR`` writes it (both interface languages)."""
    return shipped_site


@pytest.fixture(scope="module")
def tabs(browser):
    """One context per viewport, one page in each, reused by every test of the module. The server's
    Content-Security-Policy would refuse axe's inline script: the contexts bypass it (the other browser
    tests check the policy)."""
    contexts, pages = [], {}
    for name, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size, locale="th-TH", bypass_csp=True,
                                      is_mobile=name == "phone", has_touch=name == "phone")
        contexts.append(context)
        pg = context.new_page()
        pg.problems = []
        pg.on("pageerror", lambda e, pg=pg: pg.problems.append(str(e)))
        pages[name] = pg
    yield pages
    for context in contexts:
        context.close()


def url_of(kind: str, target: str, lang: str, *, server: str = "", site: Path | None = None,
           review: str = "") -> str | None:
    """The URL of a page type on a target in a language, or None where the target has no such page."""
    on_server, on_site = PAGES[kind]
    if target == "server":
        if on_server is None:
            return None
        if kind == "review":
            return f"{review}/?lang={lang}"
        path = on_server if on_server.startswith("/") else "/page/" + on_server
        return server + path + ("&" if "?" in path else "?") + "lang=" + lang
    if on_site is None:
        return None
    assert site is not None
    name, _, query = on_site.partition("?")
    file = site / lang / (name if kind not in ENTITY_TYPES else f"id/{name}.html")
    if not file.is_file():
        return None
    return file.as_uri() + (f"?{query}" if query else "")


# for each group of texts, the smallest element in <main> whose text holds all of them and that the reader
# can see (not hidden, not in a closed box, not of zero size), and where it lies across the screen
_FIND = """(groups) => groups.map((texts) => {
  const holds = (el) => texts.every((text) => el.textContent.includes(text));
  const all = Array.from(document.querySelectorAll('main *')).filter(
    (el) => holds(el) && !Array.from(el.children).some(holds));
  const seen = all.filter((el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true})
                                  && el.getBoundingClientRect().width > 0);
  if (!seen.length) return [all.length ? 'hidden' : 'absent', null];
  const r = seen[0].getBoundingClientRect();
  return ['seen', [r.left + window.scrollX, r.right + window.scrollX]];
})"""


def sees(page, *texts: str | tuple[str, ...]) -> None:
    """The reader sees each of ``texts`` in the page's main part, inside the screen's width (no sideways
    scrolling needed to read it); a tuple of texts must be seen together, in one element (a line, a row)."""
    groups = [[t] if isinstance(t, str) else list(t) for t in texts]
    width = page.viewport_size["width"]
    problems = []
    for group, (state, span) in zip(groups, page.evaluate(_FIND, groups), strict=True):
        if state != "seen":
            problems.append(f"{' + '.join(group)!r} is {state}")
        elif span[0] < -1 or span[1] > width + 1:
            problems.append(f"{' + '.join(group)!r} lies outside the screen's {width} px: {span}")
    assert not problems, f"{page.url}: " + "; ".join(problems)


# -- the questions --------------------------------------------------------------------------------

# What the article says (data/source/thaigov-61364.th.txt), as the interface shows it in each language.
ANSWERS = {
    "th": {
        "title": "บันทึกความเข้าใจว่าด้วยความร่วมมือด้านไปรษณีย์",
        "signatories": ("ชัยวุฒิ ธนาคมานุสรณ์", "บ่อเวียงคำ วงดาลา"),
        "ministries": ("กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "กระทรวงเทคโนโลยีและการสื่อสารแห่งสาธารณรัฐประชาธิปไตยประชาชนลาว"),
        "post": "รัฐมนตรีว่าการกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "areas": ("คลาวด์คอมพิวติ้ง", "เมืองอัจฉริยะ", "การพาณิชย์อิเล็กทรอนิกส์"),
        "activities": ("การสัมมนา", "การฝึกอบรม"),
        "last_days": ("6 พฤศจิกายน 2570", "6 พฤศจิกายน 2573"),
        "in_force": "มีผลบังคับใช้", "ended": "สิ้นสุด",
    },
    "en": {
        "title": "Memorandum of Understanding on Cooperation in Postal Services",
        "signatories": ("Chaiwut Thanakamanusorn", "Boviengkham Vongdara"),
        "ministries": ("Ministry of Digital Economy and Society",
                       "Ministry of Technology and Communications of the Lao People's Democratic Republic"),
        "post": "Minister of Digital Economy and Society",
        "areas": ("Cloud computing", "Smart city", "E-commerce"),
        "activities": ("Seminars", "Training programmes"),
        "last_days": ("6 November 2027", "6 November 2030"),
        "in_force": "in force", "ended": "ended",
    },
}
# the article's sentence for the initial term ("it will be in force for 5 years"), and its English
TERM_SENTENCE = "จะมีผลบังคับใช้เป็นระยะเวลา 5 ปี"
TERM_ENGLISH = "5 years"
LAST_DAY = dt.date(2030, 11, 6)  # the last day of the automatic extension (the article: 5 + 3 years from signing)


def open_agreement(page, target: str, lang: str, *, server: str, site: Path) -> None:
    """From the home page to the MoU, as a reader goes: the agreements list, then the MoU's title."""
    page.goto(url_of("home", target, lang, server=server, site=site))
    page.locator("header nav a[href*=agreements]").filter(visible=True).first.click()
    page.wait_for_load_state()
    assert "agreements" in page.url
    page.locator("main a", has_text=ANSWERS[lang]["title"]).filter(visible=True).first.click()
    page.wait_for_load_state()
    assert MOU in page.url, page.url
    assert page.locator("html").get_attribute("lang") == lang


WALK = [pytest.param(t, lang, v, id=f"{t}-{lang}-{v}") for t in TARGETS for lang in LANGS for v in VIEWPORTS]


@pytest.mark.parametrize(("target", "lang", "viewport"), WALK)
def test_the_policy_officers_questions(target, lang, viewport, server, site, tabs):
    from mou_graph.present.pages import format_date

    page = tabs[viewport]
    want = ANSWERS[lang]
    name = f"walk-{target}-{lang}-{viewport}"
    open_agreement(page, target, lang, server=server, site=site)
    assert want["title"] in page.locator("h1").inner_text()
    shot(page, f"{name}-1-mou")

    # who signed, for which ministry: each signatory seen with the ministry he signed for
    sees(page, *zip(want["signatories"], want["ministries"], strict=True))
    # which areas and activities
    sees(page, *want["areas"], *want["activities"])
    # in force today, and until when: the status on today's date and the last days in force
    today = dt.date.today()
    date = page.locator("main").get_by_text(format_date(today.isoformat(), lang)).filter(visible=True).first
    status = date.locator("xpath=ancestor-or-self::*[self::p or self::div or self::dd or self::li][1]")
    status.scroll_into_view_if_needed()
    said = status.inner_text()
    assert (want["in_force"] if today <= LAST_DAY else want["ended"]) in said, said
    shot(page, f"{name}-2-status")
    sees(page, *want["last_days"])

    # where does it say so: the initial term points to the article's sentence (its number, a link to
    # the sentence among the page's sources), where the term's words are marked
    page.locator(".links .sentence-refs a").filter(visible=True).first.wait_for()
    box = page.locator("main .evidence-pair").filter(
        has=page.locator("blockquote[lang=th] mark", has_text=TERM_SENTENCE)).first
    box.scroll_into_view_if_needed()
    marked = box.locator("mark", has_text=TERM_SENTENCE).filter(visible=True)
    assert marked.count() >= 1, "the term's words are not marked in the article's sentence"
    if lang == "en":  # an English reader sees the project's translation of the sentence beside it
        assert box.locator("[lang=en] mark", has_text=TERM_ENGLISH).filter(visible=True).count() >= 1
    marked.first.scroll_into_view_if_needed()
    shot(page, f"{name}-3-evidence")

    # ... and in which post: the signatory's page names the post he held
    page.locator("main a", has_text=want["signatories"][0]).filter(visible=True).first.click()
    page.wait_for_load_state()
    assert want["signatories"][0] in page.locator("h1").inner_text()
    sees(page, want["post"])
    shot(page, f"{name}-4-signatory")
    assert not page.problems, page.problems


# -- axe-core on every page type -----------------------------------------------------------------

SEEN: dict[tuple[str, str], set[str]] = {}  # (page type, rule) -> the cases it was seen in
RUNS: set[str] = set()  # the cases that ran axe, and those skipped for want of a page
SKIPPED: set[str] = set()


def axe_run(page, *, contrast: bool = True) -> list[dict]:
    """axe-core's violations on the page, every rule it runs by default (colour contrast, its slowest,
    only where ``contrast``)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/setup --test (it installs axe-core from tests/js/)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": contrast}}}
    return page.evaluate("(options) => axe.run(document, options)", options)["violations"]


def sideways(page) -> list[dict]:
    """The page as a violation of "reflow" (in axe's form) if it scrolls sideways: the visible elements
    that reach past the right edge of the screen."""
    # the screen's width, not window.innerWidth: a phone browser zooms a page out to show all of it, and
    # its innerWidth is then the page's width
    wide = page.evaluate("""(width) => {
      if (document.documentElement.scrollWidth <= width) return [];
      return Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > width + 1 && e.checkVisibility())
        .map((e) => [e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''),
                     Math.round(e.getBoundingClientRect().right)]);
    }""", page.viewport_size["width"])
    if not wide:
        return []
    return [{"id": "reflow", "impact": "serious", "help": "The page must not scroll sideways on a phone (WCAG 1.4.10)",
             "nodes": [{"target": [f"{tag} (to {right} px)"]} for tag, right in wide]}]


def describe(v: dict) -> str:
    where = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                      for n in v["nodes"][:3])
    return f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {where}): {v['help']}"


# Which (target, language, viewport) each page type is checked in. By default, the four of a half
# fraction of the 2x2x2 design: each page type is seen on both targets, in both languages and at both
# sizes, and every pair of two of them (server and Thai, static and phone, English and desktop...) occurs
# once, in about two minutes on a quiet machine (axe takes 5-20 s on a loaded one for the 5,000-element
# home and MoU pages). MOU_GRAPH_WALK_FULL=1 checks all eight of every page type.
HALF = (("server", "th", "desktop"), ("server", "en", "phone"), ("static", "th", "phone"),
        ("static", "en", "desktop"))
FULL = tuple((t, lang, v) for t in TARGETS for lang in LANGS for v in VIEWPORTS)
DESIGN = FULL if os.environ.get("MOU_GRAPH_WALK_FULL") == "1" else HALF
AXE_CASES = [pytest.param(kind, t, lang, v, id=f"{kind}-{t}-{lang}-{v}") for kind in PAGES for t, lang, v in DESIGN]


@pytest.mark.parametrize(("kind", "target", "lang", "viewport"), AXE_CASES)
def test_axe_finds_no_serious_violation(kind, target, lang, viewport, request, server, site, tabs):
    case = f"{kind}-{target}-{lang}-{viewport}"
    where = url_of(kind, target, lang, server=server, site=site,
                   review=request.getfixturevalue("review") if kind == "review" and target == "server" else "")
    if where is None:
        SKIPPED.add(case)
        if kind in NOT_YET:
            pytest.skip(f"no {kind} page on the {target} yet")
        pytest.skip(f"the {target} has no {kind} page")
    page = tabs[viewport]
    response = page.goto(where)
    if target == "server" and kind in NOT_YET and response is not None and response.status == 404:
        SKIPPED.add(case)
        pytest.skip(f"no {kind} page on the {target} yet")
    if kind == "error":
        assert response is not None and response.status == 404
    if kind == "search" and target == "static":  # the static site's results are written by its script
        page.locator("#search-results a").first.wait_for()
    # colour contrast is checked at the desktop size only: the style sheets set no colour that depends
    # on the width (test_no_colour_depends_on_the_screen_width), and it is axe's slowest rule
    violations = axe_run(page, contrast=viewport == "desktop")
    RUNS.add(case)
    report = Path(ROOT / "test-output" / "axe")
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{case}.json").write_text(json.dumps(
        [{"id": v["id"], "impact": v["impact"], "help": v["help"],
          "nodes": [n["target"] for n in v["nodes"]]} for v in violations], ensure_ascii=False, indent=1))
    shot(page, f"walk-axe-{case}")
    if viewport == "phone":  # reflow (WCAG 1.4.10), which axe does not check: nothing wider than the screen
        violations += sideways(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    for v in blocking:
        SEEN.setdefault((kind, v["id"]), set()).add(case)
    unexpected = [describe(v) for v in blocking if (kind, v["id"]) not in EXPECTED]
    assert not unexpected, f"{case}: " + "\n".join(unexpected)


def test_no_colour_depends_on_the_screen_width():
    """What lets the phone's axe runs skip colour contrast: no rule inside a width media query of the
    pages' style sheets sets a colour (text, background, mark) that the desktop run did not check."""
    import re

    from mou_graph.present.pages import STATIC

    found = []
    for css in sorted(STATIC.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        for m in re.finditer(r"@media[^{]*width[^{]*\{((?:[^{}]*\{[^}]*\})*)", text):
            for prop in re.findall(r"(?:^|[;{\s])((?:background(?:-color)?|color|opacity|filter))\s*:", m.group(1)):
                found.append(f"{css.name}: {prop} in {m.group(0)[:60]!r}")
    assert not found, found


def test_every_expected_violation_is_still_seen():
    """An entry of EXPECTED that no axe run of this session showed is stale: its owner fixed it, and the
    lead should remove it (checked only when every axe case of the module ran)."""
    if {p.id for p in AXE_CASES} - RUNS - SKIPPED:
        pytest.skip("not every axe case ran in this session")
    stale = sorted(key for key in EXPECTED if key not in SEEN)
    assert not stale, f"expected violations no longer seen (remove them from EXPECTED): {stale}"
