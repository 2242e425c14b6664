"""Entities of the register (``data/entities/*.yaml``): organisations and their changes, people and
their posts, roles, countries, places, contact points, cooperation areas and their schemes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mou_graph.vocab import MOU, ORG, RDF_TYPE, RDFS, SCHEMA, SKOS, XSD

if TYPE_CHECKING:
    from mou_graph.register.compiler import Register
    from mou_graph.register.records import Record

__all__ = ["compile_entities", "slugify"]

LABEL = (RDFS + "label", SKOS + "prefLabel")


def slugify(text: str) -> str:
    """A readable slug from English words.

    >>> slugify("Minister of Foreign Affairs")
    'minister-of-foreign-affairs'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _common(reg: Register, s: str, item: dict, rec: Record, w: tuple, sups: list) -> None:
    for i, alt in enumerate(item.get("alt_labels") or []):
        reg.texts(s, (SKOS + "altLabel",), alt, rec, (*w, "alt_labels", i), sups)
    for i, form in enumerate(item.get("search_forms") or []):
        wf = (*w, "search_forms", i)
        text = form.get("text") if isinstance(form, dict) else form
        reg.fact(s, MOU + "searchForm", reg.lit(str(text)), reg.supports(form, rec, wf, sups), rec, wf)
    if item.get("definition"):
        reg.texts(s, (SKOS + "definition",), item["definition"], rec, (*w, "definition"), sups)
    reg.note(s, item.get("note"), rec, (*w, "note"))
    see_also(reg, s, item)


def see_also(reg: Register, s: str, item: dict) -> None:
    """``see_also: [URL]``: pages a person may read about the thing (rdfs:seeAlso, editorial)."""
    for url in item.get("see_also") or []:
        reg.add(s, RDFS + "seeAlso", reg.iri_raw(str(url)))


def known_posts(rec: Record) -> dict[tuple[str, str], str]:
    """(organisation, English label) -> id of the posts a record names with an id: a post written again
    without its id (another holder of the same office) is the same node."""
    out = {}
    for person in rec.data.get("people") or []:
        for post in person.get("posts") or []:
            en = (post.get("post") or {}).get("en")
            en = en.get("text") if isinstance(en, dict) else en
            if post.get("id") and en:
                out[(post.get("organisation"), en)] = post["id"]
    return out


def compile_entities(reg: Register, rec: Record) -> None:
    d = rec.data
    for i, item in enumerate(d.get("organisations") or []):
        _organisation(reg, item, rec, ("organisations", i))
    for i, item in enumerate(d.get("changes") or []):
        _change(reg, item, rec, ("changes", i))
    for i, item in enumerate(d.get("roles") or []):
        w = ("roles", i)
        s = reg.define(item["id"], rec, w)
        sups = reg.supports(item, rec, w, [])
        reg.add(s, RDF_TYPE, reg.iri_raw(ORG + "Role"))
        reg.texts(s, (RDFS + "label",), item.get("label"), rec, (*w, "label"), sups)
        _common(reg, s, item, rec, w, sups)
    for i, item in enumerate(d.get("people") or []):
        _person(reg, item, rec, ("people", i))
    for i, item in enumerate(d.get("countries") or []):
        w = ("countries", i)
        s = reg.define(item["id"], rec, w)
        sups = reg.supports(item, rec, w, [])
        reg.add(s, RDF_TYPE, reg.iri_raw(MOU + "Country"))
        reg.texts(s, (RDFS + "label",), item.get("name"), rec, (*w, "name"), sups)
        _common(reg, s, item, rec, w, sups)
    for i, item in enumerate(d.get("places") or []):
        w = ("places", i)
        s = reg.define(item["id"], rec, w)
        sups = reg.supports(item, rec, w, [])
        reg.add(s, RDF_TYPE, reg.iri_raw(SCHEMA + "Place"))
        reg.texts(s, LABEL, item.get("name"), rec, (*w, "name"), sups)
        if item.get("country"):
            reg.fact(s, MOU + "country", reg.iri(reg.ref(item["country"], rec, (*w, "country"), ("country",))),
                     sups, rec, (*w, "country"))
        _common(reg, s, item, rec, w, sups)
    for i, item in enumerate(d.get("contacts") or []):
        _contact(reg, item, rec, ("contacts", i))
    for i, item in enumerate(d.get("schemes") or []):
        w = ("schemes", i)
        s = reg.define(item["id"], rec, w)
        sups = reg.supports(item, rec, w, [])
        reg.add(s, RDF_TYPE, reg.iri_raw(SKOS + "ConceptScheme"))
        reg.texts(s, (RDFS + "label",), item.get("label"), rec, (*w, "label"), sups)
        _common(reg, s, item, rec, w, sups)
    for i, item in enumerate(d.get("areas") or []):
        _area(reg, item, rec, ("areas", i))


def _organisation(reg: Register, item: dict, rec: Record, w: tuple) -> None:
    from mou_graph.register.compiler import ORG_CLASS

    s = reg.define(item["id"], rec, w)
    sups = reg.supports(item, rec, w, [])
    kind = item.get("kind", "organisation")
    reg.add(s, RDF_TYPE, reg.iri_raw(ORG_CLASS[kind]))
    if kind != "unit":
        reg.add(s, RDF_TYPE, reg.iri_raw(ORG + "Organization"))
    if kind in ("government", "organisation"):
        reg.add(s, RDF_TYPE, reg.iri_raw(ORG + "FormalOrganization"))
    names = item.get("names") or []
    for j, name in enumerate(names):
        wn = (*w, "names", j)
        nsups = reg.supports(name, rec, wn, sups)
        current = j == 0
        reg.texts(s, LABEL if current else (SKOS + "altLabel",), {k: v for k, v in name.items()
                                                                  if k not in ("from", "until")},
                  rec, wn, nsups)
        if current:
            for key, pred in (("from", SCHEMA + "startDate"), ("until", SCHEMA + "endDate")):
                if name.get(key) is not None:
                    reg.fact(s, pred, reg.date_term(name[key], rec, (*wn, key)), nsups, rec, (*wn, key))
    if item.get("country"):
        c = item["country"]
        target = c.get("country") if isinstance(c, dict) else c
        reg.fact(s, MOU + "country", reg.iri(reg.ref(target, rec, (*w, "country"), ("country",))),
                 reg.supports(c, rec, (*w, "country"), sups), rec, (*w, "country"),
                 evidence=c.get("evidence") if isinstance(c, dict) else None)
    if item.get("part_of"):
        p = item["part_of"]
        target = p.get("org") if isinstance(p, dict) else p
        pred = ORG + ("unitOf" if kind == "unit" else "subOrganizationOf")
        reg.fact(s, pred, reg.iri(reg.ref(target, rec, (*w, "part_of"), ("org",))),
                 reg.supports(p, rec, (*w, "part_of"), sups), rec, (*w, "part_of"),
                 evidence=p.get("evidence") if isinstance(p, dict) else None)
    _common(reg, s, item, rec, w, sups)


def _change(reg: Register, item: dict, rec: Record, w: tuple) -> None:
    s = reg.define(item["id"], rec, w)
    sups = reg.supports(item, rec, w, [])
    reg.add(s, RDF_TYPE, reg.iri_raw(ORG + "ChangeEvent"))
    reg.fact(s, MOU + "changeKind", reg.lit(str(item.get("kind", "rename"))), sups, rec, (*w, "kind"))
    for j, o in enumerate(item.get("original") or []):
        ident = reg.ref(o, rec, (*w, "original", j), ("org",))
        reg.fact(s, ORG + "originalOrganization", reg.iri(ident), sups, rec, (*w, "original", j))
        reg.fact(ident, ORG + "changedBy", reg.iri(s), sups, rec, (*w, "original", j))
    for j, o in enumerate(item.get("resulting") or []):
        ident = reg.ref(o, rec, (*w, "resulting", j), ("org",))
        reg.fact(s, ORG + "resultingOrganization", reg.iri(ident), sups, rec, (*w, "resulting", j))
        reg.fact(ident, ORG + "resultedFrom", reg.iri(s), sups, rec, (*w, "resulting", j))
    if item.get("date") is not None:
        reg.value(s, MOU + "date", item["date"], rec, (*w, "date"), sups,
                  lambda v, ww: reg.date_term(v, rec, ww, item.get("date_precision")))
    reg.note(s, item.get("note"), rec, (*w, "note"))


def _person(reg: Register, item: dict, rec: Record, w: tuple) -> None:
    s = reg.define(item["id"], rec, w)
    sups = reg.supports(item, rec, w, [])
    reg.add(s, RDF_TYPE, reg.iri_raw(SCHEMA + "Person"))
    reg.texts(s, LABEL, item.get("name"), rec, (*w, "name"), sups)
    for key, preds in (("given_name", (SCHEMA + "givenName",)), ("family_name", (SCHEMA + "familyName",)),
                       ("honorific", (SCHEMA + "honorificPrefix", MOU + "honorific"))):
        if item.get(key):
            reg.texts(s, preds, item[key], rec, (*w, key), sups)
    for j, post in enumerate(item.get("posts") or []):
        _post(reg, s, post, rec, (*w, "posts", j), sups)
    _common(reg, s, item, rec, w, sups)


def _post(reg: Register, person: str, post: dict, rec: Record, w: tuple, inherited: list) -> None:
    sups = reg.supports(post, rec, w, inherited)
    org_id = reg.ref(post["organisation"], rec, (*w, "organisation"), ("org",))
    label = post.get("post") or {}
    en = label.get("en")
    en = en.get("text") if isinstance(en, dict) else en
    default = f"post/{org_id.split('/', 1)[1]}-{slugify(en or 'post')}"
    pid = post.get("id") or reg.posts.get((org_id, en or "")) or default
    hold_ev = post.get("evidence")
    # the post's own facts rest on the words that name it (its label's support, else the post's)
    label_sups = reg.supports(label, rec, (*w, "post"), sups)
    label_ev = label.get("evidence") if isinstance(label, dict) else None
    if pid not in reg.defined:
        reg.define(pid, rec, w)
        reg.add(pid, RDF_TYPE, reg.iri_raw(ORG + "Post"))
        reg.texts(pid, LABEL, label, rec, (*w, "post"), sups)
        reg.fact(pid, ORG + "postIn", reg.iri(org_id), label_sups, rec, (*w, "organisation"), evidence=label_ev)
        if post.get("role"):
            reg.fact(pid, ORG + "role", reg.iri(reg.ref(post["role"], rec, (*w, "role"), ("role",))), label_sups,
                     rec, (*w, "role"), evidence=label_ev)
        reg.note(pid, post.get("note"), rec, (*w, "note"))
        see_also(reg, pid, post)
    reg.fact(person, ORG + "holds", reg.iri(pid), sups, rec, w, evidence=hold_ev)
    reg.fact(pid, ORG + "heldBy", reg.iri(person), label_sups, rec, w, evidence=label_ev)
    if post.get("from") is not None or post.get("until") is not None:
        m = f"{person}/tenure/{pid.split('/', 1)[1]}"
        reg.add(m, RDF_TYPE, reg.iri_raw(ORG + "Membership"))
        reg.fact(person, MOU + "tenure", reg.iri(m), sups, rec, w)
        reg.fact(m, ORG + "member", reg.iri(person), sups, rec, w)
        reg.fact(m, ORG + "organization", reg.iri(org_id), sups, rec, w)
        reg.fact(m, MOU + "post", reg.iri(pid), sups, rec, w)
        for key, pred in (("from", SCHEMA + "startDate"), ("until", SCHEMA + "endDate")):
            if post.get(key) is not None:
                reg.fact(m, pred, reg.date_term(post[key], rec, (*w, key)), sups, rec, (*w, key))


def _contact(reg: Register, item: dict, rec: Record, w: tuple) -> None:
    s = reg.define(item["id"], rec, w)
    sups = reg.supports(item, rec, w, [])
    reg.add(s, RDF_TYPE, reg.iri_raw(MOU + "ContactPerson"))
    reg.add(s, MOU + "personalData", reg.lit("true", dt=XSD + "boolean"))
    reg.texts(s, (RDFS + "label",), item.get("name"), rec, (*w, "name"), sups)
    for key, pred in (("given_name", SCHEMA + "givenName"), ("family_name", SCHEMA + "familyName"),
                      ("job_title", SCHEMA + "jobTitle")):
        if item.get(key):
            reg.texts(s, (pred,), item[key], rec, (*w, key), sups)
    if item.get("telephone"):
        reg.value(s, SCHEMA + "telephone", item["telephone"], rec, (*w, "telephone"), sups,
                  lambda v, _w: reg.lit(str(v)))
    if item.get("member_of"):
        m = item["member_of"]
        target = m.get("org") if isinstance(m, dict) else m
        reg.fact(s, ORG + "memberOf", reg.iri(reg.ref(target, rec, (*w, "member_of"), ("org",))),
                 reg.supports(m, rec, (*w, "member_of"), sups), rec, (*w, "member_of"),
                 evidence=m.get("evidence") if isinstance(m, dict) else None)
    _common(reg, s, item, rec, w, sups)


def _area(reg: Register, item: dict, rec: Record, w: tuple) -> None:
    s = reg.define(item["id"], rec, w)
    sups = reg.supports(item, rec, w, [])
    reg.add(s, RDF_TYPE, reg.iri_raw(MOU + "CooperationArea"))
    reg.add(s, RDF_TYPE, reg.iri_raw(SKOS + "Concept"))
    scheme = item.get("scheme", "scheme/areas")
    reg.ref(scheme, rec, (*w, "scheme"), ("scheme",))
    reg.add(s, SKOS + "inScheme", reg.iri(scheme))
    if item.get("top_concept"):
        reg.add(s, SKOS + "topConceptOf", reg.iri(scheme))
        reg.add(scheme, SKOS + "hasTopConcept", reg.iri(s))
    reg.texts(s, (SKOS + "prefLabel",), item.get("label"), rec, (*w, "label"), sups)
    for key, pred in (("broader", SKOS + "broader"), ("narrower", SKOS + "narrower")):
        reg.links(s, pred, item.get(key), "area", ("area",), rec, (*w, key), sups)
    _common(reg, s, item, rec, w, sups)
