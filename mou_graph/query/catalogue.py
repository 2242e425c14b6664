"""The analysts' catalogue: one SPARQL file per question in ``queries/``.

Each file opens with a comment header::

    # title@th: ใครลงนาม ในนามกระทรวงและประเทศใด
    # title@en: Who signed, for which ministry and country
    # description@th: ...
    # description@en: ...
    # param: date | type: date | example: 2025-01-01 | default: 2025-01-01
    # param: area | type: iri | example: area/digital-technology
    # tags: people, signing

A question may be a *preset* of another: ``# preset: status-on | only: in-force`` takes the other
file's query and fixes some of its parameters, so a rule written once (the status of an agreement on a
date) answers several named questions. The preset's own ``param:`` lines replace the other's
parameter of that name (its example, say); the fixed ones are not parameters of the preset.

Parameter types: ``iri`` (an absolute IRI, a prefixed name such as ``mou:signingDate``,
``id:x``, a relative ``x`` resolved against the base, or a label of the entity), ``date``
(``YYYY-MM-DD``; a year of 2400 or more is a Buddhist-Era year),
``string``, ``integer``; ``values:`` lists the allowed values. Every query also gets
``?lang``, the language asked for, bound as a literal; the
queries pick labels with it by the package's fallback rule (see :mod:`mou_graph.lang`).
Values are bound as RDF terms, never pasted into the query text.

>>> p = Param.parse("date | type: date | example: 2025-01-01")
>>> p.name, p.type, p.example
('date', 'date', '2025-01-01')
>>> p.term("2025-01-01", base="https://w3id.org/mou-graph/id/")
<Literal value=2025-01-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
>>> p.term("7 Nov 2022", base="https://w3id.org/mou-graph/id/")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mou_graph.errors.UsageError: parameter date: '7 Nov 2022' is not a date (YYYY-MM-DD) / ...

A Buddhist-Era date is read as such, and said so (:mod:`mou_graph.query.params`):

>>> notes = []
>>> p.term("2569-12-01", base="https://w3id.org/mou-graph/id/", notes=notes).value
'2026-12-01'
>>> notes[0].text("en")
'date: 2569-12-01 was read as a Buddhist-Era date (year 2569 BE = 2026 CE): 2026-12-01'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mou_graph.errors import InputError, UsageError
from mou_graph.io.sparqltext import inspect
from mou_graph.lang import check_language, pick
from mou_graph.query.params import Labels, Note, looks_like_iri, read_date
from mou_graph.vocab import XSD as _XSD

__all__ = ["PARAM_TYPES", "Catalogue", "Entry", "Param", "catalogue_of", "load_catalogue"]

PARAM_TYPES = ("iri", "date", "string", "integer")
_HEADER = re.compile(r"^#\s*([A-Za-z]+)(?:@([a-z]{2}))?\s*:\s*(.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_BAD = re.compile(r'[<>"{}|^`\\\x00-\x20]')


@dataclass(frozen=True)
class Param:
    """One parameter of a question."""

    name: str
    type: str = "string"
    example: str | None = None
    values: tuple[str, ...] = ()
    default: str | None = None

    @classmethod
    def parse(cls, spec: str) -> Param:
        name, *parts = [p.strip() for p in spec.split("|")]
        if not _NAME.match(name) or name == "lang":
            raise ValueError(f"bad parameter name {name!r}")
        kw: dict[str, Any] = {}
        for part in parts:
            key, sep, value = part.partition(":")
            key = key.strip()
            if not sep or key not in ("type", "example", "values", "default"):
                raise ValueError(f"bad parameter field {part!r} (use type:, example:, values:, default:)")
            value = value.strip()
            kw[key] = tuple(v.strip() for v in value.split(",") if v.strip()) if key == "values" else value
        param = cls(name=name, **kw)
        if param.type not in PARAM_TYPES:
            raise ValueError(f"parameter {name}: unknown type {param.type!r} (use {', '.join(PARAM_TYPES)})")
        return param

    def term(self, value: str, *, base: str, labels: Labels | None = None, notes: list[Note] | None = None) -> Any:
        """The RDF term for ``value``, or a :class:`UsageError` (in English and Thai) saying what is wrong.

        Values are read as people write them (:mod:`mou_graph.query.params`): a Buddhist-Era date
        is converted, an entity may be named by a label when ``labels`` is given; each such reading
        is added to ``notes``, so the front ends can say how the value was read.
        """
        import pyoxigraph

        if self.values and value not in self.values:
            raise UsageError(f"parameter {self.name}: {value!r} is not one of {', '.join(self.values)} / "
                             f"พารามิเตอร์ {self.name}: {value!r} ไม่ใช่ค่าที่ใช้ได้ ({', '.join(self.values)})")
        if self.type == "iri":
            iri = self._entity(value, base=base, labels=labels, notes=notes)
            try:
                return pyoxigraph.NamedNode(iri)
            except ValueError as err:
                raise UsageError(f"parameter {self.name}: {value!r} is not an IRI: {err}") from None
        if self.type == "date":
            try:
                iso, buddhist = read_date(value)
            except ValueError:
                raise UsageError(f"parameter {self.name}: {value!r} is not a date (YYYY-MM-DD) / "
                                 f"พารามิเตอร์ {self.name}: {value!r} ไม่ใช่วันที่ (ปี-เดือน-วัน เช่น 2026-12-01 "
                                 f"หรือ 2569-12-01 แบบพุทธศักราช)") from None
            if buddhist and notes is not None:
                notes.append(Note(self.name, value, iso, "buddhist-era"))
            return pyoxigraph.Literal(iso, datatype=pyoxigraph.NamedNode(_XSD + "date"))
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise UsageError(f"parameter {self.name}: {value!r} is not an integer / "
                                 f"พารามิเตอร์ {self.name}: {value!r} ไม่ใช่จำนวนเต็ม")
            return pyoxigraph.Literal(str(int(value)), datatype=pyoxigraph.NamedNode(_XSD + "integer"))
        return pyoxigraph.Literal(value)

    def iri(self, value: str, *, base: str) -> str:
        """The absolute IRI written as ``value`` (an IRI, ``prefix:name``, ``id:x`` or a path under ``base``)."""
        from mou_graph.vocab import PREFIXES

        iri = value[3:] if value.startswith("id:") else value
        prefix, sep, local = iri.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            iri = PREFIXES[prefix] + local
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
            iri = base + iri
        if _IRI_BAD.search(iri) or not iri:
            raise UsageError(f"parameter {self.name}: {value!r} is not an IRI / "
                             f"พารามิเตอร์ {self.name}: {value!r} ไม่ใช่ IRI")
        return iri

    def _entity(self, value: str, *, base: str, labels: Labels | None, notes: list[Note] | None) -> str:
        value = value.strip()
        if value.startswith("<") and value.endswith(">"):  # <IRI>, as in SPARQL
            value = value[1:-1].strip()
        if looks_like_iri(value):
            iri = self.iri(value, base=base)
            if labels is None or iri != base + value or labels.knows(iri):
                return iri
            return self._by_label(value, base=base, labels=labels, notes=notes, path=iri)  # "E-commerce": a label
        if labels is None:
            hint = f" such as {self.example}" if self.example else ""
            raise UsageError(f"parameter {self.name}: {value!r} is not an IRI, a prefixed name or a path{hint} / "
                             f"พารามิเตอร์ {self.name}: {value!r} ไม่ใช่ IRI ชื่อย่อ หรือเส้นทาง{hint} "
                             "(เลือกตามชื่อได้เมื่อค้นในคลังข้อมูลภายใน)")
        return self._by_label(value, base=base, labels=labels, notes=notes)

    def _by_label(self, value: str, *, base: str, labels: Labels, notes: list[Note] | None,
                  path: str | None = None) -> str:
        example = self.example and looks_like_iri(self.example) and self.iri(self.example, base=base)
        found = labels.find(value, like=example or None)
        if not found and path is not None:
            raise UsageError(f"parameter {self.name}: the graph has no entity {path} and none labelled {value!r} / "
                             f"พารามิเตอร์ {self.name}: ไม่มี {path} ในกราฟ และไม่มีสิ่งใดที่มีชื่อ {value!r}")
        if not found:
            hint = f" such as {self.example}" if self.example else ""
            raise UsageError(f"parameter {self.name}: no entity of the graph is labelled {value!r} "
                             f"(give its label in full, or its IRI{hint}) / "
                             f"พารามิเตอร์ {self.name}: ไม่มีสิ่งใดในกราฟที่มีชื่อ {value!r} (ใส่ชื่อเต็ม หรือ IRI)")
        if len(found) > 1:
            names = ", ".join(found[:10])
            raise UsageError(f"parameter {self.name}: {value!r} is the label of {len(found)} entities ({names}): "
                             f"give the IRI / พารามิเตอร์ {self.name}: {value!r} เป็นชื่อของ {len(found)} สิ่ง "
                             f"({names}) โปรดระบุ IRI")
        if notes is not None:
            notes.append(Note(self.name, value, found[0], "label"))
        return found[0]


@dataclass(frozen=True)
class Entry:
    """One question of the catalogue."""

    name: str
    path: Path
    text: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()
    form: str = "SELECT"
    fixed: tuple[tuple[str, str], ...] = ()  # a preset's fixed parameter values
    preset: str | None = None  # the question a preset is built on
    fixed_params: tuple[Param, ...] = ()  # the parameters those values are for

    def title(self, lang: str) -> str:
        return pick(self.titles, lang) or self.name

    def description(self, lang: str) -> str:
        return pick(self.descriptions, lang) or ""

    def bind(self, values: Mapping[str, str], lang: str, *, base: str, labels: Labels | None = None,
             notes: list[Note] | None = None) -> dict[str, Any]:
        """Variable name -> RDF term for the given parameter values (``lang`` included); entities may be
        named by label when ``labels`` is given, and ``notes`` collects how values were read
        (:meth:`Param.term`)."""
        import pyoxigraph

        try:
            code = check_language(lang)
        except ValueError as err:
            raise UsageError(str(err)) from None
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise UsageError(f"{self.name}: unknown parameter(s) {', '.join(unknown)} (parameters: {names})")
        out: dict[str, Any] = {"lang": pyoxigraph.Literal(code)}
        for param, fixed in zip(self.fixed_params, dict(self.fixed).values(), strict=True):
            out[param.name] = param.term(fixed, base=base)
        for param in self.params:
            value = values.get(param.name, param.default)
            if value is None:
                hint = f" (for example {param.name}={param.example})" if param.example else ""
                raise UsageError(f"{self.name}: missing parameter {param.name}{hint}")
            out[param.name] = param.term(value, base=base, labels=labels, notes=notes)
        return out

    def to_dict(self, lang: str) -> dict[str, Any]:
        """A JSON-ready description (for the query page and ``queries --format json``)."""
        return {
            "name": self.name, "title": self.title(lang), "titles": self.titles,
            "description": self.description(lang), "form": self.form, "tags": list(self.tags),
            "params": [{"name": p.name, "type": p.type, "example": p.example, "values": list(p.values),
                        "default": p.default} for p in self.params],
            "preset": self.preset, "fixed": dict(self.fixed),
            "text": self.text,
        }


def parse_entry(path: Path) -> Entry:
    """Read one ``.rq`` file and its header; a bad header is an :class:`InputError`."""
    from mou_graph.io.rdfio import read_text

    text = read_text(path, what="query file")  # the input gate: a regular file, bounded
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    params: list[Param] = []
    tags: tuple[str, ...] = ()
    preset: str | None = None
    fixed: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, code, value = m.group(1).lower(), m.group(2), m.group(3)
        try:
            if key == "title" and code:
                titles[code] = value
            elif key == "description" and code:
                descriptions[code] = (descriptions.get(code, "") + " " + value).strip()
            elif key == "param":
                params.append(Param.parse(value))
            elif key == "tags":
                tags = tuple(t.strip() for t in value.split(",") if t.strip())
            elif key == "preset":
                preset, *parts = [p.strip() for p in value.split("|")]
                for part in parts:
                    name, sep, fixed_value = (x.strip() for x in part.partition(":"))
                    if not sep or not _NAME.match(name) or not fixed_value:
                        raise ValueError(f"bad preset value {part!r} (use NAME: VALUE)")
                    fixed.append((name, fixed_value))
        except ValueError as err:
            raise InputError(str(err), path=str(path), line=number) from None
    if not {"th", "en"} <= set(titles):
        raise InputError("the header needs '# title@th:' and '# title@en:'", path=str(path), line=1)
    if preset is not None:
        return Entry(path.stem, path, text, titles, descriptions, tuple(params), tags, "SELECT", tuple(fixed), preset)
    form = inspect(text).form or "SELECT"
    return Entry(path.stem, path, text, titles, descriptions, tuple(params), tags, form)


def _resolve(entry: Entry, entries: Mapping[str, Entry]) -> Entry:
    """A preset with the query and the parameters of the question it is built on."""
    base = entries.get(entry.preset or "")
    if base is None or base.preset is not None:
        raise InputError(f"preset of {entry.preset!r}: no such question (or a preset itself)", path=str(entry.path))
    own = {p.name: p for p in entry.params}
    by_name = {p.name: p for p in base.params}
    for name in [*own, *dict(entry.fixed)]:
        if name not in by_name:
            raise InputError(f"{base.name} has no parameter {name!r}", path=str(entry.path))
    fixed = dict(entry.fixed)
    for name, value in fixed.items():
        try:
            by_name[name].term(value, base="https://example.org/")  # a bad fixed value fails at load
        except UsageError as err:
            raise InputError(str(err), path=str(entry.path)) from None
    params = tuple(own.get(p.name, p) for p in base.params if p.name not in fixed)
    return Entry(entry.name, entry.path, base.text, entry.titles, entry.descriptions, params, entry.tags,
                 base.form, entry.fixed, entry.preset, tuple(by_name[name] for name in fixed))


@dataclass
class Catalogue:
    """The questions of a folder, by name."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    def __iter__(self):  # an iterator of Entry
        return iter(self.entries[name] for name in sorted(self.entries))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> Entry:
        try:
            return self.entries[name]
        except KeyError:
            close = [n for n in sorted(self.entries) if name in n or n in name]
            hint = f" (did you mean {', '.join(close)}?)" if close else " (see `mou-graph queries`)"
            raise UsageError(f"no question named {name!r} in the catalogue{hint}") from None


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """Read every ``*.rq`` of ``folder`` (default: ``queries/`` beside ``data/``)."""
    if folder is None:
        from mou_graph.config import default_root

        folder = default_root() / "queries"
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("the query catalogue folder does not exist", path=str(folder))
    cat = Catalogue(folder)
    for path in sorted(folder.glob("*.rq")):
        entry = parse_entry(path)
        cat.entries[entry.name] = entry
    for name, entry in list(cat.entries.items()):
        if entry.preset is not None:
            cat.entries[name] = _resolve(entry, cat.entries)
    return cat


def catalogue_of(root: Path) -> Catalogue:
    """The catalogue of a home folder (``root/queries``), or the package's own when that home has
    none: the rules the pages and ``stats`` share with the catalogue (the status of an agreement)
    hold for any data."""
    folder = Path(root) / "queries"
    return load_catalogue(folder if folder.is_dir() else None)
