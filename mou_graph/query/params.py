"""Reading the values a person gives a question's parameters: dates and entities as people write them.

The one place where a value typed into ``mou-graph query --param``, the query page or
``/api/queries/NAME`` becomes what the question is asked with, so the command line, the server
and the static site's page (which follows these rules in ``query-static-0.1.0.js``) answer alike:

* a date may be written with Thai or Lao digits, and in the Buddhist Era: a year of 2400 or more
  is read as a Buddhist-Era year and 543 is subtracted (2569-12-01 is 2026-12-01), and a
  :class:`Note` says so; any other text is refused, never read as some other date;
* an entity (a parameter of type ``iri``) may be given by its IRI, a prefixed name, a path under
  the base (``area/e-commerce``), or by one of its labels in any language (``พาณิชย์อิเล็กทรอนิกส์``),
  matched whole after NFKC folding (which also joins a decomposed sara am), case and spaces
  ignored. A label that names no entity, or several, is refused with the candidates.

>>> read_date("2569-12-01")
('2026-12-01', True)
>>> read_date("๒๕๖๕-๑๑-๐๗")
('2022-11-07', True)
>>> read_date("2026-12-01")
('2026-12-01', False)
>>> fold_label("  Cloud\u00a0COMPUTING ")
'cloud computing'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mou_graph.lang import pick
from mou_graph.vocab import RDF_TYPE, RDFS, SKOS

__all__ = ["BE_FROM", "BE_OFFSET", "Labels", "Note", "fold_label", "looks_like_iri", "read_date"]

BE_OFFSET = 543  # Buddhist Era = Common Era + 543 (the Thai year has begun on 1 January since 1941)
BE_FROM = 2400  # a year of 2400 or more is read as Buddhist Era (2400 BE is 1857 CE; no agreement is that old)
_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙", "01234567890123456789")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# what an IRI, a prefixed name or a path under the base is written with (our slugs are ASCII)
_IRI_LIKE = re.compile(r"[A-Za-z0-9_~:/#?&=%+.@-]+")


def read_date(value: str) -> tuple[str, bool]:
    """``(YYYY-MM-DD in the Common Era, whether it was read from the Buddhist Era)``; ValueError if
    ``value`` is no date (``YYYY-MM-DD``, Arabic, Thai or Lao digits)."""
    text = value.strip().translate(_DIGITS)
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(value)
    year, month, day = (int(g) for g in m.groups())
    buddhist = year >= BE_FROM
    if buddhist:
        year -= BE_OFFSET
    return dt.date(year, month, day).isoformat(), buddhist  # ValueError for 2025-02-30 and the like


def fold_label(text: str) -> str:
    """A label as it is compared: NFKC, case-folded, runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def looks_like_iri(value: str) -> bool:
    """Whether ``value`` is written as an IRI, a prefixed name or a path (not as a label).

    >>> looks_like_iri("area/e-commerce"), looks_like_iri("mou:signingDate"), looks_like_iri("e-commerce platform")
    (True, True, False)
    >>> looks_like_iri("พาณิชย์อิเล็กทรอนิกส์")
    False
    """
    return bool(_IRI_LIKE.fullmatch(value.strip()))


@dataclass(frozen=True)
class Note:
    """How a value was read when it was not taken as written (a Buddhist-Era year, a label)."""

    param: str
    given: str
    read_as: str
    kind: str  # "buddhist-era" or "label"

    def text(self, lang: str) -> str:
        """The note in ``lang`` (Thai or English, by the package's fallback rule).

        >>> Note("date", "2569-12-01", "2026-12-01", "buddhist-era").text("en")
        'date: 2569-12-01 was read as a Buddhist-Era date (year 2569 BE = 2026 CE): 2026-12-01'
        """
        if self.kind == "buddhist-era":
            be, ce = self.given.strip().translate(_DIGITS)[:4], self.read_as[:4]
            texts = {"en": f"{self.param}: {self.given} was read as a Buddhist-Era date "
                           f"(year {be} BE = {ce} CE): {self.read_as}",
                     "th": f"{self.param}: {self.given} อ่านเป็นวันที่แบบพุทธศักราช "
                           f"(พ.ศ. {be} = ค.ศ. {ce}): {self.read_as}"}
        else:
            texts = {"en": f"{self.param}: {self.given!r} was read as the entity {self.read_as}",
                     "th": f"{self.param}: {self.given!r} คือ {self.read_as}"}
        return pick(texts, lang) or texts["en"]


@dataclass
class Labels:
    """The labels and types of a graph's entities, to read an entity given by name."""

    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, store: Any, *, exclude: Iterable[str] = ()) -> Labels:
        """Read from a :class:`~mou_graph.store.GraphStore` (or a ``pyoxigraph.Store``), leaving out
        the IRIs of ``exclude`` (the hidden personal nodes, where they are not served)."""
        hidden = set(exclude)
        labels = cls()
        query = getattr(store, "query")  # noqa: B009 - a GraphStore or a pyoxigraph.Store
        rows = query(f"""SELECT DISTINCT ?s ?p ?o WHERE {{
            VALUES ?p {{ <{SKOS}prefLabel> <{RDFS}label> <{SKOS}altLabel> }}
            ?s ?p ?o . FILTER(isIRI(?s) && isLITERAL(?o)) }}""")
        for row in rows:
            iri, prop, text = row["s"].value, row["p"].value, row["o"]
            if iri in hidden:
                continue
            labels.by_key[fold_label(text.value)].add(iri)
            if prop != SKOS + "altLabel":
                lang = text.language or ""
                if prop == SKOS + "prefLabel" or lang not in labels.names[iri]:
                    labels.names[iri][lang] = text.value
        for row in query(f"SELECT DISTINCT ?s ?c WHERE {{ ?s <{RDF_TYPE}> ?c . FILTER(isIRI(?s) && isIRI(?c)) }}"):
            if row["s"].value not in hidden:
                labels.types[row["s"].value].add(row["c"].value)
        return labels

    def knows(self, iri: str) -> bool:
        """Whether the graph has ``iri`` as a typed or labelled entity."""
        return iri in self.types or iri in self.names

    def name(self, iri: str, lang: str) -> str | None:
        """The label of ``iri`` in ``lang`` by the package's fallback rule."""
        return pick(self.names.get(iri, {}), lang)

    def kin(self, iri: str) -> list[str]:
        """The entities that share a type with ``iri`` (the choices of a parameter whose example it is)."""
        kinds = self.types.get(iri, set())
        return sorted(i for i, t in self.types.items() if t & kinds and i in self.names)

    def find(self, text: str, like: str | None = None) -> list[str]:
        """The entities labelled ``text`` (whole label, folded); of those, the ones of the type of
        ``like`` (the parameter's example) when there are such."""
        found = sorted(self.by_key.get(fold_label(text), ()))
        if like is not None and len(found) > 1:
            kinds = self.types.get(like, set())
            narrowed = [i for i in found if self.types.get(i, set()) & kinds]
            found = narrowed or found
        return found
