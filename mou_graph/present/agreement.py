"""An agreement's page, answer first: who took part and who signed for them (with their posts), when it
was signed, its status today, its last day in force and its extension; then its terms, areas, activities
and statements in the order the article names them. Used by :meth:`PageData.mou
<mou_graph.present.pages.PageData.mou>`; the status comes from the catalogue's one rule.

>>> participants_key({MOU + "MemorandumOfUnderstanding"}, None), participants_key({MOU + "Contract"}, None)
('participants', 'parties_binding')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mou_graph.lang import pick
from mou_graph.present.dates import date_text, day_before, format_date, format_duration
from mou_graph.vocab import MOU, ORG, SCHEMA, TIME

__all__ = ["NON_BINDING", "participants_key", "summary"]

# instruments that bind no one: their sides are participants, not parties (issue 12: "ผู้เข้าร่วมทั้งสองฝ่าย")
NON_BINDING = {MOU + k for k in ("MemorandumOfUnderstanding", "MemorandumOfCooperation", "LetterOfIntent",
                                 "RecordOfDiscussions", "ActionPlan", "JointDeclaration")}
_TERMS = (("initial", "initialTerm"), ("extension", "extensionTerm"), ("total", "totalTerm"))


def _named(iri: str) -> Any:
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def participants_key(types: set[str], binding: str | None) -> str:
    """The message that names an agreement's sides: participants unless it binds (a source says so,
    or its kind is a binding one)."""
    if binding == "true" or (binding is None and not types & NON_BINDING):
        return "parties_binding"
    return "participants"


def _date(value: str | None, lang: str) -> dict[str, str] | None:
    return {"raw": value[:10], "text": format_date(value, lang)} if value else None


def _first(data: Any, iri: str, prop: str) -> Any:
    values = data.objects(iri, prop)
    return values[0] if values else None


def _term(data: Any, iri: str, key: str, lang: str) -> dict[str, Any] | None:
    node = _first(data, iri, MOU + key)
    if node is None or node.value in data.hidden:
        return None
    term = node.value
    duration = _first(data, term, TIME + "hasXSDDuration")
    start = _first(data, term, SCHEMA + "startDate")
    end = _first(data, term, SCHEMA + "endDate")
    automatic = _first(data, term, MOU + "automatic")
    return {"iri": term, "label": data.label(term, lang),
            "duration": format_duration(duration.value, lang) if duration is not None else "",
            "start": _date(start and start.value, lang),
            # schema:endDate is exclusive: a reader is shown the last day in force, and the end named as such
            "last_day": _date(day_before(end.value), lang) if end is not None else None,
            "end": _date(end and end.value, lang),
            "automatic": automatic is not None and automatic.value == "true"}


def _people(data: Any, iri: str, lang: str) -> list[dict[str, Any]]:
    """The signatories: name, honorific, posts (with the organisation of each), on whose behalf."""
    node = _named(iri)
    behalf: dict[str, str] = {}
    for r in data.rows(f"""SELECT ?mou ?person ?for WHERE {{ ?mou <{MOU}event> ?e . ?e <{MOU}participation> ?p .
            ?p <{MOU}participant> ?person ; <{MOU}role> <{MOU}SignatoryRole> ; <{MOU}onBehalfOf> ?for }}""", mou=node):
        behalf.setdefault(r["person"].value, r["for"].value)
    people = {o.value for o in data.objects(iri, MOU + "signatory")} | set(behalf)
    out = []
    for person in people - data.hidden:
        honorifics = {o.language or "": o.value for o in data.objects(person, MOU + "honorific")}
        posts = []
        for post in data.objects(person, ORG + "holds"):
            org = _first(data, post.value, ORG + "postIn")
            posts.append({**data.ref(post.value, lang), "org": org.value if org is not None else None,
                          "org_ref": data.ref(org.value, lang) if org is not None else None})
        out.append({**data.ref(person, lang), "honorific": pick(honorifics, lang) or "", "posts": posts,
                    "for": behalf.get(person)})
    return out


def summary(data: Any, iri: str, lang: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """The view model of an agreement's summary (see the module's docstring)."""
    today = today or dt.date.today()
    types = set(data.types.get(iri, []))
    binding = _first(data, iri, MOU + "binding")
    order = data.article_order

    def in_order(refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(refs, key=lambda r: (order(r["iri"]), r["label"]))

    parties = in_order(data.refs(iri, MOU + "party", lang))
    party_iris = [p["iri"] for p in parties]
    signatories = _people(data, iri, lang)
    for s in signatories:
        # the post held for this agreement: one in an organisation that takes part, else every post held
        mine = [p for p in s["posts"] if p["org"] in (s["for"], *party_iris)]
        s["posts"] = mine or s["posts"]
        s["side"] = s["for"] if s["for"] in party_iris else next((p["org"] for p in mine if p["org"] in party_iris),
                                                                 None)
    sides = [dict(p, signatories=in_order([s for s in signatories if s["side"] == p["iri"]])) for p in parties]
    others = in_order([s for s in signatories if s["side"] is None])

    terms = {key: _term(data, iri, prop, lang) for key, prop in _TERMS}
    for key, term in terms.items():
        if term:
            term["key"] = key
    iso = today.isoformat()
    status = data.statuses(today, lang).get(iri) or {"key": "unknown", "label": "", "lang": "", "end": None}
    signing = _first(data, iri, MOU + "signingDate")
    signed = _date(signing and signing.value, lang)
    if signed is None:  # a signing a source dates only to the month or the year
        rows = data.rows(f"""SELECT ?mou ?d WHERE {{ ?mou <{MOU}event> ?e . ?e a <{MOU}Signing> ; <{MOU}date> ?d }}
                              ORDER BY ?d LIMIT 1""", mou=_named(iri))
        if rows:
            signed = {"raw": rows[0]["d"].value, "text": date_text(rows[0]["d"].value, lang)}
    entry = _first(data, iri, MOU + "entryIntoForceDate")
    # the last day in force: of the term the rule says is current, else of the initial term
    current = next((t for t in (terms["extension"], terms["initial"]) if t and t["end"]
                    and status.get("end") and t["end"]["raw"] == status["end"][:10]), None) or terms["initial"]
    area_iris = {o.value for p in ("scope", "area") for o in data.objects(iri, MOU + p)}
    statements = []
    for ref in in_order(data.refs(iri, MOU + "statement", lang)):
        quotes = data.objects(ref["iri"], MOU + "quotation")
        translations = data.objects(ref["iri"], MOU + "translation")
        speakers = data.refs(ref["iri"], MOU + "speaker", lang)
        statements.append(dict(ref, speakers=speakers, quotation=quotes[0].value if quotes else None,
                               translation=translations[0].value if translations and lang != "th" else None))
    # the evidence (ontology 0.1) of the agreement's facts, one entry per sentence (a page without the register's)
    by_sentence: dict[str, dict[str, Any]] = {}
    for (about, prop), items in data.evidence.items():
        if about != iri:
            continue
        for q in items:
            group = by_sentence.setdefault(q.sentence, {"quotes": [], "props": []})
            group["quotes"] += [text for text, marked in q.segments if marked]
            label = data.label(prop, lang)
            if label not in group["props"]:
                group["props"].append(label)
    evidence = sorted(({"iri": s, "quoted": data.quoted(s, e["quotes"]), "props": e["props"]}
                       for s, e in by_sentence.items()), key=lambda e: (e["quoted"].position, e["iri"]))
    return {
        "evidence": evidence,
        "participants_key": participants_key(types, binding.value if binding is not None else None),
        "parties": parties,
        "sides": sides,
        "other_signatories": others,
        "signatories": in_order([{"iri": s["iri"], "label": s["label"]} for s in signatories]),
        "signing": signed,
        # entry into force, when a source gives a day other than the signing
        "entry_into_force": _date(entry.value, lang) if entry is not None and (
            signing is None or entry.value != signing.value) else None,
        "terms": [terms[k] for k, _ in _TERMS if terms[k]],
        "current_term": current,
        "extension": terms["extension"],
        "today": format_date(iso, lang),
        "today_raw": iso,
        "status": status["label"],
        "status_lang": status["lang"],
        "status_key": status["key"],
        "areas": data.area_tree(lang, only=area_iris, order=order),
        "activities": in_order(data.refs(iri, MOU + "activity", lang)),
        "statements": statements,
    }
