"""Search over every label of the graph, in Thai, English, Lao and romanised Thai.

An index is built once per store (:meth:`SearchIndex.build`) and kept by whoever built it
(the web app keeps it in its context; the static site ships it as a script). Each text of
an entity (``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``, ``skos:definition``,
``mou:quotation``, ``mou:translation``) is normalised (:func:`normalise`), cut into words with
PyThaiNLP's ``newmm`` and, when Thai, romanised with the ``royin`` engine so that a
Latin-script query finds a Thai name.

How a query is folded, cut and scored is defined once, in ``search-rules.json`` beside this
module: the space characters, the folding of a decomposed sara am (Thai U+0E4D U+0E32 and
Lao U+0ECD U+0EB2, as many keyboards and Lao sites type ำ and ຳ), the punctuation, the weights
of the fields and of the kinds of match. The static site's ``browse-0.1.0.js`` reads the same
table from its index and scores the same way; ``tests/test_search_parity.py`` runs both on
generated queries. A query is cut at spaces, and a piece in a script written without spaces
(Thai, Lao) by longest match against the words of the index (:meth:`SearchIndex.query_words`),
which both sides can do alike.

A query matches a text when the whole query is a substring of it, or when every word of the
query is. Matches score by where they occur (a whole label beats whole words of one, which
beat its start, which beats a substring; a label beats a definition, which beats a quotation)
and the best match of each entity is its result, shown with the text it matched.

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

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mou_graph.vocab import ONTOLOGY_NS as MOU
from mou_graph.vocab import RDFS, SKOS

if TYPE_CHECKING:
    from mou_graph.store import GraphStore

__all__ = ["RULES", "Entry", "Hit", "SearchIndex", "normalise", "words"]

RULES_FILE = Path(__file__).with_name("search-rules.json")
#: the one definition of folding and scoring, shared with the static site's script
RULES: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))

# property -> (short field name, weight)
FIELDS: dict[str, tuple[str, int]] = {
    iri: (name, RULES["fields"][name])
    for iri, name in ((SKOS + "prefLabel", "prefLabel"), (RDFS + "label", "label"), (SKOS + "altLabel", "altLabel"),
                      (SKOS + "definition", "definition"), (MOU + "quotation", "quotation"),
                      (MOU + "translation", "translation"))
}
_MATCH: dict[str, int] = RULES["match"]
_ROMAN: dict[str, int] = RULES["romanised"]
_THAI = re.compile(f"[{RULES['thai']}]")
_UNSPACED = re.compile(f"[{RULES['scripts_without_spaces']}]")
_SPACES = re.compile("[" + re.escape(RULES["spaces"]) + "]+")
_FOLDS = [(re.compile(re.escape(f["mark"]) + "([" + re.escape(f["tones"]) + "]?)" + re.escape(f["vowel"])),
           f["composed"]) for f in RULES["fold"]]
_NOT_LATIN = re.compile(r"[^a-z0-9]")
_PUNCT: str = RULES["punctuation"]
MAX_QUERY: int = RULES["max_query"]


def fold(text: str) -> str:
    """NFC, with a decomposed sara am (Thai and Lao, a tone mark on either side) composed.

    NFC leaves ``ํ`` + ``า`` alone (ำ has only a compatibility decomposition), so a query typed
    that way would miss every ำ of the graph.

    >>> fold("\u0e19\u0e4d\u0e49\u0e32") == "\u0e19\u0e49\u0e33" == fold("\u0e19\u0e49\u0e4d\u0e32")  # น้ำ
    True
    >>> fold("\u0e84\u0ecd\u0eb2") == "\u0e84\u0eb3"  # Lao ຄຳ
    True
    """
    text = unicodedata.normalize("NFC", text)
    for pattern, composed in _FOLDS:

        def join(m: re.Match[str], c: str = composed) -> str:
            return m.group(1) + c

        text = pattern.sub(join, text)
    return text


def normalise(text: str) -> str:
    """Folded (:func:`fold`), lower-cased, with runs of white space (and U+00A0) made one space.

    >>> normalise("  Cloud\u00a0 COMPUTING ")
    'cloud computing'
    """
    return _SPACES.sub(" ", fold(text).lower()).strip(" ")


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
    vocabulary: frozenset[str] = field(init=False, repr=False)
    longest: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        weights = RULES["fields"]
        self.items = []
        for e in self.entries:
            norm = normalise(e.text)
            item = _Item(e, norm, frozenset(words(norm)), weights.get(e.field, RULES["other_field"]))
            if e.field in ("prefLabel", "label", "altLabel") and _THAI.search(norm):
                item.roman = romanise(norm)
            self.items.append(item)
        self.vocabulary = frozenset(t for i in self.items for t in i.tokens)
        self.longest = max((len(t) for t in self.vocabulary), default=1)

    def query_words(self, q: str) -> list[str]:
        """The words of a normalised query: cut at spaces, then a Thai or Lao piece by longest match
        against the words of the index (letters that start no word stay together).

        >>> idx = SearchIndex([Entry("https://x.test/a", "prefLabel", "th", "ความมั่นคงปลอดภัยทางไซเบอร์")])
        >>> idx.query_words("ปลอดภัยไซเบอร์ xyz")
        ['ปลอดภัย', 'ไซเบอร์', 'xyz']
        >>> idx.query_words("ไซเบอร์กกก")
        ['ไซเบอร์', 'กกก']
        """
        out: list[str] = []
        for chunk in q.split(" "):
            chunk = chunk.strip(_PUNCT)
            if not chunk:
                continue
            if not _UNSPACED.search(chunk):
                out.append(chunk)
                continue
            unknown, i = "", 0
            while i < len(chunk):
                for j in range(min(len(chunk), i + self.longest), i, -1):
                    if chunk[i:j] in self.vocabulary:
                        break
                else:
                    unknown += chunk[i]
                    i += 1
                    continue
                if unknown:
                    out.append(unknown)
                    unknown = ""
                out.append(chunk[i:j])
                i = j
            if unknown:
                out.append(unknown)
        return out

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

    def search(self, query: str, *, limit: int = RULES["limit"]) -> list[Hit]:
        """The entities matching ``query``, best first (ties by IRI)."""
        q = normalise(query or "")[:MAX_QUERY].strip(" ")
        if not q:
            return []
        q_words = self.query_words(q)
        q_latin = _NOT_LATIN.sub("", q) if not _THAI.search(q) else ""
        best: dict[str, Hit] = {}
        for item in self.items:
            score = self._score(item, q, q_words)
            field_, text = item.entry.field, item.entry.text
            if not score and item.roman and len(q_latin) >= _ROMAN["min_length"] and q_latin in item.roman:
                score = _ROMAN["weight"] * (_ROMAN["start"] if item.roman.startswith(q_latin) else _ROMAN["inside"])
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
            return w * _MATCH["exact"]
        if q in item.tokens or (len(q_words) > 1 and q in norm and all(x in item.tokens for x in q_words)):
            return w * _MATCH["words"]
        if norm.startswith(q):
            return w * _MATCH["start"]
        if q in norm:
            return w * _MATCH["inside"]
        if len(q_words) > 1 and all(word in norm for word in q_words):
            return w * _MATCH["scattered"]
        return 0

    def to_json(self) -> list[dict[str, Any]]:
        """The index as plain data for a client-side search: text, normalised text, romanised."""
        return [
            {"iri": i.entry.iri, "field": i.entry.field, "lang": i.entry.lang, "text": i.entry.text,
             "norm": i.norm, "roman": i.roman, "weight": i.weight, "tokens": sorted(i.tokens)}
            for i in self.items
        ]
