"""Small text helpers the extractors share: Thai digits read as numbers, and the sentence around a span.

>>> to_arabic("๒๕๖๕")
'2565'
>>> t = "It rained. The MoU was signed by Mr. Anan Srisawat on 7 Nov. 2022. He said so.\\nNext line"
>>> t[slice(*sentence_bounds(t, t.index("signed"), t.index("signed") + 6))]
'The MoU was signed by Mr. Anan Srisawat on 7 Nov. 2022.'
"""

from __future__ import annotations

import re

__all__ = ["sentence_bounds", "to_arabic"]

_TH_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# a full stop that ends an English sentence: not after an honorific, an initial or a month abbreviation
_EN_STOP = re.compile(r"(?<!\b[A-Z])(?<!\bMr|\bMs|\bDr|\bSt|\bNo)(?<!\bMrs|\bRev|\bGen|\bJan|\bFeb|\bMar|\bApr|\bJun|"
                      r"\bJul|\bAug|\bSep|\bOct|\bNov|\bDec)(?<!\bProf|\bSept)(?<!\bAssoc)\.\s")
_THAI = re.compile("[\u0e00-\u0eff]")


def to_arabic(text: str) -> str:
    """Thai digits as Arabic ones (the text stored in a draft keeps its Thai digits)."""
    return text.translate(_TH_DIGITS)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``: its line, and in English text the full stops around it."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right == -1 else right
    if not _THAI.search(text[start:end]):
        for stop in _EN_STOP.finditer(text, left, start):
            left = stop.end()
        after = _EN_STOP.search(text, end, right)
        if after:
            right = after.start() + 1
    return left, right
