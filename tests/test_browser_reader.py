"""What a reader sees (issue 12, items 16-18): Thai pages without jargon, the ontology documentation at
``/ontology`` and in the static site, links that stay on the site, the phone layout of the source
page, home-page lists that keep each item in one column, compressed answers, and the static site's
per-entity RDF. Plain HTTP against a real uvicorn server on 127.0.0.1, the static site on disk, and
Debian's Chromium (Playwright) for layout; screenshots go to test-output/screenshots/."""

from __future__ import annotations

import gzip
import html.parser
import http.client
import re
import urllib.parse

import pytest

from .conftest import BASE, needs_chromium, running_server
from .conftest import shot as _shot

MOU = BASE + "mou/th-la-digital-2022"
SOURCE_PAGE = "source/thaigov-61364"
# Thai pages a reader walks through: home, search, the MoU, its terms, a person, the article, a claim
THAI_PAGES = [
    "/?lang=th",
    "/search?q=MDES&lang=th",
    "/search?q=%E0%B8%AA%E0%B8%A1%E0%B8%B2%E0%B8%A3%E0%B9%8C%E0%B8%97&lang=th",  # สมาร์ท
    "/page/mou/th-la-digital-2022?lang=th",
    "/page/mou/th-la-digital-2022/term/initial?lang=th",
    "/page/mou/th-la-digital-2022/term/extension?lang=th",
    "/page/mou/th-la-digital-2022/term/initial/claim/has-xsdduration/P5Y?lang=th",
    "/page/mou/th-la-digital-2022/term/extension/claim/automatic/true?lang=th",
    "/page/person/chaiwut-thanakamanusorn?lang=th",
    f"/page/{SOURCE_PAGE}?lang=th",
    "/page/area/cloud-computing?lang=th",
]

# jargon in Thai text: a compact IRI, a raw boolean, an ISO 8601 duration, a bare language code,
# a search field's internal name
JARGON = {
    "compact name": re.compile(r"(?<![\w/:.#-])(?:mou|schema|skos|rdfs|rdf|owl|prov|nif|org|time|dcterms|xsd)"
                               r":[A-Za-z]"),
    "boolean": re.compile(r"\b(?:true|false)\b"),
    "duration": re.compile(r"\bP(?:\d+[YMWD])+\b|\bPT\d"),
    "language code": re.compile(r"(?<![\w./=-])(?:th|en|lo)(?![\w./-])"),
    "field name": re.compile(r"\b(?:prefLabel|altLabel|romanised)\b"),
}
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "area", "col", "base", "embed", "param", "track"}


class _Page(html.parser.HTMLParser):
    """The text of a page by the language it is tagged with (``code``, scripts and styles left out),
    the links, the ids, and the text of each property name (``.prop-groups > dt``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.texts: list[tuple[str | None, str]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.props: list[str] = []
        self._prop: list[str] | None = None
        self._prop_depth = 0
        self._dl_depth: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in _VOID:
            return
        if tag == "dl":
            self._dl_depth.append("prop-groups" in (a.get("class") or "").split())
        if tag == "dt" and self._dl_depth and self._dl_depth[-1]:
            self._prop, self._prop_depth = [], len(self.stack)
        lang = a.get("lang", self.stack[-1][1] if self.stack else None)
        hidden = tag in ("code", "script", "style", "title") or (self.stack and self.stack[-1][2])
        self.stack.append((tag, lang, bool(hidden)))

    def handle_endtag(self, tag):
        if tag == "dl" and self._dl_depth:
            self._dl_depth.pop()
        while self.stack:
            top = self.stack.pop()
            if top[0] == tag:
                break
        if tag == "dt" and self._prop is not None and len(self.stack) <= self._prop_depth:
            self.props.append("".join(self._prop).strip())
            self._prop = None

    def handle_data(self, data):
        if self._prop is not None:
            self._prop.append(data)
        if self.stack and not self.stack[-1][2] and data.strip():
            self.texts.append((self.stack[-1][1], data))


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def jargon(page: _Page) -> list[tuple[str, str]]:
    """(kind, text) for every piece of Thai text that holds jargon."""
    return [(kind, text.strip()[:80]) for lang, text in page.texts if lang == "th"
            for kind, rx in JARGON.items() if rx.search(text)]


@pytest.fixture(scope="module")
def english_property_labels(store):
    """The English labels of the ontology's properties (and of the reused ones the data uses)."""
    rows = store.query("""PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT DISTINCT ?l WHERE { GRAPH ?g { ?p a ?k ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }
        VALUES ?k { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
                    <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> }
        FILTER(lang(?l) = "en") }""")
    return {r["l"].value for r in rows}


@pytest.fixture(scope="module")
def graph_values(store):
    """Every IRI and literal the graph holds as an object: a link to one of them is data (a source's
    address), not a vocabulary's site."""
    return {r["o"].value for r in store.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(!isBLANK(?o)) }")}


@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web import create_app
    from mou_graph.web.app import WebSettings

    app = create_app(store, web=WebSettings(max_concurrent_queries=1, max_result_bytes=64 << 10))
    with running_server(app) as url:
        yield url


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """A GET with exactly the given headers (http.client adds no Accept-Encoding of its own)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def text_of(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


@pytest.fixture(scope="module")
def site(shipped_site):
    return shipped_site


def _vocabulary(href: str) -> bool:
    from mou_graph.present.pages import PageData

    return PageData.is_vocabulary(href)


# -- item 16: Thai pages without jargon ------------------------------------------------------------
@pytest.mark.parametrize("path", THAI_PAGES)
def test_thai_pages_have_no_jargon(server, path, english_property_labels):
    page = parse(text_of(server + path))
    assert not jargon(page), jargon(page)
    # a property is named in the page's language only (no English label after the Thai one)
    english = [p for p in page.props if any(label in p for label in english_property_labels if len(label) > 3)]
    assert not english, english


def test_search_results_name_the_field_and_language_in_words(server):
    page = parse(text_of(server + "/search?q=MDES&lang=th"))
    said = " ".join(t for _, t in page.texts)
    assert "ชื่ออื่น" in said and "ภาษาอังกฤษ" in said
    en = parse(text_of(server + "/search?q=MDES&lang=en"))
    said = " ".join(t for _, t in en.texts)
    assert "other name" in said and "English" in said and "altLabel" not in said


def test_values_read_as_words_in_thai_and_english(server):
    th = text_of(server + "/page/mou/th-la-digital-2022/term/initial?lang=th")
    en = text_of(server + "/page/mou/th-la-digital-2022/term/initial?lang=en")
    assert ">5 ปี<" in th and ">5 years<" in en and "P5Y" not in th + en
    th = text_of(server + "/page/mou/th-la-digital-2022/term/extension?lang=th")
    en = text_of(server + "/page/mou/th-la-digital-2022/term/extension?lang=en")
    assert ">ใช่<" in th and ">yes<" in en
    # the editorial note names schema:endDate by its Thai label, linked to its documentation
    assert re.search(r'<a class="note-term" href="/ontology\?lang=th#schema-endDate">[^<]*วันสิ้นสุด', th)
    # an English note on an English page keeps the compact name, linked too
    assert '<a class="note-term" href="/ontology?lang=en#schema-endDate"><code>schema:endDate</code></a>' in en


def test_static_site_thai_pages_have_no_jargon_and_a_buddhist_era_footer(site, english_property_labels):
    import datetime as dt

    th = site / "th"
    pages = [th / "index.html", th / "id" / "mou" / "th-la-digital-2022.html",
             th / "id" / "mou" / "th-la-digital-2022" / "term" / "initial.html",
             th / "id" / "mou" / "th-la-digital-2022" / "term" / "extension.html",
             th / "id" / "source" / "thaigov-61364.html", th / "search.html"]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = parse(text)
        assert not jargon(page), (path, jargon(page))
        assert not [p for p in page.props if any(lb in p for lb in english_property_labels if len(lb) > 3)], path
        footer = text[text.index('<footer class="site-footer">'):]
        year = dt.date.today().year
        assert str(year + 543) in footer and dt.date.today().isoformat() not in footer, footer


@needs_chromium
def test_static_site_search_names_the_field_and_language_in_words(site, page):
    page.goto((site / "th" / "search.html").as_uri() + "?q=MDES")
    matched = page.locator("#search-results .matched").first
    matched.wait_for()
    said = matched.inner_text()
    _shot(page, "reader-static-search-th")
    assert "ชื่ออื่น" in said and "ภาษาอังกฤษ" in said and "altLabel" not in said and " en" not in said, said
    assert not page.problems, page.problems


# -- item 16: the ontology documentation, and links that stay on the site ---------------------------
def test_ontology_page_in_thai_and_english_with_an_anchor_per_term(server, store):
    from mou_graph.publish.ontodoc import documented_terms

    th, en = text_of(server + "/ontology?lang=th"), text_of(server + "/ontology?lang=en")
    assert '<html lang="th">' in th and '<html lang="en">' in en
    assert "คำอธิบายแบบจำลองข้อมูล" in th and "The data model" in en
    assert "คลาส (ของออนโทโลยีนี้)" in th and "Classes (of this ontology)" in en
    assert "Classes" not in th  # one language a page
    ids_th, ids_en = parse(th).ids, parse(en).ids
    anchors = set(documented_terms(store).values())
    assert {"mou-Term", "schema-endDate", "mou-MemorandumOfUnderstanding", "mou-SignatoryRole"} <= anchors
    assert anchors <= ids_th and anchors <= ids_en
    assert not jargon(parse(th)), jargon(parse(th))


@pytest.mark.parametrize("path", THAI_PAGES + ["/ontology?lang=th", "/page/mou/th-la-digital-2022?lang=en"])
def test_type_and_property_links_point_to_the_ontology_page_and_no_link_leaves_the_site(
        server, path, graph_values):
    page = parse(text_of(server + path))
    ontology_ids = parse(text_of(server + "/ontology?lang=th")).ids
    outside = [h for h in page.links if h.startswith(("http://", "https://"))]
    assert not [h for h in outside if _vocabulary(h)], outside  # no link to w3id.org, w3.org, schema.org terms
    assert not [h for h in outside if h not in graph_values], outside  # only sources' addresses leave the site
    for href in page.links:
        if href.startswith("/ontology") and "#" in href:
            assert href.split("#", 1)[1] in ontology_ids, href
    if path.startswith("/page/"):
        assert any(h.startswith("/ontology?lang=") and "#" in h for h in page.links)


def test_type_links_on_an_entity_page_go_to_the_ontology(server):
    text = text_of(server + "/page/mou/th-la-digital-2022/term/initial?lang=th")
    assert '<span class="type"><a href="/ontology?lang=th#mou-Term">' in text
    assert '<a href="/ontology?lang=th#schema-endDate">' in text  # a property name


def test_static_site_has_the_ontology_page_and_links_there(site, graph_values):
    for lang in ("th", "en"):
        ontology = parse((site / lang / "ontology.html").read_text(encoding="utf-8"))
        assert {"mou-Term", "schema-endDate"} <= ontology.ids
        for path in (site / lang).rglob("*.html"):
            if "/claim/" in path.as_posix():
                continue  # (2,000 claim pages: their links are the entity pages' kind, checked below)
            page = parse(path.read_text(encoding="utf-8"))
            outside = [h for h in page.links if h.startswith(("http://", "https://"))]
            assert not [h for h in outside if _vocabulary(h) or h not in graph_values], (path, outside)
            for href in page.links:
                if "ontology.html#" in href:
                    assert href.split("#", 1)[1] in ontology.ids, (path, href)
    term = (site / "th" / "id" / "mou" / "th-la-digital-2022" / "term" / "initial.html").read_text(encoding="utf-8")
    assert '<span class="type"><a href="../../../../ontology.html#mou-Term">' in term


# -- item 17: layout ---------------------------------------------------------------------------------
@needs_chromium
def test_source_page_does_not_scroll_sideways_on_a_phone(server, site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    try:
        page = context.new_page()
        for url, name in ((f"{server}/page/{SOURCE_PAGE}?lang=th", "reader-source-phone-th"),
                          (f"{server}/page/{SOURCE_PAGE}?lang=en", "reader-source-phone-en"),
                          ((site / "th" / "id" / "source" / "thaigov-61364.html").as_uri(),
                           "reader-source-phone-static"),
                          (f"{server}/ontology?lang=th", "reader-ontology-phone-th")):
            page.goto(url)
            width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            _shot(page, name)
            assert width <= inner, (url, width, inner)
    finally:
        context.close()


@needs_chromium
def test_home_page_items_are_not_split_across_columns(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    try:
        page = context.new_page()
        for lang in ("th", "en"):
            page.goto(f"{server}/?lang={lang}")
            _shot(page, f"reader-home-{lang}")
            counts = page.evaluate("""Array.from(document.querySelectorAll('.entity-list li'))
                .map(li => li.getClientRects().length)""")
            assert counts and all(n == 1 for n in counts), [i for i, n in enumerate(counts) if n != 1][:10]
    finally:
        context.close()


# -- item 17: compressed answers ----------------------------------------------------------------------
def test_answers_are_gzip_compressed_when_the_client_accepts_it(server):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 40"
    sparql = "/sparql?" + urllib.parse.urlencode({"query": query})
    cases = [("/page/mou/th-la-digital-2022?lang=th", {}, "text/html"),
             ("/static/browse-0.1.0.css", {}, "text/css"),
             ("/static/browse-0.1.0.js", {}, "javascript"),
             ("/api/queries", {}, "json"),
             ("/ontology?lang=en", {}, "text/html"),
             (sparql, {"Accept": "application/sparql-results+json"}, "json")]
    for path, extra, media in cases:
        status, plain_headers, plain = fetch(server + path, **extra)
        assert status == 200 and "content-encoding" not in plain_headers, path
        status, headers, body = fetch(server + path, **extra, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip", (path, headers)
        assert media in headers["content-type"] and "accept-encoding" in headers.get("vary", "").lower()
        assert gzip.decompress(body) == plain, path
        assert len(body) < len(plain), path
        # the security headers are all still there
        assert headers["x-content-type-options"] == "nosniff" and "default-src 'self'" in headers[
            "content-security-policy"], path


def test_compression_keeps_the_answer_size_limit(server):
    """A SPARQL answer past ``max_result_bytes`` (64 KiB here) is stopped whether or not it is compressed."""
    big = "/sparql?" + urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    plain = fetch(server + big, Accept="application/n-triples")
    packed = fetch(server + big, Accept="application/n-triples", **{"Accept-Encoding": "gzip"})
    assert plain[0] == packed[0] == 503, (plain[0], packed[0])
    text = (gzip.decompress(packed[2]) if packed[1].get("content-encoding") == "gzip" else packed[2]).decode()
    assert "65536" in text and text == plain[2].decode()


# -- item 18: per-entity RDF in the static site ----------------------------------------------------------
@pytest.mark.parametrize("path", ["mou/th-la-digital-2022", "mou/th-la-digital-2022/term/initial",
                                  "person/chaiwut-thanakamanusorn", "area/cloud-computing", SOURCE_PAGE])
def test_static_site_entity_rdf_equals_the_servers_description(site, server, path):
    import rdflib
    from rdflib.compare import isomorphic

    for ext, fmt, accept in (("ttl", "turtle", "text/turtle"), ("jsonld", "json-ld", "application/ld+json")):
        local = site / "data" / "id" / f"{path}.{ext}"
        mine = rdflib.Graph().parse(data=local.read_bytes(), format=fmt)
        status, _, body = fetch(f"{server}/data/{path}.{ext}", Accept=accept)
        assert status == 200
        theirs = rdflib.Graph().parse(data=body, format=fmt)
        assert len(mine) > 0 and isomorphic(mine, theirs), (path, ext, len(mine), len(theirs))
    # linked from the entity's pages, in both languages
    for lang in ("th", "en"):
        page = site / lang / "id" / f"{path}.html"
        links = parse(page.read_text(encoding="utf-8")).links
        for ext in ("ttl", "jsonld"):
            href = next(h for h in links if h.endswith(f"/data/id/{path}.{ext}"))
            assert (page.parent / href).resolve() == (site / "data" / "id" / f"{path}.{ext}").resolve()


def test_static_site_rdf_leaves_personal_data_out(site, store):
    from mou_graph.publish.personal import personal_nodes

    hidden = personal_nodes(store)
    assert hidden
    files = list((site / "data").rglob("*.ttl"))
    assert len(files) > 100
    texts = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for iri in hidden:
        assert iri.removeprefix(BASE) not in {p.relative_to(site / "data" / "id").as_posix()[:-4] for p in files}
        assert f"<{iri}>" not in texts and f"id:{iri.removeprefix(BASE)} " not in texts
    assert "081 4411510" not in texts  # a contact's telephone number

