"""Instruments, parties, people (honorific, name, post, role), areas and activities, by rule.

Every finder returns mentions with their offsets in the text; the draft writer turns them into
claims. Register entries (:mod:`.lexicon`) win over pattern matches; what the register does not know
is proposed as new, with the text's wording.

>>> [(p.honorific, p.name) for p in find_people("ศ.ดร. บ่อเวียงคำ วงดาลา และ H.E. Mr. Somsak Phan, Minister", None)]
[('ศ.ดร.', 'บ่อเวียงคำ วงดาลา'), ('H.E. Mr.', 'Somsak Phan')]
>>> [(i.kind, i.title) for i in find_instruments("ลงนามบันทึกความเข้าใจ (MoU) ว่าด้วยความร่วมมือด้านพลังงาน กับ กระทรวง")]
[('mou', 'บันทึกความเข้าใจว่าด้วยความร่วมมือด้านพลังงาน')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lexicon import Lexicon

__all__ = [
    "ActivityMention",
    "AreaMention",
    "InstrumentMention",
    "OrgMention",
    "PersonMention",
    "activity_key",
    "area_key",
    "find_activities",
    "find_areas",
    "find_instruments",
    "find_orgs",
    "find_people",
]

_S = r"[ \u00a0]"
_THAI_LETTERS = r"\u0e01-\u0e4e"

# -- instruments ------------------------------------------------------------------------------------
_KINDS_TH = [
    ("บันทึกความเข้าใจ", "mou"),
    ("บันทึกความร่วมมือ", "memorandum-of-cooperation"),
    ("หนังสือแสดงเจตจำนง", "letter-of-intent"),
    ("บันทึกการหารือ", "record-of-discussions"),
    ("บันทึกการประชุม", "record-of-discussions"),
    ("แผนปฏิบัติการ", "action-plan"),
    ("ปฏิญญาร่วม", "joint-declaration"),
    ("พิธีสาร", "protocol"),
    ("ความตกลง", "agreement"),
    ("สัญญา", "contract"),
]
_KINDS_EN = [
    ("memorandum of understanding", "mou"),
    ("memorandum of cooperation", "memorandum-of-cooperation"),
    ("letter of intent", "letter-of-intent"),
    ("record of discussions?", "record-of-discussions"),
    ("action plan", "action-plan"),
    ("joint declaration", "joint-declaration"),
    ("protocol", "protocol"),
    ("agreement", "agreement"),
]
_REFERENCE = re.compile(r"เอ็มโอยู|\bMoU\b|\bMOU\b|\bMoC\b", re.I)
_TH_KIND = re.compile("|".join(k for k, _ in _KINDS_TH))
_EN_KIND = re.compile(r"\b(?:" + "|".join(k for k, _ in _KINDS_EN) + r")\b", re.I)
_TH_COMPLEMENT = re.compile(r"[ \u00a0]?(?:ว่าด้วย|ด้าน|เรื่อง|ความร่วมมือ|การ|เพื่อการ|ทาง)")
_TH_TITLE_STOP = re.compile(
    r"[ \u00a0](?:กับ|ระหว่าง|เพื่อ(?!การ)|โดย|ณ|ซึ่ง|ที่|จำนวน|รวม|เมื่อ|ลงนาม|มีอายุ|มีระยะ|มีผล|วันนี้|"
    r"และ(?:บันทึก|ความตกลง|หนังสือ|แผน))|[(\n“\"]|ฉบับ|$"
)
_EN_TITLE_STOP = re.compile(
    r"[,.;:(\n\"“]|\s(?:between|with|by|at|which|that|during|to|today|yesterday|this|last|on\s+(?:\d|the\s+\d|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)|in\s+[A-Z]|for\s+a|for\s+(?:five|three|two|\d)|"
    r"in\s+the\s+presence|was|were|is|will|and\s+(?:a|an|the)\s+(?:memorandum|agreement|letter|record|action|protocol))\b|$",
    re.I,
)


@dataclass
class InstrumentMention:
    kind: str
    title: str | None
    start: int
    end: int
    lang: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # every occurrence


def _title_key(title: str | None) -> str:
    """A title compared as a key: white space dropped, case-folded (an untitled instrument gives "")."""
    return re.sub(r"\s", "", (title or "").casefold())


def _skip_parenthesis(text: str, pos: int) -> int:
    m = re.match(r"[ \u00a0]*\([^()\n]{0,80}\)", text[pos:])
    return pos + m.end() if m else pos


def find_instruments(text: str) -> list[InstrumentMention]:
    """Titled instruments (a kind word with what it is about), one per distinct title; a release that
    names none but refers to one (``เอ็มโอยู``, ``MoU``, ``the agreement``) gives one untitled instrument."""
    found: list[InstrumentMention] = []
    kinds: list[tuple[int, str]] = []
    for m in _TH_KIND.finditer(text):
        kind = next(k for w, k in _KINDS_TH if w == m.group(0))
        kinds.append((m.start(), kind))
        after = _skip_parenthesis(text, m.end())
        if not _TH_COMPLEMENT.match(text, after):
            continue
        stop = _TH_TITLE_STOP.search(text, after + 1)
        end = stop.start() if stop else len(text)
        title = (text[m.start() : m.end()] + text[after:end].lstrip(" \u00a0")).strip()
        title = re.sub(r"[ \u00a0]+", " ", title)
        if len(title) - len(m.group(0)) < 3:
            continue
        found.append(InstrumentMention(kind, title, m.start(), end, "th"))
    for m in _EN_KIND.finditer(text):
        word = m.group(0).lower()
        kind = next(k for w, k in _KINDS_EN if re.fullmatch(w, word))
        kinds.append((m.start(), kind))
        after = _skip_parenthesis(text, m.end())
        comp = re.match(r"\s+(?:on|of|concerning|regarding|for|in)\s+", text[after:])
        if not comp or not m.group(0)[0].isupper():
            continue
        stop = _EN_TITLE_STOP.search(text, after + comp.end())
        end = stop.start() if stop else len(text)
        title = re.sub(r"\s+", " ", text[m.start() : m.end()] + text[after:end]).strip()
        title = re.sub(r"\s+(?:and|of|the|on|in|for)$", "", title)
        found.append(InstrumentMention(kind, title, m.start(), end, "en"))
    found.sort(key=lambda i: i.start)
    merged: dict[str, InstrumentMention] = {}
    for inst in found:
        key = _title_key(inst.title)
        if key in merged:
            merged[key].spans.append((inst.start, inst.end))
        else:
            inst.spans.append((inst.start, inst.end))
            merged[key] = inst
    out = list(merged.values())
    # a title that is the start of a longer one is the same instrument written short
    out = [
        i
        for i in out
        if not any(
            o is not i
            and _title_key(o.title).startswith(_title_key(i.title))
            and o.kind == i.kind
            for o in out
        )
    ]
    if not out:
        ref = _REFERENCE.search(text)
        if ref:
            kind = "memorandum-of-cooperation" if ref.group(0).lower() == "moc" else "mou"
            out.append(InstrumentMention(kind, None, ref.start(), ref.end(), "th", [(ref.start(), ref.end())]))
        elif kinds:
            start, kind = kinds[0]
            out.append(InstrumentMention(kind, None, start, start + 1, "th", [(start, start + 1)]))
    return out


# -- organisations --------------------------------------------------------------------------------
_ORG_CUT = r"ลงนาม|จับมือ|ร่วมกับ|เห็นชอบ|บันทึก|ความตกลง|หนังสือ|ได้ร่วม|กับ(?!ดูแล)|เป็นผู้|จะ(?!ทำ)"
_ORG_TH = re.compile(
    rf"(?:รัฐบาลแห่ง|รัฐบาล|กระทรวง|กรม|สำนักงาน|การไฟฟ้า|การรถไฟ|การท่าเรือ|การท่องเที่ยว|ธนาคาร|มหาวิทยาลัย|สถาบัน|"
    rf"องค์การ|คณะกรรมการ|สภา|บริษัท|ศูนย์|สมาคม|หอการค้า)(?:(?!{_ORG_CUT})[{_THAI_LETTERS}.]|{_S}(?=[{_THAI_LETTERS}]+{_S}และ[{_THAI_LETTERS}]+แห่ง|และ[{_THAI_LETTERS}]+แห่ง)){{2,}}"
    rf"(?:(?<=แห่ง){_S}?(?:สปป\.{_S}?ลาว|ราชอาณาจักรไทย)|{_S}?แห่ง{_S}?(?:สปป\.{_S}?ลาว|ราชอาณาจักรไทย|สาธารณรัฐ[{_THAI_LETTERS}]+))?"
)
_ORG_EN = re.compile(
    r"(?:(?:the\s+)?Government\s+of\s+the\s+(?:Kingdom\s+of\s+Thailand|Lao\s+People's\s+Democratic\s+Republic|[A-Z][\w'’]+(?:\s[A-Z][\w'’]+)*)|"
    r"(?:Ministry|Department|Office|Agency|Authority|Bank|Commission|Council|University|Institute|Corporation|"
    r"Embassy|Chamber|Board|Railway)\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:(?:\s+|,\s+)(?:and\s+|of\s+(?:the\s+)?|for\s+|&\s+)?(?!Mr\b|Ms\b|Mrs\b|Dr\b|H\.E\.|Gen\b|Prof\b)[A-Z][\w'’-]*)*|"
    r"(?!The\s|A\s|An\s)(?:[A-Z][\w'’-]+\s+){1,4}(?:Authority|Agency|Corporation|Bank|Company|Department|Council|Commission|Police|Railway))"
)
_ORG_BEFORE = re.compile(r"(?:^|[^\u0e01-\u0e4e]|กับ|และ|ของ|ระหว่าง|โดย|ว่าการ|ปลัด|อธิบดี|ผู้แทน|จาก|แห่ง|นำโดย)$")
_ORG_TH_CUT = re.compile(r"ลงนาม|จับมือ|ร่วมกับ|ร่วมลงนาม|เห็นชอบ|บันทึก|ความตกลง|หนังสือ|ได้ร่วม|ได้|จะ|กับ|เป็น")
_NOT_ORG_TH = re.compile(r"(?:ระหว่างกัน|ทั้งสอง|ต่าง\s?ๆ|ดิจิทัล)$|^รัฐบาลดิจิทัล")
_NOT_ORG_EN = re.compile(r"^(?:Memorandum|Agreement|Letter|Record|Action|Minister|The)\b")


@dataclass
class OrgMention:
    iri: str | None  # a register path, or None for a new one
    label: str  # the text's wording
    start: int
    end: int
    kind: str  # org | country
    rule: str


def find_orgs(text: str, lexicon: Lexicon | None) -> list[OrgMention]:
    """Organisations and countries: the register's first, then new names the patterns find."""
    out: list[OrgMention] = []
    if lexicon is not None:
        for m in lexicon.find(text, ["org", "country"]):
            if m.kind in ("org", "country"):
                out.append(
                    OrgMention(
                        m.iri,
                        text[m.start : m.end],
                        m.start,
                        m.end,
                        m.kind,
                        f"register {m.term.field}@{m.term.lang}: {m.term.label}",
                    )
                )
    taken = [(o.start, o.end) for o in out]
    for regex, rule in ((_ORG_TH, "pattern: Thai organisation word"), (_ORG_EN, "pattern: English organisation name")):
        for found in regex.finditer(text):
            s, e = found.start(), found.end()
            label = found.group(0)
            if rule.startswith("pattern: English"):
                label = re.sub(r"^the\s+", "", label)
                s = e - len(label)
                label = re.sub(r"(?:,?\s+(?:and|of|the|for))+$", "", label)
                e = s + len(label)
                if _NOT_ORG_EN.match(label):
                    continue
            label = label.rstrip(".")
            if rule.startswith("pattern: Thai"):
                cut = _ORG_TH_CUT.search(label, 4)
                if cut:
                    label = label[: cut.start()]
            e = s + len(label)
            inside = [
                o for o in out if s <= o.start and o.end <= e and o.kind == "country" and (o.start, o.end) != (s, e)
            ]
            for o in inside:  # "Ministry of Commerce of Thailand": the ministry, not the country
                out.remove(o)
                taken.remove((o.start, o.end))
            if any(a < e and s < b for a, b in taken):
                continue
            if rule.startswith("pattern: Thai") and (
                not _ORG_BEFORE.search(text[max(0, s - 12) : s]) or _NOT_ORG_TH.search(label)
            ):
                continue
            out.append(OrgMention(None, label, s, e, "org", rule))
            taken.append((s, e))
    out.sort(key=lambda o: o.start)
    return out


# -- people ----------------------------------------------------------------------------------------
HONORIFICS_TH = [
    "ศ.ดร.",
    "รศ.ดร.",
    "ผศ.ดร.",
    "ศ.",
    "รศ.",
    "ผศ.",
    "ดร.",
    "พล.อ.อ.",
    "พล.ร.อ.",
    "พล.ต.อ.",
    "พล.อ.",
    "พลเอก",
    "นพ.",
    "พญ.",
    "ม.ร.ว.",
    "ม.ล.",
    "นางสาว",
    "น.ส.",
    "นาง",
    "นาย",
    "ท่าน",
]
HONORIFICS_LO = ["ທ່ານ ນາງ", "ທ່ານນາງ", "ທ່ານ ປອ.", "ທ່ານ ດຣ.", "ທ່ານ", "ບັນດິດ", "ສຈ.", "ປອ.", "ຣສ.", "ນາງ"]
HONORIFICS_EN = [
    "H.E. Mr.",
    "H.E. Ms.",
    "H.E. Mrs.",
    "H.E. Dr.",
    "H.E. Prof. Dr.",
    "H.E.",
    "Prof. Dr.",
    "Assoc. Prof. Dr.",
    "Assoc. Prof.",
    "Prof.",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Mr",
    "Ms",
    "Dr",
    "Gen.",
    "General",
]
_HON_TH = "|".join(re.escape(h) for h in HONORIFICS_TH)
_HON_LO = "|".join(re.escape(h).replace(r"\ ", _S) for h in HONORIFICS_LO)
_HON_EN = "|".join(re.escape(h).replace(r"\ ", r"\s") for h in sorted(HONORIFICS_EN, key=len, reverse=True))
_PERSON_TH = re.compile(
    rf"(?<![{_THAI_LETTERS}])(?P<hon>(?:{_HON_TH})(?:{_S}?(?:ดร\.))?)(?!กรัฐมนตรี|อำเภอ|ทหาร|กเทศมนตรี|กสมาคม|ายก)"
    rf"{_S}?(?P<given>[\u0e01-\u0e2e\u0e40-\u0e44][{_THAI_LETTERS}]+)"
    rf"(?:{_S}(?P<family>[\u0e01-\u0e2e\u0e40-\u0e44][{_THAI_LETTERS}]+))?"
)
_PERSON_LO = re.compile(
    rf"(?P<hon>(?:{_HON_LO})(?:{_S}(?:ບັນດິດ|ປອ\.|ຣສ\.|ສຈ\.))*){_S}?(?P<given>[\u0e81-\u0eae\u0ec0-\u0ec4][\u0e80-\u0eff]+)"
    rf"(?:{_S}(?P<family>[\u0e81-\u0eae\u0ec0-\u0ec4][\u0e80-\u0eff]+))?"
)
_PERSON_EN = re.compile(
    rf"(?<![\w.])(?P<hon>(?:{_HON_EN}))\s?(?P<given>[A-Z][a-z'’-]+)(?P<family>(?:\s[A-Z][a-z'’-]+){{0,3}})"
)
_POSTS_TH = (
    r"รองโฆษก[\u0e01-\u0e4e]*|โฆษก[\u0e01-\u0e4e]*|รองรัฐมนตรีว่าการกระทรวง|รองนายกรัฐมนตรีและรัฐมนตรีว่าการกระทรวง|รองนายกรัฐมนตรี|นายกรัฐมนตรี|รัฐมนตรีว่าการกระทรวง|รัฐมนตรีช่วยว่าการกระทรวง|"
    r"รัฐมนตรีประจำสำนักนายกรัฐมนตรี|รองปลัดกระทรวง|ปลัดกระทรวง|รองอธิบดีกรม|อธิบดีกรม|เอกอัครราชทูต|ผู้ว่าการ|ผู้ว่าราชการจังหวัด|"
    r"เจ้าแขวง|รองเลขาธิการ|เลขาธิการ|ผู้อำนวยการ|ประธานกรรมการ|ประธาน|อธิการบดี|กรรมการผู้จัดการ|ผู้บัญชาการ|รัฐมนตรี"
)
_POST_TH = re.compile(
    rf"(?:{_POSTS_TH})(?:[{_THAI_LETTERS}.]|{_S}(?=[{_THAI_LETTERS}]+{_S}และ[{_THAI_LETTERS}]+แห่ง|และ[{_THAI_LETTERS}]+แห่ง))*"
    rf"(?:(?<=แห่ง){_S}?(?:สปป\.{_S}?ลาว|ราชอาณาจักรไทย)|{_S}?แห่ง{_S}?(?:สปป\.{_S}?ลาว|ราชอาณาจักรไทย))?"
    rf"(?:{_S}?\((?:สปป\.{_S}?ลาว|[{_THAI_LETTERS}]{{2,12}})\))?"
)
_POSTS_EN = (
    r"(?:Deputy\s+|Vice\s+)?(?:Prime\s+Minister|Minister|Permanent\s+Secretary|Director[- ]General|Ambassador|Governor|"
    r"Commissioner[- ]General|Commissioner|Spokes(?:person|man|woman)|"
    r"Secretary[- ]General|Chairman|Chairperson|President|Managing\s+Director|Director|Chief\s+Executive\s+Officer|"
    r"Vice\s+Governor|Rector|Commander)"
)
_POST_EN_AFTER = re.compile(
    rf",\s+(?:the\s+)?(?P<post>{_POSTS_EN}(?:\s+(?:of|for|and|to|the|in|&|[A-Z][\w'’-]*)|,\s+[A-Z][\w'’-]*(?=[^,.]*\sand\s[A-Z]))*)"
)
_POST_EN_BEFORE = re.compile(
    rf"(?P<post>(?:(?:Thai|Lao|Thailand's|Laos')\s+)?{_POSTS_EN}(?:\s+(?:of|for|and|the|&|[A-Z][\w'’-]*))*),?\s+$"
)


@dataclass
class PersonMention:
    honorific: str
    name: str
    given: str
    family: str | None
    start: int  # the honorific's start
    end: int  # the name's end
    name_start: int
    lang: str
    iri: str | None = None
    rule: str = ""
    post: str | None = None
    post_span: tuple[int, int] | None = None
    post_iri: str | None = None


def _post_after(
    text: str, end: int, lang: str, lexicon: Lexicon | None
) -> tuple[str | None, tuple[int, int] | None, str | None]:
    if lang in ("th", "lo"):
        gap = re.match(rf"{_S}{{0,3}}", text[end:])
        pos = end + (gap.end() if gap else 0)
        if lexicon is not None:
            for hit in lexicon.find(text[pos : pos + 200], ["post"]):
                if hit.start == 0:
                    return text[pos : pos + hit.end], (pos, pos + hit.end), hit.iri
                break
        p = _POST_TH.match(text, pos)
        if p:
            return p.group(0), (p.start(), p.end()), None
        return None, None, None
    m = _POST_EN_AFTER.match(text, end)
    if m:
        post = re.sub(r"\s+(?:and|of|the|for|to|in)$", "", m.group("post"))
        s = m.start("post")
        return post, (s, s + len(post)), None
    return None, None, None


def find_people(text: str, lexicon: Lexicon | None) -> list[PersonMention]:
    """People written with an honorific (kept apart from the name), resolved against the register by
    full name or, for a later mention, by given name; the post that follows (or, in English, precedes) the name."""
    out: list[PersonMention] = []
    known: dict[str, str] = {}  # given or full name -> register path
    if lexicon is not None:
        for t in lexicon.terms:
            if t.kind == "person":
                known[re.sub(r"[ \u00a0]+", " ", t.label)] = t.iri
    for regex, lang in ((_PERSON_TH, "th"), (_PERSON_LO, "lo"), (_PERSON_EN, "en")):
        for m in regex.finditer(text):
            hon = re.sub(r"[ \u00a0]+", " ", m.group("hon")).strip()
            given = m.group("given")
            family = (m.group("family") or "").strip() or None
            full = given + (" " + family if family else "")
            iri = known.get(full)
            rule = "pattern: honorific + name"
            end = m.end()
            if iri:
                rule = f"register name: {full}"
            else:
                for name, path in sorted(known.items(), key=lambda kv: -len(kv[0])):
                    if " " not in name and given.startswith(name):
                        iri, given, family, full = path, name, None, name
                        end = m.start("given") + len(name)
                        rule = f"register given name: {name}"
                        break
            if lang == "th" and family is None and iri is None:
                continue  # a Thai given name alone runs into the next word: too loose to propose
            if lang == "en" and family is None and iri is None:
                continue
            post, span, post_iri = _post_after(text, end, lang, lexicon)
            if post is None and lang == "en":
                b = _POST_EN_BEFORE.search(text[max(0, m.start() - 120) : m.start()])
                if b:
                    base = max(0, m.start() - 120)
                    post = re.sub(r"^(?:Thai|Lao|Thailand's|Laos')\s+", "", b.group("post"))
                    s = base + b.end("post") - len(post)
                    span = (s, base + b.end("post"))
            out.append(
                PersonMention(
                    hon, full, given, family, m.start(), end, m.start("given"), lang, iri, rule, post, span, post_iri
                )
            )
    out.sort(key=lambda p: p.start)
    return out


ROLE_CUES = {
    "witness": re.compile(r"สักขีพยาน|เป็นพยาน|witness|in the presence of|ເປັນສັກຂີພິຍານ", re.I),
    "signatory": re.compile(r"ลงนาม|signed|signing|signatories|signatory|ລົງນາມ|ເຊັນ", re.I),
    "announcer": re.compile(r"กล่าวว่า|เปิดเผยว่า|แถลง|ให้สัมภาษณ์|said|announced|stated|told|ກ່າວວ່າ", re.I),
}


# -- areas and activities -----------------------------------------------------------------------
_AREA_CUE = re.compile(
    r"(?:ความร่วมมือ|ร่วมมือ)(?:กัน)?(?:ใน|ทาง)?ด้าน|ครอบคลุม(?:ด้าน)?|ในสาขา|"
    r"\bcooperat(?:ion|e)\s+(?:in|on)\s+(?:the\s+(?:fields?|areas?|sectors?)\s+of\s+)?|\b(?:will\s+)?cover(?:s|ing)?\s+|"
    r"\bareas?\s+(?:such\s+as|including|of)\s+|\bfields?\s+of\s+",
    re.I,
)
_AREA_STOP_TH = re.compile(
    rf"{_S}(?:เพื่อ|โดย|ระหว่าง|กับ|ซึ่ง|ณ|ของ|จะ|ให้|ที่|ตาม|อีกด้วย|ด้วย|เป็นต้น|ร่วมกัน|มีระยะ|ระยะเวลา|เมื่อ|ลงนาม|มีอายุ|มีผล|นับ|ผ่าน)|"
    rf"(?:ระหว่าง|เพื่อ|โดยมี|ของทั้ง|ซึ่งจะ|อีกด้วย|ด้วย$)|[.;:\n(“”\"]"
)
_AREA_STOP_EN = re.compile(
    r"[.;:\n(\"“]|,?\s+and\s+(?:provides?|includes?|will|is|are|was|aims?)\b|\s(?:between|with|to|for|which|that|by|as\s+well|over|from|under|in\s+order|today|yesterday)\b|\son\s+(?:\d|[A-Z])",
    re.I,
)
_CONNECTORS = re.compile(r"และ|หรือ|ด้าน|สาขาอื่น|อื่น\s?ๆ|ต่าง\s?ๆ|\b(?:and|or|other|fields?)\b", re.I)
_AREA_ITEM_STOP = re.compile(
    rf"บน|ใน|เพื่อ|ของ|ที่|จะ|ซึ่ง|ให้|โดย|ระหว่าง|กับ|ตาม|ได้แก่|เช่น|อย่าง|มี|เป็น|ทั้ง|เมื่อ|ลงนาม|[0-9๐-๙]|{_HON_TH}|{_POSTS_TH}"
)
_NOT_AREA = re.compile(r"^(?:ต่าง\s?ๆ|อื่น\s?ๆ|ทั้งสอง|สอง|the|other|various|both|all|related|fields?|areas?)$", re.I)
_ACTIVITY_PATTERNS: list[tuple[str, str]] = [
    (
        r"การแลกเปลี่ยนข้อมูล|แลกเปลี่ยนข้อมูล|exchange\s+of\s+information|information\s+exchange|share\s+information|sharing\s+of\s+information",
        "information-exchange",
    ),
    (r"แลกเปลี่ยนการเยือน|การเยือน|exchange\s+of\s+visits|visits", "visits"),
    (r"แลกเปลี่ยนผู้เชี่ยวชาญ|ผู้เชี่ยวชาญ|exchange\s+of\s+experts|experts?\s+exchange", "expert-exchange"),
    (
        r"แลกเปลี่ยนความรู้|ความรู้และประสบการณ์|exchange\s+of\s+knowledge|knowledge\s+(?:exchange|sharing)|best\s+practices",
        "knowledge-exchange",
    ),
    (
        r"แลกเปลี่ยนบุคลากร|แลกเปลี่ยนนักศึกษา|แลกเปลี่ยนเจ้าหน้าที่|exchange\s+of\s+(?:staff|personnel|students|officials)|staff\s+exchanges?",
        "staff-exchange",
    ),
    (r"โครงการความร่วมมือ|โครงการร่วม|joint\s+projects?", "joint-projects"),
    (r"วิจัยร่วม|การวิจัยร่วมกัน|joint\s+research", "joint-research"),
    (r"ฝึกอบรม|training(?:\s+(?:programmes?|programs?|courses?))?|capacity[- ]building\s+courses", "training"),
    (r"ประชุมเชิงปฏิบัติการ|workshops?", "workshops"),
    (r"สัมมนา|seminars?", "seminars"),
    (r"นิทรรศการ|exhibitions?", "exhibitions"),
    (r"ศึกษาดูงาน|study\s+visits?|study\s+tours?", "study-visits"),
    (r"ทุนการศึกษา|scholarships?", "scholarships"),
    (r"สตาร์ทอัพ|start-?ups?", "start-up-facilitation"),
    (r"การประชุม(?:และ|\s)การหารือ|การประชุม\s?และการหารือ|meetings\s+and\s+consultations", "visits"),
    (r"รูปแบบความร่วมมืออื่น|other\s+forms\s+of\s+cooperation", "other-forms"),
    (r"การลาดตระเวนร่วม|joint\s+patrols?", "joint-patrols"),
    (r"งานแสดงสินค้า|trade\s+fairs?", "trade-fairs"),
    (r"เทศกาล[\u0e01-\u0e4e]*|(?:cultural\s+)?festivals?", "festivals"),
    (r"การซ้อมแผนร่วม|joint\s+exercises?|drills?", "joint-exercises"),
]
_ACTIVITY_RE = re.compile("|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(_ACTIVITY_PATTERNS)), re.I)


def _activity_of(m: re.Match[str]) -> str:
    """The activity kind of a match of ``_ACTIVITY_RE`` (its named group ``a<i>`` says which pattern)."""
    group = m.lastgroup
    if group is None:
        raise ValueError(f"not a match of the activity patterns: {m.group(0)!r}")
    return _ACTIVITY_PATTERNS[int(group[1:])][1]


def activity_key(label: str) -> str | None:
    """The kind of activity a label names (the same function reads the tool's and a reviewer's labels).

    >>> activity_key("โครงการฝึกอบรม"), activity_key("Training programmes"), activity_key("ลงนาม")
    ('training', 'training', None)
    """
    m = _ACTIVITY_RE.search(label)
    if not m:
        return None
    return _activity_of(m)


def area_key(label: str) -> str:
    """A label compared as a key: gaps, case, ``การ``/``ด้าน``/``the`` prefixes dropped.

    >>> area_key("ด้านการท่องเที่ยว") == area_key("ท่องเที่ยว"), area_key("The Energy sector")
    (True, 'energysector')
    """
    key = re.sub(r"[ \u00a0\u200b]", "", label.casefold())
    for prefix in ("ด้าน", "การ", "ความ", "the"):
        key = key.removeprefix(prefix) if len(key) > len(prefix) + 2 else key
    return key


@dataclass
class AreaMention:
    iri: str | None
    label: str
    start: int
    end: int
    rule: str


@dataclass
class ActivityMention:
    key: str
    iri: str | None
    label: str
    start: int
    end: int
    rule: str


def find_areas(text: str, lexicon: Lexicon | None, *, body_start: int = 0,
               names: Sequence[tuple[int, int]] = ()) -> list[AreaMention]:
    """Cooperation areas: every register area named in the body, and the items of an enumeration after
    a cue (``ความร่วมมือด้าน``, ``cooperation in``) that the register does not know (new areas). Words
    inside an organisation's name (``names``: "Ministry of ... Tourism") are not an area; a register area
    inside a longer enumerated item ("tourism" in "tourism promotion") gives way to the item."""
    out: list[AreaMention] = []
    body = text[body_start:]
    known = lexicon.find(body, ["area"]) if lexicon is not None else []
    known = [m for m in known if not any(a <= body_start + m.start and body_start + m.end <= b for a, b in names)]
    for m in known:
        out.append(
            AreaMention(
                m.iri,
                text[body_start + m.start : body_start + m.end],
                body_start + m.start,
                body_start + m.end,
                f"register {m.term.field}@{m.term.lang}: {m.term.label}",
            )
        )
    taken = [(a.start, a.end) for a in out]
    for cue in _AREA_CUE.finditer(body):
        s = body_start + cue.end()
        latin = not re.search("[\u0e00-\u0e7f]", text[s : s + 5])
        stop = (_AREA_STOP_EN if latin else _AREA_STOP_TH).search(text, s + 1)
        e = min(stop.start() if stop else len(text), s + 160)
        segment = text[s:e]
        if latin:
            parts = re.split(
                r",\s*(?:and\s+|or\s+|including\s+|such\s+as\s+)?|\s+and\s+|\s+or\s+|\s+including\s+", segment
            )
        else:
            parts = re.split(rf"{_S}+(?:และ|หรือ|รวมถึง|ตลอดจน)?{_S}*", segment)
        pos = s
        for part in parts:
            if not part:
                continue
            i = text.find(part, pos, e)
            if i < 0:
                continue
            pos = i + len(part)
            label = part.strip(" \u00a0,").removeprefix("และ")
            if latin:
                label = re.sub(r"^(?:the|a|an)\s+", "", label, flags=re.I)
            j = text.find(label, i, pos)
            if j < 0 or len(label) < 2 or len(label) > 50 or _NOT_AREA.match(label):
                continue
            if not latin and _AREA_ITEM_STOP.match(label):
                break
            end = j + len(label)
            inside = [x for x in out if x.iri and j <= x.start and x.end <= end and x.end - x.start < len(label)]
            rest = label
            for x in inside:
                rest = rest.replace(x.label, " ")
            rest = _CONNECTORS.sub("", rest).strip(" \u00a0")
            if inside and (len(rest) > 3 or activity_key(label)) and not any(
                    a < j + len(label) and j < b for a, b in names):
                for x in inside:  # the longer item is the more specific area
                    out.remove(x)
                    taken.remove((x.start, x.end))
            if any(a < j + len(label) and j < b for a, b in taken):
                continue
            if activity_key(label):
                continue
            if latin and (not re.match(r"[A-Za-z]", label) or len(label.split()) > 5):
                continue
            out.append(AreaMention(None, label, j, j + len(label), f"pattern: item after '{cue.group(0).strip()}'"))
            taken.append((j, j + len(label)))
    out.sort(key=lambda a: a.start)
    return out


_TITLE_AREA = re.compile(
    r"(?:ว่าด้วย(?:ความร่วมมือ)?(?:ด้าน|ทาง)?|on\s+Cooperation\s+in\s+(?:the\s+Field\s+of\s+)?)(?P<a>.+)$|"
    r"\bon\s+(?P<b>(?:[A-Z][\w-]*\s+){1,4})Cooperation\b"
)


def title_areas(inst: InstrumentMention, text: str, found: list[AreaMention]) -> list[AreaMention]:
    """The field an instrument's title names (``...ว่าด้วยการขนส่งทางถนน``, ``on Tourism Cooperation``),
    when the register's areas do not already cover that part of the title."""
    if not inst.title:
        return []
    out = []
    for s, e in inst.spans[:1]:
        m = _TITLE_AREA.search(text[s:e])
        if not m:
            continue
        g = "a" if m.group("a") else "b"
        a, b = s + m.start(g), s + m.end(g)
        label = text[a:b].strip(" \u00a0")
        b = a + len(label)
        if any(x.start < b and a < x.end for x in found) or len(label) < 2:
            continue
        out.append(AreaMention(None, label, a, b, "the field the instrument's title names"))
    return out


def find_activities(
    text: str, lexicon: Lexicon | None, *, body_start: int = 0, areas: Sequence[AreaMention] = ()
) -> list[ActivityMention]:
    """Activities (exchanges, training, workshops ...): register activities by label, else by kind."""
    register: dict[str, str] = {}
    out: list[ActivityMention] = []
    if lexicon is not None:
        for t in lexicon.terms:
            if t.kind == "activity":
                k = activity_key(t.label)
                if k and k not in register:
                    register[k] = t.iri
    seen: set[str] = set()
    for m in _ACTIVITY_RE.finditer(text, body_start):
        key = _activity_of(m)
        if any(a.iri and a.start <= m.start() < a.end for a in areas):
            continue  # the words name a register area (``การแลกเปลี่ยนความรู้และประสบการณ์``)
        if key in seen:
            continue
        seen.add(key)
        iri = register.get(key)
        rule = f"register activity {iri} (kind {key})" if iri else f"pattern: activity '{key}'"
        out.append(ActivityMention(key, iri, m.group(0), m.start(), m.end(), rule))
    return out
