"""The register's own words: every label and search form of its organisations, countries, people,
posts, cooperation areas and activities, read from the graph the project loads, and a matcher that
finds them in a text.

Thai labels are matched with white space ignored on both sides (releases break ``การ สื่อสาร`` across
a space, or run ``ไปรษณีย์โทรคมนาคม`` together); Latin-script labels match whole words, case-folded.
Where matches overlap the longest wins, so ``ประชาชนลาว`` inside the country's full name is not also
``ลาว``.

>>> lex = Lexicon([Term("area/ict", "area", "th", "เทคโนโลยีสารสนเทศและการสื่อสาร"), Term("area/it", "area", "en", "IT")])
>>> [(m.iri, m.start, m.end) for m in lex.find("ด้านเทคโนโลยีสารสนเทศและการ สื่อสาร, IT and ITU")]
[('area/ict', 4, 35), ('area/it', 37, 39)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..vocab import MOU, RDFS, SCHEMA, SKOS

if TYPE_CHECKING:
    from ..store import GraphStore

__all__ = ["Lexicon", "Match", "Term", "register_lexicon"]

_GAP = " \t\r\n\u00a0\u200b"
_THAI = re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff]")
_KIND_OF_PATH = {
    "org": "org",
    "country": "country",
    "person": "person",
    "post": "post",
    "area": "area",
    "activity": "activity",
}
_LABELS = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", MOU + "searchForm")
_GIVEN = SCHEMA + "givenName"
_HONORIFIC = SCHEMA + "honorificPrefix"


@dataclass(frozen=True)
class Term:
    """One label of one register entry (``iri`` is the path under the entity base)."""

    iri: str
    kind: str
    lang: str
    label: str
    field: str = "label"


@dataclass(frozen=True)
class Match:
    iri: str
    kind: str
    start: int
    end: int
    term: Term


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without gaps, case-folded, and for each kept character its offset in ``text``."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _GAP:
            continue
        chars.append(ch.casefold() if len(ch.casefold()) == 1 else ch)
        where.append(i)
    return "".join(chars), where


class Lexicon:
    """Terms and a longest-match finder over them."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = [t for t in terms if t.label.strip()]
        self._thai: dict[str, list[Term]] = {}
        latin: dict[str, list[Term]] = {}
        for t in self.terms:
            label = unicodedata.normalize("NFC", t.label)
            if _THAI.search(label):
                self._thai.setdefault(_compact(label)[0], []).append(t)
            else:
                key = re.sub(r"\s+", " ", label.casefold()).strip()
                if len(key) >= 2:
                    latin.setdefault(key, []).append(t)
        self._latin = latin
        keys = sorted(latin, key=len, reverse=True)
        self._latin_re = (
            re.compile(
                r"(?<![\w-])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + r")(?![\w-])", re.I
            )
            if keys
            else None
        )
        self._thai_keys = sorted(self._thai, key=len, reverse=True)
        self._thai_re = re.compile("|".join(re.escape(k) for k in self._thai_keys)) if self._thai_keys else None

    def labels(self, iri: str, lang: str | None = None) -> list[str]:
        return [t.label for t in self.terms if t.iri == iri and (lang is None or t.lang == lang)]

    def kind_of(self, iri: str) -> str | None:
        return next((t.kind for t in self.terms if t.iri == iri), None)

    def find(self, text: str, kinds: Iterable[str] | None = None) -> list[Match]:
        """Every non-overlapping longest match in ``text`` (of the given kinds), in order."""
        wanted = set(kinds) if kinds is not None else None
        found: list[Match] = []
        if self._thai_re is not None:
            compact, where = _compact(text)
            found += self._scan(compact, where, wanted)
        if self._latin_re is not None:
            for m in self._latin_re.finditer(text):
                key = re.sub(r"\s+", " ", m.group(0).casefold())
                for t in self._latin.get(key, []):
                    if t.label.isupper() and len(t.label) <= 5 and m.group(0) != t.label:
                        continue  # an acronym ("IT") matches as written, not "It" starting a sentence
                    if wanted is None or t.kind in wanted:
                        found.append(Match(t.iri, t.kind, m.start(), m.end(), t))
                        break
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Match] = []
        for hit in found:
            if out and hit.start < out[-1].end:
                continue
            out.append(hit)
        return out

    def _scan(self, compact: str, where: list[int], wanted: set[str] | None) -> list[Match]:
        found: list[Match] = []
        keys = [k for k in self._thai_keys if wanted is None or any(t.kind in wanted for t in self._thai[k])]
        if not keys:
            return found
        pattern = re.compile("|".join(re.escape(k) for k in keys))
        pos = 0
        while True:
            m = pattern.search(compact, pos)
            if m is None:
                break
            t = next(t for t in self._thai[m.group(0)] if wanted is None or t.kind in wanted)
            found.append(Match(t.iri, t.kind, where[m.start()], where[m.end() - 1] + 1, t))
            pos = m.end()
        return found


def register_lexicon(store: GraphStore) -> Lexicon:
    """Every label, alternative label and search form of the register's entries, from ``store``."""
    base = store.settings.base
    terms: list[Term] = []
    values = " ".join(f"<{p}>" for p in (*_LABELS, _GIVEN, _HONORIFIC))
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isLiteral(?o)) }}")
    for row in rows:
        iri = row["s"].value
        if not iri.startswith(base):
            continue
        path = iri[len(base) :]
        kind = _KIND_OF_PATH.get(path.split("/", 1)[0])
        if kind is None:
            continue
        lit = row["o"]
        lang = lit.language or "en"
        prop = row["p"].value
        field = (
            "given"
            if prop == _GIVEN
            else "honorific"
            if prop == _HONORIFIC
            else prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        )
        if field == "honorific":
            continue  # honorifics are matched by the people rules, apart from names
        terms.append(Term(path, kind, lang, lit.value, field))
    terms.sort(key=lambda t: (t.iri, t.field, t.lang, t.label))
    return Lexicon(terms)
