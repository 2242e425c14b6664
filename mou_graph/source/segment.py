"""Split the source article into sentences with character offsets.

PyThaiNLP's CRF sentence model (``crfcut``) finds the sentence breaks inside each
paragraph; a few rules then mend what it gets wrong on news text: a break after an
abbreviation's full stop (``ศ.ดร.``, ``สปป.``), a reporting clause or a conjunction cut off
from what completes it (``... กล่าวว่า``, ``... และ.``), a name cut off from the post that
follows it (``นายชัยวุฒิ ธนาคมานุสรณ์ | รัฐมนตรีว่าการ...``) and fragments too short to be a
sentence.

Paragraphs are lines, except that a line which opens with a conjunction (``และ...``) continues
the line before it: the source breaks lines inside a list (``...ด้านบรอดแบนด์`` /
``และการพัฒนาการให้บริการ``). A short line (a headline, a dateline, a heading) is one sentence,
and the page title's leading breadcrumb (``รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-``) is a span of its own.

Offsets count Unicode code points from the start of the file, as Python indexes
``str``; a span never starts or ends with white space (including U+00A0).

>>> [s.text for s in segment("ศ.ดร. บ่อเวียงคำ วงดาลา กล่าวว่า การลงนามครั้งนี้จะช่วยเสริมสร้างความสัมพันธ์")]
['ศ.ดร. บ่อเวียงคำ วงดาลา กล่าวว่า การลงนามครั้งนี้จะช่วยเสริมสร้างความสัมพันธ์']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "segment"]

# a full stop that ends an abbreviation (ศ.ดร., สปป.), not a sentence
_ABBREVIATION_END = re.compile(r"(?:(?:^|[^\u0e01-\u0e2e])(?:ศ|ดร|รศ|ผศ|นพ|พญ)|สปป)\.$")
# a reporting clause (... กล่าวว่า) or a conjunction (... และ.) that the next piece completes
_OPEN_END = re.compile(r"(?:ว่า|และ|หรือ|กับ)\.?$")
_MIN_LETTERS = 20
# a piece that opens with a post continues the name before it (นายชัยวุฒิ ธนาคมานุสรณ์ รัฐมนตรีว่าการ...)
_POST_START = re.compile(r"^(?:รัฐมนตรี|นายกรัฐมนตรี|ปลัด|อธิบดี|ผู้อำนวยการ|เลขาธิการ|ประธาน|เอกอัครราชทูต)")
# a line that opens with a conjunction continues the line before it
_CONTINUATION = re.compile(r"^(?:และ|หรือ)")
# the site's breadcrumb before the headline in a page title: words joined by hyphens, no spaces
_BREADCRUMB = re.compile(r"^[^\s\-]+(?:-[^\s\-]+)*(?=-\S)")
# a line this short is a headline, a dateline or a heading: one sentence, not cut further
_SHORT_LINE = 160
_WS = " \t\r\n\u00a0\u200b"


@dataclass(frozen=True)
class Span:
    """A sentence: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


def _pieces(paragraph: str) -> list[str]:
    from pythainlp.tokenize import sent_tokenize

    return [p for p in sent_tokenize(paragraph, engine="crfcut") if isinstance(p, str) and p]


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _trim(source: str, start: int, end: int) -> tuple[int, int]:
    while start < end and source[start] in _WS:
        start += 1
    while end > start and source[end - 1] in _WS:
        end -= 1
    return start, end


def _paragraph_spans(source: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= _SHORT_LINE:
        return [(start, end)]
    # the tokenizer sees a line break inside a paragraph as a space (same length, same offsets)
    paragraph = source[start:end].replace("\n", " ")
    bounds: list[tuple[int, int]] = []
    cursor = 0
    for piece in _pieces(paragraph):
        found = paragraph.find(piece, cursor)
        if found < 0:  # the tokenizer changed the text: keep the paragraph whole
            return [(start, end)]
        bounds.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    merged: list[tuple[int, int]] = []
    carry: tuple[int, int] | None = None
    for b in bounds:
        if carry is not None:
            b = (carry[0], b[1])
            carry = None
        text = source[b[0] : b[1]].strip(_WS)
        if merged and _POST_START.search(text):
            b = (merged.pop()[0], b[1])
            text = source[b[0] : b[1]].strip(_WS)
        if _ABBREVIATION_END.search(text) or _OPEN_END.search(text) or _letters(text) < _MIN_LETTERS:
            carry = b
            continue
        merged.append(b)
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], carry[1])
        else:
            merged.append(carry)
    return merged


def _paragraphs(source: str) -> list[tuple[int, int]]:
    """Trimmed (start, end) of each paragraph: lines with letters, continuation lines joined."""
    out: list[tuple[int, int]] = []
    offset = 0
    for line in source.split("\n"):
        start, end = _trim(source, offset, offset + len(line))
        offset += len(line) + 1
        if _letters(source[start:end]) == 0:
            continue
        if out and _CONTINUATION.search(source[start:end]) and source.count("\n", out[-1][1], start) == 1:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def segment(source: str) -> list[Span]:
    """Return the sentences of ``source`` in order, skipping lines without letters.

    >>> [s.text for s in segment("รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-ดีอีเอส ลงนามด้านไปรษณีย์ โทรคมนาคม และไอที")]
    ['รัฐบาลไทย-ข่าวทำเนียบรัฐบาล', 'ดีอีเอส ลงนามด้านไปรษณีย์ โทรคมนาคม และไอที']
    """
    spans: list[Span] = []
    for number, (start, end) in enumerate(_paragraphs(source)):
        pieces = [(start, end)]
        crumb = _BREADCRUMB.match(source, start, end) if number == 0 else None
        if crumb and " " in source[crumb.end() : end]:
            pieces = [(start, crumb.end()), (crumb.end() + 1, end)]
        for p_start, p_end in pieces:
            for a, b in _paragraph_spans(source, p_start, p_end):
                a, b = _trim(source, a, b)
                if a < b:
                    spans.append(Span(a, b, source[a:b]))
    return spans
