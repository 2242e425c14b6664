"""Dates as Thai and English releases write them, with the event each belongs to.

Forms read: full and abbreviated Thai months (``พฤศจิกายน``, ``พ.ย.``), Thai digits (``๗``), Buddhist-Era
and Common-Era years (``2565``, ``พ.ศ. ๒๕๖๕``, ``ค.ศ. 2022``, two-digit ``65``), a weekday prefix
(``วันจันทร์ที่``), a date without a year or a relative one (``วันนี้ (7 พ.ย.)``, ``เมื่อวันที่ 3 พ.ย.``,
``เมื่อวานนี้``, ``today``, ``yesterday``) resolved against the release's dateline, and English
``7 November 2022``, ``November 7, 2022``, ``Monday, 7 Nov. 2022``. Each date found is normalised
(Thai digits to Arabic, the weekday dropped, a two-digit year made four) and parsed with PyThaiNLP's
``thai_strptime``; English ones with :func:`datetime.strptime`.

>>> [(d.value.isoformat(), d.form) for d in find_dates("วันจันทร์ที่ ๗ พ.ย. ๖๕ และ 8 November 2022")]
[('2022-11-07', 'th-abbr-month+thai-digits+2-digit-year+weekday'), ('2022-11-08', 'en-month')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .text import sentence_bounds, to_arabic

__all__ = ["DateMention", "EVENT_CUES", "bare_relative", "dateline_of", "event_of", "find_dates", "resolve_year"]

TH_MONTHS = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]
TH_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
EN_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAYS_TH = "จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัสฯ|ศุกร์|เสาร์|อาทิตย์"
_WEEKDAYS_EN = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun"
_S = r"[ \u00a0]*"
_D = r"[0-9๐-๙]"
_TH_MONTH_RE = "|".join(
    [*TH_MONTHS, *(re.escape(a) for a in TH_ABBR), *(re.escape(a.replace(".", "")) for a in TH_ABBR if len(a) > 3)]
)
_TH_DATE = re.compile(
    rf"(?P<wd>(?:วัน(?:{_WEEKDAYS_TH})(?:ที่)?){_S})?(?P<day>{_D}{{1,2}}){_S}(?P<month>{_TH_MONTH_RE})"
    rf"(?:{_S}(?P<era>พ\.{_S}ศ\.|ค\.{_S}ศ\.)?{_S}(?P<year>{_D}{{4}}|{_D}{{2}})(?!{_D}))?"
)
_EN_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
                r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_EN_DMY = re.compile(
    rf"(?P<wd>(?:{_WEEKDAYS_EN}),?\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+"
    rf"(?P<month>{_EN_MONTH_RE})(?:,?\s+(?P<year>\d{{4}}))?(?![\w])"
)
_EN_MDY = re.compile(
    rf"(?P<wd>(?:{_WEEKDAYS_EN}),?\s+)?(?P<month>{_EN_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>\d{{4}}))?(?![\w])"
)
_TODAY = re.compile(rf"(?:วันนี้|today){_S}(?:\(|,)?{_S}$", re.I)
_RELATIVE = re.compile(r"เมื่อวานนี้|เมื่อวาน|วันนี้|yesterday|today", re.I)

# event -> cue words (Thai and English); the nearest cue in the same sentence names the date's event
EVENT_CUES: dict[str, tuple[str, ...]] = {
    "approval": ("คณะรัฐมนตรี", "ครม.", "เห็นชอบ", "อนุมัติ", "cabinet", "approved", "approval", "endorsed"),
    "signing": ("ลงนาม", "signed", "signing", "sign ", "inked"),
    "entry-into-force": (
        "มีผลบังคับใช้",
        "มีผลใช้บังคับ",
        "มีผลตั้งแต่",
        "entered into force",
        "enter into force",
        "enters into force",
        "entry into force",
        "takes effect",
        "took effect",
        "effective",
    ),
    "expiry": ("สิ้นสุด", "หมดอายุ", "expire", "expires", "expiry"),
    "exchange": ("แลกเปลี่ยนเอกสาร", "exchanged"),
}


@dataclass
class DateMention:
    """A date in the text: ``text[start:end]`` is the verbatim span."""

    start: int
    end: int
    value: dt.date
    precision: str
    form: str
    has_year: bool = True
    relative: str | None = None  # "today" / "yesterday" when a relative word goes with it
    event: str | None = None
    cue: str | None = None
    notes: list[str] = field(default_factory=list)


def _two_digit(year: int, era: str | None, thai: bool) -> int:
    if era and era.startswith("ค"):
        return 2000 + year
    return 2500 + year - 543 if thai else 2000 + year


def _parse_thai(m: re.Match[str], default_year: int | None) -> tuple[dt.date | None, str, bool]:
    from pythainlp.util import thai_strptime

    day = to_arabic(m.group("day"))
    month = m.group("month")
    year = to_arabic(m.group("year") or "")
    era = (m.group("era") or "").replace(" ", "").replace("\u00a0", "")
    form = ["th-full-month" if month in TH_MONTHS else "th-abbr-month"]
    if re.search("[๐-๙]", m.group(0)):
        form.append("thai-digits")
    has_year = bool(year)
    if not year:
        if default_year is None:
            return None, "+".join(form), False
        y = default_year  # a CE year
        form.append("no-year")
    elif len(year) == 2:
        y = _two_digit(int(year), era, True)
        form.append("2-digit-year")
    else:
        y = int(year)
        if era.startswith("ค") or (not era and y < 2300):
            form.append("ce-year")
        else:
            y -= 543
            form.append("be-year")
    if m.group("wd"):
        form.append("weekday")
    if "." not in month and month not in TH_MONTHS:  # an abbreviation written without its dots
        month = next(a for a in TH_ABBR if a.replace(".", "") == month)
    fmt = "%d %B %Y" if month in TH_MONTHS else "%d %b %Y"
    try:
        value = thai_strptime(f"{int(day)} {month} {y + 543}", fmt).date()
    except ValueError:
        return None, "+".join(form), has_year
    return value, "+".join(form), has_year


def _parse_english(m: re.Match[str], default_year: int | None) -> tuple[dt.date | None, str, bool]:
    name = m.group("month").rstrip(".").lower()
    month = next((i for i, full in enumerate(EN_MONTHS, 1) if full.startswith(name[:3])), None)
    year = m.group("year")
    form = ["en-month"]
    if year is None:
        if default_year is None:
            return None, "en-month", False
        form.append("no-year")
    if m.group("wd"):
        form.append("weekday")
    y = int(year) if year else default_year
    if month is None or y is None:
        return None, "+".join(form), bool(year)
    try:
        return dt.date(y, month, int(m.group("day"))), "+".join(form), bool(year)
    except (TypeError, ValueError):
        return None, "+".join(form), bool(year)


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMention]:
    """Every date of ``text`` in order; a date without a year takes ``default_year`` (CE) when given."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for regex, parse in ((_TH_DATE, _parse_thai), (_EN_DMY, _parse_english), (_EN_MDY, _parse_english)):
        for m in regex.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value, form, has_year = parse(m, default_year)
            if value is None:
                continue
            found.append(DateMention(m.start(), m.end(), value, "day", form, has_year))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    for d in found:
        before = text[max(0, d.start - 25) : d.start]
        rel = re.search(r"(วันนี้|เมื่อวานนี้|เมื่อวาน|today|yesterday)[ \u00a0]*[(,]?[ \u00a0]*$", before, re.I)
        if rel:
            d.relative = "yesterday" if rel.group(1).lower().startswith(("เมื่อ", "yes")) else "today"
            d.start = d.start - len(before) + rel.start()
            if text[d.end : d.end + 2].lstrip(" \u00a0").startswith(")"):
                d.end = text.index(")", d.end) + 1
            d.form += "+relative"
    return found


def dateline_of(text: str, dates: list[DateMention]) -> DateMention | None:
    """The release's own date: the first full date standing nearly alone on one of the first lines
    (``วันจันทร์ที่ 7 พฤศจิกายน 2565``, ``Vientiane, 8 October 2024 -``), else the first full date."""
    full = [d for d in dates if d.has_year and not d.relative]
    head = text[: sum(len(line) + 1 for line in text.split("\n")[:6])]
    for d in full:
        if d.start >= len(head):
            break
        ls = text.rfind("\n", 0, d.start) + 1
        le = text.find("\n", d.end)
        rest = (text[ls : d.start] + text[d.end : le if le != -1 else len(text)]).strip(" \u00a0-–—:,")
        if len(rest) <= 40 and not any(c in rest for cues in EVENT_CUES.values() for c in cues):
            return d
    return None


def resolve_year(d: DateMention, dateline: dt.date) -> None:
    """A date read without a year took the dateline's; one that would fall well after it is the year before."""
    if not d.has_year and d.value > dateline + dt.timedelta(days=31):
        d.value = d.value.replace(year=d.value.year - 1)
    if not d.has_year:
        d.notes.append("year from the dateline")


def bare_relative(text: str, dates: list[DateMention], dateline: dt.date | None) -> list[DateMention]:
    """``วันนี้`` / ``เมื่อวานนี้`` / ``today`` / ``yesterday`` standing alone: dates from the dateline."""
    if dateline is None:
        return []
    out = []
    for m in _RELATIVE.finditer(text):
        if any(d.start <= m.start() < d.end for d in dates):
            continue
        word = m.group(0).lower()
        value = dateline - dt.timedelta(days=1) if word in ("เมื่อวานนี้", "เมื่อวาน", "yesterday") else dateline
        out.append(
            DateMention(
                m.start(),
                m.end(),
                value,
                "day",
                "relative-word",
                True,
                "yesterday" if value != dateline else "today",
                notes=["from the dateline"],
            )
        )
    return out


def event_of(text: str, d: DateMention) -> tuple[str | None, str | None, float]:
    """The event ``d`` belongs to: the nearest cue of its sentence (the cue, and a confidence)."""
    s, e = sentence_bounds(text, d.start, d.end)
    window = text[s:e].lower()
    best: tuple[int, str, str] | None = None
    for event, cues in EVENT_CUES.items():
        for cue in cues:
            for m in re.finditer(re.escape(cue.lower()), window):
                pos = s + m.start()
                dist = d.start - (pos + len(cue)) if pos < d.start else pos - d.end
                dist = max(dist, 0) + (0 if pos < d.start else 5)
                if best is None or dist < best[0]:
                    best = (dist, event, cue)
    if best is None:
        return None, None, 0.0
    return best[1], best[2], 0.9 if best[0] < 60 else 0.7
