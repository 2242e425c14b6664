"""Verbatim quotes found in the texts the project ships (``data/source/<id>.<lang>.txt``).

A quote is looked up character for character; the compiler gets its offsets (Unicode code points,
as ``data/sentences.ttl`` counts them) and the sentences it lies in. A quote that is not in the text,
or that is there more than once without ``occurrence``, is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mou_graph.source.segment import segment

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

    def __init__(self, source_id: str, path: Path, sha256: str | None) -> None:
        import hashlib

        from mou_graph.io.rdfio import read_bounded

        self.id = source_id
        self.path = path
        data = read_bounded(path, what="source text")
        digest = hashlib.sha256(data).hexdigest()
        if sha256 is not None and digest != sha256:
            raise ValueError(f"sha256 {digest} is not the recorded {sha256}")
        self.text = data.decode("utf-8")
        self.spans = [(s.start, s.end) for s in segment(self.text)]

    def sentences(self, begin: int, end: int) -> tuple[str, ...]:
        """IRI paths of the sentences (as ``mou-graph sentences`` names them) that the span touches."""
        return tuple(f"source/{self.id}/s{i + 1:02d}" for i, (b, e) in enumerate(self.spans) if b < end and begin < e)

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
