"""The draft writer: the extractors' findings as a record in the register's YAML format.

A draft is one YAML document: ``draft`` (what made it, the article's path, sha256 and dateline),
``sources`` (the article: its id, and its text unless the project ships it), ``records`` (one agreement
per instrument the release names; several share the ceremony's ``event`` id) and ``entities`` (people
with honorific, name and post; new organisations and areas). Every proposed claim carries
``support: [{quote, source, offsets: [start, end]}]`` (the verbatim span and its code-point offsets in the
stored text), a ``confidence``, the ``rule`` that proposed it and ``review: proposed``; a reviewer sets
``accepted`` or ``rejected`` (``mou-graph review``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import DateMention, bare_relative, dateline_of, event_of, find_dates, resolve_year
from .entities import (
    ROLE_CUES,
    AreaMention,
    InstrumentMention,
    OrgMention,
    PersonMention,
    area_key,
    find_activities,
    find_areas,
    find_instruments,
    find_orgs,
    find_people,
    title_areas,
)
from .intake import Article
from .lexicon import Lexicon, register_lexicon
from .terms import add_duration, find_terms
from .text import sentence_bounds

if TYPE_CHECKING:
    from ..store import GraphStore

__all__ = ["FORMAT", "build_draft", "draft_yaml", "load_draft", "write_draft"]

FORMAT = "mou-graph-draft/0"
_KIND_EN = {
    "mou": "Memorandum of Understanding",
    "memorandum-of-cooperation": "Memorandum of Cooperation",
    "agreement": "Agreement",
    "letter-of-intent": "Letter of Intent",
    "record-of-discussions": "Record of Discussions",
    "action-plan": "Action Plan",
    "joint-declaration": "Joint Declaration",
    "protocol": "Protocol",
    "contract": "Contract",
}


def _quote(text: str, s: int, e: int, source: str) -> dict[str, Any]:
    q = text[s:e]
    support: dict[str, Any] = {"quote": q, "source": source, "offsets": [s, e]}
    occurrence = text.count(q, 0, s) + 1 if q else 1
    if occurrence > 1 or text.count(q) > 1:
        support["occurrence"] = occurrence
    return support


def _claim(
    body: dict[str, Any], spans: Iterable[tuple[int, int]], text: str, source: str, confidence: float, rule: str
) -> dict[str, Any]:
    seen: list[tuple[int, int]] = []
    for s, e in spans:
        if (s, e) not in seen:
            seen.append((s, e))
    body["support"] = [_quote(text, s, e, source) for s, e in seen[:3]]
    body["confidence"] = round(confidence, 2)
    body["rule"] = rule
    body["review"] = "proposed"
    return body


def _rtgs(thai: str) -> str:
    from pythainlp.transliterate import romanize

    return " ".join(romanize(w, engine="royin") for w in re.split(r"[ \u00a0]+", thai) if w)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-") or "x"


def _roles(text: str, people: list[PersonMention], body_start: int) -> dict[int, tuple[str, float, str]]:
    """A role for each mention (index) that has one: signatory, witness or announcer."""
    out: dict[int, tuple[str, float, str]] = {}
    for i, p in enumerate(people):
        if p.start < body_start:
            continue
        s, e = sentence_bounds(text, p.start, p.end)
        sentence = text[s:e]
        rel = p.start - s
        rel_end = (p.post_span[1] if p.post_span else p.end) - s
        signs = [m for m in ROLE_CUES["signatory"].finditer(sentence)]
        witness_after = ROLE_CUES["witness"].search(sentence, rel_end)
        presence_before = re.search(r"in the presence of|witnessed by", sentence[:rel], re.I)
        if presence_before and not any(presence_before.end() <= m.start() < rel for m in signs):
            out[i] = ("witness", 0.85, f"witness cue before the name: '{presence_before.group(0)}'")
            continue
        if witness_after:
            last_sign = max((m.end() for m in signs if m.end() <= rel), default=None)
            between_signs = any(rel_end <= m.start() < witness_after.start() for m in signs)
            opener = re.search(r"โดยมี|โดย|และมี|ขณะที่|ทั้งนี้|while|with", sentence[last_sign or 0 : rel])
            if not between_signs and (last_sign is None or opener):
                out[i] = ("witness", 0.85, f"witness cue after the name: '{witness_after.group(0)}'")
                continue
        speaker = (
            ROLE_CUES["announcer"].match(sentence, rel_end)
            or ROLE_CUES["announcer"].match(sentence.lstrip(), rel_end)
            or re.match(
                r"[ \u00a0(]*(?:[^ ]{0,30}\))?[ \u00a0]*(?:กล่าวว่า|เปิดเผยว่า|แถลง|said|announced|stated)",
                sentence[rel_end:],
            )
        )
        if signs:
            if speaker:
                cue_end = rel_end + speaker.end() if speaker.re.pattern.startswith("[") else speaker.end()
                next_sign = next((m.start() for m in signs if m.start() >= cue_end), None)
                other_between = next_sign is not None and any(
                    q.name != p.name and s + cue_end <= q.start < s + next_sign for q in people
                )
                if other_between:
                    out[i] = ("announcer", 0.75, "speaker of a sentence telling of others signing")
                    continue
                out[i] = ("signatory", 0.7, "speaker of a signing sentence, no other person named before the signing")
                continue
            out[i] = ("signatory", 0.8, f"named in a signing sentence: '{signs[0].group(0)}'")
            continue
        if speaker:
            out[i] = ("announcer", 0.7, "speaker (a reporting verb after the name)")
    return out


def _body_start(text: str, dateline: DateMention | None) -> int:
    if dateline is not None:
        return text.find("\n", dateline.end) + 1 if "\n" in text[dateline.end :] else dateline.end
    return 0


def build_draft(
    article: Article,
    *,
    store: GraphStore | None = None,
    lexicon: Lexicon | None = None,
    url: str | None = None,
    publisher: str | None = None,
) -> dict[str, Any]:
    """The draft for ``article`` (a dict ready for :func:`draft_yaml`)."""
    from .. import __version__
    from ..source.sources import SOURCE_ID, SOURCE_SHA256

    if lexicon is None:
        if store is None:
            from ..store import load_store

            store = load_store()
        lexicon = register_lexicon(store)
    text = article.text
    import hashlib

    shipped = hashlib.sha256(text.encode("utf-8")).hexdigest() == SOURCE_SHA256
    source_id = SOURCE_ID if shipped else "draft-" + _slug(Path(article.path).stem)

    # dates: the dateline first, then year-less and relative dates against it
    first = find_dates(text)
    dateline = dateline_of(text, first)
    dates = find_dates(text, default_year=dateline.value.year if dateline else None)
    if dateline is not None:
        for d in dates:
            resolve_year(d, dateline.value)
        dates += bare_relative(text, dates, dateline.value)
        dates.sort(key=lambda d: d.start)
    body = _body_start(text, dateline)

    instruments = [i for i in find_instruments(text)]
    if len(instruments) > 1:  # the headline's instrument said again in the body is the same
        in_body = [i for i in instruments if any(s >= body for s, _ in i.spans)]
        instruments = in_body or instruments
    orgs = find_orgs(text, lexicon)
    people = find_people(text, lexicon)
    roles = _roles(text, people, body)
    names = [(o.start, o.end) for o in orgs if o.kind == "org"] + [p.post_span for p in people if p.post_span]
    areas = find_areas(text, lexicon, body_start=body, names=names)
    for named in instruments:
        areas += title_areas(named, text, areas)
    areas.sort(key=lambda a: a.start)
    activities = find_activities(text, lexicon, body_start=body, areas=areas)
    terms = [t for t in find_terms(text)]

    year = dateline.value.year if dateline else (dates[0].value.year if dates else 0)
    records: list[dict[str, Any]] = []
    entities: dict[str, list[dict[str, Any]]] = {"organisations": [], "people": [], "areas": []}

    # people: one entity per person, with the honorific, the name, the post
    person_ids: dict[int, str] = {}
    by_name: dict[str, dict[str, Any]] = {}
    for i, p in enumerate(people):
        pid = p.iri or f"person/{_slug(_rtgs(p.name) if p.lang == 'th' else p.name)}"
        person_ids[i] = pid
        entry = by_name.get(pid)
        if entry is None:
            entry = {"id": pid}
            if p.iri:
                entry["register"] = True
            name_text: dict[str, Any] = {p.lang: p.name}
            entry["name"] = _claim(name_text, [(p.name_start, p.end)], text, source_id, 0.95 if p.iri else 0.8, p.rule)
            if p.lang == "th" and not p.iri:
                entry["name"]["rtgs"] = {"text": _rtgs(p.name), "by": "tool"}
            entry["honorific"] = _claim(
                {p.lang: p.honorific},
                [(p.start, p.start + len(p.honorific))],
                text,
                source_id,
                0.9,
                "honorific written before the name",
            )
            by_name[pid] = entry
            entities["people"].append(entry)
        if p.post and p.post_span is not None and "posts" not in entry:
            post_span = p.post_span
            post = re.sub(r"[ \u00a0]+", " ", p.post)
            claim: dict[str, Any] = {"post": {p.lang: post}}
            if p.post_iri:
                claim["post_id"] = p.post_iri
            org_in_post = [
                o for o in orgs if post_span[0] <= o.start < post_span[1] and o.kind == "org"
            ]
            if org_in_post:
                claim["organisation"] = org_in_post[0].iri or f"org/{_slug(_rtgs(org_in_post[0].label))}"
            entry["posts"] = [
                _claim(
                    claim,
                    [post_span],
                    text,
                    source_id,
                    0.9 if p.post_iri else 0.75,
                    f"register post {p.post_iri}" if p.post_iri else "post written beside the name",
                )
            ]

    # each person's role: the first mention with a signing or witness role, else announcer
    person_role: dict[str, tuple[str, float, str, int]] = {}
    for i, (role, conf, why) in sorted(roles.items()):
        pid = person_ids[i]
        have = person_role.get(pid)
        if have is None or (have[0] == "announcer" and role != "announcer"):
            person_role[pid] = (role, conf, why, i)

    # parties: organisations (not countries) of the signing sentences, outside witnesses' posts
    non_signers = [people[i] for pid, (r, _c, _w, i) in person_role.items() if r != "signatory"]
    party_mentions: list[OrgMention] = []
    for o in orgs:
        if o.kind != "org" or o.start < body:
            continue
        s, e = sentence_bounds(text, o.start, o.end)
        sentence = text[s:e]
        if not ROLE_CUES["signatory"].search(sentence):
            continue
        if any(p.post_span and p.post_span[0] <= o.start < p.post_span[1] for p in non_signers):
            continue
        if re.search(r"(?:ณ|at|in)[ \u00a0]*(?:the[ \u00a0]+)?$", text[max(s, o.start - 8) : o.start]):
            continue  # a place: "ณ กระทรวงการต่างประเทศ", "at the Ministry of ..."
        if ROLE_CUES["witness"].search(text[o.end : min(e, o.end + 25)]):
            continue
        party_mentions.append(o)
    for role, _c, _w, i in person_role.values():
        p = people[i]
        m = re.match(r"(?:Deputy\s+|Vice\s+)?Minister\s+(of\s+.+)$", p.post or "")
        derived = "ministry" + re.sub(r"\s+", "", (m.group(1) if m else "").casefold())
        if (
            role == "signatory"
            and m
            and p.post_span
            and not any(p.post_span[0] <= o.start < p.post_span[1] and o.kind == "org" for o in orgs)
            and not any(
                re.sub(r"\s+", "", o.label.casefold()).startswith(derived)
                or derived.startswith(re.sub(r"\s+", "", o.label.casefold()))
                for o in orgs
                if o.kind == "org"
            )
        ):
            # "Minister of Public Security of the Lao PDR": the signatory's ministry
            orgs.append(
                OrgMention(
                    None,
                    "Ministry " + m.group(1),
                    p.post_span[0],
                    p.post_span[1],
                    "org",
                    "the ministry of a signatory's post 'Minister of ...'",
                )
            )
    for named in instruments:
        for _s, e in named.spans:
            between = re.match(r"[ \u00a0]*(?:ระหว่าง|between)", text[e : e + 40])
            if between:
                s0, e0 = sentence_bounds(text, e, e + 1)
                for o in orgs:
                    if o.kind == "org" and e <= o.start < e0 and o.start < e + 300:
                        party_mentions.append(o)
    for role, _c, _w, i in person_role.values():
        if role == "signatory":
            p = people[i]
            for o in orgs:
                if p.post_span and p.post_span[0] <= o.start < p.post_span[1] and o.kind == "org":
                    party_mentions.append(o)

    new_orgs: dict[str, dict[str, Any]] = {}

    def org_id(o: OrgMention) -> str:
        if o.iri:
            return o.iri
        home = re.sub(r"(?:[ \u00a0]*แห่ง[ \u00a0]*ราชอาณาจักรไทย|\s+of\s+Thailand)$", "", o.label)
        for other in orgs:
            if (
                other is not o
                and not other.iri
                and other.label != o.label
                and re.sub(r"(?:[ \u00a0]*แห่ง[ \u00a0]*ราชอาณาจักรไทย|\s+of\s+Thailand)$", "", other.label) == home
                and len(other.label) > len(o.label)
            ):
                return org_id(other)  # "กระทรวงแรงงาน" is "กระทรวงแรงงานแห่งราชอาณาจักรไทย" written short
        lang = "en" if not re.search("[\u0e00-\u0e7f]", o.label) else "th"
        oid = f"org/{_slug(o.label if lang == 'en' else _rtgs(o.label))}"
        if oid not in new_orgs:
            names: dict[str, Any] = {lang: re.sub(r"[ \u00a0]+", " ", o.label)}
            if lang == "th":
                names["rtgs"] = {"text": _rtgs(o.label), "by": "tool"}
            entry = {
                "id": oid,
                "kind": "ministry" if re.match(r"กระทรวง|Ministry", o.label) else "agency",
                "names": [_claim(names, [(o.start, o.end)], text, source_id, 0.6, o.rule)],
            }
            new_orgs[oid] = entry
            entities["organisations"].append(entry)
        return oid

    def line_of(pos: int) -> tuple[int, int]:
        return text.rfind("\n", 0, pos) + 1, (text.find("\n", pos) if text.find("\n", pos) != -1 else len(text))

    several = len(instruments) > 1
    all_lines = [line_of(s) for i in instruments for s, _ in i.spans]
    ceremony = None
    each: list[InstrumentMention | None] = [*instruments] or [None]  # no instrument named: one untitled record
    for inst in each:
        lines = [line_of(s) for s, _ in inst.spans] if inst else []

        def belongs(pos: int, inst=inst, lines=lines) -> bool:
            """With several instruments: what is on an instrument's line is that one's; the rest is shared."""
            if not several:
                return True
            return any(a <= pos < b for a, b in lines) or not any(a <= pos < b for a, b in all_lines)

        rec: dict[str, Any] = {}
        kind = inst.kind if inst else "mou"
        area_slug = next((a.iri.split("/", 1)[1] for a in areas if a.iri and belongs(a.start)), None) or next(
            (_slug(a.label if not re.search("[ก-๛]", a.label) else _rtgs(a.label)) for a in areas if belongs(a.start)),
            None)
        rec["agreement"] = f"{kind}-{year}-{area_slug or _slug(_rtgs(inst.title) if inst and inst.title else kind)}"
        if several and inst is not None:  # several instruments: inst is one of them
            rec["agreement"] += (
                f"-{_slug((inst.title or kind).split()[-1] if inst.lang == 'en' else _rtgs((inst.title or '')[-12:]))}"
            )
        rec["kind"] = kind
        if inst and inst.title:
            title: dict[str, Any] = {inst.lang: inst.title}
            en = _translate_title(inst.title, kind, areas, lexicon) if inst.lang == "th" else None
            if en:
                title["en"] = {"text": en, "translation": "tool"}
            rec["title"] = _claim(
                title,
                inst.spans,
                text,
                source_id,
                0.8,
                f"instrument: kind word '{text[inst.start : inst.start + 16].split()[0]}' -> {kind}, "
                "title up to the next stop word",
            )
        elif inst:
            rec["title"] = _claim(
                {}, inst.spans, text, source_id, 0.4, f"instrument referred to without a title -> {kind}"
            )
        parties: list[dict[str, Any]] = []
        seen_party: set[str] = set()
        for o in sorted(party_mentions, key=lambda o: o.start):
            if not belongs(o.start):
                continue
            oid = org_id(o)
            if oid in seen_party:
                continue
            seen_party.add(oid)
            spans = [(x.start, x.end) for x in party_mentions if (x.iri or org_id(x)) == oid]
            parties.append(
                _claim(
                    {"org": oid},
                    spans,
                    text,
                    source_id,
                    0.85 if o.iri else 0.6,
                    f"organisation in a signing sentence ({o.rule})",
                )
            )
        if parties:
            rec["parties"] = parties
        # terms
        term: dict[str, Any] = {}
        start_date = None
        on_signing = re.search(
            r"มีผล(?:บังคับ|ใช้)(?:ใช้|บังคับ)?(?:ตั้งแต่|ใน)?วันที่(?:มีการ)?ลงนาม|enter(?:s|ed)?\s+into\s+force\s+(?:up)?on\s+(?:the\s+date\s+of\s+)?(?:its\s+)?signa?(?:ture|ing)|effective\s+(?:up)?on\s+signing",
            text.replace("\u00a0", " "),
        )
        events: list[dict[str, Any]] = []
        for d in dates:
            if d.start < body and d is not dateline:
                continue
            if d is dateline:
                continue
            event, cue, conf = event_of(text, d)
            if event is None or not belongs(d.start):
                continue
            if any(ev["event"] == event and ev["date"] == d.value.isoformat() for ev in events):
                for ev in events:
                    if ev["event"] == event and ev["date"] == d.value.isoformat() and len(ev["support"]) < 3:
                        ev["support"].append(_quote(text, d.start, d.end, source_id))
                continue
            found: dict[str, Any] = {"event": event, "date": d.value.isoformat(), "date_precision": d.precision}
            why = f"date ({d.form}) nearest the cue '{cue}'"
            if d.relative:
                why += f"; '{d.relative}' of the dateline {dateline.value.isoformat()}" if dateline else ""
            if d.notes:
                why += "; " + "; ".join(d.notes)
            events.append(_claim(found, [(d.start, d.end)], text, source_id, conf, why))
        if on_signing and not any(ev["event"] == "entry-into-force" for ev in events):
            sign = next((ev for ev in events if ev["event"] == "signing"), None)
            if sign:
                s0 = on_signing.start()
                events.append(
                    _claim(
                        {"event": "entry-into-force", "date": sign["date"], "date_precision": "day"},
                        [(s0, on_signing.end())],
                        text,
                        source_id,
                        0.8,
                        "enters into force on the date of signing: the signing date",
                    )
                )
        if (
            not any(ev["event"] == "signing" for ev in events)
            and dateline is not None
            and re.search(r"ลงนาม|signed", text[body:])
        ):
            events.append(
                _claim(
                    {
                        "event": "signing",
                        "date": dateline.value.isoformat(),
                        "date_precision": "day",
                        "date_is_report_date": True,
                    },
                    [(dateline.start, dateline.end)],
                    text,
                    source_id,
                    0.5,
                    "no date beside the signing: the release's own date (dateline)",
                )
            )
        for ev in events:
            if several and ev["event"] == "signing":
                ceremony = ceremony or f"ceremony/{ev['date']}"
                ev["id"] = ceremony
        start_ev = next((ev for ev in events if ev["event"] == "entry-into-force"), None) or next(
            (ev for ev in events if ev["event"] == "signing"), None
        )
        start_date = dt.date.fromisoformat(start_ev["date"]) if start_ev else None
        for t in terms:
            if not belongs(t.start) or t.slot in term:
                continue
            if t.start < body and any(u.start >= body and u.slot == t.slot for u in terms):
                continue
            duration: dict[str, Any] = {"duration": t.duration}
            if t.slot == "extension":
                duration["automatic"] = t.automatic
            spans = [
                (u.start, u.end) for u in terms if u.slot == t.slot and u.duration == t.duration and u.start >= body
            ]
            term[t.slot] = _claim(
                duration,
                spans or [(t.start, t.end)],
                text,
                source_id,
                0.85,
                f"duration with the cue '{t.cue[-20:].strip()}' -> {t.slot}",
            )
        if start_date and term:
            initial_end = None
            if "initial" in term:
                term["initial"]["start"] = start_date.isoformat()
                initial_end = add_duration(start_date, term["initial"]["duration"])
                term["initial"]["end"] = initial_end.isoformat()
            if "extension" in term and initial_end:
                term["extension"]["start"] = initial_end.isoformat()
                term["extension"]["end"] = add_duration(initial_end, term["extension"]["duration"]).isoformat()
            if "total" in term:
                term["total"]["start"] = start_date.isoformat()
                term["total"]["end"] = add_duration(start_date, term["total"]["duration"]).isoformat()
            term["end_dates_by"] = "tool: end = start + duration (the day the term expires, exclusive)"
        if term:
            rec["term"] = term
        # participants of the signing
        participants = []
        for pid, (role, conf, why, i) in sorted(person_role.items(), key=lambda kv: kv[1][3]):
            p = people[i]
            if not belongs(p.start) and several and role == "signatory":
                continue
            part: dict[str, Any] = {"person": pid, "role": role}
            if role == "signatory":
                post_orgs = [
                    o for o in orgs if p.post_span and p.post_span[0] <= o.start < p.post_span[1] and o.kind == "org"
                ]
                if post_orgs:
                    part["on_behalf_of"] = org_id(post_orgs[0])
            participants.append(_claim(part, [(p.start, p.end)], text, source_id, conf, why))
        if participants:
            sign = next((ev for ev in events if ev["event"] == "signing"), None)
            if sign is None:
                sign = {
                    "event": "signing",
                    "review": "proposed",
                    "confidence": 0.3,
                    "rule": "people with roles but no signing date",
                    "support": [],
                }
                events.append(sign)
            sign["participants"] = participants
        if events:
            rec["events"] = events
        rec_areas = []
        seen_area: set[str] = set()
        for a in areas:
            if not belongs(a.start) and several and not (inst and any(s <= a.start < e for s, e in inst.spans)):
                continue
            aid = a.iri or f"area/{_slug(a.label if not re.search('[ก-๛]', a.label) else _rtgs(a.label))}"
            if aid in seen_area or (not a.iri and area_key(a.label) in seen_area):
                continue
            seen_area.add(aid)
            seen_area.add(area_key(a.label))
            spans = [(x.start, x.end) for x in areas if (x.iri == aid) or (not x.iri and x.label == a.label)]
            claim = {"area": aid}
            rec_areas.append(_claim(claim, spans, text, source_id, 0.85 if a.iri else 0.5, a.rule))
            if not a.iri and all(e["id"] != aid for e in entities["areas"]):
                lang = "th" if re.search("[ก-๛]", a.label) else "en"
                label: dict[str, Any] = {lang: re.sub(r"[ \u00a0]+", " ", a.label)}
                if lang == "th":
                    label["rtgs"] = {"text": _rtgs(a.label), "by": "tool"}
                entities["areas"].append(
                    _claim(
                        {"id": aid, "label": label},
                        [(a.start, a.end)],
                        text,
                        source_id,
                        0.5,
                        "new area: not in the scheme",
                    )
                )
        if rec_areas:
            rec["areas"] = rec_areas
        acts = []
        for act in activities:
            if several and not belongs(act.start):
                continue
            claim = (
                {"activity": act.iri}
                if act.iri
                else {"activity_kind": act.key, "label": {"th" if re.search("[ก-๛]", act.label) else "en": act.label}}
            )
            acts.append(_claim(claim, [(act.start, act.end)], text, source_id, 0.8 if act.iri else 0.6, act.rule))
        if acts:
            rec["activities"] = acts
        records.append(rec)

    src: dict[str, Any] = {
        "path": article.path,
        "sha256": article.sha256,
        "language": article.lang,
        "kind": article.kind,
    }
    if url:
        src["url"] = url
    if publisher:
        src["publisher"] = publisher
    if not shipped:
        src["text"] = text
    draft: dict[str, Any] = {
        "draft": {
            "format": FORMAT,
            "tool": f"mou-graph ingest {__version__}",
            "review": "proposed",
            "source": source_id,
            "language": article.lang,
        },
        "sources": {source_id: src},
    }
    if dateline is not None:
        draft["draft"]["dateline"] = _claim(
            {"date": dateline.value.isoformat(), "form": dateline.form},
            [(dateline.start, dateline.end)],
            text,
            source_id,
            0.9,
            "the first full date alone on one of the first lines",
        )
    changed = _normalize_changes(text)
    if changed:
        draft["draft"]["normalize"] = (f"PyThaiNLP's normalize would change {changed} character(s) other than white "
                                       "space (repeated or misplaced marks): the offsets refer to the text as stored")
    draft["records"] = records
    draft["entities"] = {k: v for k, v in entities.items() if v}
    return draft


def _normalize_changes(text: str) -> int:
    """How many characters, white space aside, PyThaiNLP's ``normalize`` would change (the text is kept as is)."""
    import difflib

    from pythainlp.util import normalize

    a = re.sub(r"\s", "", text)
    b = re.sub(r"\s", "", normalize(text))
    if a == b:
        return 0
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")


def _translate_title(title: str, kind: str, areas: list[AreaMention], lexicon: Lexicon) -> str | None:
    """An English title from the register's own English labels, only when every part is covered."""
    m = re.match(
        r"(?:บันทึกความเข้าใจ|บันทึกความร่วมมือ|ความตกลง|หนังสือแสดงเจตจำนง|แผนปฏิบัติการ|พิธีสาร)"
        r"(?:ว่าด้วย)?(?:ความร่วมมือ)?(?:ด้าน|ในด้าน|ทาง)?(.+)$",
        title,
    )
    if not m:
        return None
    rest = m.group(1)
    found = lexicon.find(rest, ["area"])
    covered = re.sub(r"[ \u00a0]|และ", "", "".join(rest[: f.start] + "" for f in found[:1]))
    pieces: list[str] = []
    pos = 0
    for f in found:
        gap = re.sub(r"[ \u00a0]|และ|,", "", rest[pos : f.start])
        if gap:
            return None
        en = [t.label for t in lexicon.terms if t.iri == f.iri and t.lang == "en" and t.field in ("prefLabel", "label")]
        if not en:
            return None
        pieces.append(en[0] if not pieces else en[0][0].lower() + en[0][1:] if not en[0][:2].isupper() else en[0])
        pos = f.end
    if not pieces or re.sub(r"[ \u00a0]|และ", "", rest[pos:]) or covered:
        return None
    small = {"and", "of", "the", "in", "on", "for", "to", "a", "an"}
    pieces = [
        " ".join(w if (w in small and k) or w.isupper() else w[:1].upper() + w[1:] for k, w in enumerate(piece.split()))
        for piece in pieces
    ]
    joined = pieces[0] if len(pieces) == 1 else ", ".join(pieces[:-1]) + ", and " + pieces[-1]
    coop = "ความร่วมมือ" in title
    return f"{_KIND_EN[kind]} on {'Cooperation in ' if coop else ''}{joined}"


# -- YAML ------------------------------------------------------------------------------------------
def draft_yaml(draft: dict[str, Any]) -> str:
    """The draft as YAML (block style, UTF-8 kept, long texts as literal blocks where YAML allows)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text_rep(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        if "\n" in value and not re.search(r"[ \t]\n|[\u00a0\u200b\ufeff]|\r", value) and not value.startswith(" "):
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, text_rep)
    head = (
        "# Draft record made by `mou-graph ingest`: every claim is a proposal (review: proposed) until a\n"
        "# person accepts it (`mou-graph review`). Offsets count code points of the article's stored text.\n"
        "# ร่างบันทึกที่ `mou-graph ingest` สร้าง: ทุกข้อเป็นข้อเสนอ (review: proposed) จนกว่าผู้ตรวจจะยอมรับ\n"
    )
    return head + yaml.dump(draft, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100000)


def write_draft(draft: dict[str, Any], target: Path) -> None:
    """Write the draft atomically (a reader sees the old file or the new one, never half)."""
    from ..io.atomic import write_bytes

    write_bytes(target, draft_yaml(draft).encode("utf-8"))


def load_draft(path: Path) -> dict[str, Any]:
    """Read a draft back (YAML safe load); a file that is not one is an InputError naming it."""
    import yaml

    from ..errors import InputError

    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("ไม่พบไฟล์ / no such file", path=str(p)) from None
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"ไม่ใช่ UTF-8 / not UTF-8 (byte {err.start})", path=str(p)) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(
            f"YAML ผิดรูปแบบ / not valid YAML: {getattr(err, 'problem', err)}",
            path=str(p),
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(doc, dict) or "records" not in doc or "sources" not in doc:
        raise InputError("ไม่ใช่ร่างของ mou-graph ingest / not a mou-graph ingest draft (no records/sources)", path=str(p))
    return doc


def draft_text(draft: dict[str, Any], *, root: Path | None = None) -> str:
    """The article text a draft's offsets refer to: stored in the draft, or the shipped source."""
    sid = draft["draft"]["source"]
    src = draft["sources"][sid]
    if "text" in src:
        return src["text"]
    from ..config import Settings
    from ..source.sources import read_source

    settings = Settings(root=root) if root else Settings()
    return read_source(settings.source)
