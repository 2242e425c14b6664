"""The linked-data browser over HTTP (Starlette's TestClient): content negotiation, escaping,
links, security headers, search, languages, the MoU page and the static site."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from tests.conftest import BASE

FIXTURE = Path(__file__).parent / "fixtures" / "browse" / "mini.ttl"
MOU = "https://w3id.org/mou-graph/ontology#"


def _client(store):
    from starlette.testclient import TestClient

    from mou_graph.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TestClient(create_app(store), follow_redirects=False)


@pytest.fixture(scope="session")
def mini_store():
    from mou_graph import load_store

    return load_store(data=[FIXTURE])


@pytest.fixture(scope="session")
def mini(mini_store):
    return _client(mini_store)


@pytest.fixture(scope="session")
def shipped(store):
    return _client(store)


def _main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


# -- content negotiation -----------------------------------------------------------------
RDF_CASES = [
    ("text/turtle", "ttl", "text/turtle", "turtle"),
    ("application/n-triples", "nt", "application/n-triples", "nt"),
    ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "rdf", "application/rdf+xml", "xml"),
]


@pytest.mark.parametrize(("accept", "ext", "media", "parser"), RDF_CASES)
def test_each_rdf_format_by_accept_and_by_format_parameter(mini, accept, ext, media, parser):
    import rdflib

    r = mini.get("/id/mou/test", headers={"accept": f"text/html;q=0.5, {accept}"})
    assert r.status_code == 303
    assert r.headers["location"] == f"/data/mou/test.{ext}"
    assert "accept" in r.headers["vary"].lower()
    assert mini.get(f"/id/mou/test?format={ext}").headers["location"] == r.headers["location"]
    doc = mini.get(r.headers["location"])
    assert doc.status_code == 200
    assert doc.headers["content-type"].split(";")[0] == media
    g = rdflib.Graph().parse(data=doc.content, format=parser)
    me = rdflib.URIRef(BASE + "mou/test")
    assert (me, rdflib.URIRef(MOU + "party"), rdflib.URIRef(BASE + "org/alpha")) in g
    assert (me, rdflib.RDFS.label, rdflib.Literal("บันทึกความเข้าใจทดสอบ", lang="th")) in g
    # incoming links are part of the description, personal data is not
    assert (rdflib.URIRef(BASE + "evidence/test-area"), rdflib.URIRef(MOU + "about"), me) in g
    assert not any(BASE + "contact/secret" in str(t) for triple in g for t in triple)


def test_browsers_get_the_html_page_and_bad_requests_get_clear_answers(mini):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = mini.get("/id/area/cloud?lang=en", headers={"accept": accept})
    assert (r.status_code, r.headers["location"]) == (303, "/page/area/cloud?lang=en")
    assert mini.get("/id/area/cloud", headers={"accept": "image/png"}).status_code == 406
    bad = mini.get("/id/area/cloud?format=docx")
    assert bad.status_code == 400 and "text/turtle" in bad.text
    assert mini.get("/id/area/nothing-here").status_code == 404
    assert mini.get("/data/area/cloud.docx").status_code == 404
    wrong = mini.get("/?lang=xx")
    assert wrong.status_code == 400 and "th, en" in wrong.text


# -- safety ---------------------------------------------------------------------------------
def test_a_label_holding_script_renders_as_text(mini):
    for url in ("/page/person/evil?lang=en", "/page/mou/test?lang=th", "/search?q=script&lang=en"):
        html = mini.get(url).text
        assert "<script>alert(" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url
    assert "&lt;img src=x onerror=alert(1)&gt;" in mini.get("/page/person/evil?lang=en").text
    graph = mini.get("/graph/mou/test?lang=th")  # the drawing's data: JSON with <, > and & escaped
    assert graph.headers["content-type"].startswith("application/json")
    assert "<" not in graph.text and ">" not in graph.text and "&" not in graph.text
    assert any("<script>alert(" in node[0] for node in graph.json()["nodes"])  # kept as data, shown as text
    html = mini.get("/page/mou/test?lang=th").text
    data = html.split('<script type="application/json" id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and json.loads(data)["nodes"] == graph.json()["nodes"]


def test_only_http_iris_become_links(mini):
    html = mini.get("/page/mou/test?lang=en").text
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert hrefs and not [h for h in hrefs if h.lower().startswith(("javascript:", "data:", "ftp:"))]
    assert "javascript:alert(1)" in _main(html)  # shown, as text
    assert "https://example.org/elsewhere" in hrefs
    assert "/page/org/alpha?lang=en" in hrefs
    # personal data: no page, no link, no search hit
    assert mini.get("/page/contact/secret").status_code == 404
    assert not [h for h in hrefs if "contact/secret" in h]
    assert "contact/secret" not in mini.get("/search?q=secret").text


@pytest.mark.parametrize("url", ["/", "/page/mou/test", "/search?q=cloud", "/area", "/data/mou/test.ttl",
                                 "/static/browse-0.1.0.css", "/page/nothing"])
def test_security_headers_and_no_inline_script_or_style(mini, url):
    r = mini.get(url)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    if r.headers["content-type"].startswith("text/html"):
        # a script element runs only with src= (CSP script-src 'self'); a JSON data block is not run
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", r.text)
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", r.text)


# -- pages ----------------------------------------------------------------------------------
def test_entity_page_groups_links_with_property_labels_linked_to_the_ontology_and_marked_evidence(mini):
    html = _main(mini.get("/page/mou/test?lang=th").text)
    # the property in the page's language only (issue 12, item 16), linked to its documentation
    assert '<span class="prop"><a href="/ontology?lang=th#mou-party">ผู้เข้าร่วม</a></span>' in html
    assert "prop-other" not in html and ">participant<" not in html
    # the quote words are marked, the rest of the sentence (with its <b>) is escaped text
    assert "<mark>คลาวด์คอมพิวติ้ง</mark>" in html and "<mark>อินเทอร์เน็ตเพื่อสรรพสิ่ง</mark>" in html
    assert "&lt;b&gt;<mark>" in html
    area = _main(mini.get("/page/area/cloud?lang=en").text)
    assert "<h1" in area and "Cloud computing" in area and 'lang="th"' in area and "คลาวด์คอมพิวติ้ง" in area
    assert "Links to this" in area and "/page/activity/workshop?lang=en" in area  # incoming mou:concerns


def test_mou_page_timeline_in_buddhist_era_on_thai_pages(shipped):
    th = _main(shipped.get("/page/mou/th-la-digital-2022?lang=th").text)
    en = _main(shipped.get("/page/mou/th-la-digital-2022?lang=en").text)
    assert '<time datetime="2022-11-07">7 พฤศจิกายน 2565</time>' in th
    assert '<time datetime="2022-11-07">7 November 2022</time>' in en
    # an end is shown as the last day in force; the day the term expires is named as such
    assert '<time datetime="2030-11-06">6 พฤศจิกายน 2573</time>' in th
    assert ('<time datetime="2027-11-06">6 November 2027</time> <span class="note">(the last day of the initial term)'
            in en)
    assert '<time datetime="2030-11-06">6 November 2030</time>' in en
    # the exclusive end is named as such (the extension starts that day)
    assert 'Expires (no longer in force) on: Initial term of 5 years <time datetime="2027-11-07">' in en
    assert en.index('datetime="2030-11-07"') > en.index("Expires (no longer in force) on")
    assert "Status" in en and "class=\"status status-in-force\"" in en  # the one rule (status-on)
    for page in (th, en):
        assert "/page/person/chaiwut-thanakamanusorn" in page and "/page/org/mtc-lao" in page
        assert "<mark>" in page and 'class="tree"' in page


def test_a_terms_page_names_the_exclusive_end_and_gives_the_last_day_in_force(shipped):
    en = _main(shipped.get("/page/mou/th-la-digital-2022/term/initial?lang=en").text)
    assert "end date (exclusive)" in en
    assert "(last day in force 6 November 2027; the term expires (is no longer in force) on 7 November 2027)" in en
    th = _main(shipped.get("/page/mou/th-la-digital-2022/term/total?lang=th").text)
    assert "วันสิ้นสุด (ไม่นับรวม)" in th and "วันสุดท้ายที่มีผล 6 พฤศจิกายน 2573" in th


@pytest.mark.parametrize("lang", ["en", "th"])
def test_evidence_shows_the_english_translation_beside_the_thai_with_the_quoted_words_marked_in_both(shipped, lang):
    html = _main(shipped.get(f"/page/area/cloud-computing?lang={lang}").text)
    pairs = re.findall(r'<div class="evidence-pair">(.*?)</div>\s*</div>', html, re.S)
    assert pairs
    pair = next(p for p in pairs if "คลาวด์คอมพิวติ้ง" in p)
    thai, english = re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", pair, re.S)
    assert "<mark>คลาวด์คอมพิวติ้ง" in thai
    assert '<blockquote lang="en">' in pair
    assert "<mark>and cloud computing;</mark>" in english
    # marked as the project's translation, in the page's language, outside the English text
    assert ("the project" if lang == "en" else "ของโครงการ") in pair.split('<blockquote lang="en">')[0]
    marked = re.findall(r"<mark>(.*?)</mark>", english)
    assert len(marked) < english.count(";")  # only the phrases that hold the quote, not the sentence


def test_mou_status_follows_the_day(mini_store):
    import datetime as dt

    from mou_graph.present.pages import PageData

    data = PageData(mini_store)
    status = {d: data.mou(BASE + "mou/test", "en", today=dt.date.fromisoformat(d))["status_key"]
              for d in ("2019-12-31", "2020-01-15", "2023-01-14", "2023-01-15", "2025-01-14", "2025-01-15")}
    assert status == {"2019-12-31": "not-yet-in-force", "2020-01-15": "in-force",
                      "2023-01-14": "in-force", "2023-01-15": "in-extension",
                      "2025-01-14": "in-extension", "2025-01-15": "ended"}


def test_area_tree_nests_and_lists_activities_and_statements(mini):
    html = _main(mini.get("/area?lang=en").text)
    digital = html.index("Digital economy")
    assert digital < html.index("Cloud computing") < html.index("Workshops")
    assert html.count('<ul class="tree">') >= 2 and "Somchai&#39;s statement" in html


def test_language_is_remembered_and_in_the_url(mini_store):
    client = _client(mini_store)
    r = client.get("/page/area/cloud?lang=en")
    assert '<html lang="en">' in r.text and "mou_graph_lang=en" in r.headers["set-cookie"]
    again = client.get("/page/area/cloud")
    assert '<html lang="en">' in again.text and "/page/mou/test?lang=en" in again.text
    # no Lao interface (no one checks a Lao translation of the interface): no ລາວ choice, a clear
    # answer for ?lang=lo, and the Lao labels the graph has, tagged lang="lo", on the other pages
    assert "?lang=lo" not in again.text and "ລາວ" not in again.text
    lao = client.get("/page/area/digital?lang=lo")
    assert lao.status_code == 400 and "no Lao pages" in lao.text and "ไม่มีหน้าและข้อความภาษาลาว" in lao.text
    en = _main(client.get("/page/area/digital?lang=en").text)
    assert '<span lang="lo">ເສດຖະກິດດິຈິຕອນ</span>' in en


class _LangSpans(__import__("html.parser").parser.HTMLParser):
    """The text inside every element tagged lang="lo", and the page's own lang."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.lo: list[str] = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.html_lang = lang
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            self.stack.append(lang)

    def handle_endtag(self, tag):
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr"} and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        inner = next((x for x in reversed(self.stack) if x), self.html_lang)
        if inner == "lo" and data.strip():
            self.lo.append(data)


def _contact_secrets(store) -> set[str]:
    """The contact persons' names, telephone numbers and IRI slugs."""
    import pyoxigraph

    from mou_graph.publish.personal import personal_nodes
    from mou_graph.vocab import SCHEMA

    hidden = personal_nodes(store)
    said = (SCHEMA + "telephone", SCHEMA + "givenName", SCHEMA + "familyName")
    secrets = {q.object.value for iri in hidden
               for q in store.store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None)
               if q.predicate.value in said}
    secrets |= {iri.rsplit("/", 1)[-1] for iri in hidden if iri.rsplit("/", 2)[-2] == "contact"}
    assert len(secrets) >= 6
    return secrets


def test_the_agreement_page_names_no_contact_person(store, shipped):
    """The MoU's sources list the facts each sentence supports: the release's contact points are not
    among them (they were, named, among the register's claims since the register landed)."""
    secrets = _contact_secrets(store)
    for lang in ("th", "en"):
        html = shipped.get("/page/mou/th-la-digital-2022", params={"lang": lang}).text
        assert not sorted(x for x in secrets if x in html), lang


def test_no_file_of_the_static_site_holds_a_contact_persons_data(store, shipped_site):
    """Every file of the site (pages, search index, the query page's quads, the per-entity RDF): no
    contact person's IRI, name or telephone number, whatever writer made the file."""
    secrets = _contact_secrets(store)
    for f in shipped_site.rglob("*"):
        if f.is_file():
            text = f.read_bytes().decode("utf-8", "replace")
            leaked = sorted(x for x in secrets if x in text)
            assert not leaked, (f, leaked)


def test_no_page_of_the_static_site_tags_thai_text_as_lao(shipped_site):
    out = shipped_site
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["data", "en", "static", "th"]
    pages = list(out.rglob("*.html"))
    lao_seen = 0
    for page in pages:
        parser = _LangSpans()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.html_lang in ("th", "en", None), page
        for text in parser.lo:
            assert not re.search(r"[\u0e00-\u0e7f]", text), (page, text)  # no Thai letter marked as Lao
            assert re.search(r"[\u0e80-\u0eff]", text), (page, text)
            lao_seen += 1
    assert lao_seen >= 10  # the Lao labels are shown


# -- search ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "entity"), [
    ("ดิจิทัล", "area/digital-technology"),
    ("มั่นคง", "area/cybersecurity"),
    ("คลาวด์", "area/cloud-computing"),
    ("สรรพสิ่ง", "area/internet-of-things"),
    ("CLOUD", "area/cloud-computing"),
    ("chaiwut", "person/chaiwut-thanakamanusorn"),
    ("bowiangkham", "person/boviengkham-vongdara"),
])
def test_search_finds_thai_english_and_romanised(shipped, query, entity):
    html = _main(shipped.get("/search", params={"q": query, "lang": "th"}).text)
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert items, html
    links = [re.search(r'href="/page/([^?"]+)', i).group(1) for i in items]
    assert entity in links
    first = items[links.index(entity)]
    matched = re.sub(r"<[^>]+>", "", first.split('class="matched"', 1)[1])
    if "อักษรโรมัน" not in matched:  # the field in words: "romanised" reads ชื่อไทยเป็นอักษรโรมัน
        assert query.casefold() in matched.casefold()  # the matched label is shown


@pytest.mark.parametrize(("query", "entity"), [
    ("MDES", "org/mdes"), ("DES", "org/mdes"), ("ดีอีเอส", "org/mdes"), ("MTC", "org/mtc-lao"),
    ("ธุรกรรมอิเล็กทรอนิกส์", "area/electronic-transactions"), ("สมาร์ทซิตี้", "area/smart-city"),
    ("การรู้ดิจิทัล", "area/digital-literacy"),
    ("บ่อเวียงค\u0e4dา", "person/boviengkham-vongdara"),  # ำ typed as ํ + า
    ("\u0e9a\u0ecd\u0ec8\u0ea7\u0ebd\u0e87\u0e84\u0ecd\u0eb2", "person/boviengkham-vongdara"),  # Lao, ໍ + າ
    ("\u0e9a\u0ecd\u0ec8\u0ea7\u0ebd\u0e87\u0e84\u0eb3", "person/boviengkham-vongdara"),  # Lao, ຳ
])
def test_search_forms_and_a_decomposed_sara_am_find_the_entity_first(shipped, query, entity):
    html = _main(shipped.get("/search", params={"q": query, "lang": "en"}).text)
    links = re.findall(r'<li><a href="/page/([^?"]+)', html)
    assert links and links[0] == entity, (query, links[:3])


def test_search_ranks_a_whole_label_first_and_handles_lao_and_nothing(mini_store):
    from mou_graph.present.search import SearchIndex

    idx = SearchIndex.build(mini_store)
    assert idx.search("cloud computing")[0].iri == BASE + "area/cloud"
    assert idx.search("ເສດຖະກິດ")[0].iri == BASE + "area/digital"
    assert idx.search("somchai")[0].iri == BASE + "person/somchai"
    assert idx.search("zzzz-nothing") == [] and idx.search("") == []
    scores = [h.score for h in idx.search("คลาวด์")]
    assert scores == sorted(scores, reverse=True) and len(scores) >= 2


# -- static site ----------------------------------------------------------------------------
def test_static_site_is_written_whole_and_refuses_to_overwrite_other_folders(mini_store, tmp_path):
    from mou_graph.errors import UsageError
    from mou_graph.present.site import MARKER, build_site

    out = tmp_path / "site"
    n = build_site(mini_store, out)
    assert n == len(list(out.rglob("*.html"))) - 1  # all but the root language chooser
    assert (out / MARKER).is_file() and (out / "th" / "id" / "area" / "cloud.html").is_file()
    assert not (out / "th" / "id" / "contact").exists()
    script = (out / "static" / "search-index.js").read_text(encoding="ascii")
    index = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    assert index["entities"][BASE + "area/cloud"]["path"] == "id/area/cloud.html"
    page = (out / "en" / "id" / "mou" / "test.html").read_text(encoding="utf-8")
    assert 'href="../../id/area/cloud.html"' in page and 'href="../../../th/id/mou/test.html"' in page
    assert 'src="../../../static/browse-0.1.0.js"' in page and "&lt;script&gt;" in page
    (out / "th" / "stale.html").write_text("old")
    build_site(mini_store, out, langs=["en"])  # an earlier site is replaced in one rename
    assert not (out / "th").exists() and (out / "en" / "index.html").is_file()
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("precious")
    with pytest.raises(UsageError):
        build_site(mini_store, other)
    assert [p.name for p in other.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_site_command(cli, tmp_path):
    r = cli("site", "-o", str(tmp_path / "s"), "--no-validate", "--languages", "en", "--lang", "en")
    assert r.code == 0, r.err
    assert "HTML pages written" in r.err and (tmp_path / "s" / "en" / "search.html").is_file()
    bad = cli("site", "-o", str(tmp_path / "t"), "--no-validate", "--languages", "fr")
    assert bad.code == 2 and "fr" in bad.err and not (tmp_path / "t").exists()


def test_values_in_the_page_language_come_first(store):
    from mou_graph.present.pages import PageData

    pages = PageData(store)
    iri = "https://w3id.org/mou-graph/id/person/chaiwut-thanakamanusorn"
    for lang, first in (("th", "นาย"), ("en", "Mr.")):
        page = pages.entity(iri, lang)
        (group,) = [g for g in page["outgoing"] if g["iri"] == "https://schema.org/honorificPrefix"]
        assert (group["values"][0].get("text") or group["values"][0].get("label")) == first


def test_rdfxml_of_an_entity_keeps_a_carriage_return(tmp_path):
    """Regression: the browser wrote RDF/XML with pyoxigraph directly, and a raw CR in a literal
    came back as LF; it now goes through the exports' serialiser, which escapes it."""
    import rdflib

    from mou_graph import load_store

    data = tmp_path / "cr.ttl"
    data.write_text('<thing/cr> <http://www.w3.org/2000/01/rdf-schema#label> "a\\rb"@en .\n', encoding="utf-8")
    client = _client(load_store(data=[data]))
    response = client.get("/data/thing/cr.rdf")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format="xml")
    assert {str(o) for o in graph.objects()} == {"a\rb"}
