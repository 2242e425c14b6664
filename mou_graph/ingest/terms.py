"""Durations and terms: ``5 ปี``, ``๓ ปี``, ``ห้าปี``, ``ขยายเวลาอัตโนมัติออกไปอีก 3 ปี``, ``for a period of
five years``, ``with an automatic extension of three``, and the end dates that follow.

Each duration is given a slot: ``extension`` when an extension word goes before it (``ขยาย``,
``ต่ออายุ``, ``extension``, ``renew``), ``automatic`` when ``อัตโนมัติ``/``automatic`` does; of the
others, the one equal to another plus the extension is the ``total`` and the rest the ``initial`` term.

>>> [(t.duration, t.slot, t.automatic) for t in find_terms("มีผลบังคับใช้ ๕ ปี และขยายเวลาอัตโนมัติออกไปอีก 3 ปี รวม 8 ปี")]
[('P5Y', 'initial', False), ('P3Y', 'extension', True), ('P8Y', 'total', False)]
>>> [(t.duration, t.slot, t.automatic) for t in find_terms("for five years with an automatic extension of three")]
[('P5Y', 'initial', False), ('P3Y', 'extension', True)]
>>> add_duration(__import__("datetime").date(2024, 2, 29), "P1Y").isoformat()
'2025-02-28'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import to_arabic

__all__ = ["TermMention", "add_duration", "find_terms"]

_TH_WORDS = "หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|สิบห้า|ยี่สิบ"
_EN_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "a": 1,
}
_S = r"[ \u00a0]*"
_TH = re.compile(rf"(?P<n>[0-9๐-๙]{{1,3}}|(?:{_TH_WORDS})+){_S}(?P<unit>ปี|เดือน)(?!ที่)")
_EN = re.compile(
    r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|a)"
    r"(?:\s*\((?:\d{1,3})\))?[\s-]+(?P<unit>years?|months?)(?!\s+(?:old|ago))",
    re.I,
)
# "an automatic extension of three" (the unit left to the reader)
_EN_BARE = re.compile(
    r"(?P<lead>(?:automatic(?:ally)?\s+)?(?:extension|extended|renewal|renewed|renewable)"
    r"(?:\s+(?:automatically|for))?\s+(?:of\s+|for\s+)?(?:a\s+further\s+|another\s+)?)"
    r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s*(?:years?|months?))",
    re.I,
)
_EXTEND = re.compile(r"ขยาย|ต่ออายุ|ต่อ(?:ไป)?อีก|extension|extend|renew|further", re.I)
_TOTAL = re.compile(r"รวม|ทั้งสิ้น|ทั้งหมด|\btotal|in all", re.I)
_AUTO = re.compile(r"อัตโนมัติ|automatic", re.I)
_NOT_TERM = re.compile(r"(?:ครบรอบ|ในรอบ|ที่ผ่านมา|ago|anniversary|over the past|old\b|ย้อนหลัง|ภายใน)", re.I)


@dataclass
class TermMention:
    start: int
    end: int
    duration: str  # xsd:duration, PnY / PnM
    slot: str  # initial | extension | total
    automatic: bool
    cue: str


def _number(word: str) -> int | None:
    word = to_arabic(word).lower()
    if word.isdigit():
        return int(word)
    if word in _EN_WORDS:
        return _EN_WORDS[word]
    from pythainlp.util import thaiword_to_num

    try:
        return int(thaiword_to_num(word))
    except (ValueError, TypeError):
        return None


def add_duration(start: dt.date, duration: str) -> dt.date:
    """``start`` + ``duration`` (PnY or PnM); 29 February falls back to the 28th."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", duration)
    if m is None:
        raise ValueError(f"not a PnY/PnM duration: {duration!r}")
    years, months = int(m.group(1) or 0), int(m.group(2) or 0)
    total = start.year * 12 + start.month - 1 + years * 12 + months
    y, mo = divmod(total, 12)
    day = start.day
    while True:
        try:
            return dt.date(y, mo + 1, day)
        except ValueError:
            day -= 1


def find_terms(text: str) -> list[TermMention]:
    """Every duration of ``text`` that reads as a term of the instrument, in order."""
    raw: list[tuple[int, int, int, str, str]] = []  # start, end, n, unit, lead text
    for m in _TH.finditer(text):
        raw.append((m.start(), m.end(), _number(m.group("n")) or 0, "Y" if m.group("unit") == "ปี" else "M", ""))
    for m in _EN.finditer(text):
        raw.append(
            (
                m.start(),
                m.end(),
                _number(m.group("n")) or 0,
                "Y" if m.group("unit").lower().startswith("y") else "M",
                "",
            )
        )
    for m in _EN_BARE.finditer(text):
        if any(s <= m.start("n") < e for s, e, *_ in raw):
            continue
        raw.append((m.start("n"), m.end("n"), _number(m.group("n")) or 0, "Y", m.group("lead")))
    raw.sort()
    out: list[TermMention] = []
    prev_end = 0
    for start, end, n, unit, _lead in raw:
        if n <= 0:
            continue
        before = text[max(0, start - 60, prev_end) : start]
        prev_end = end
        clause = re.split(r"[.;\n]|โดยมีระยะ|แบ่งเป็น", before)[-1]
        if _NOT_TERM.search(text[max(0, start - 12) : end + 12]):
            continue
        slot = "extension" if _EXTEND.search(clause) else "total" if _TOTAL.search(clause) else "initial"
        automatic = slot == "extension" and bool(_AUTO.search(clause + text[end : end + 15]))
        out.append(TermMention(start, end, f"P{n}{unit}", slot, automatic, clause.strip()[-30:]))
    # the total: a non-extension duration equal to another one plus an extension
    extensions = [t for t in out if t.slot == "extension"]
    plain = [t for t in out if t.slot != "extension"]
    values = {t.duration for t in plain}
    for t in plain:
        for ext in extensions:
            ext_years = _years(ext.duration)
            for other in values - {t.duration}:
                other_years = _years(other)
                if (
                    other_years is not None
                    and ext_years is not None
                    and other_years + ext_years == _years(t.duration)
                ):
                    t.slot = "total"
    return out


def _years(duration: str) -> float | None:
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", duration)
    return int(m.group(1) or 0) + int(m.group(2) or 0) / 12 if m else None
