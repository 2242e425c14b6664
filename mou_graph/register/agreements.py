"""One agreement record (``data/agreements/<slug>.yaml``) to facts: title, parties, areas, term, events,
participants, related agreements, and what the 2022 record adds (principles, objectives, activities,
statements, contact points). Shortcuts are materialised from the preferred values of the events."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from mou_graph.vocab import MOU, RDF_TYPE, RDFS, SCHEMA, SKOS, TIME, XSD

if TYPE_CHECKING:
    from mou_graph.register.compiler import Register
    from mou_graph.register.records import Record

__all__ = ["add_duration", "compile_agreement"]

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")


def add_duration(start: datetime.date, duration: str) -> datetime.date:
    """The exclusive end of a term of whole years and months (29 February rolls to 1 March).

    >>> add_duration(datetime.date(2022, 11, 7), "P5Y")
    datetime.date(2027, 11, 7)
    >>> add_duration(datetime.date(2024, 2, 29), "P1Y")
    datetime.date(2025, 3, 1)
    """
    m = _DURATION.match(duration)
    if not m or not (m.group(1) or m.group(2)):
        raise ValueError(duration)
    months = start.month - 1 + int(m.group(1) or 0) * 12 + int(m.group(2) or 0)
    year, month = start.year + months // 12, months % 12 + 1
    try:
        return start.replace(year=year, month=month)
    except ValueError:  # the day does not exist in that month: the next month's first day
        return datetime.date(year + month // 12, month % 12 + 1, 1)


def _day(term: Any) -> datetime.date | None:
    if term is None or not term.datatype or term.datatype.value != XSD + "date":
        return None
    return datetime.date.fromisoformat(term.value)


def compile_agreement(reg: Register, rec: Record) -> None:
    from mou_graph.register.compiler import KIND_CLASS

    d = rec.data
    slug = d["agreement"]
    a = reg.define(f"mou/{slug}", rec, ("agreement",))
    if rec.path.stem != slug:
        raise rec.error(("agreement",), f"the file of {slug} must be named {slug}.yaml",
                        f"ไฟล์ของ {slug} ต้องชื่อ {slug}.yaml")
    reg.agreements.append(a)
    reg.add(a, RDF_TYPE, reg.iri_raw(MOU + "Agreement"))
    reg.add(a, RDF_TYPE, reg.iri_raw(MOU + KIND_CLASS[d.get("kind", "agreement")]))
    top = reg.supports(d, rec, (), [])
    reg.texts(a, (RDFS + "label",), d.get("title"), rec, ("title",), top)
    for i, alt in enumerate(d.get("alt_titles") or []):
        reg.texts(a, (SKOS + "altLabel",), alt, rec, ("alt_titles", i), top)
    reg.links(a, MOU + "party", d.get("parties"), "org", ("org",), rec, ("parties",), [])
    if "binding" in d:
        reg.value(a, MOU + "binding", d["binding"], rec, ("binding",), top,
                  lambda v, _w: reg.lit(str(bool(v)).lower(), dt=XSD + "boolean"))
    reg.links(a, MOU + "scope", d.get("scope"), "area", ("area",), rec, ("scope",), [])
    reg.links(a, MOU + "area", d.get("areas"), "area", ("area",), rec, ("areas",), [])
    for key, pred, cls in (("principles", "principle", "Principle"), ("objectives", "objective", "Objective")):
        for i, item in enumerate(d.get(key) or []):
            w = (key, i)
            s = reg.define(item["id"], rec, (*w, "id"))
            sups = reg.supports(item, rec, w, [])
            reg.fact(a, MOU + pred, reg.iri(s), sups, rec, w, evidence=item.get("evidence"))
            reg.add(s, RDF_TYPE, reg.iri_raw(MOU + cls))
            reg.texts(s, (RDFS + "label",), item.get("label"), rec, (*w, "label"), sups)
            reg.note(s, item.get("note"), rec, (*w, "note"))
    for i, item in enumerate(d.get("activities") or []):
        _activity(reg, a, item, rec, ("activities", i))
    for i, item in enumerate(d.get("statements") or []):
        _statement(reg, a, item, rec, ("statements", i))
    reg.links(a, MOU + "contactPoint", d.get("contact_points"), "contact", ("contact",), rec,
              ("contact_points",), [])
    events: dict[str, Any] = {}
    for i, ev in enumerate(d.get("events") or []):
        kind, term = _event(reg, a, ev, rec, ("events", i), events)
        events.setdefault(kind, term)
    if d.get("term"):
        _terms(reg, a, d["term"], rec, events)
    for i, rel in enumerate(d.get("related") or []):
        w = ("related", i)
        keys = [k for k in rel if k in ("predecessor", "revises", "amends", "part_of")]
        if len(keys) != 1:
            raise rec.error(w, "a related item names one of predecessor, revises, amends, part_of",
                            "รายการ related ต้องระบุหนึ่งใน predecessor, revises, amends, part_of")
        from mou_graph.register.compiler import RELATED

        target = reg.ref(rel[keys[0]], rec, (*w, keys[0]), ("mou",))
        reg.fact(a, RELATED[keys[0]], reg.iri(target), reg.supports(rel, rec, w, []), rec, w,
                 evidence=rel.get("evidence"))
    reg.note(a, d.get("notes"), rec, ("notes",))


def _activity(reg: Register, a: str, item: dict, rec: Record, w: tuple) -> None:
    s = reg.define(item["id"], rec, (*w, "id"))
    sups = reg.supports(item, rec, w, [])
    reg.fact(a, MOU + "activity", reg.iri(s), sups, rec, w, evidence=item.get("evidence"))
    reg.add(s, RDF_TYPE, reg.iri_raw(MOU + "CooperationActivity"))
    reg.texts(s, (RDFS + "label",), item.get("label"), rec, (*w, "label"), sups)
    if item.get("definition"):
        reg.texts(s, (SKOS + "definition",), item["definition"], rec, (*w, "definition"), sups)
    reg.links(s, MOU + "concerns", item.get("concerns"), "area", ("area",), rec, (*w, "concerns"), sups)
    reg.note(s, item.get("note"), rec, (*w, "note"))


def _statement(reg: Register, a: str, item: dict, rec: Record, w: tuple) -> None:
    s = reg.define(item["id"], rec, (*w, "id"))
    sups = reg.supports(item, rec, w, [])
    reg.fact(a, MOU + "statement", reg.iri(s), sups, rec, w, evidence=item.get("evidence"))
    reg.add(s, RDF_TYPE, reg.iri_raw(MOU + "Statement"))
    reg.texts(s, (RDFS + "label",), item.get("label"), rec, (*w, "label"), sups)
    sp = item["speaker"]
    target = sp.get("person") if isinstance(sp, dict) else sp
    reg.fact(s, MOU + "speaker", reg.iri(reg.ref(target, rec, (*w, "speaker"), ("person",))),
             reg.supports(sp, rec, (*w, "speaker"), sups), rec, (*w, "speaker"),
             evidence=sp.get("evidence") if isinstance(sp, dict) else None)
    q = item["quotation"]
    from mou_graph.register.compiler import Support

    own = Support("quote", str(q["source"]), str(q["quote"]), q.get("occurrence"), rec, (*w, "quotation"))
    reg.fact(s, MOU + "quotation", reg.lit(str(q["quote"]), lang=q.get("language", "th")),
             [own, *reg.supports(q, rec, (*w, "quotation"), [])], rec, (*w, "quotation"), evidence=q.get("evidence"))
    if item.get("translation"):
        reg.texts(s, (MOU + "translation",), item["translation"], rec, (*w, "translation"), [own])
    if "direct_quote" in item:
        reg.value(s, MOU + "directQuote", item["direct_quote"], rec, (*w, "direct_quote"), sups,
                  lambda v, _w: reg.lit(str(bool(v)).lower(), dt=XSD + "boolean"))
    reg.links(s, MOU + "mentions", item.get("mentions"), "area", ("area",), rec, (*w, "mentions"), sups)
    reg.note(s, item.get("note"), rec, (*w, "note"))


def _event(reg: Register, a: str, ev: dict, rec: Record, w: tuple, seen: dict) -> tuple[str, Any]:
    from mou_graph.register.compiler import EVENT_CLASS, ROLE

    kind = ev["event"]
    n = sum(1 for k in seen.get("_order", []) if k == kind) + 1
    seen.setdefault("_order", []).append(kind)
    e = f"{a}/event/{kind}" + (f"-{n}" if n > 1 else "")
    sups = reg.supports(ev, rec, w, [])
    reg.add(e, RDF_TYPE, reg.iri_raw(MOU + "Event"))
    reg.add(e, RDF_TYPE, reg.iri_raw(MOU + EVENT_CLASS[kind]))
    reg.fact(a, MOU + "event", reg.iri(e), sups, rec, w)
    shortcut = None
    if n == 1 and kind in ("signing", "entry-into-force"):
        shortcut = (a, MOU + ("signingDate" if kind == "signing" else "entryIntoForceDate"))
    date = None
    if ev.get("date") is not None:
        precision = ev.get("date_precision")
        date = reg.value(e, MOU + "date", ev["date"], rec, (*w, "date"), sups,
                         lambda v, ww: reg.date_term(v, rec, ww, precision))
        if shortcut and _day(date) is not None:
            # the shortcut holds the preferred value, known to the day, with the same supports
            pref = [f for f in reg.facts if f.s == e and f.p == MOU + "date" and f.asserted][-1]
            reg.fact(shortcut[0], shortcut[1], date, pref.supports, rec, pref.where,
                     evidence=ev.get("evidence"))
    if ev.get("date_is_report_date"):
        reg.fact(e, MOU + "dateIsReportDate", reg.lit("true", dt=XSD + "boolean"), sups, rec,
                 (*w, "date_is_report_date"))
    if ev.get("place"):
        reg.fact(e, MOU + "place", reg.iri(reg.ref(ev["place"], rec, (*w, "place"), ("place",))), sups, rec,
                 (*w, "place"))
    if ev.get("by"):
        reg.fact(e, MOU + "agent", reg.iri(reg.ref(ev["by"], rec, (*w, "by"), ("org",))), sups, rec, (*w, "by"))
    if ev.get("id"):
        c = ev["id"]
        reg.ref(c, rec, (*w, "id"), ("ceremony",))
        reg.defined.setdefault(c, (rec, (*w, "id")))
        reg.add(c, RDF_TYPE, reg.iri_raw(MOU + "Ceremony"))
        reg.fact(e, MOU + "ceremony", reg.iri(c), sups, rec, (*w, "id"))
    for j, part in enumerate(ev.get("participants") or []):
        wp = (*w, "participants", j)
        person = reg.ref(part["person"], rec, (*wp, "person"), ("person",))
        role = part.get("role", "signatory")
        psups = reg.supports(part, rec, wp, sups)
        p = f"{e}/participation/{person.split('/', 1)[1]}"
        reg.add(p, RDF_TYPE, reg.iri_raw(MOU + "Participation"))
        reg.fact(e, MOU + "participation", reg.iri(p), psups, rec, wp)
        reg.fact(p, MOU + "participant", reg.iri(person), psups, rec, (*wp, "person"))
        reg.fact(p, MOU + "role", reg.iri_raw(MOU + ROLE[role]), psups, rec, (*wp, "role"))
        if part.get("on_behalf_of"):
            reg.fact(p, MOU + "onBehalfOf",
                     reg.iri(reg.ref(part["on_behalf_of"], rec, (*wp, "on_behalf_of"), ("org",))), psups, rec,
                     (*wp, "on_behalf_of"))
        if kind == "signing" and role in ("signatory", "witness"):
            reg.fact(a, MOU + ("signatory" if role == "signatory" else "witness"), reg.iri(person), psups, rec, wp,
                     evidence=part.get("evidence"))
    reg.note(e, ev.get("note"), rec, (*w, "note"))
    return kind, date


def _terms(reg: Register, a: str, spec: dict, rec: Record, events: dict) -> None:
    start = _day(events.get("entry-into-force")) or _day(events.get("signing"))
    ends: dict[str, datetime.date] = {}
    for key, pred in (("initial", "initialTerm"), ("extension", "extensionTerm"), ("total", "totalTerm")):
        item = spec.get(key)
        if not item:
            continue
        w = ("term", key)
        t = item.get("id", f"{a}/term/{key}")
        reg.define(t, rec, w)
        sups = reg.supports(item, rec, w, [])
        reg.fact(a, MOU + pred, reg.iri(t), sups, rec, w, evidence=item.get("evidence"))
        reg.add(t, RDF_TYPE, reg.iri_raw(MOU + "Term"))
        if item.get("label"):
            reg.texts(t, (RDFS + "label",), item["label"], rec, (*w, "label"), sups)
        dur = item.get("duration")
        raw = dur.get("value") if isinstance(dur, dict) else dur
        if not isinstance(raw, str) or not _DURATION.match(raw) or raw == "P":
            raise rec.error((*w, "duration"), f"{raw!r} is not a duration of whole years or months (P5Y, P18M)",
                            f"{raw!r} ไม่ใช่ระยะเวลาเป็นปีหรือเดือนเต็ม (P5Y, P18M)")
        reg.value(t, TIME + "hasXSDDuration", dur, rec, (*w, "duration"), sups,
                  lambda v, _w: reg.lit(str(v), dt=XSD + "duration"))
        if "automatic" in item:
            reg.value(t, MOU + "automatic", item["automatic"], rec, (*w, "automatic"), sups,
                      lambda v, _w: reg.lit(str(bool(v)).lower(), dt=XSD + "boolean"))
        begin = {"initial": start, "extension": ends.get("initial"), "total": start}[key]
        if begin is None:
            continue
        end = add_duration(begin, raw)
        if key == "total" and "extension" in ends:
            end = ends["extension"]
        ends[key] = end
        for k, pred2, value in (("start", SCHEMA + "startDate", begin), ("end", SCHEMA + "endDate", end)):
            sub = item.get(k)
            reg.fact(t, pred2, reg.lit(value.isoformat(), dt=XSD + "date"), reg.supports(sub, rec, (*w, k), sups),
                     rec, (*w, k), evidence=sub.get("evidence") if isinstance(sub, dict) else None)
        reg.note(t, item.get("note"), rec, (*w, "note"))
