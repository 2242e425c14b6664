"""Verbatim quotes found in the texts the project ships (``data/source/<id>.<lang>.txt``).

A quote is looked up character for character; the compiler gets its offsets (Unicode code points,
as ``data/sentences.ttl`` counts them) and the sentences it lies in. A quote that is not in the text,
or that is there more than once without ``occurrence``, is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mou_graph.source.segment import segment
from mou_graph.source.sources import read_source, sentence_iri_path

__all__ = ["Found", "ShippedText", "find_all"]


@dataclass(frozen=True)
class Found:
    begin: int
    end: int
    sentences: tuple[str, ...]  # IRI paths of the sentences the span touches


def find_all(text: str, quote: str) -> list[int]:
    """Every start offset of ``quote`` in ``text`` (overlapping ones included).

    >>> find_all("abab a", "ab")
    [0, 2]
    """
    out, at = [], text.find(quote)
    while at != -1 and quote:
        out.append(at)
        at = text.find(quote, at + 1)
    return out


class ShippedText:
    """One shipped source text, its sentences and a quote finder."""

    def __init__(self, source_id: str, path: Path) -> None:
        self.id = source_id
        self.path = path
        self.text = read_source(path)
        self.spans = [(s.start, s.end) for s in segment(self.text)]

    def sentences(self, begin: int, end: int) -> tuple[str, ...]:
        return tuple(sentence_iri_path(i + 1) for i, (b, e) in enumerate(self.spans) if b < end and begin < e)

    def locate(self, quote: str, occurrence: int | None) -> tuple[Found | None, int]:
        """The ``occurrence``-th (1-based) match of ``quote``, and how many there are."""
        starts = find_all(self.text, quote)
        if not starts:
            return None, 0
        if occurrence is None:
            if len(starts) > 1:
                return None, len(starts)
            occurrence = 1
        if not 1 <= occurrence <= len(starts):
            return None, len(starts)
        begin = starts[occurrence - 1]
        end = begin + len(quote)
        return Found(begin, end, self.sentences(begin, end)), len(starts)
