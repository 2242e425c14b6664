"""The data behind the browser's pages, shared by the web server and the static site.

:class:`PageData` reads a store once (labels, types, evidence, hidden personal nodes) and
builds plain view models: an entity page, the MoU summary, the cooperation-area tree, the
home page. Templates only lay them out; every text they print is escaped by Jinja2.
Languages follow :func:`mou_graph.lang.pick`.

>>> format_date("2022-11-07", "th"), format_date("2022-11-07", "en")
('7 พฤศจิกายน 2565', '7 November 2022')
>>> mark("ลงนามด้านไปรษณีย์ โทรคมนาคม", ["ไปรษณีย์"])
[('ลงนามด้าน', False), ('ไปรษณีย์', True), (' โทรคมนาคม', False)]
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mou_graph.config import ONTOLOGY_NS
from mou_graph.lang import (
    INTERFACE_LANGUAGES,
    LANGUAGES,
    check_interface_language,
    fallback_order,
    pick,
    pick_tagged,
)
from mou_graph.present.dates import day_before, format_date, format_duration, format_month
from mou_graph.present.formatting import format_literal, language_name
from mou_graph.present.query_text import QUERY_MESSAGES
from mou_graph.present.register_text import REGISTER_MESSAGES
from mou_graph.publish.personal import personal_nodes
from mou_graph.vocab import (
    DCAT,
    DCTERMS,
    FORMATS,
    NIF,
    ONTOLOGY_IRI,
    PREFIXES,
    RDF,
    RDFS,
    SCHEMA,
    SD,
    SH,
    SHAPES_NS,
    SKOS,
    VOID,
    XSD,
)

if TYPE_CHECKING:
    import jinja2

    from mou_graph.store import GraphStore

__all__ = ["INTERFACE_LANGUAGES", "MESSAGES", "PageData", "check_interface_language", "day_before", "field_name",
           "format_date", "format_duration", "format_month", "make_env", "mark", "message"]

MOU = ONTOLOGY_NS
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

_HEADER_PROPS = {SKOS + "prefLabel", RDFS + "label", SKOS + "altLabel", SKOS + "definition", RDF + "type"}
# evidence (0.1) and claims (0.2) point at what they support: they are sources, not links to show
_SKIP_INCOMING = {MOU + "about", RDF + "subject", RDF + "object"}
# the namespaces of vocabularies: their terms are documented at /ontology, or shown without a link
_VOCABULARIES = tuple(sorted({*PREFIXES.values(), ONTOLOGY_IRI, DCAT, FORMATS, SD, SH, SHAPES_NS, VOID}))
# properties whose plain literal is a language tag ("th"), shown by the language's name
_LANGUAGE_PROPS = {DCTERMS + "language", SCHEMA + "inLanguage"}
# a compact name of a term (schema:endDate) in a text; the prefix must be one of vocab.PREFIXES
_CURIE = re.compile(r"(?<![\w/:.#-])(" + "|".join(sorted(PREFIXES, key=len, reverse=True))
                    + r"):([A-Za-z][A-Za-z0-9_]*)")

MESSAGES: dict[str, dict[str, str]] = {
    "site": {"th": "กราฟความรู้บันทึกความเข้าใจไทย–ลาวด้านดิจิทัล", "en": "Thai–Lao digital MoU knowledge graph"},
    "skip": {"th": "ข้ามไปยังเนื้อหา", "en": "Skip to content"},
    "home": {"th": "หน้าแรก", "en": "Home"},
    "search": {"th": "ค้นหา", "en": "Search"},
    "search_label": {"th": "ค้นหาสิ่งในกราฟ (ไทย อังกฤษ ลาว หรือชื่อไทยเป็นอักษรโรมัน)",
                     "en": "Search the graph (Thai, English, Lao or romanised Thai names)"},
    "results": {"th": "ผลการค้นหา", "en": "Results"},
    "no_results": {"th": "ไม่พบสิ่งที่ตรงกับคำค้น", "en": "Nothing matches the query"},
    "matched": {"th": "ตรงกับ", "en": "matched"},
    "needs_js": {"th": "การค้นหาในสำเนาออฟไลน์ต้องเปิดใช้ JavaScript",
                 "en": "Search in the offline copy needs JavaScript"},
    "areas": {"th": "สาขาความร่วมมือ", "en": "Areas of cooperation"},
    "language": {"th": "ภาษา", "en": "Language"},
    "type": {"th": "ประเภท", "en": "Type"},
    "labels": {"th": "ชื่อในภาษาอื่น", "en": "Other labels"},
    "alt_labels": {"th": "ชื่ออื่น", "en": "Also known as"},
    "definition": {"th": "คำอธิบาย", "en": "Definition"},
    "outgoing": {"th": "ความเชื่อมโยงออก", "en": "Links from this"},
    "incoming": {"th": "ความเชื่อมโยงเข้า", "en": "Links to this"},
    "evidence": {"th": "ที่มา", "en": "Source"},
    "source_thai": {"th": "ข่าวต้นทาง (ภาษาไทย)", "en": "The article (Thai)"},
    "translation_label": {"th": "คำแปลภาษาอังกฤษของโครงการ", "en": "English: the project's translation"},
    "no_evidence": {"th": "ไม่มีหลักฐานจากข่าว (ข้อมูลเชิงบรรณาธิการ)", "en": "No evidence from the article (editorial)"},
    "graph": {"th": "กราฟความเชื่อมโยง", "en": "Neighbourhood graph"},
    "graph_desc": {"th": "สิ่งที่เชื่อมโยงกับ", "en": "Things linked to"},
    "more": {"th": "และอีก", "en": "and more:"},
    # the neighbourhood graph (present/graph.py, templates/graph.html, static/graph-0.1.0.js)
    "graph_intro": {"th": "สิ่งที่เชื่อมโยงกับหน้านี้ เรียงตามความสำคัญ: ผู้เข้าร่วมและผู้ลงนามก่อน แล้วจึงตำแหน่งและหน่วยงาน "
                          "วันที่และเหตุการณ์ สาระของความตกลง สาขาและกิจกรรมความร่วมมือ และความเชื่อมโยงอื่น",
                    "en": "What this page links to, most important first: participants and signatories, then posts "
                          "and organisations, dates and events, what the agreement says, areas and activities, "
                          "and other links."},
    "graph_help": {"th": "เลือกสิ่งใดในกราฟ (คลิก หรือปุ่ม Enter) เพื่อแสดงสิ่งที่เชื่อมโยงกับสิ่งนั้น ใช้ปุ่มลูกศรเพื่อย้ายไปมา",
                   "en": "Choose a thing in the graph (click, or Enter) to draw what it links to; "
                         "the arrow keys move between things."},
    "graph_list": {"th": "ความเชื่อมโยงทั้งหมดเป็นตาราง", "en": "All links, as a table"},
    "graph_rank": {"th": "ลำดับ", "en": "Rank"},
    "graph_thing": {"th": "สิ่งที่เชื่อมโยง", "en": "Linked thing"},
    "graph_link": {"th": "ความเชื่อมโยง", "en": "Link"},
    "graph_kind": {"th": "กลุ่ม", "en": "Group"},
    "graph_out": {"th": "จากหน้านี้", "en": "from this"},
    "graph_in": {"th": "มาที่หน้านี้", "en": "to this"},
    "graph_drawn": {"th": "แสดงในกราฟ {drawn} จาก {total} ความเชื่อมโยง", "en": "Drawn: {drawn} of {total} links"},
    "graph_more": {"th": "ยังมีอีก {n} ความเชื่อมโยง", "en": "{n} more links"},
    "graph_more_list": {"th": "ดูในตาราง", "en": "see them in the table"},
    "graph_draw_more": {"th": "แสดงเพิ่มอีก {n}", "en": "Draw {n} more"},
    "graph_expand": {"th": "แสดงสิ่งที่เชื่อมโยง", "en": "draw its links"},
    "graph_collapse": {"th": "ซ่อนสิ่งที่เชื่อมโยง", "en": "hide its links"},
    "graph_its_links": {"th": "{label}: {n} ความเชื่อมโยง", "en": "{label}: {n} links"},
    "graph_open": {"th": "เปิดหน้าของ", "en": "Open the page of"},
    "graph_not_drawn": {"th": "อีก {n} ความเชื่อมโยงอยู่ในหน้าของสิ่งนั้น", "en": "{n} more links are on its page"},
    "graph_tier_who": {"th": "ผู้เข้าร่วมและผู้ลงนาม", "en": "Participants and signatories"},
    "graph_tier_roles": {"th": "ตำแหน่งและหน่วยงาน", "en": "Posts and organisations"},
    "graph_tier_when": {"th": "วันที่และเหตุการณ์", "en": "Dates and events"},
    "graph_tier_what": {"th": "สาระของความตกลง", "en": "What the agreement says"},
    "graph_tier_areas": {"th": "สาขาและกิจกรรมความร่วมมือ", "en": "Areas and activities"},
    "graph_tier_other": {"th": "ความเชื่อมโยงอื่น", "en": "Other links"},
    "data": {"th": "ข้อมูลในรูปแบบ RDF", "en": "Data as RDF"},
    "iri": {"th": "IRI", "en": "IRI"},
    "mou": {"th": "สรุปบันทึกความเข้าใจ", "en": "The MoU at a glance"},
    "parties": {"th": "ผู้เข้าร่วม", "en": "Participants"},
    "signatories": {"th": "ผู้ลงนาม", "en": "Signatories"},
    "timeline": {"th": "ลำดับเวลา", "en": "Timeline"},
    "signing": {"th": "ลงนาม", "en": "Signing"},
    "entry_into_force": {"th": "มีผลบังคับใช้", "en": "Entry into force"},
    "initial_end": {"th": "วันสุดท้ายที่มีผลของระยะเวลาเริ่มต้น", "en": "Last day in force of the initial term"},
    "extension_end": {"th": "วันสุดท้ายที่มีผลของระยะเวลาขยายอัตโนมัติ",
                      "en": "Last day in force of the automatic extension"},
    "last_day": {"th": "วันสุดท้ายที่มีผล", "en": "last day in force"},
    "initial_end_expires": {"th": "ระยะเวลาเริ่มต้นหมดลงในวันที่", "en": "the initial term expires on"},
    "extension_end_expires": {"th": "ระยะเวลาขยายอัตโนมัติหมดลงในวันที่", "en": "the automatic extension expires on"},
    "expires_on": {"th": "ระยะเวลาหมดลง (ไม่มีผล) ในวันที่", "en": "the term expires (is no longer in force) on"},
    "status": {"th": "สถานะ ณ วันที่", "en": "Status on"},
    "end_note": {"th": "วันที่แสดงคือวันสุดท้ายที่มีผล ระยะเวลาหมดลงในวันถัดไป (วันสิ้นสุดในข้อมูลไม่นับรวม):",
                 "en": "The dates shown are the last days in force; a term expires the day after (the end date in "
                       "the data is exclusive):"},
    "activities": {"th": "กิจกรรมความร่วมมือ", "en": "Cooperation activities"},
    "statements": {"th": "คำกล่าว", "en": "Statements"},
    "by_type": {"th": "สิ่งในกราฟ แยกตามประเภท", "en": "Things in the graph, by type"},
    "not_found": {"th": "ไม่พบหน้านี้", "en": "Page not found"},
    "not_found_text": {"th": "ไม่มีสิ่งนี้ในกราฟ", "en": "There is no such thing in the graph"},
    "back_home": {"th": "กลับหน้าแรก", "en": "Back to the home page"},
    "translation_note": {"th": "ต้นฉบับเป็นภาษาไทย ข้อความภาษาอังกฤษและภาษาลาวเป็นคำแปลของโครงการ",
                         "en": "The source is in Thai; all English and Lao text is the project's translation."},
    "static_note": {"th": "สำเนาออฟไลน์ สถานะคำนวณ ณ วันที่สร้าง", "en": "Offline copy; status as of the day it was made"},
    "ontology": {"th": "คำอธิบายแบบจำลองข้อมูล", "en": "The data model"},
    "ontology_intro": {"th": "ประเภทและคุณสมบัติที่ใช้ในกราฟ พร้อมคำอธิบาย",
                       "en": "The types and properties the graph uses, with their definitions"},
    "term_name": {"th": "ชื่อในข้อมูล", "en": "Name in the data"},
    "term_page": {"th": "หน้าของสิ่งนี้", "en": "Its page"},
    # the fields a search matched, in words (search results)
    "field_prefLabel": {"th": "ชื่อหลัก", "en": "main name"},
    "field_label": {"th": "ชื่อ", "en": "name"},
    "field_altLabel": {"th": "ชื่ออื่น", "en": "other name"},
    "field_definition": {"th": "คำอธิบาย", "en": "definition"},
    "field_quotation": {"th": "ถ้อยคำในข่าว", "en": "words of the article"},
    "field_translation": {"th": "คำแปล", "en": "translation"},
    "field_romanised": {"th": "ชื่อไทยเป็นอักษรโรมัน", "en": "Thai name in Latin letters"},
    "parties_binding": {"th": "ภาคี", "en": "Parties"},
    "on_day": {"th": "ณ วันที่", "en": "on"},
    "who": {"th": "ผู้เข้าร่วมและผู้ลงนาม", "en": "Participants and signatories"},
    "who_binding": {"th": "ภาคีและผู้ลงนาม", "en": "Parties and signatories"},
    "signed_by": {"th": "ลงนามโดย", "en": "signed by"},
    "not_stated": {"th": "แหล่งที่มาไม่ระบุ", "en": "not stated by the sources"},
    "last_day_in_force": {"th": "วันสุดท้ายที่มีผล", "en": "Last day in force"},
    "end_of_initial": {"th": "วันสุดท้ายของระยะเวลาเริ่มต้น", "en": "the last day of the initial term"},
    "end_of_extension": {"th": "วันสุดท้ายของระยะเวลาขยาย", "en": "the last day of the extension"},
    "automatic_extension": {"th": "การขยายเวลาอัตโนมัติ", "en": "Automatic extension"},
    "extension": {"th": "การขยายเวลา", "en": "Extension"},
    "until": {"th": "ถึงวันที่", "en": "until"},
    "terms": {"th": "ระยะเวลา", "en": "Terms"},
    "term": {"th": "ช่วง", "en": "Term"},
    "duration": {"th": "ระยะเวลา", "en": "Duration"},
    "from_day": {"th": "เริ่ม", "en": "From"},
    "expires": {"th": "หมดลง (ไม่มีผล) ในวันที่", "en": "Expires (no longer in force) on"},
    "copy_iri": {"th": "คัดลอก IRI", "en": "Copy IRI"},
    "copy": {"th": "คัดลอก", "en": "Copy"},
    "copied": {"th": "คัดลอกแล้ว", "en": "Copied"},
    "permalink": {"th": "ลิงก์ถาวร", "en": "Permalink"},
    "cite_this": {"th": "อ้างอิงแหล่งนี้", "en": "Cite this"},
    "apa": {"th": "รายการอ้างอิงแบบ APA", "en": "APA-style reference"},
    "csl_json": {"th": "CSL-JSON (นำเข้าโปรแกรมจัดการรายการอ้างอิง เช่น Zotero)",
                 "en": "CSL-JSON (for reference managers such as Zotero)"},
    "sentence_n": {"th": "ประโยคที่", "en": "Sentence"},
    "of_article": {"th": "ในข่าว", "en": "of the article"},
    "sentence_page": {"th": "หน้าของประโยค", "en": "the sentence's page"},
    "article_url": {"th": "ข่าวต้นฉบับ", "en": "the original article"},
    "article_text": {"th": "เนื้อหาข่าวทีละประโยค", "en": "The article, sentence by sentence"},
    "quoted_sentences": {"th": "ประโยคที่อ้างจากข่าว", "en": "Sentences quoted from the article"},
    "cited_reports": {"th": "รายงานที่อ้างอิง", "en": "Reports cited"},
    "source_language": {"th": "ภาษา", "en": "Language"},
    "record": {"th": "ข้อมูลของระเบียนนี้", "en": "About this record"},
    "sources_of": {"th": "ที่มา", "en": "Source"},
    **REGISTER_MESSAGES,
    **QUERY_MESSAGES,
}


def message(key: str, lang: str) -> str:
    """A user-interface text in ``lang`` by the fallback rule."""
    return pick(MESSAGES[key], lang) or key


def field_name(field: str, lang: str) -> str:
    """The field a search matched (``prefLabel``, ``altLabel``, ``romanised``...) in words.

    >>> field_name("altLabel", "th"), field_name("prefLabel", "en"), field_name("other", "en")
    ('ชื่ออื่น', 'main name', 'other')
    """
    key = "field_" + field
    return message(key, lang) if key in MESSAGES else field


def mark(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """Cut ``text`` into (piece, marked) where every occurrence of a quote is marked."""
    spans: list[tuple[int, int]] = []
    for q in quotes:
        start = text.find(q) if q else -1
        while start >= 0:
            spans.append((start, start + len(q)))
            start = text.find(q, start + 1)
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[tuple[str, bool]] = []
    cursor = 0
    for a, b in merged:
        if a > cursor:
            out.append((text[cursor:a], False))
        out.append((text[a:b], True))
        cursor = b
    if cursor < len(text):
        out.append((text[cursor:], False))
    return out


def make_env() -> jinja2.Environment:
    """The Jinja2 environment of the browser's templates (always autoescaping)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["language_name"] = language_name  # {{ code|language_name(lang) }}: "th" as "ภาษาไทย"
    env.filters["format_date"] = format_date
    env.filters["pick_tagged"] = pick_tagged  # {{ texts|pick_tagged(lang) }}: (language, text) by the fallback rule
    env.filters["field_name"] = field_name
    return env


@dataclass
class Quoted:
    """A sentence that states a fact: its Thai with the quoted words marked, and the project's
    English translation, phrase by phrase, with the phrases that hold those words marked."""

    sentence: str
    position: int
    segments: list[tuple[str, bool]]
    english: list[tuple[str, bool]] = field(default_factory=list)
    doc: str = ""  # the article the sentence is in (nif:referenceContext)
    anchor: str = ""  # the sentence's id on the article's page ("s06")
    url: str = ""  # the article's address on the web (schema:url)


def mark_translation(segments: list[tuple[str, bool]], phrases: list[tuple[int, int, str]]) -> list[tuple[str, bool]]:
    """The English phrases of a sentence, each marked when its Thai (``start``, ``end``, offsets in
    the sentence) overlaps words marked in ``segments``; joined by spaces.

    >>> mark_translation(mark("ลงนามด้านไปรษณีย์", ["ไปรษณีย์"]), [(0, 5, "signs"), (5, 17, "on postal services")])
    [('signs', False), (' ', False), ('on postal services', True)]
    """
    marked, cursor = [], 0
    for text, on in segments:
        if on:
            marked.append((cursor, cursor + len(text)))
        cursor += len(text)
    out: list[tuple[str, bool]] = []
    for i, (start, end, english) in enumerate(phrases):
        if i:
            out.append((" ", False))
        out.append((english, any(a < end and start < b for a, b in marked)))
    return out


@dataclass
class _Texts:
    pref: dict[str, str] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)
    alt: list[tuple[str, str]] = field(default_factory=list)
    definition: dict[str, str] = field(default_factory=dict)


class PageData:
    """Everything the pages need from one store, read once."""

    def __init__(self, store: GraphStore, *, include_personal: bool = False) -> None:
        self.store = store
        self.base = store.settings.base
        self.hidden = set() if include_personal else personal_nodes(store)
        self.texts: dict[str, _Texts] = defaultdict(_Texts)
        for row in store.query(f"""SELECT DISTINCT ?s ?p ?o WHERE {{
                VALUES ?p {{ <{SKOS}prefLabel> <{RDFS}label> <{SKOS}altLabel> <{SKOS}definition> }}
                ?s ?p ?o . FILTER(isLITERAL(?o)) }}"""):
            s, p, o = row["s"].value, row["p"].value, row["o"]
            t, lang = self.texts[s], o.language or ""
            if p == SKOS + "prefLabel":
                t.pref.setdefault(lang, o.value)
            elif p == RDFS + "label":
                t.label.setdefault(lang, o.value)
            elif p == SKOS + "altLabel":
                t.alt.append((lang, o.value))
            else:
                t.definition.setdefault(lang, o.value)
        self.types: dict[str, list[str]] = defaultdict(list)
        for row in store.query("SELECT DISTINCT ?s ?c WHERE { ?s a ?c . FILTER(isIRI(?c)) }"):
            self.types[row["s"].value].append(row["c"].value)
        self.evidence: dict[tuple[str, str], list[Quoted]] = defaultdict(list)
        self._read_evidence()
        self._statuses: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._catalogue: Any = None
        self._linked: dict[str, list[tuple[str, str, str]]] = {}
        self._labels: dict[tuple[str, str], str] = {}
        self._ontology_terms: dict[str, str] | None = None
        self._derived: dict[tuple[str, str], str] = {}
        self._type_sizes: dict[str, int] | None = None
        self._claims: dict[str, tuple[Any, Any, Any]] | None = None
        self._evidence_about: dict[str, tuple[str, str]] | None = None
        self._title_texts: dict[str, dict[str, str]] | None = None

    def ask(self, name: str, params: dict[str, str], lang: str) -> list[Any]:
        """The rows of a catalogue question (the pages and the catalogue share one text per question)."""
        from mou_graph.query.catalogue import catalogue_of
        from mou_graph.query.run import run_local

        if self._catalogue is None:
            self._catalogue = catalogue_of(self.store.settings.root)
        entry = self._catalogue.get(name)
        return run_local(self.store, entry.text, entry.bind(params, lang, base=self.base)).rows

    def statuses(self, day: dt.date, lang: str) -> dict[str, dict[str, Any]]:
        """Agreement -> ``{key, label, lang, end, next, ending}`` on ``day``, by the catalogue's one rule
        (``queries/status-on.rq``); the pages decide no status themselves."""
        key = (day.isoformat(), lang)
        if key not in self._statuses:
            out: dict[str, dict[str, Any]] = {}
            for r in self.ask("status-on", {"date": day.isoformat()}, lang):
                label = r.get("statusLabel")
                out[r["mou"].value] = {
                    "key": r["status"].value, "label": label.value if label else r["status"].value,
                    "lang": (label.language if label else "") or "",
                    "end": r["end"].value if r.get("end") else None,
                    "next": r["next"].value if r.get("next") else None,
                    "ending": r["ending"].value if r.get("ending") else None,
                }
            self._statuses[key] = out
        return self._statuses[key]

    def _read_evidence(self) -> None:
        # every sentence once: number, text, offset in the article, the article, the project's translation
        self.sentences: dict[str, dict[str, Any]] = {}
        for row in self.store.query(f"""PREFIX nif: <{NIF}> SELECT ?s ?text ?b ?pos ?doc ?en WHERE {{
                ?s a nif:Sentence ; nif:anchorOf ?text . OPTIONAL {{ ?s nif:beginIndex ?b }}
                OPTIONAL {{ ?s <{MOU}position> ?pos }} OPTIONAL {{ ?s nif:referenceContext ?doc }}
                OPTIONAL {{ ?s <{MOU}translatedAs> ?en }} }}"""):
            s = row["s"].value
            if s in self.hidden:
                continue
            self.sentences.setdefault(s, {
                "iri": s, "text": row["text"].value, "begin": int(row["b"].value) if row["b"] is not None else 0,
                "position": int(row["pos"].value) if row["pos"] is not None else 0,
                "doc": row["doc"].value if row["doc"] is not None else "",
                "english": row["en"].value if row["en"] is not None else "",
                "anchor": s.rstrip("/").rsplit("/", 1)[-1]})
        self.urls = {r["d"].value: r["u"].value for r in self.store.query(
            f"SELECT ?d ?u WHERE {{ ?d a <{MOU}SourceDocument> ; <{SCHEMA}url> ?u }}")}
        quotes: dict[str, list[str]] = defaultdict(list)
        for row in self.store.query(f"SELECT DISTINCT ?e ?q WHERE {{ ?e a <{MOU}Evidence> ; <{MOU}quote> ?q }}"):
            quotes[row["e"].value].append(row["q"].value)
        rows = self.store.query(f"""PREFIX mou: <{MOU}>
            SELECT DISTINCT ?e ?about ?prop ?s WHERE {{
              ?e a mou:Evidence ; mou:about ?about ; mou:property ?prop ;
                 <http://www.w3.org/ns/prov#wasDerivedFrom> ?s . ?s a <{NIF}Sentence> }}""")
        self.phrases: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for row in self.store.query(f"""PREFIX mou: <{MOU}>
                PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
                SELECT ?s ?b ?e ?sb ?en WHERE {{ ?p a nif:Phrase ; nif:sentence ?s ; nif:beginIndex ?b ;
                  nif:endIndex ?e ; mou:position ?n ; mou:translatedAs ?en . ?s nif:beginIndex ?sb }}
                ORDER BY ?s ?n"""):
            base = int(row["sb"].value)
            self.phrases[row["s"].value].append((int(row["b"].value) - base, int(row["e"].value) - base,
                                                 row["en"].value))
        # where the article first names a thing (its offset): the pages list things in the article's order
        self.offsets: dict[str, int] = {}
        self.grouped: dict[str, int] = {}
        by_quote: dict[str, int] = {}  # where no label of the thing is in its sentences: its first quote
        seen = set()
        for row in rows:
            e, s = row["e"].value, row["s"].value
            if e in self.hidden or s not in self.sentences:
                continue
            about = row["about"].value
            sentence = self.sentences[s]
            # the first place the sentence names the thing (any of its labels), else its first quote
            t = self.texts.get(about)
            names = [*t.pref.values(), *t.label.values(), *(a for _, a in t.alt)] if t else []
            tables: list[tuple[dict[str, int], list[str]]] = [(self.offsets, names), (by_quote, quotes[e])]
            if row["prop"].value == SKOS + "broader":  # where the article lists it under its broader concept
                tables.append((self.grouped, names))
            for table, texts in tables:
                found = [at for at in (sentence["text"].find(n) for n in texts if n) if at >= 0]
                if found:
                    offset = sentence["begin"] + min(found)
                    table[about] = min(offset, table.get(about, offset))
            key = (about, row["prop"].value)
            if (key, s) in seen:
                continue
            seen.add((key, s))
            self.evidence[key].append(self.quoted(s, quotes[e]))
        for x, offset in by_quote.items():
            self.offsets.setdefault(x, offset)
        by_claim: dict[str, int] = {}  # else the first quotation that supports a claim about it
        for row in self.store.query(f"""PREFIX nif: <{NIF}> SELECT ?x ?b WHERE {{
                ?c a <{MOU}Claim> ; <{RDF}subject> ?x ; <{MOU}support> ?sup .
                ?sup a <{MOU}Quotation> ; nif:beginIndex ?b }}"""):
            x, offset = row["x"].value, int(row["b"].value)
            by_claim[x] = min(offset, by_claim.get(x, offset))
        for x, offset in by_claim.items():
            self.offsets.setdefault(x, offset)
        for items in self.evidence.values():
            items.sort(key=lambda q: (q.position, q.sentence))

    def quoted(self, sentence: str, quotes: list[str]) -> Quoted:
        """A sentence with ``quotes`` marked in its Thai and in the project's English phrases."""
        info = self.sentences.get(sentence) or {"text": "", "position": 0, "doc": "", "anchor": ""}
        segments = mark(info["text"], quotes)
        return Quoted(sentence, info["position"], segments, mark_translation(segments, self.phrases.get(sentence, [])),
                      doc=info["doc"], anchor=info["anchor"], url=self.urls.get(info["doc"], ""))

    def article_order(self, iri: str) -> int:
        """Where the article names ``iri`` (its offset) in the list that groups it under a broader concept,
        else where it first names it, else a large number."""
        return self.grouped.get(iri, self.offsets.get(iri, 1 << 30))

    def rows(self, sparql: str, **subs: Any) -> list[Any]:
        """The rows of a query, read at once (pyoxigraph results must not cross threads)."""
        return list(self.store.query(sparql, substitutions=subs or None))

    # -- small look-ups -------------------------------------------------------------
    def label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` (prefLabel, then rdfs:label); for a node of ours without one
        (a claim, an event, a sentence, a piece of evidence) a label made of labels (:meth:`derived_label`);
        else its last part. The answer is kept (a page of the neighbourhood graph asks for thousands)."""
        key = (iri, lang)
        if key not in self._labels:
            self._labels[key] = self._label(iri, lang, 0)
        return self._labels[key]

    def _label(self, iri: str, lang: str, depth: int) -> str:
        t = self.texts.get(iri)
        found = t and (pick(t.pref, lang) or pick(t.label, lang))
        if found:
            return found
        slug = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri
        if depth > 3 or not iri.startswith(self.base) or iri in self.hidden:
            return slug
        key = (iri, lang)
        if key not in self._derived:
            self._derived[key] = self.derived_label(iri, lang, depth) or slug
        return self._derived[key]

    def derived_label(self, iri: str, lang: str, depth: int = 0) -> str | None:
        """A label for a node the graph gives none, from the labels of what it is about, so that no
        page shows an identifier such as ``claim/automatic/true`` or ``s09``: a claim reads
        "subject · property: value", a piece of evidence "kind · subject · property", any other
        node "its type, with a number its name ends in · the node it belongs to" (its IRI's parent)."""
        claim = self._reified().get(iri)
        if claim:
            subject, prop, obj = claim
            parts = [self._label(subject.value, lang, depth + 1), self._label(prop.value, lang, depth + 1)]
            value = self._value(obj, lang, prop.value) or {}
            kind = self._type_label(iri, lang)
            head = f"{kind + ' · ' if kind else ''}{parts[0]} · {parts[1]}"
            if value.get("lang") and value["lang"] != lang:  # a text in another language: named, not shown
                return f"{head} ({language_name(value['lang'], lang)})"
            return f"{head}: {value.get('label') or value.get('text') or obj.value}"
        kind = self._type_label(iri, lang)
        if not kind:
            return None
        title = self._titles().get(iri)
        if title:
            found = pick_tagged(title, lang)
            if found and found[0] == lang:
                return f"{kind} · {found[1]}"
        about = self._about().get(iri)
        if about:
            return f"{kind} · {self._label(about[0], lang, depth + 1)} · {self._label(about[1], lang, depth + 1)}"
        slug = iri.rstrip("/").rsplit("/", 1)[-1]
        number = re.fullmatch(r"[a-z]?0*(\d+)", slug)
        head = f"{kind} {number.group(1)}" if number else kind
        parent = iri.rstrip("/")
        while True:
            parent = parent.rsplit("/", 1)[0]
            if len(parent) <= len(self.base):
                return head
            if parent in self.texts or parent in self.types:
                return f"{head} · {self._label(parent, lang, depth + 1)}"

    def _type_label(self, iri: str, lang: str) -> str | None:
        """The label of the most specific type of ``iri`` (the one with the fewest members)."""
        if self._type_sizes is None:
            sizes: dict[str, int] = defaultdict(int)
            for types in self.types.values():
                for c in types:
                    sizes[c] += 1
            self._type_sizes = dict(sizes)
        labelled = [c for c in self.types.get(iri, []) if c in self.texts]
        if not labelled:
            return None
        best = min(labelled, key=lambda c: (self._type_sizes.get(c, 0), c))  # type: ignore[union-attr]
        t = self.texts[best]
        return pick(t.pref, lang) or pick(t.label, lang)

    def _reified(self) -> dict[str, tuple[Any, Any, Any]]:
        """Claims (reified statements): node -> (subject, predicate, object), read once."""
        if self._claims is None:
            self._claims = {}
            for r in self.store.query(f"""SELECT ?x ?s ?p ?o WHERE {{ ?x <{RDF}subject> ?s ; <{RDF}predicate> ?p ;
                    <{RDF}object> ?o }}"""):
                self._claims.setdefault(r["x"].value, (r["s"], r["p"], r["o"]))
        return self._claims

    def _titles(self) -> dict[str, dict[str, str]]:
        """Titles (``dcterms:title``) by language, of the reports that have no label, read once."""
        if self._title_texts is None:
            self._title_texts = defaultdict(dict)
            for r in self.store.query(f"SELECT ?x ?t WHERE {{ ?x <{DCTERMS}title> ?t FILTER(isLITERAL(?t)) }}"):
                self._title_texts[r["x"].value].setdefault(r["t"].language or "", r["t"].value)
        return self._title_texts

    def _about(self) -> dict[str, tuple[str, str]]:
        """Evidence: node -> (what it is about, the property), read once."""
        if self._evidence_about is None:
            self._evidence_about = {}
            for r in self.store.query(f"SELECT ?e ?a ?p WHERE {{ ?e <{MOU}about> ?a ; <{MOU}property> ?p }}"):
                self._evidence_about.setdefault(r["e"].value, (r["a"].value, r["p"].value))
        return self._evidence_about

    def all_labels(self, iri: str) -> dict[str, str]:
        t = self.texts.get(iri)
        return dict(t.label, **t.pref) if t else {}

    def is_entity(self, iri: str) -> bool:
        """True for an IRI under the base that the graph knows and that is not hidden."""
        if not iri.startswith(self.base) or iri in self.hidden:
            return False
        import pyoxigraph

        return self.store.ask("ASK { { ?s ?p ?o } UNION { ?o ?p ?s } }", substitutions={"s": pyoxigraph.NamedNode(iri)})

    def entities(self) -> list[str]:
        """Every entity under the base, hidden ones excluded, sorted."""
        rows = self.store.query("SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } FILTER(isIRI(?s)) }")
        found = {r["s"].value for r in rows}
        return sorted(i for i in found if i.startswith(self.base) and i not in self.hidden)

    @property
    def ontology_terms(self) -> dict[str, str]:
        """Documented term IRI -> its anchor on the ontology page (``/ontology#schema-endDate``)."""
        if self._ontology_terms is None:
            from mou_graph.publish.ontodoc import documented_terms

            self._ontology_terms = documented_terms(self.store)
        return self._ontology_terms

    def term_anchor(self, iri: str) -> str | None:
        """The anchor of a documented type or property on the ontology page, else None."""
        return None if iri.startswith(self.base) else self.ontology_terms.get(iri)

    @staticmethod
    def is_vocabulary(iri: str) -> bool:
        """True for an IRI of a vocabulary the graph uses (its pages are on the web, not here): a page
        links such a term to the ontology page or not at all, never to the vocabulary's site."""
        return iri.startswith(_VOCABULARIES)

    def ref(self, iri: str, lang: str) -> dict[str, Any]:
        return {"iri": iri, "label": self.label(iri, lang)}

    def prop(self, iri: str, lang: str) -> dict[str, Any]:
        other = "en" if lang != "en" else "th"
        return {"iri": iri, "label": self.label(iri, lang), "other": self.label(iri, other), "other_lang": other}

    def _value(self, term: Any, lang: str, prop: str = "") -> dict[str, Any] | None:
        import pyoxigraph

        if isinstance(term, pyoxigraph.NamedNode):
            return None if term.value in self.hidden else self.ref(term.value, lang)
        if isinstance(term, pyoxigraph.Literal):
            dtype = term.datatype.value if term.datatype else ""
            tag = term.language or ""
            text = format_literal(term.value, dtype, lang)
            if prop in _LANGUAGE_PROPS and not tag:
                text = language_name(term.value, lang)  # dcterms:language "th": the language by its name
            value: dict[str, Any] = {"text": text, "raw": term.value, "lang": tag, "datatype": dtype}
            if tag and tag != lang:
                value["lang_name"] = language_name(tag, lang)
            pieces = self.name_terms(term.value, tag, lang)
            if pieces:
                value["pieces"] = pieces
            return value
        return None

    def name_terms(self, text: str, text_lang: str, lang: str) -> list[dict[str, Any]] | None:
        """``text`` cut into pieces where it names a term of the ontology by compact name
        (``schema:endDate`` in an editorial note): each such piece is the term's label in the
        text's language (tagged where it is in another one) and carries the term's IRI, for a
        link to its documentation. Only an English text on an English page keeps the compact
        name itself (still linked). None when the text names no term.

        >>> data = PageData.__new__(PageData)
        >>> data.texts = defaultdict(_Texts, {SCHEMA + "endDate": _Texts(label={"th": "วันสิ้นสุด", "en": "end date"})})
        >>> [p["text"] for p in data.name_terms("วันสิ้นสุด (schema:endDate) = ...", "th", "th")]
        ['วันสิ้นสุด (', 'วันสิ้นสุด', ') = ...']
        >>> [p["text"] for p in data.name_terms("schema:endDate is ...", "en", "en")]
        ['schema:endDate', ' is ...']
        """
        out: list[dict[str, Any]] = []
        cursor = 0
        for found in _CURIE.finditer(text):
            iri = PREFIXES[found.group(1)] + found.group(2)
            t = self.texts.get(iri)
            labels = dict(t.label, **t.pref) if t else {}
            if not labels:
                continue
            if found.start() > cursor:
                out.append({"text": text[cursor:found.start()]})
            if lang == "en" and text_lang == "en":
                out.append({"text": found.group(0), "iri": iri, "code": True})
            else:
                code, label = pick_tagged(labels, text_lang or lang) or ("", found.group(0))
                out.append({"text": label, "iri": iri, "lang": code if code != (text_lang or lang) else ""})
            cursor = found.end()
        if not out:
            return None
        if cursor < len(text):
            out.append({"text": text[cursor:]})
        return out

    # -- pages ----------------------------------------------------------------------
    def entity(self, iri: str, lang: str, *, today: dt.date | None = None) -> dict[str, Any] | None:
        """The view model of an entity page, or None when there is no such (visible) entity."""
        import pyoxigraph

        if not self.is_entity(iri):
            return None
        node = pyoxigraph.NamedNode(iri)
        t = self.texts.get(iri, _Texts())
        labels = self.all_labels(iri)
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", s=node):
            p = row["p"].value
            if p in _HEADER_PROPS:
                continue
            value = self._value(row["o"], lang, p)
            if value is not None and p == SCHEMA + "endDate" and value.get("datatype") == XSD + "date":
                value["note"] = (f"{message('last_day', lang)} {format_date(day_before(value['raw']), lang)}; "
                                 f"{message('expires_on', lang)} {value['text']}")
            if value is not None:
                out[p].append(value)
        inc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows("SELECT DISTINCT ?x ?p ?o WHERE { ?x ?p ?o }", o=node):
            p, x = row["p"].value, row["x"]
            if p in _SKIP_INCOMING or not isinstance(x, pyoxigraph.NamedNode) or x.value in self.hidden:
                continue
            inc[p].append(dict(self.ref(x.value, lang), evidence=self.evidence.get((x.value, p), [])))
        page: dict[str, Any] = {
            "iri": iri,
            "label": self.label(iri, lang),
            "labels": [(c, labels[c]) for c in (*LANGUAGES, *sorted(set(labels) - set(LANGUAGES))) if c in labels],
            "alt": sorted(t.alt, key=lambda a: (a[0] != lang, a)),
            "definition": pick(t.definition, lang),
            "definitions": sorted(t.definition.items()),
            "types": [self.ref(c, lang) for c in sorted(self.types.get(iri, []))],
            "label_evidence": self.evidence.get((iri, SKOS + "prefLabel"), [])
            + self.evidence.get((iri, RDFS + "label"), []),
            "outgoing": self._groups(iri, out, lang, with_evidence=True),
            "incoming": self._groups(iri, inc, lang, with_evidence=False),
            "mou": None,
        }
        if {MOU + "MemorandumOfUnderstanding", MOU + "Agreement"} & set(self.types.get(iri, [])):
            page["mou"] = self.mou(iri, lang, today=today)
        # a shipped text, sentence by sentence (each with its id: evidence links to it), hidden ones left out
        page["article"] = sorted((s for s in self.sentences.values() if s["doc"] == iri), key=lambda s: s["position"])
        return page

    def _groups(self, iri: str, groups: dict[str, list[dict[str, Any]]], lang: str, *,
                with_evidence: bool) -> list[dict[str, Any]]:
        out = []
        for p, values in groups.items():
            # literals in the page's language first, then by the fallback order, then by text
            order = {code: i for i, code in enumerate(fallback_order(lang))}
            values.sort(key=lambda v: (order.get(v.get("lang") or "", len(order)),
                                       v.get("label") or v.get("text") or ""))
            group = dict(self.prop(p, lang), values=values)
            group["evidence"] = self.evidence.get((iri, p), []) if with_evidence else None
            out.append(group)
        # a period reads start, then end (the end is sorted just after the start, whatever its label)
        start = next((g["label"].casefold() for g in out if g["iri"] == SCHEMA + "startDate"), None)

        def key(g: dict[str, Any]) -> tuple[str, int, str]:
            if g["iri"] == SCHEMA + "endDate" and start is not None:
                return (start, 1, g["iri"])
            return (g["label"].casefold(), 0, g["iri"])

        return sorted(out, key=key)

    def linked(self, iri: str) -> list[tuple[str, str, str]]:
        """``(direction, property, other IRI)`` of every link between ``iri`` and another node that the
        entity page of ``iri`` lists: ``"out"`` where ``iri`` is the subject, ``"in"`` where it is the
        object, by :meth:`entity`'s rules (no header property out, no evidence pointer in, no hidden node).
        The store is read once: the answer is kept."""
        import pyoxigraph

        if iri not in self._linked:
            node, found = pyoxigraph.NamedNode(iri), []
            for row in self.rows("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }", s=node):
                if row["p"].value not in _HEADER_PROPS and row["o"].value not in self.hidden:
                    found.append(("out", row["p"].value, row["o"].value))
            for row in self.rows("SELECT DISTINCT ?x ?p ?o WHERE { ?x ?p ?o FILTER(isIRI(?x)) }", o=node):
                if row["p"].value not in _SKIP_INCOMING and row["x"].value not in self.hidden:
                    found.append(("in", row["p"].value, row["x"].value))
            self._linked[iri] = found
        return self._linked[iri]

    def objects(self, iri: str, prop: str) -> list[Any]:
        import pyoxigraph

        rows = self.rows("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", s=pyoxigraph.NamedNode(iri),
                          p=pyoxigraph.NamedNode(prop))
        return sorted((r["o"] for r in rows), key=str)

    def refs(self, iri: str, prop: str, lang: str) -> list[dict[str, Any]]:
        refs = [self.ref(o.value, lang) for o in self.objects(iri, prop) if o.value not in self.hidden]
        return sorted(refs, key=lambda r: r["label"])

    def _date(self, iri: str | None, prop: str) -> str | None:
        values = self.objects(iri, prop) if iri else []
        return values[0].value if values else None

    def mou(self, iri: str, lang: str, *, today: dt.date | None = None) -> dict[str, Any]:
        """Answer first: participants and signatories (with posts), signing, today's status, the last day
        in force, the extension; then terms, areas, activities, statements (see :mod:`.agreement`)."""
        from mou_graph.present.agreement import summary

        return summary(self, iri, lang, today=today)

    def area_tree(self, lang: str, *, only: set[str] | None = None, details: bool = False,
                  order: Any = None) -> list[dict[str, Any]]:
        """The SKOS concepts as a tree (by skos:broader / skos:narrower), sorted by label, or by
        ``order(iri)`` first (a concept without one goes where its first narrower concept does)."""
        rows = self.store.query(f"""SELECT DISTINCT ?c ?b WHERE {{ ?c a <{SKOS}Concept> .
            OPTIONAL {{ {{ ?c <{SKOS}broader> ?b }} UNION {{ ?b <{SKOS}narrower> ?c }} }} }}""")
        parents: dict[str, set[str]] = defaultdict(set)
        concepts = set()
        for row in rows:
            c = row["c"].value
            if (only is not None and c not in only) or c in self.hidden:
                continue
            concepts.add(c)
            if row["b"] is not None:
                parents[c].add(row["b"].value)
        children: dict[str, list[str]] = defaultdict(list)
        roots = []
        for c in concepts:
            known = parents[c] & concepts
            for b in known:
                children[b].append(c)
            if not known:
                roots.append(c)
        extra: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {"activities": [], "statements": []})
        if details:
            for prop, key in ((MOU + "concerns", "activities"), (MOU + "mentions", "statements")):
                for row in self.rows("SELECT DISTINCT ?x ?p ?c WHERE { ?x ?p ?c }", p=_named(prop)):
                    if row["x"].value not in self.hidden:
                        extra[row["c"].value][key].append(self.ref(row["x"].value, lang))

        def node(c: str, path: frozenset[str]) -> dict[str, Any]:
            kids = sorted((node(k, path | {c}) for k in children[c] if k not in path), key=sort_key)
            info = {k: sorted(v, key=lambda r: r["label"]) for k, v in extra[c].items()} if details else {}
            # a concept goes where the article names it; one it does not name, where its first narrower one is
            own = order(c) if order else 0
            first = own if own < 1 << 30 else min([own, *(k["first"] for k in kids)])
            return dict(self.ref(c, lang), children=kids, first=first, **info)

        def sort_key(n: dict[str, Any]) -> tuple[int, str]:
            return (n["first"], n["label"])

        return sorted((node(r, frozenset()) for r in roots), key=sort_key)

    def home(self, lang: str) -> dict[str, Any]:
        """The home page: the agreements first, then every entity grouped by type."""
        skip = {MOU + "Evidence", NIF + "Sentence"}
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for iri in self.entities():
            types = self.types.get(iri, [])
            if not types or set(types) & skip:
                continue
            by_type[min(types, key=lambda c: (c in (SKOS + "Concept",), c))].append(self.ref(iri, lang))
        groups = [dict(self.ref(c, lang), items=sorted(v, key=lambda r: r["label"])) for c, v in by_type.items()]
        agreements = [self.ref(i, lang) for i in self.entities()
                      if {MOU + "MemorandumOfUnderstanding", MOU + "Agreement"} & set(self.types.get(i, []))]
        return {"agreements": agreements, "groups": sorted(groups, key=lambda g: g["label"])}


def _named(iri: str) -> Any:
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)
