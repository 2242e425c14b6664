"""Records to RDF: the one compiler of the register (docs/model.md, RECORD-FORMAT.md).

Every fact a record states becomes a plain triple (its preferred value) and a ``mou:Claim`` node with its
rank and its supports: a ``mou:Quotation`` (a verbatim span of a shipped text, located here) or a
``mou:Citation`` of a ``mou:Report``. Shortcuts (``mou:signingDate``, ``mou:signatory``, ...) are
materialised from the events. An item written with ``evidence: <id>`` also gives the 0.1 form, a
``mou:Evidence`` node ``evidence/<id>``, so the evidence IRIs that exist stay.

Errors name the record's file and line, in English and Thai (:class:`RecordError`, exit 2).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mou_graph.errors import InputError
from mou_graph.register.records import Record, bilingual, load_record
from mou_graph.vocab import DCTERMS, MOU, NIF, ORG, PROV, RDF, RDF_TYPE, RDFS, SCHEMA, SKOS, XSD

__all__ = ["EDITORIAL", "RecordError", "Register", "compile_paths", "register_files"]

RecordError = InputError  # one error type for bad input: path, line, bilingual message

# the properties whose triples need no support (the ontology lists them with mou:editorialProperty)
EDITORIAL = frozenset({
    DCTERMS + "language", MOU + "personalData", MOU + "sha256", MOU + "translationNote", RDFS + "seeAlso",
    SKOS + "altLabel", SKOS + "editorialNote", SKOS + "hasTopConcept", SKOS + "inScheme", SKOS + "topConceptOf",
})

KIND_CLASS = {
    "mou": "MemorandumOfUnderstanding", "memorandum-of-cooperation": "MemorandumOfCooperation",
    "agreement": "Agreement", "letter-of-intent": "LetterOfIntent", "record-of-discussions": "RecordOfDiscussions",
    "action-plan": "ActionPlan", "joint-declaration": "JointDeclaration", "protocol": "Protocol",
    "exchange-of-letters": "ExchangeOfLetters", "contract": "Contract",
}
EVENT_CLASS = {
    "approval": "Approval", "signing": "Signing", "entry-into-force": "EntryIntoForce", "extension": "Extension",
    "renewal": "Renewal", "amendment": "Amendment", "supersession": "Supersession", "termination": "Termination",
    "expiry": "Expiry", "exchange": "Exchange",
}
ORG_CLASS = {
    "ministry": MOU + "Ministry", "agency": MOU + "Agency", "government": MOU + "Government",
    "state-enterprise": MOU + "StateEnterprise", "bank": MOU + "Bank", "province": MOU + "Province",
    "city": MOU + "City", "department": MOU + "Department", "company": MOU + "Company",
    "unit": ORG + "OrganizationalUnit", "organisation": ORG + "FormalOrganization",
}
ROLE = {"signatory": "SignatoryRole", "witness": "WitnessRole", "announcer": "AnnouncerRole"}
RELATED = {"predecessor": MOU + "succeeds", "revises": MOU + "revises", "amends": MOU + "amends",
           "part_of": MOU + "partOf"}
LANGS = ("th", "en", "lo")
MAX_WORDS, MAX_WORD_CHARS = 12, 80
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^[a-z]+(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+$")


@dataclass
class Support:
    """A support as written, with the record place it came from."""

    kind: str  # "quote" | "cite"
    source: str
    text: str | None  # the quote, or the cited words
    occurrence: int | None
    record: Record
    where: tuple


@dataclass
class Fact:
    s: str
    p: str
    o: Any  # a pyoxigraph term
    supports: list[Support]
    record: Record
    where: tuple
    rank: str = "NormalRank"
    reason: dict[str, str] = field(default_factory=dict)
    translation: bool = False
    evidence: str | None = None
    conflict: str | None = None
    asserted: bool = True


def _po():
    import pyoxigraph

    return pyoxigraph


class Register:
    """Compiles records into triples grouped by named graph (``data``, ``areas``, ``personal``, ``evidence``)."""

    def __init__(self, root: Path, base: str) -> None:
        self.root = Path(root)
        self.base = base
        self.facts: list[Fact] = []
        self.plain: set[tuple[str, str, Any]] = set()
        self.defined: dict[str, tuple[Record, tuple]] = {}
        self.sources: dict[str, tuple[Record, tuple, dict]] = {}
        self.shipped: dict[str, Any] = {}
        self.refs: list[tuple[str, Record, tuple]] = []
        self.agreements: list[str] = []
        self.posts: dict[tuple[str, str], str] = {}  # (organisation, English label) -> post id

    # -- terms -----------------------------------------------------------------------------
    def iri(self, path: str) -> Any:
        return _po().NamedNode(self.base + path)

    def lit(self, value: str, *, lang: str | None = None, dt: str | None = None) -> Any:
        po = _po()
        if lang:
            return po.Literal(value, language=lang)
        return po.Literal(value, datatype=po.NamedNode(dt)) if dt else po.Literal(value)

    def add(self, s: str, p: str, o: Any) -> None:
        """A structural triple (a type, a link to a node the record defines): no claim of its own."""
        self.plain.add((s, p, o))

    def ref(self, value: Any, rec: Record, where: tuple, kinds: tuple[str, ...] | None = None) -> str:
        """An id written in a record (``org/mdes``), checked for form; whether it is defined is checked at the end."""
        if not isinstance(value, str) or not _ID.match(value):
            raise rec.error(where, f"{value!r} is not an id such as org/mdes (lower-case slugs under a kind)",
                            f"{value!r} ไม่ใช่รหัสแบบ org/mdes (slug ตัวพิมพ์เล็กใต้ชนิด)")
        if kinds and value.split("/")[0] not in kinds:
            raise rec.error(where, f"{value} should be one of {', '.join(k + '/...' for k in kinds)}",
                            f"{value} ต้องเป็นชนิด {', '.join(k + '/...' for k in kinds)}")
        self.refs.append((value, rec, where))
        return value

    def define(self, ident: str, rec: Record, where: tuple) -> str:
        if ident in self.defined:
            other, owhere = self.defined[ident]
            raise rec.error(where, f"{ident} is defined twice (also {other.path}:{other.line(owhere)})",
                            f"{ident} นิยามซ้ำ (อีกที่หนึ่งคือ {other.path}:{other.line(owhere)})")
        self.defined[ident] = (rec, where)
        return ident

    # -- supports --------------------------------------------------------------------------
    def supports(self, item: Any, rec: Record, where: tuple, inherited: list[Support]) -> list[Support]:
        """The supports written on ``item`` (a mapping with ``support:``), else the inherited ones."""
        if not isinstance(item, dict) or "support" not in item:
            return inherited
        out = []
        for i, sup in enumerate(item["support"] or []):
            w = (*where, "support", i)
            if not isinstance(sup, dict):
                raise rec.error(w, "a support is {cite: ..., words: ...} or {quote: ..., source: ...}",
                                "แหล่งสนับสนุนต้องเป็น {cite: ..., words: ...} หรือ {quote: ..., source: ...}")
            if "quote" in sup:
                out.append(Support("quote", str(sup.get("source", "")), str(sup["quote"]), sup.get("occurrence"),
                                   rec, w))
            elif "cite" in sup:
                words = sup.get("words")
                if words is not None:
                    words = str(words)
                    if len(words) > MAX_WORD_CHARS or len(words.split()) > MAX_WORDS:
                        raise rec.error((*w, "words"), f"cited words are at most {MAX_WORDS} words and "
                                        f"{MAX_WORD_CHARS} characters (the few words that carry the fact, never a "
                                        "sentence)", f"คำที่อ้างต้องไม่เกิน {MAX_WORDS} คำและ {MAX_WORD_CHARS} อักขระ "
                                        "(เฉพาะคำที่ระบุข้อเท็จจริง ห้ามยกทั้งประโยค)")
                out.append(Support("cite", str(sup["cite"]), words, None, rec, w))
            else:
                raise rec.error(w, "a support needs cite: or quote:", "แหล่งสนับสนุนต้องมี cite: หรือ quote:")
        return out

    def fact(self, s: str, p: str, o: Any, sups: list[Support], rec: Record, where: tuple, **kw: Any) -> Fact:
        if not sups and p not in EDITORIAL:
            raise rec.error(where, "this fact has no support: add support: [{cite: ...}] or [{quote: ...}]",
                            "ข้อเท็จจริงนี้ไม่มีแหล่งสนับสนุน: เพิ่ม support: [{cite: ...}] หรือ [{quote: ...}]")
        f = Fact(s, p, o, sups, rec, where, **kw)
        self.facts.append(f)
        return f

    # -- texts -------------------------------------------------------------------------------
    def texts(self, s: str, preds: tuple[str, ...], bundle: Any, rec: Record, where: tuple,
              inherited: list[Support], *, evidence: str | None = None) -> dict[str, str]:
        """A text bundle ``{th: ..., en: {text: ..., translation: project}, support: [...]}``: one fact per
        language and predicate. Returns language -> text."""
        if bundle is None:
            return {}
        if not isinstance(bundle, dict):
            raise rec.error(where, "a text is a mapping of languages (th, en, lo)",
                            "ข้อความต้องเป็นแผนที่ของภาษา (th, en, lo)")
        sups = self.supports(bundle, rec, where, inherited)
        ev = bundle.get("evidence", evidence)
        out = {}
        for lang in LANGS:
            if lang not in bundle:
                continue
            value, translated, own = bundle[lang], False, sups
            if isinstance(value, dict):
                translated = value.get("translation") == "project"
                own = self.supports(value, rec, (*where, lang), sups)  # a language with a source of its own
                value = value.get("text")
            if not isinstance(value, str) or not value.strip():
                raise rec.error((*where, lang), "a text must be a non-empty string", "ข้อความต้องไม่ว่าง")
            out[lang] = value
            for n, p in enumerate(preds):
                self.fact(s, p, self.lit(value, lang=lang), own, rec, (*where, lang), translation=translated,
                          evidence=ev if n == 0 and own is sups else None)
        return out

    def note(self, s: str, bundle: Any, rec: Record, where: tuple) -> None:
        if not bundle:
            return
        for lang in LANGS:
            if lang in bundle:
                value = bundle[lang]["text"] if isinstance(bundle[lang], dict) else bundle[lang]
                self.add(s, SKOS + "editorialNote", self.lit(str(value), lang=lang))

    def value(self, s: str, p: str, spec: Any, rec: Record, where: tuple, inherited: list[Support],
              make: Any, *, evidence: str | None = None, shortcut: tuple[str, str] | None = None) -> Any:
        """A scalar fact: ``v``, ``{value: v, support: ...}``, or a list of alternatives with one preferred.
        ``make(v, where)`` turns the written value into a term. Returns the preferred term (or None)."""
        if isinstance(spec, list):
            preferred = [a for a in spec if isinstance(a, dict) and a.get("preferred") is True]
            if len(preferred) != 1:
                raise rec.error(where, "alternatives need exactly one preferred: true (with a reason)",
                                "ค่าทางเลือกต้องมี preferred: true หนึ่งค่าพอดี (พร้อมเหตุผล)")
            conflict = f"{s}/conflict/{_local(p)}"
            chosen = None
            for i, alt in enumerate(spec):
                w = (*where, i)
                if not isinstance(alt, dict) or "value" not in alt:
                    raise rec.error(w, "each alternative is {value: ..., support: [...]}",
                                    "ค่าทางเลือกแต่ละค่าต้องเป็น {value: ..., support: [...]}")
                term = make(alt["value"], (*w, "value"))
                sups = self.supports(alt, rec, w, [])
                is_pref = alt.get("preferred") is True
                reason = alt.get("reason") or {}
                if is_pref and not reason:
                    raise rec.error(w, "the preferred alternative needs a reason: {en: ..., th: ...}",
                                    "ค่าที่เลือกต้องมีเหตุผล reason: {en: ..., th: ...}")
                rank = "PreferredRank" if is_pref else ("DeprecatedRank" if alt.get("deprecated") else "NormalRank")
                self.fact(s, p, term, sups, rec, w, rank=rank, reason=_texts_of(reason), conflict=conflict,
                          asserted=is_pref, evidence=alt.get("evidence", evidence) if is_pref else None)
                if shortcut and is_pref:
                    self.fact(shortcut[0], shortcut[1], term, sups, rec, w, evidence=alt.get("evidence", evidence))
                if is_pref:
                    chosen = term
            self.add(conflict, RDF_TYPE, self.iri_raw(MOU + "Conflict"))
            return chosen
        raw = spec.get("value") if isinstance(spec, dict) else spec
        if isinstance(spec, dict) and "value" not in spec:
            raise rec.error(where, "write the value as value: ...", "เขียนค่าเป็น value: ...")
        term = make(raw, where)
        sups = self.supports(spec, rec, where, inherited)
        ev = spec.get("evidence", evidence) if isinstance(spec, dict) else evidence
        if shortcut:
            self.fact(s, p, term, sups, rec, where)
            self.fact(shortcut[0], shortcut[1], term, sups, rec, where, evidence=ev)
        else:
            self.fact(s, p, term, sups, rec, where, evidence=ev)
        return term

    def iri_raw(self, iri: str) -> Any:
        return _po().NamedNode(iri)

    def links(self, s: str, p: str, items: Any, key: str, kinds: tuple[str, ...], rec: Record, where: tuple,
              inherited: list[Support]) -> list[str]:
        """A list of ``{<key>: id, support: [...]}`` (or bare ids): one fact ``s p id`` each."""
        out = []
        for i, item in enumerate(items or []):
            w = (*where, i)
            target = item.get(key) if isinstance(item, dict) else item
            ident = self.ref(target, rec, (*w, key) if isinstance(item, dict) else w, kinds)
            sups = self.supports(item, rec, w, inherited)
            ev = item.get("evidence") if isinstance(item, dict) else None
            self.fact(s, p, self.iri(ident), sups, rec, w, evidence=ev)
            out.append(ident)
        return out

    # -- dates -------------------------------------------------------------------------------
    def date_term(self, value: Any, rec: Record, where: tuple, precision: str | None = None) -> Any:
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                datetime.date.fromisoformat(text)
            except ValueError:
                raise rec.error(where, f"{text} is not a date", f"{text} ไม่ใช่วันที่") from None
            if precision in (None, "day"):
                return self.lit(text, dt=XSD + "date")
            text = text[:7] if precision == "month" else text[:4]
        if re.fullmatch(r"\d{4}-\d{2}", text) and 1 <= int(text[5:]) <= 12:
            return self.lit(text, dt=XSD + "gYearMonth")
        if re.fullmatch(r"\d{4}", text):
            return self.lit(text, dt=XSD + "gYear")
        raise rec.error(where, f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
                        f"{text!r} ไม่ใช่วันที่ (YYYY-MM-DD, YYYY-MM หรือ YYYY)")

    # -- sources -----------------------------------------------------------------------------
    def add_sources(self, table: Any, rec: Record, where: tuple) -> None:
        for sid, spec in (table or {}).items():
            w = (*where, sid)
            if not _SLUG.match(str(sid)):
                raise rec.error(w, f"{sid!r} is not a slug", f"{sid!r} ไม่ใช่ slug")
            if sid in self.sources:
                other, owhere, _ = self.sources[sid]
                raise rec.error(w, f"the source {sid} is defined twice (also {other.path}:{other.line(owhere)})",
                                f"แหล่งที่มา {sid} นิยามซ้ำ (อีกที่หนึ่งคือ {other.path}:{other.line(owhere)})")
            self.sources[sid] = (rec, w, spec)

    def compile_sources(self) -> None:
        for sid, (rec, w, spec) in sorted(self.sources.items()):
            s = f"source/{sid}"
            if spec.get("shipped"):
                self.shipped_source(sid, s, spec, rec, w)
                continue
            self.add(s, RDF_TYPE, self.iri_raw(MOU + "Report"))
            self.add(s, SCHEMA + "url", self.lit(str(spec["url"]), dt=XSD + "anyURI"))
            self.add(s, DCTERMS + "publisher", self.lit(str(spec["publisher"])))
            lang = str(spec.get("language", ""))
            if spec.get("title"):
                self.add(s, DCTERMS + "title", self.lit(str(spec["title"]), lang=lang or None))
            self.add(s, DCTERMS + "language", self.lit(lang))
            if spec.get("published") is not None:
                self.add(s, DCTERMS + "issued", self.date_term(spec["published"], rec, (*w, "published")))
            if spec.get("retrieved") is not None:
                self.add(s, MOU + "retrieved", self.date_term(spec["retrieved"], rec, (*w, "retrieved")))
            if spec.get("kind"):
                self.add(s, MOU + "reportKind", self.lit(str(spec["kind"])))
            self.note(s, spec.get("note"), rec, (*w, "note"))

    def shipped_source(self, sid: str, s: str, spec: dict, rec: Record, w: tuple) -> None:
        """A text the project ships (``data/source/<id>.<lang>.txt``): a mou:SourceDocument with facts of its own."""
        from mou_graph.register.quotes import ShippedText

        lang = str(spec.get("language", "th"))
        path = self.root / "data" / "source" / f"{sid}.{lang}.txt"
        try:
            sha = spec.get("sha256")
            self.shipped[sid] = ShippedText(sid, path, str(sha.get("value") if isinstance(sha, dict) else sha)
                                            if sha else None)
        except Exception as err:  # noqa: BLE001 - a missing or changed copy is a record error
            raise rec.error(w, f"the shipped text {path} cannot be read: {err}",
                            f"อ่านข้อความต้นทาง {path} ไม่ได้: {err}") from None
        inherited = self.supports(spec, rec, w, [])
        self.add(s, RDF_TYPE, self.iri_raw(MOU + "SourceDocument"))
        self.texts(s, (RDFS + "label",), spec.get("label"), rec, (*w, "label"), inherited)
        self.texts(s, (DCTERMS + "title",), spec.get("title"), rec, (*w, "title"), inherited)
        for key, pred, make in (
            ("url", SCHEMA + "url", lambda v, _w: self.lit(str(v), dt=XSD + "anyURI")),
            ("issued", DCTERMS + "issued", lambda v, ww: self.date_term(v, rec, ww)),
            ("publisher", DCTERMS + "publisher", lambda v, ww: self.iri(self.ref(v, rec, ww))),
            ("sha256", MOU + "sha256", lambda v, _w: self.lit(str(v))),
        ):
            if key in spec:
                self.value(s, pred, spec[key], rec, (*w, key), inherited, make)
        self.add(s, DCTERMS + "language", self.lit(lang))
        if spec.get("personal_data") is not None:
            self.add(s, MOU + "personalData", self.lit(str(bool(spec["personal_data"])).lower(), dt=XSD + "boolean"))
        for position in spec.get("personal_sentences") or []:  # sentences that print personal data
            self.add(f"{s}/s{int(position):02d}", MOU + "personalData", self.lit("true", dt=XSD + "boolean"))
        tn = spec.get("translation_note")
        if tn:
            for lg in LANGS:
                if lg in tn:
                    self.add(s, MOU + "translationNote", self.lit(str(tn[lg]), lang=lg))
        self.note(s, spec.get("note"), rec, (*w, "note"))

    # -- entities ------------------------------------------------------------------------------
    def add_entities(self, rec: Record) -> None:
        from mou_graph.register import entities

        entities.compile_entities(self, rec)

    # -- agreements ----------------------------------------------------------------------------
    def add_agreement(self, rec: Record) -> None:
        from mou_graph.register import agreements

        agreements.compile_agreement(self, rec)

    # -- finishing -----------------------------------------------------------------------------
    def check_refs(self) -> None:
        known = set(self.defined) | {f"source/{s}" for s in self.sources}
        for ident, rec, where in self.refs:
            if ident not in known:
                raise rec.error(where, f"{ident} is not defined in data/entities/ or by any record",
                                f"ไม่มีการนิยาม {ident} ใน data/entities/ หรือในระเบียนใด")

    def resolve(self, sup: Support) -> str:
        """The IRI path of the support node of ``sup`` (adding its triples)."""
        if sup.source not in self.sources:
            raise sup.record.error(sup.where, f"the source {sup.source!r} is not defined (data/sources/ or sources:)",
                                   f"ไม่มีการนิยามแหล่งที่มา {sup.source!r} (data/sources/ หรือ sources:)")
        if sup.kind == "quote":
            text = self.shipped.get(sup.source)
            if text is None:
                raise sup.record.error(sup.where, f"{sup.source} is not a text the project ships: cite it instead",
                                       f"{sup.source} ไม่ใช่ข้อความที่โครงการเก็บไว้: ให้ใช้ cite แทน")
            found, count = text.locate(sup.text or "", sup.occurrence)
            if found is None:
                if count == 0:
                    raise sup.record.error(sup.where, f"the quote is not in {text.path.name}: {sup.text!r}",
                                           f"ไม่พบถ้อยคำนี้ใน {text.path.name}: {sup.text!r}")
                raise sup.record.error(sup.where, f"the quote is in {text.path.name} {count} times: add occurrence: "
                                       f"1..{count}", f"ถ้อยคำนี้พบใน {text.path.name} {count} ครั้ง: ระบุ "
                                       f"occurrence: 1..{count}")
            node = f"source/{sup.source}/quote/{found.begin}-{found.end}"
            self.add(node, RDF_TYPE, self.iri_raw(MOU + "Quotation"))
            self.add(node, MOU + "quote", self.lit(sup.text or "", lang=text.path.name.split(".")[-2]))
            self.add(node, NIF + "referenceContext", self.iri(f"source/{sup.source}"))
            self.add(node, NIF + "beginIndex", self.lit(str(found.begin), dt=XSD + "integer"))
            self.add(node, NIF + "endIndex", self.lit(str(found.end), dt=XSD + "integer"))
            for sentence in found.sentences:
                self.add(node, PROV + "wasDerivedFrom", self.iri(sentence))
            sup.found = found  # type: ignore[attr-defined]
            return node
        _rec, _w, spec = self.sources[sup.source]
        if spec.get("shipped"):
            raise sup.record.error(sup.where, f"{sup.source} is shipped: quote its words (quote: ..., source: ...)",
                                   f"{sup.source} เป็นข้อความที่โครงการเก็บไว้: ให้ยกถ้อยคำ (quote: ..., source: ...)")
        node = f"source/{sup.source}/cite" + (f"/{_iri_words(sup.text)}" if sup.text else "")
        self.add(node, RDF_TYPE, self.iri_raw(MOU + "Citation"))
        self.add(node, MOU + "cites", self.iri(f"source/{sup.source}"))
        lang = str(spec.get("language", "")) or None
        if sup.text:
            self.add(node, MOU + "words", self.lit(sup.text, lang=lang))
        self.add(node, SCHEMA + "url", self.lit(str(spec["url"]), dt=XSD + "anyURI"))
        self.add(node, DCTERMS + "publisher", self.lit(str(spec["publisher"])))
        if spec.get("title"):
            self.add(node, DCTERMS + "title", self.lit(str(spec["title"]), lang=lang))
        self.add(node, DCTERMS + "language", self.lit(lang or ""))
        if spec.get("published") is not None:
            self.add(node, DCTERMS + "issued", self.date_term(spec["published"], _rec, (*_w, "published")))
        if spec.get("retrieved") is not None:
            self.add(node, MOU + "retrieved", self.date_term(spec["retrieved"], _rec, (*_w, "retrieved")))
        return node

    def claims(self) -> None:
        seen: dict[str, int] = defaultdict(int)
        evidence: dict[str, dict[str, Any]] = {}
        for f in self.facts:
            if f.asserted:
                self.add(f.s, f.p, f.o)
            if not f.supports:
                continue
            key = _value_key(f.o, self.base)
            claim = f"{f.s}/claim/{_local(f.p)}/{key}"
            seen[claim] += 1
            if seen[claim] > 1:
                claim += f"-{seen[claim]}"
            c = claim
            self.add(c, RDF_TYPE, self.iri_raw(MOU + "Claim"))
            self.add(c, RDF + "subject", self.iri(f.s))
            self.add(c, RDF + "predicate", self.iri_raw(f.p))
            self.add(c, RDF + "object", f.o)
            self.add(c, MOU + "rank", self.iri_raw(MOU + f.rank))
            for lang, text in f.reason.items():
                self.add(c, MOU + "rankReason", self.lit(text, lang=lang))
            if f.translation:
                self.add(c, MOU + "translation", self.lit("true", dt=XSD + "boolean"))
            if f.conflict:
                self.add(c, MOU + "conflict", self.iri(f.conflict))
            for sup in f.supports:
                self.add(c, MOU + "support", self.iri(self.resolve(sup)))
            if f.evidence:
                ev = evidence.setdefault(f.evidence, {"about": f.s, "props": set(), "sentences": set(),
                                                      "quotes": set(), "fact": f})
                if ev["about"] != f.s:
                    raise f.record.error(f.where, f"evidence/{f.evidence} would be about two subjects "
                                         f"({ev['about']} and {f.s})",
                                         f"evidence/{f.evidence} จะเป็นหลักฐานของสองสิ่ง ({ev['about']} และ {f.s})")
                ev["props"].add(f.p)
                for sup in f.supports:
                    if sup.kind == "quote":
                        ev["sentences"].update(sup.found.sentences)  # type: ignore[attr-defined]
                        ev["quotes"].add(self.lit(sup.text or "", lang="th"))
        for ident, ev in evidence.items():
            if not ev["quotes"]:
                continue
            e = f"evidence/{ident}"
            self.add(e, RDF_TYPE, self.iri_raw(MOU + "Evidence"))
            self.add(e, MOU + "about", self.iri(ev["about"]))
            for p in ev["props"]:
                self.add(e, MOU + "property", self.iri_raw(p))
            for sentence in ev["sentences"]:
                self.add(e, PROV + "wasDerivedFrom", self.iri(sentence))
            for q in ev["quotes"]:
                self.add(e, MOU + "quote", q)

    def graphs(self) -> dict[str, list[Any]]:
        """Named graph -> sorted triples (pyoxigraph)."""
        po = _po()
        out: dict[str, set] = defaultdict(set)
        personal = {s for s, _p, _o in self.plain if s.startswith("contact/")}
        for s, p, o in self.plain:
            subject = s if s.startswith(("http://", "https://")) else self.base + s
            out[_graph_of(s, personal)].add(po.Triple(po.NamedNode(subject), po.NamedNode(
                p if p.startswith(("http://", "https://")) else self.base + p), o))
        return {g: sorted(ts, key=_sort_key) for g, ts in out.items()}

    def run(self) -> dict[str, list[Any]]:
        self.compile_sources()
        self.check_refs()
        self.claims()
        return self.graphs()


def _graph_of(s: str, personal: set[str]) -> str:
    head = s.split("/claim/")[0].split("/conflict/")[0]
    if head.startswith("contact/") or head in personal:
        return "personal"
    if "/claim/" in s or "/conflict/" in s or s.startswith(("evidence/", "source/")):
        return "evidence"
    if s.startswith(("area/", "scheme/")):
        return "areas"
    return "data"


def _sort_key(t: Any) -> tuple:
    return (t.subject.value, t.predicate.value, str(t.object))


def _local(p: str) -> str:
    """``https://schema.org/startDate`` -> ``start-date``."""
    name = re.split(r"[#/]", p)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _value_key(o: Any, base: str) -> str:
    po = _po()
    if isinstance(o, po.NamedNode):
        v = o.value
        return v[len(base):] if v.startswith(base) else _local(v)
    if o.language:
        return o.language
    text = o.value
    if re.fullmatch(r"[A-Za-z0-9._:+-]{1,40}", text):
        return text
    return "value"


def _iri_words(words: str) -> str:
    """The cited words as an IRI segment: letters and digits (Thai and Lao included) joined by ``-``; the
    rest (spaces, punctuation) are separators, so every serialiser and parser reads the IRI as it is.

    >>> _iri_words("Ministry of Digital Economy and Society (DES)")
    'Ministry-of-Digital-Economy-and-Society-DES'
    >>> _iri_words("ณ ห้องมะลิ ชั้น 2")
    'ณ-ห้องมะลิ-ชั้น-2'
    """
    kept = "".join(ch if (ch.isascii() and ch.isalnum()) or "\u0e00" <= ch <= "\u0eff" else "-" for ch in words)
    return re.sub(r"-{2,}", "-", kept).strip("-") or "words"


def _texts_of(bundle: Any) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        if isinstance(bundle, dict) and lang in bundle:
            v = bundle[lang]
            out[lang] = str(v["text"] if isinstance(v, dict) else v)
    return out


# -- the register's files ---------------------------------------------------------------------------

def register_files(root: Path) -> dict[str, list[Path]]:
    """The record files of a register: entities, sources and agreements (sorted)."""
    root = Path(root)
    return {
        "entities": sorted((root / "data" / "entities").glob("*.yaml")),
        "sources": sorted((root / "data" / "sources").glob("*.yaml")),
        "agreements": sorted((root / "data" / "agreements").glob("*.yaml")),
    }


def compile_paths(root: Path, base: str, agreements: list[Path] | None = None) -> dict[str, list[Any]]:
    """Compile the register's entities and sources with ``agreements`` (default: every record under
    ``data/agreements/``); each record is checked against the schema first."""
    from mou_graph.register.schema import check

    files = register_files(root)
    reg = Register(root, base)
    for path in files["sources"]:
        rec = load_record(path)
        check(rec, "sources")
        reg.add_sources(rec.data.get("sources"), rec, ("sources",))
    entity_records = []
    for path in files["entities"]:
        rec = load_record(path)
        check(rec, "entities")
        entity_records.append(rec)
        reg.add_sources(rec.data.get("sources"), rec, ("sources",))
    agreement_records = []
    for path in (files["agreements"] if agreements is None else [Path(p) for p in agreements]):
        rec = load_record(path)
        check(rec, "agreement")
        reg.add_sources(rec.data.get("sources"), rec, ("sources",))
        agreement_records.append(rec)
    from mou_graph.register.entities import known_posts

    for rec in entity_records:
        reg.posts.update(known_posts(rec))
    for rec in entity_records:
        reg.add_entities(rec)
    for rec in agreement_records:
        reg.add_agreement(rec)
    return reg.run()


def bilingual_error(rec: Record, where: tuple, en: str, th: str) -> InputError:
    return InputError(bilingual(en, th), path=str(rec.path), line=rec.line(where))
