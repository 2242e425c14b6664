"""Precision and recall of ``mou-graph ingest`` over a labelled set, per kind of claim, and span accuracy.

A labelled set is a folder with ``releases/`` (the texts) and ``gold/<name>.yaml`` (the record a careful
person made from each; a gold file may name its text with ``release: PATH``, relative to the project).
Each release is ingested afresh and its draft compared with the gold record, claim by claim:

* ``instrument`` (its kind) and ``instrument title``; ``party``; ``person+role``; ``honorific`` and
  ``post`` (of every person named); ``date:<event>`` for each event (``dateline`` is the release's own
  date); ``duration`` (slot, length and whether automatic); ``area``; ``activity``.
* An organisation matches by register id or by any of its names; a person by name; an area or an
  activity by id or by its label compared as a key (:func:`~mou_graph.ingest.entities.area_key`,
  :func:`~mou_graph.ingest.entities.activity_key`, the same functions for both sides).
* Span accuracy: of the claims found that the gold record supports with a quote, the share whose draft
  span is exactly that quote's place in the text (``exact``) or overlaps it (``overlap``); ``offsets``
  checks that every span of every draft is the text between its offsets.

``python -m mou_graph.ingest.evaluate DIR [--docs docs/ingest.md]`` prints the table and rewrites the
part of the docs page between its markers.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..lang import LANGUAGES
from .entities import activity_key, area_key

__all__ = ["Score", "evaluate_folder", "main", "table_markdown"]

KINDS = [
    "instrument",
    "instrument title",
    "party",
    "person+role",
    "honorific",
    "post",
    "date:dateline",
    "date:approval",
    "date:signing",
    "date:entry-into-force",
    "duration",
    "area",
    "activity",
]


def markers(name: str) -> tuple[str, str]:
    """The markers around the table of the labelled set ``name`` in the docs page."""
    return f"<!-- ingest-table:{name}:start -->", f"<!-- ingest-table:{name}:end -->"


def _c(text: str) -> str:
    return re.sub(r"[ \u00a0\u200b]", "", str(text)).casefold()


@dataclass
class Claim:
    keys: frozenset[str]
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    correct: int = 0
    span_checked: int = 0
    span_exact: int = 0
    span_overlap: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    def add(self, other: Score) -> None:
        for name in ("gold", "found", "correct", "span_checked", "span_exact", "span_overlap"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        out = []
        for k in LANGUAGES:
            v = value.get(k)
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, dict) and isinstance(v.get("text"), str) and v.get("translation") != "tool":
                out.append(v["text"])
        return out
    return []


def _gold_spans(text: str, supports: Iterable[dict[str, Any]] | None) -> list[tuple[int, int]]:
    spans = []
    for s in supports or []:
        q = s.get("quote")
        if not q:
            continue
        starts = [m.start() for m in re.finditer(re.escape(q), text)]
        if s.get("occurrence"):
            starts = starts[s["occurrence"] - 1 : s["occurrence"]]
        spans += [(i, i + len(q)) for i in starts]
    return spans


def _tool_spans(supports: Iterable[dict[str, Any]] | None) -> list[tuple[int, int]]:
    return [tuple(s["offsets"]) for s in supports or [] if "offsets" in s]


class _Register:
    """Labels of register ids (areas, activities, organisations) for the gold side's ids."""

    def __init__(self, lexicon: Any) -> None:
        self.labels: dict[str, list[str]] = {}
        for t in lexicon.terms:
            self.labels.setdefault(t.iri, []).append(t.label)


def _claims(doc: dict[str, Any], text: str, register: _Register, *, gold: bool) -> dict[str, list[Claim]]:
    spans = (lambda sup: _gold_spans(text, sup)) if gold else _tool_spans
    ents = doc.get("entities") or {}
    org_names: dict[str, set[str]] = {}
    for o in ents.get("organisations") or []:
        names = set()
        for n in o.get("names") or []:
            names |= {_c(t) for t in _texts(n)}
            if not gold:
                names |= {_c(s["quote"]) for s in n.get("support") or []}
        names |= {_c(s) for s in o.get("search_forms") or []}
        org_names[o["id"]] = names
    people: dict[str, dict[str, Any]] = {p["id"]: p for p in ents.get("people") or []}
    area_labels: dict[str, set[str]] = {}
    for a in ents.get("areas") or []:
        area_labels[a["id"]] = {area_key(t) for t in _texts(a.get("label"))}
    out: dict[str, list[Claim]] = {k: [] for k in KINDS}
    seen: dict[str, set[frozenset[str]]] = {k: set() for k in KINDS}

    def add(kind: str, keys: set[str], sup: Any) -> None:
        fk = frozenset(k for k in keys if k)
        if not fk or fk in seen[kind]:
            return
        seen[kind].add(fk)
        out[kind].append(Claim(fk, spans(sup)))

    def person_name(pid: str) -> str:
        p = people.get(pid) or {}
        names = _texts(p.get("name"))
        return _c(names[0]) if names else pid

    dl = doc.get("dateline") if gold else (doc.get("draft") or {}).get("dateline")
    if dl:
        add("date:dateline", {f"dateline {dl['date']}"}, dl.get("support"))
    for rec in doc.get("records") or []:
        n = sum(1 for c in out["instrument"] if any(k.startswith(f"{rec.get('kind')}#") for k in c.keys))
        add("instrument", {f"{rec.get('kind')}#{n + 1}"}, (rec.get("title") or {}).get("support"))
        titles = _texts(rec.get("title"))
        if titles:
            add("instrument title", {_c(titles[0])}, (rec.get("title") or {}).get("support"))
        for p in rec.get("parties") or []:
            oid = p["org"]
            keys = {oid} | org_names.get(oid, set()) | {_c(x) for x in register.labels.get(oid, [])}
            if not gold:
                keys |= {_c(s["quote"]) for s in p.get("support") or []}
            add("party", keys, p.get("support"))
        for slot, t in (rec.get("term") or {}).items():
            if isinstance(t, dict) and "duration" in t:
                auto = t.get("automatic") if slot == "extension" else None
                add("duration", {f"{slot} {t['duration']} {auto}"}, t.get("support"))
        for ev in rec.get("events") or []:
            kind = f"date:{ev.get('event')}"
            if kind in out and ev.get("date"):
                add(kind, {f"{ev['event']} {ev['date']}"}, ev.get("support"))
            for part in ev.get("participants") or []:
                add("person+role", {f"{person_name(part['person'])} {part['role']}"}, part.get("support"))
        for a in rec.get("areas") or []:
            keys = set()
            if a.get("area"):
                keys.add(a["area"])
                keys |= area_labels.get(a["area"], set())
                keys |= {area_key(x) for x in register.labels.get(a["area"], [])}
            keys |= {area_key(t) for t in _texts(a.get("label"))}
            if not gold:
                keys |= {area_key(s["quote"]) for s in a.get("support") or []}
            add("area", keys, a.get("support"))
        for a in rec.get("activities") or []:
            keys = set()
            labels = _texts(a.get("label")) + register.labels.get(a.get("activity") or "", [])
            if a.get("activity"):
                keys.add(a["activity"])
            if a.get("activity_kind"):
                keys.add("kind:" + a["activity_kind"])
            for lab in labels:
                k = activity_key(lab)
                keys.add("kind:" + k if k else area_key(lab))
            add("activity", keys, a.get("support"))
    for pid, p in people.items():
        name = person_name(pid)
        for h in _texts(p.get("honorific")):
            add("honorific", {f"{name} {_c(h)}"}, (p.get("honorific") or {}).get("support"))
        for post in p.get("posts") or []:
            for t in _texts(post.get("post")):
                add("post", {f"{name} {_c(t)}"}, post.get("support"))
    return out


def _score(gold: list[Claim], tool: list[Claim]) -> Score:
    s = Score(gold=len(gold), found=len(tool))
    free = list(tool)
    for g in gold:
        hit = next((t for t in free if g.keys & t.keys), None)
        if hit is None:
            continue
        free.remove(hit)
        s.correct += 1
        if g.spans:
            s.span_checked += 1
            if any(ts in g.spans for ts in hit.spans):
                s.span_exact += 1
            if any(a < d and c < b for a, b in hit.spans for c, d in g.spans):
                s.span_overlap += 1
    return s


def _release_of(gold_file: Path, folder: Path, root: Path) -> Path:
    import yaml

    doc = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    if doc.get("release"):
        return root / doc["release"]
    found = sorted((folder / "releases").glob(gold_file.stem + ".*"))
    if not found:
        from ..errors import InputError

        raise InputError("ไม่พบข่าวของบันทึกนี้ / no release for this gold record", path=str(gold_file))
    return found[0]


def evaluate_folder(
    folder: Path, *, store: Any = None
) -> tuple[dict[str, Score], dict[str, dict[str, Score]], dict[str, int]]:
    """Ingest every release of ``folder`` and score it: (totals per kind, per release per kind, offset checks)."""
    import yaml

    from ..config import Settings
    from .draft import build_draft
    from .intake import read_article
    from .lexicon import register_lexicon

    if store is None:
        from ..store import load_store

        store = load_store()
    lexicon = register_lexicon(store)
    register = _Register(lexicon)
    root = Settings().root
    totals = {k: Score() for k in KINDS}
    per: dict[str, dict[str, Score]] = {}
    offsets = {"checked": 0, "right": 0}
    gold_files = sorted(Path(folder, "gold").glob("*.yaml"))
    if not gold_files:
        from ..errors import InputError

        raise InputError("ไม่มีบันทึกต้นแบบ (gold/*.yaml) / no gold records (gold/*.yaml)", path=str(folder))
    for gf in gold_files:
        release = _release_of(gf, Path(folder), root)
        article = read_article(release)
        draft = build_draft(article, lexicon=lexicon)
        gold = yaml.safe_load(gf.read_text(encoding="utf-8"))
        g = _claims(gold, article.text, register, gold=True)
        t = _claims(draft, article.text, register, gold=False)
        per[gf.stem] = {}
        for kind in KINDS:
            sc = _score(g[kind], t[kind])
            per[gf.stem][kind] = sc
            totals[kind].add(sc)
        for s in _all_supports(draft):
            offsets["checked"] += 1
            a, b = s["offsets"]
            offsets["right"] += article.text[a:b] == s["quote"]
    return totals, per, offsets


def _all_supports(node: Any) -> Iterable[dict[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "support" and isinstance(v, list):
                yield from (s for s in v if isinstance(s, dict) and "offsets" in s)
            else:
                yield from _all_supports(v)
    elif isinstance(node, list):
        for v in node:
            yield from _all_supports(v)


_ARTICLE_AND = "the project's article and "


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def table_markdown(
    totals: dict[str, Score],
    per: dict[str, dict[str, Score]],
    offsets: dict[str, int],
    *,
    article: str = "thaigov-61364",
) -> str:
    """The tables of ``docs/ingest.md``: the whole set, and the project's article."""
    written = len(per) - (article in per)
    lines = [
        f"Releases: {len(per)} ({_ARTICLE_AND if article in per else ''}{written} written for the set).",
        "",
        "| claim | gold | proposed | correct | precision | recall | span exact | span overlap |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, s in totals.items():
        exact = _f(s.span_exact / s.span_checked) if s.span_checked else "—"
        overlap = _f(s.span_overlap / s.span_checked) if s.span_checked else "—"
        lines.append(
            f"| {kind} | {s.gold} | {s.found} | {s.correct} | {_f(s.precision)} | {_f(s.recall)} "
            f"| {exact} | {overlap} |"
        )
    all_ = Score()
    for s in totals.values():
        all_.add(s)
    lines += [
        "",
        f"All claims: precision {_f(all_.precision)}, recall {_f(all_.recall)}; span exact "
        f"{_f(all_.span_exact / all_.span_checked if all_.span_checked else None)}, overlap "
        f"{_f(all_.span_overlap / all_.span_checked if all_.span_checked else None)} "
        f"(of {all_.span_checked} claims found that the gold record quotes). Offsets: "
        f"{offsets['right']} of {offsets['checked']} draft spans are the text between their offsets.",
    ]
    if article in per:
        lines += [
            "",
            f"The project's article (`{article}`):",
            "",
            "| claim | gold | proposed | correct | precision | recall |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind, s in per[article].items():
            if s.gold or s.found:
                lines.append(f"| {kind} | {s.gold} | {s.found} | {s.correct} | {_f(s.precision)} | {_f(s.recall)} |")
    lines += [
        "",
        "Per release, recall / precision of all claims:",
        "",
        "| release | gold | proposed | correct | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, kinds in per.items():
        s = Score()
        for k in kinds.values():
            s.add(k)
        lines.append(f"| {name} | {s.gold} | {s.found} | {s.correct} | {_f(s.precision)} | {_f(s.recall)} |")
    return "\n".join(lines) + "\n"


def write_docs(path: Path, table: str, name: str) -> None:
    """Replace the part of ``path`` between the markers of ``name`` with ``table`` (atomically)."""
    from ..errors import InputError
    from ..io.atomic import write_bytes

    start, end = markers(name)
    try:
        page = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("ไม่พบไฟล์ / no such file", path=str(path)) from None
    if start not in page or end not in page:
        raise InputError(f"ไม่พบเครื่องหมาย {start} {end} / the markers {start} and {end} are missing", path=str(path))
    head, rest = page.split(start, 1)
    _, tail = rest.split(end, 1)
    write_bytes(path, (head + start + "\n" + table + end + tail).encode("utf-8"))


def run(folder: Path, docs: Path | None) -> int:
    totals, per, offsets = evaluate_folder(folder)
    table = table_markdown(totals, per, offsets)
    sys.stdout.write(table)
    if docs is not None:
        write_docs(docs, table, Path(folder).resolve().name)
        print(f"{docs}: ปรับตารางแล้ว / table rewritten", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    from ..config import Settings
    from ..errors import MouGraphError

    parser = argparse.ArgumentParser(prog="python -m mou_graph.ingest.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the labelled set (releases/ and gold/)")
    parser.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="the page whose table to rewrite (default: docs/ingest.md of the project; --no-docs: none)",
    )
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    docs = None if args.no_docs else (args.docs or Settings().root / "docs" / "ingest.md")
    try:
        return run(args.folder, docs)
    except MouGraphError as err:
        print(f"mou-graph: error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
