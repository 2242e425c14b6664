"""Search over every label of the graph, in Thai, English, Lao and romanised Thai.

An index is built once per store (:meth:`SearchIndex.build`) and kept by whoever built it
(the web app keeps it in its context; the static site ships it as a script). Each text of
an entity (``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``, ``skos:definition``,
``mou:quotation``, ``mou:translation``) is normalised (NFC, case-folded, spaces collapsed),
cut into words with PyThaiNLP's ``newmm`` and, when Thai, romanised with the ``royin``
engine so that a Latin-script query finds a Thai name.

A query matches a text when the whole query is a substring of it, or when every word of the
query (cut the same way) is. Matches score by where they occur (a whole label beats whole
words of one, which beat its start, which beats a substring; a label beats a definition, which
beats a quotation) and the best match of each entity is its result, shown with the text it matched.

>>> idx = SearchIndex([Entry("https://x.test/cloud", "prefLabel", "th", "คลาวด์คอมพิวติ้ง"),
...                    Entry("https://x.test/cloud", "prefLabel", "en", "Cloud computing")])
>>> [(h.iri, h.text) for h in idx.search("CLOUD")]
[('https://x.test/cloud', 'Cloud computing')]
>>> idx.search("คลาวด์")[0].lang
'th'
>>> idx.search("khlao")[0].field
'romanised'
>>> idx.search("   ")
[]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mou_graph.vocab import ONTOLOGY_NS as MOU
from mou_graph.vocab import RDFS, SKOS

if TYPE_CHECKING:
    from mou_graph.store import GraphStore

__all__ = ["Entry", "Hit", "SearchIndex", "normalise", "words"]


# property -> (short field name, weight)
FIELDS: dict[str, tuple[str, int]] = {
    SKOS + "prefLabel": ("prefLabel", 10),
    RDFS + "label": ("label", 10),
    SKOS + "altLabel": ("altLabel", 8),
    SKOS + "definition": ("definition", 4),
    MOU + "quotation": ("quotation", 3),
    MOU + "translation": ("translation", 3),
}
_ROMANISED_WEIGHT = 7
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_SPACES = re.compile(r"\s+")
_NOT_LATIN = re.compile(r"[^a-z0-9]")
_PUNCT = ".,;:!?'\"()[]{}‘’“”"
MAX_QUERY = 200


def normalise(text: str) -> str:
    """NFC, case-folded, with runs of white space (and U+00A0) made one space.

    >>> normalise("  Cloud\u00a0 COMPUTING ")
    'cloud computing'
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()


def words(text: str) -> list[str]:
    """The words of a normalised text: PyThaiNLP ``newmm`` for Thai, spaces otherwise.

    >>> words("ความมั่นคงปลอดภัยทางไซเบอร์")
    ['ความมั่นคง', 'ปลอดภัย', 'ทาง', 'ไซเบอร์']
    >>> words("internet of things")
    ['internet', 'of', 'things']
    """
    if not _THAI.search(text):
        return [w.strip(_PUNCT) for w in text.split(" ") if w.strip(_PUNCT)]
    from pythainlp.tokenize import word_tokenize

    return [w.strip() for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if w.strip()]


def romanise(text: str) -> str:
    """The Latin letters of a Thai text by the Royal Institute system, without spaces."""
    from pythainlp.transliterate import romanize

    return "".join(_NOT_LATIN.sub("", romanize(w, engine="royin").casefold()) for w in words(text))


@dataclass(frozen=True)
class Entry:
    """One text of one entity."""

    iri: str
    field: str
    lang: str
    text: str


@dataclass(frozen=True)
class Hit:
    """A result: the entity, its score, and the text (and field, language) that matched."""

    iri: str
    score: int
    field: str
    lang: str
    text: str


@dataclass
class _Item:
    entry: Entry
    norm: str
    tokens: frozenset[str]
    weight: int
    roman: str = ""


@dataclass
class SearchIndex:
    """The searchable texts of a graph."""

    entries: list[Entry]
    items: list[_Item] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        weights = {name: w for name, w in FIELDS.values()}
        self.items = []
        for e in self.entries:
            norm = normalise(e.text)
            item = _Item(e, norm, frozenset(words(norm)), weights.get(e.field, 1))
            if e.field in ("prefLabel", "label", "altLabel") and _THAI.search(norm):
                item.roman = romanise(norm)
            self.items.append(item)

    @classmethod
    def build(cls, store: GraphStore, *, exclude: Iterable[str] = ()) -> SearchIndex:
        """Index every text of every entity under the store's base IRI, except ``exclude``."""
        base = store.settings.base
        hidden = set(exclude)
        rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isLITERAL(?o)) }")
        entries = []
        for row in rows:
            s, p, o = row["s"], row["p"].value, row["o"]
            if p not in FIELDS or not s.value.startswith(base) or s.value in hidden:
                continue
            entries.append(Entry(s.value, FIELDS[p][0], o.language or "", o.value))
        entries.sort(key=lambda e: (e.iri, e.field, e.lang, e.text))
        return cls(entries)

    def search(self, query: str, *, limit: int = 50) -> list[Hit]:
        """The entities matching ``query``, best first (ties by IRI)."""
        q = normalise(query or "")[:MAX_QUERY]
        if not q:
            return []
        q_words = words(q)
        q_latin = _NOT_LATIN.sub("", q) if not _THAI.search(q) else ""
        best: dict[str, Hit] = {}
        for item in self.items:
            score = self._score(item, q, q_words)
            field_, text = item.entry.field, item.entry.text
            if not score and item.roman and len(q_latin) >= 3 and q_latin in item.roman:
                score = _ROMANISED_WEIGHT * (3 if item.roman.startswith(q_latin) else 2)
                field_ = "romanised"
            if score:
                hit = Hit(item.entry.iri, score, field_, item.entry.lang, text)
                old = best.get(hit.iri)
                if old is None or (hit.score, -len(hit.text)) > (old.score, -len(old.text)):
                    best[hit.iri] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.iri))[:limit]

    @staticmethod
    def _score(item: _Item, q: str, q_words: list[str]) -> int:
        w, norm = item.weight, item.norm
        if norm == q:
            return w * 10
        if q in item.tokens or (len(q_words) > 1 and q in norm and all(x in item.tokens for x in q_words)):
            return w * 6  # whole words
        if norm.startswith(q):
            return w * 5
        if q in norm:
            return w * 4
        if len(q_words) > 1 and all(word in norm for word in q_words):
            return w * 2
        return 0

    def to_json(self) -> list[dict[str, str]]:
        """The index as plain data for a client-side search: text, normalised text, romanised."""
        return [
            {"iri": i.entry.iri, "field": i.entry.field, "lang": i.entry.lang, "text": i.entry.text,
             "norm": i.norm, "roman": i.roman, "weight": i.weight, "tokens": sorted(i.tokens)}
            for i in self.items
        ]
