"""Reviewing a draft: its proposals as a flat list, the article cut into highlighted pieces, and a
reviewer's decisions (accept, reject, edit) applied and checked before the file is written back.

The front end (``mou-graph review``, :mod:`mou_graph.web.review`) only carries these over HTTP.

>>> doc = {"records": [{"parties": [{"org": "org/x", "support": [{"quote": "X", "offsets": [0, 1]}],
...         "confidence": 0.8, "rule": "r", "review": "proposed"}]}]}
>>> [(p.path, p.kind, p.fields) for p in proposals(doc)]
[('records.0.parties.0', 'party', {'org': 'org/x'})]
>>> apply_decisions(doc, [{"path": "records.0.parties.0", "review": "accepted", "fields": {"org": "org/y"}}])
1
>>> doc["records"][0]["parties"][0]["org"], doc["records"][0]["parties"][0]["review"]
('org/y', 'accepted')
>>> pieces("abcde", [Proposal("p", "party", {}, [(1, 3)], 1.0, "", "proposed")])
[('a', []), ('bc', ['p']), ('de', [])]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UsageError

__all__ = ["REVIEW_STATES", "Proposal", "apply_decisions", "pieces", "proposals", "review_state"]

REVIEW_STATES = ("proposed", "accepted", "rejected")
_META = {"support", "confidence", "rule", "review", "edited"}
MAX_VALUE = 2000

_KINDS = [("draft.dateline", "dateline"), (".title", "instrument title"), (".parties.", "party"),
          (".term.initial", "term: initial"), (".term.extension", "term: extension"), (".term.total", "term: total"),
          (".participants.", "person: role"), (".events.", "date"), (".areas.", "area"), (".activities.", "activity"),
          ("entities.people.", "person"), ("entities.organisations.", "organisation"), ("entities.areas.", "new area")]


@dataclass
class Proposal:
    path: str  # dotted path into the draft: records.0.parties.1
    kind: str
    fields: dict[str, Any]  # the scalar fields a reviewer may edit
    spans: list[tuple[int, int]]
    confidence: float
    rule: str
    review: str


def _kind(path: str, node: dict[str, Any]) -> str:
    if path.startswith("entities.people.") and path.count(".") >= 3:
        return "person: " + path.split(".")[3]
    if ".events." in path and ".participants." not in path:
        return f"date: {node.get('event', '')}"
    for needle, kind in _KINDS:
        if needle in path or path.startswith(needle):
            return kind
    return path.rsplit(".", 1)[-1]


def proposals(doc: Any, path: str = "") -> list[Proposal]:
    """Every item of the draft that carries a review state, in document order."""
    out: list[Proposal] = []
    if isinstance(doc, dict):
        if "review" in doc and "support" in doc:
            fields = {k: v for k, v in doc.items() if k not in _META and isinstance(v, str | int | float | bool)}
            for k, v in doc.items():  # a text map: {th: ..., en: ...}
                if k not in _META and isinstance(v, dict):
                    fields.update({f"{k}.{lang}": t for lang, t in v.items() if isinstance(t, str)})
            spans = [tuple(s["offsets"]) for s in doc.get("support") or [] if isinstance(s, dict) and "offsets" in s]
            out.append(Proposal(path, _kind(path, doc), fields, spans, float(doc.get("confidence", 0)),
                                str(doc.get("rule", "")), str(doc.get("review"))))
        for k, v in doc.items():
            if k != "support":
                out += proposals(v, f"{path}.{k}" if path else str(k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += proposals(v, f"{path}.{i}" if path else str(i))
    return out


def _resolve(doc: Any, path: str) -> Any:
    node = doc
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise UsageError(f"{path}: ไม่มีข้อเสนอนี้ในร่าง / no such proposal in the draft")
    if not (isinstance(node, dict) and "review" in node):
        raise UsageError(f"{path}: ไม่ใช่ข้อเสนอ / is not a proposal")
    return node


def _convert(old: Any, new: Any, where: str) -> Any:
    if not isinstance(new, str | int | float | bool) or len(str(new)) > MAX_VALUE:
        raise UsageError(f"{where}: ค่าไม่ถูกต้อง / not a valid value")
    if isinstance(old, bool):
        if str(new).lower() not in ("true", "false"):
            raise UsageError(f"{where}: ต้องเป็น true หรือ false / must be true or false")
        return str(new).lower() == "true"
    if isinstance(old, int | float) and not isinstance(old, bool):
        try:
            return type(old)(new)
        except ValueError:
            raise UsageError(f"{where}: ต้องเป็นตัวเลข / must be a number") from None
    return str(new)


def apply_decisions(doc: dict[str, Any], decisions: list[dict[str, Any]]) -> int:
    """Apply ``[{path, review, fields}]`` to the draft in place, all or nothing; the number applied.
    Only an existing proposal's review state and its existing scalar fields can change."""
    staged: list[tuple[dict[str, Any], str, dict[str, Any]]] = []
    for d in decisions:
        if not isinstance(d, dict) or not isinstance(d.get("path"), str):
            raise UsageError("คำตัดสินต้องมี path / a decision needs a path")
        node = _resolve(doc, d["path"])
        state = d.get("review", node["review"])
        if state not in REVIEW_STATES:
            raise UsageError(f"{d['path']}: review ต้องเป็น {'/'.join(REVIEW_STATES)} / review must be one of them")
        changes: dict[str, Any] = {}
        for key, value in (d.get("fields") or {}).items():
            head, _, lang = str(key).partition(".")
            if key in _META or head not in node:
                raise UsageError(f"{d['path']}.{key}: ไม่มีช่องนี้ / no such field")
            old = node[head][lang] if lang else node[head]
            if lang and not isinstance(node[head], dict):
                raise UsageError(f"{d['path']}.{key}: ไม่มีช่องนี้ / no such field")
            if isinstance(old, dict | list):
                raise UsageError(f"{d['path']}.{key}: แก้ได้เฉพาะค่าเดี่ยว / only single values can be edited")
            changes[key] = _convert(old, value, f"{d['path']}.{key}")
        staged.append((node, state, changes))
    for node, state, changes in staged:
        node["review"] = state
        for key, value in changes.items():
            head, _, lang = key.partition(".")
            old = node[head][lang] if lang else node[head]
            if old != value:
                if lang:
                    node[head][lang] = value
                else:
                    node[head] = value
                node["edited"] = True
    if "draft" in doc and isinstance(doc["draft"], dict):
        doc["draft"]["review"] = review_state(doc)
    return len(staged)


def review_state(doc: dict[str, Any]) -> str:
    """``proposed`` (nothing decided), ``partial``, or ``reviewed`` (every proposal decided)."""
    states = [p.review for p in proposals(doc)]
    if all(s == "proposed" for s in states):
        return "proposed"
    return "reviewed" if all(s != "proposed" for s in states) else "partial"


def pieces(text: str, props: list[Proposal]) -> list[tuple[str, list[str]]]:
    """The text cut at every span boundary: ``(piece, [paths of the proposals whose words it is])``."""
    cuts = {0, len(text)}
    for p in props:
        for s, e in p.spans:
            if 0 <= s < e <= len(text):
                cuts |= {s, e}
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        ids = [p.path for p in props if any(s <= a and b <= e for s, e in p.spans)]
        out.append((text[a:b], ids))
    return out
