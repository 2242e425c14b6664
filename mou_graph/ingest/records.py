"""A draft as register records: what ``mou-graph compile DRAFT`` and ``validate --data DRAFT`` compile.

:func:`draft_records` turns a draft (``mou-graph ingest``) into records of the register's schema: one
agreement record per instrument, an entities record with the new people, organisations and areas, and, for
a release the project does not ship, a sources record. What a reviewer **rejected** is left out; what is
still **proposed** is kept and marked: the record's ``notes`` list every unreviewed claim, and
:func:`mark_unreviewed` gives each compiled claim node that rests only on unreviewed words a
``skos:editorialNote`` saying so. Tool-only fields (offsets, confidence, rule, romanisations, computed end
dates) stay in the draft. A translation the tool drafted is kept only once a reviewer accepted it (it is
then the project's). Quotes of a shipped text stay quotes; words of a release the project does not ship
become citations of it (the first words of the quote, within the compiler's limit).

:func:`register_inputs` lays the converted records beside the register's own entities and sources in a
temporary folder, so the compiler reads them as one register.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..lang import LANGUAGES
from ..vocab import MOU, SKOS

__all__ = ["UNREVIEWED", "draft_records", "is_draft", "mark_unreviewed", "register_inputs"]

UNREVIEWED = {"en": "Proposed by mou-graph ingest; not yet reviewed.",
              "th": "ข้อเสนอของ mou-graph ingest ยังไม่ผ่านการตรวจ"}
_TOOL_FIELDS = {"support", "confidence", "rule", "review", "edited", "rtgs", "register", "post_id", "start", "end",
                "activity_kind", "date_is_report_date_by"}
MAX_WORDS, MAX_CHARS = 12, 80


def is_draft(path: Path) -> bool:
    """Whether ``path`` is a draft written by ``mou-graph ingest`` (its first lines say so)."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return "\ndraft:\n" in head and "mou-graph-draft/" in head


class _Converter:
    def __init__(self, draft: dict[str, Any], path: str | None = None,
                 register_labels: dict[str, dict[str, Any]] | None = None) -> None:
        self.draft = draft
        self.path = path
        self.register_labels = register_labels or {}  # register activity -> its label texts
        self.sid = draft["draft"]["source"]
        src = draft["sources"][self.sid]
        self.shipped = "text" not in src
        self.unreviewed: list[str] = []  # paths, for the record's notes
        self.marks: set[str] = set()  # support nodes of unreviewed claims
        self.kept: set[str] = set()  # support nodes of reviewed claims

    def keep(self, item: Any, path: str) -> bool:
        if not isinstance(item, dict) or "review" not in item:
            return True
        if item["review"] == "rejected":
            return False
        nodes = {self.node(s) for s in item.get("support") or [] if isinstance(s, dict)}
        if item["review"] == "proposed":
            self.unreviewed.append(path)
            self.marks |= nodes
        else:
            self.kept |= nodes
        return True

    def node(self, s: dict[str, Any]) -> str:
        if self.shipped:
            a, b = s.get("offsets", [0, 0])
            return f"source/{self.sid}/quote/{a}-{b}"
        return f"cite:{self.sid}:{self.words(s['quote'])}"  # matched by its words (mou:words) after compiling

    def words(self, quote: str) -> str:
        words = re.sub(r"[ \u00a0]+", " ", quote).strip().split(" ")[:MAX_WORDS]
        return " ".join(words)[:MAX_CHARS].strip()

    def supports(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for s in item.get("support") or []:
            if self.shipped:
                sup = {"quote": s["quote"], "source": self.sid}
                if s.get("occurrence"):
                    sup["occurrence"] = s["occurrence"]
            else:
                sup = {"cite": self.sid, "words": self.words(s["quote"])}
            if sup not in out:
                out.append(sup)
        return out

    def clean(self, item: dict[str, Any], path: str) -> dict[str, Any]:
        """``item`` with its supports in the register's form and the tool's fields removed."""
        out: dict[str, Any] = {}
        for k, v in item.items():
            if k in _TOOL_FIELDS:
                continue
            if isinstance(v, dict) and v.get("translation") == "tool":
                if item.get("review") == "accepted":
                    out[k] = {"text": v["text"], "translation": "project"}
                continue
            out[k] = v
        if item.get("support"):
            out["support"] = self.supports(item)
        return out

    def texts(self, item: dict[str, Any], path: str) -> dict[str, Any] | None:
        if not self.keep(item, path):
            return None
        out = self.clean(item, path)
        return out if any(k in out for k in LANGUAGES) else None

    def record(self, rec: dict[str, Any], i: int) -> dict[str, Any]:
        p = f"records.{i}"
        out: dict[str, Any] = {"agreement": rec["agreement"], "kind": rec["kind"]}
        title = self.texts(rec.get("title") or {}, f"{p}.title") if rec.get("title") else None
        out["title"] = title or {"en": {"text": f"Untitled {rec['kind']} (draft)", "translation": "project"}}
        out["parties"] = [self.clean(x, f"{p}.parties.{j}") for j, x in enumerate(rec.get("parties") or [])
                          if self.keep(x, f"{p}.parties.{j}")]
        term = {}
        for slot, t in (rec.get("term") or {}).items():
            if isinstance(t, dict) and self.keep(t, f"{p}.term.{slot}"):
                term[slot] = self.clean(t, f"{p}.term.{slot}")
                term[slot]["label"] = _term_label(slot, t)
        if term:
            out["term"] = term
        events = []
        for j, ev in enumerate(rec.get("events") or []):
            ep = f"{p}.events.{j}"
            if not self.keep(ev, ep):
                continue
            e = self.clean({k: v for k, v in ev.items() if k != "participants"}, ep)
            parts = [self.clean(x, f"{ep}.participants.{k}") for k, x in enumerate(ev.get("participants") or [])
                     if self.keep(x, f"{ep}.participants.{k}")]
            if parts:
                e["participants"] = parts
            if not e.get("support"):
                e["support"] = [s for x in parts for s in x.get("support", [])][:1]
            if not e.get("support"):
                continue
            if e.get("date") is None:
                e.pop("date", None)
            events.append(e)
        out["events"] = events
        areas = [self.clean(x, f"{p}.areas.{j}") for j, x in enumerate(rec.get("areas") or [])
                 if self.keep(x, f"{p}.areas.{j}")]
        if areas:
            out["areas"] = areas
        acts = []
        for j, a in enumerate(rec.get("activities") or []):
            ap = f"{p}.activities.{j}"
            if not self.keep(a, ap):
                continue
            quote = (a.get("support") or [{}])[0].get("quote", "")
            key = a.get("activity_kind") or (a.get("activity") or "activity/x").split("/", 1)[1]
            label = a.get("label") or self.register_labels.get(a.get("activity") or "") or {
                ("th" if re.search("[\u0e00-\u0e7f]", quote) else "en"): quote}
            acts.append({"id": f"activity/{rec['agreement']}-{key}", "label": label,
                         "support": self.supports(a)})
        if acts:
            out["activities"] = acts
        return out

    def entities(self) -> dict[str, Any]:
        ents = self.draft.get("entities") or {}
        out: dict[str, list[Any]] = {"organisations": [], "people": [], "areas": []}
        for i, o in enumerate(ents.get("organisations") or []):
            names = [self.clean(n, f"entities.organisations.{i}.names.{j}")
                     for j, n in enumerate(o.get("names") or [])
                     if self.keep(n, f"entities.organisations.{i}.names.{j}")]
            if names:
                out["organisations"].append({"id": o["id"], "kind": o.get("kind", "agency"), "names": names})
        for i, person in enumerate(ents.get("people") or []):
            if person.get("register"):
                continue  # the register defines them
            pp = f"entities.people.{i}"
            name = self.texts(person.get("name") or {}, f"{pp}.name")
            if name is None:
                continue
            entry: dict[str, Any] = {"id": person["id"], "name": name}
            hon = self.texts(person.get("honorific") or {}, f"{pp}.honorific") if person.get("honorific") else None
            if hon:
                entry["honorific"] = hon
            posts = []
            for j, post in enumerate(person.get("posts") or []):
                if post.get("organisation") and self.keep(post, f"{pp}.posts.{j}"):
                    posts.append(self.clean(post, f"{pp}.posts.{j}"))
            if posts:
                entry["posts"] = posts
            out["people"].append(entry)
        for i, a in enumerate(ents.get("areas") or []):
            if self.keep(a, f"entities.areas.{i}"):
                label = {k: v for k, v in (a.get("label") or {}).items() if k in LANGUAGES}
                out["areas"].append({"id": a["id"], "label": label, "support": self.supports(a)})
        return {k: v for k, v in out.items() if v}

    def sources(self) -> dict[str, Any]:
        src = self.draft["sources"][self.sid]
        first = next((line.strip() for line in src["text"].splitlines() if line.strip()), self.sid)
        missing = [k for k in ("url", "publisher") if not src.get(k)]
        if missing:
            from ..errors import InputError

            raise InputError(f"ข่าวนี้ไม่มี {', '.join(missing)}: ระบุด้วย mou-graph ingest --url/--publisher หรือเพิ่มใน "
                             f"sources ของร่าง / the release has no {' or '.join(missing)}: give them with mou-graph "
                             "ingest --url/--publisher, or add them under the draft's sources (a release the project "
                             "does not ship is cited by its address and publisher)", path=self.path)
        out = {"language": src.get("language", "th"), "title": first[:200], "url": src["url"],
               "publisher": src["publisher"]}
        return {self.sid: out}


_SLOTS = {"initial": ("ระยะเวลาเริ่มต้น", "Initial term of"), "extension": ("ระยะเวลาขยาย", "Extension of"),
          "total": ("ระยะเวลาทั้งหมด", "Total term of")}


def _term_label(slot: str, term: dict[str, Any]) -> dict[str, Any]:
    """The project's label of a term, from its slot and duration (``ระยะเวลาเริ่มต้น 5 ปี``,
    ``Initial term of 5 years``)."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", str(term.get("duration", "")))
    years, months = (int(m.group(1) or 0), int(m.group(2) or 0)) if m else (0, 0)
    th = " ".join(x for x in (f"{years} ปี" if years else "", f"{months} เดือน" if months else "") if x)
    en = " ".join(x for x in (f"{years} year{'s' * (years != 1)}" if years else "",
                              f"{months} month{'s' * (months != 1)}" if months else "") if x)
    auto = slot == "extension" and term.get("automatic")
    th_slot, en_slot = _SLOTS.get(slot, (slot, slot))
    return {"th": f"{th_slot}{'อัตโนมัติ' if auto else ''} {th}",
            "en": {"text": f"{'Automatic e' + en_slot[1:] if auto else en_slot} {en}", "translation": "project"}}


def draft_records(draft: dict[str, Any], path: str | None = None
                  ) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any], _Converter]:
    """(agreement records, entities record, sources record or {}, the converter with the marks)."""
    conv = _Converter(draft, path, _activity_labels())
    records = [conv.record(r, i) for i, r in enumerate(draft.get("records") or [])]
    entities = conv.entities()
    if conv.unreviewed:
        for rec in records:
            rec["notes"] = {"en": f"{UNREVIEWED['en']} Unreviewed claims in the draft: {len(conv.unreviewed)}.",
                            "th": f"{UNREVIEWED['th']} ข้อเสนอที่ยังไม่ตรวจในร่าง {len(conv.unreviewed)} ข้อ"}
    sources = {} if conv.shipped else {"sources": conv.sources()}
    return records, entities, sources, conv


def _activity_labels() -> dict[str, dict[str, Any]]:
    """The register's activities and their label texts, from its records (data/agreements/)."""
    from mou_graph.config import Settings
    from mou_graph.register import register_files
    from mou_graph.register.records import load_record

    out: dict[str, dict[str, Any]] = {}
    for path in register_files(Settings().root)["agreements"]:
        for a in load_record(path).data.get("activities") or []:
            label = {k: v for k, v in (a.get("label") or {}).items() if k in LANGUAGES}
            out.setdefault(a["id"], label)
    return out


def _dump(data: Any, path: Path) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000), encoding="utf-8")
    return path


@contextlib.contextmanager
def register_inputs(root: Path, paths: list[Path]) -> Iterator[tuple[Path, list[Path], list[_Converter]]]:
    """The register at ``root`` with the drafts among ``paths`` converted: (a root to compile, the agreement
    records to compile, the converters). With no draft, ``root`` and ``paths`` themselves."""
    from .draft import load_draft

    drafts = [p for p in paths if is_draft(p)]
    if not drafts:
        yield root, paths, []
        return
    with tempfile.TemporaryDirectory(prefix="mou-graph-draft-") as tmp:
        tmp_root = Path(tmp)
        data = tmp_root / "data"
        for sub in ("entities", "sources", "agreements"):
            (data / sub).mkdir(parents=True)
            for f in sorted((Path(root) / "data" / sub).glob("*.yaml")):
                (data / sub / f.name).symlink_to(f.resolve())
        (data / "source").symlink_to((Path(root) / "data" / "source").resolve())
        (tmp_root / "ontology").symlink_to((Path(root) / "ontology").resolve())
        out: list[Path] = [p for p in paths if p not in drafts]
        convs = []
        for path in drafts:
            records, entities, sources, conv = draft_records(load_draft(path), str(path))
            convs.append(conv)
            stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "draft"
            if entities:
                _dump(entities, data / "entities" / f"zz-draft-{stem}.yaml")
            if sources:
                _dump(sources, data / "sources" / f"zz-draft-{stem}.yaml")
            for rec in records:
                out.append(_dump(rec, tmp_root / f"{rec['agreement']}.yaml"))
        yield tmp_root, out, convs


def mark_unreviewed(graphs: dict[str, list[Any]], convs: list[_Converter], base: str) -> int:
    """Give each claim node resting only on unreviewed words a bilingual ``skos:editorialNote``; how many."""
    import pyoxigraph

    mou = MOU
    # a citation node is known by the source it cites and its words
    cites: dict[str, str] = {}
    words: dict[str, str] = {}
    for triples in graphs.values():
        for t in triples:
            if t.predicate.value == mou + "cites":
                cites[t.subject.value] = t.object.value[len(base) + len("source/"):]
            elif t.predicate.value == mou + "words":
                words[t.subject.value] = t.object.value

    def key(node: str) -> str:
        return f"cite:{cites[node]}:{words[node]}" if node in cites and node in words else node

    marks = {n if n.startswith("cite:") else base + n for c in convs for n in c.marks}
    kept = {n if n.startswith("cite:") else base + n for c in convs for n in c.kept}
    if not marks:
        return 0
    support = mou + "support"
    note = pyoxigraph.NamedNode(SKOS + "editorialNote")
    by_claim: dict[Any, set[str]] = {}
    where: dict[Any, str] = {}
    for graph, triples in graphs.items():
        for t in triples:
            if t.predicate.value == support:
                by_claim.setdefault(t.subject, set()).add(key(t.object.value))
                where[t.subject] = graph
    n = 0
    for claim, nodes in sorted(by_claim.items(), key=lambda kv: kv[0].value):
        if nodes & marks and not nodes & kept:
            for lang, text in UNREVIEWED.items():
                graphs[where[claim]].append(pyoxigraph.Triple(claim, note, pyoxigraph.Literal(text, language=lang)))
            n += 1
    return n
