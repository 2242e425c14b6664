"""The register's pages, as view models: the agreements (filters, sorting), the timeline across
agreements, an agreement's events, related agreements and sources, an organisation's agreements
and its names over time.

Every status comes from the catalogue's one rule (``queries/status-on.rq``), run on the store
for the day asked; nothing here decides a status. Labels follow :func:`mou_graph.lang.pick` and
carry the language they are in (``lang``), so a page tags a fallback text with its real language.

Dates as a page shows them (:func:`date_text`, :func:`precision`) live in :mod:`mou_graph.present.dates`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from mou_graph.lang import pick_tagged
from mou_graph.present.dates import date_text, format_date, precision
from mou_graph.present.formatting import format_literal
from mou_graph.vocab import DCTERMS as DCT
from mou_graph.vocab import MOU, ORG, RDFS, SCHEMA, SKOS

if TYPE_CHECKING:
    from mou_graph.present.pages import PageData

__all__ = ["AGREEMENT_SORTS", "Register", "date_text", "precision"]

AGREEMENT_SORTS = ("signed", "signed-asc", "title", "status")
STATUS_ORDER = ("in-force", "in-extension", "not-yet-in-force", "unknown", "ended")
# event classes of ontology 0.2, in the order a life runs (the order of events on one day)
EVENT_ORDER = ("Approval", "Signing", "Exchange", "EntryIntoForce", "Extension", "Renewal", "Amendment",
               "Supersession", "Termination", "Expiry")


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


class Register:
    """The register's view models over one :class:`PageData` (the store is read once per question)."""

    def __init__(self, data: PageData) -> None:
        self.data = data
        self.store = data.store
        self.base = data.base
        self._agreements: dict[str, dict[str, Any]] | None = None
        self._events: dict[str, list[dict[str, Any]]] | None = None
        self._broader: dict[str, set[str]] | None = None

    # -- labels ---------------------------------------------------------------------------
    def ref(self, iri: str, lang: str) -> dict[str, Any]:
        """``{iri, label, lang}``: the label by the fallback rule and the language it is in."""
        t = self.data.texts.get(iri)
        found = t and (pick_tagged(t.pref, lang) or pick_tagged(t.label, lang))
        if found:
            return {"iri": iri, "label": found[1], "lang": found[0]}
        return {"iri": iri, "label": iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri, "lang": ""}

    def _rows(self, sparql: str, **subs: Any) -> list[Any]:
        """The rows of a query, read at once (pyoxigraph results must not cross threads)."""
        return list(self.store.query(sparql, substitutions=subs or None))

    # -- the status rule ------------------------------------------------------------------
    def statuses(self, day: dt.date, lang: str) -> dict[str, dict[str, Any]]:
        """Agreement -> ``{key, label, lang, end, next, ending}`` by the catalogue's one rule (status-on)."""
        return self.data.statuses(day, lang)

    def _ask(self, name: str, params: dict[str, str], lang: str) -> list[Any]:
        return self.data.ask(name, params, lang)

    # -- what the register holds ------------------------------------------------------------
    def _broader_closure(self) -> dict[str, set[str]]:
        """Area -> itself and every broader area (skos:broader or an inverse skos:narrower)."""
        if self._broader is None:
            up: dict[str, set[str]] = defaultdict(set)
            for r in self._rows(f"""SELECT DISTINCT ?c ?b WHERE {{
                    {{ ?c <{SKOS}broader> ?b }} UNION {{ ?b <{SKOS}narrower> ?c }} }}"""):
                up[r["c"].value].add(r["b"].value)
            closure: dict[str, set[str]] = {}

            def walk(c: str) -> set[str]:
                if c not in closure:
                    closure[c] = {c}
                    for b in up.get(c, ()):
                        closure[c] |= walk(b)
                return closure[c]

            for c in list(up):
                walk(c)
            self._broader = closure
        return self._broader

    def _read(self) -> dict[str, dict[str, Any]]:
        """Every agreement: kinds, parties (with countries), areas, signing date (as given)."""
        if self._agreements is not None:
            return self._agreements
        hidden = self.data.hidden
        agreements: dict[str, dict[str, Any]] = {}
        for r in self._rows(f"""SELECT DISTINCT ?mou ?kind WHERE {{
                ?mou a ?kind . ?kind <{RDFS}subClassOf>* <{MOU}Agreement> }}"""):
            iri = r["mou"].value
            if iri in hidden:
                continue
            a = agreements.setdefault(iri, {"iri": iri, "kinds": set(), "parties": set(), "countries": set(),
                                            "areas": set(), "signed": None})
            a["kinds"].add(r["kind"].value)
        for r in self._rows(f"""SELECT ?mou ?org ?country WHERE {{ ?mou <{MOU}party> ?org .
                OPTIONAL {{ ?org <{MOU}country> ?country }} }}"""):
            agreement = agreements.get(r["mou"].value)
            if agreement is not None:
                agreement["parties"].add(r["org"].value)
                if r["country"] is not None:
                    agreement["countries"].add(r["country"].value)
        for r in self._rows(f"SELECT ?mou ?area WHERE {{ ?mou <{MOU}area>|<{MOU}scope> ?area }}"):
            agreement = agreements.get(r["mou"].value)
            if agreement is not None:
                agreement["areas"].add(r["area"].value)
        for iri, events in self.events().items():
            agreement = agreements.get(iri)
            if agreement is None:
                continue
            signings = [e["raw"] for e in events if e["kind_key"] == "Signing" and e["raw"]]
            if signings:
                agreement["signed"] = min(signings)
        closure = self._broader_closure()
        for a in agreements.values():
            a["area_keys"] = set().union(*(closure.get(x, {x}) for x in a["areas"])) if a["areas"] else set()
        self._agreements = agreements
        return agreements

    def events(self) -> dict[str, list[dict[str, Any]]]:
        """Agreement -> its events, by date: the event records of ontology 0.2, and for an agreement
        without them, its signing and entry-into-force dates (``mou:signingDate``, ...)."""
        if self._events is not None:
            return self._events
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self._rows(f"""SELECT ?mou ?e ?kind ?date ?reportDate ?place ?ceremony ?agent WHERE {{
                ?mou <{MOU}event> ?e . ?e a ?kind . ?kind <{RDFS}subClassOf> <{MOU}Event> .
                OPTIONAL {{ ?e <{MOU}date> ?date }} OPTIONAL {{ ?e <{MOU}dateIsReportDate> ?reportDate }}
                OPTIONAL {{ ?e <{MOU}place> ?place }} OPTIONAL {{ ?e <{MOU}ceremony> ?ceremony }}
                OPTIONAL {{ ?e <{MOU}agent> ?agent }} }}"""):
            kind = r["kind"].value
            if not kind.startswith(MOU):
                continue
            out[r["mou"].value].append({
                "iri": r["e"].value, "kind": kind, "kind_key": _short(kind),
                "raw": r["date"].value if r["date"] is not None else None,
                "report_date": r["reportDate"] is not None and r["reportDate"].value == "true",
                "place": r["place"] and r["place"].value, "ceremony": r["ceremony"] and r["ceremony"].value,
                "agent": r["agent"] and r["agent"].value,
            })
        for prop, kind in (("signingDate", "Signing"), ("entryIntoForceDate", "EntryIntoForce")):
            for r in self._rows(f"SELECT ?mou ?d WHERE {{ ?mou <{MOU}{prop}> ?d }}"):
                have = out[r["mou"].value]
                if not any(e["kind_key"] == kind for e in have):
                    have.append({"iri": None, "kind": MOU + kind, "kind_key": kind, "raw": r["d"].value,
                                 "report_date": False, "place": None, "ceremony": None, "agent": None})
        for items in out.values():
            items.sort(key=_event_key)
        self._events = dict(out)
        return self._events

    # -- the agreements page ----------------------------------------------------------------
    def agreements(self, lang: str, *, day: dt.date, partner: str = "", area: str = "", status: str = "",
                   year: str = "", sort: str = "signed") -> dict[str, Any]:
        """The agreements page: the rows that pass the filters, sorted, and the choices of each filter."""
        statuses = self.statuses(day, lang)
        every = self._read()
        rows = []
        for iri, a in every.items():
            st = statuses.get(iri, {"key": "unknown", "label": "unknown", "lang": "en"})
            kinds = sorted(a["kinds"] - {MOU + "Agreement"}) or sorted(a["kinds"])
            row = {
                **self.ref(iri, lang),
                "path": self._path(iri),
                "kind": self.ref(kinds[0], lang),
                "parties": sorted((self.ref(o, lang) for o in a["parties"]), key=lambda r: r["label"]),
                "countries": sorted((self.ref(c, lang) for c in a["countries"]), key=lambda r: r["label"]),
                "areas": sorted((self.ref(x, lang) for x in a["areas"]), key=lambda r: r["label"]),
                "signed": a["signed"], "signed_text": date_text(a["signed"], lang) if a["signed"] else "",
                "year": a["signed"][:4] if a["signed"] else "",
                "status": st,
                "keys": {"partner": sorted(self._path(x) for x in a["parties"] | a["countries"]),
                         "area": sorted(self._path(x) for x in a["area_keys"])},
            }
            if partner and partner not in row["keys"]["partner"]:
                continue
            if area and area not in row["keys"]["area"]:
                continue
            if status and not (st["key"] == status or (status == "in-force" and st["key"] == "in-extension")):
                continue
            if year and row["year"] != year:
                continue
            rows.append(row)
        sort = sort if sort in AGREEMENT_SORTS else "signed"
        rows.sort(key=lambda r: (r["label"].casefold(), r["iri"]))
        if sort in ("signed", "signed-asc"):
            rows.sort(key=lambda r: r["signed"] or "", reverse=sort == "signed")
        elif sort == "status":
            rows.sort(key=lambda r: STATUS_ORDER.index(r["status"]["key"]) if r["status"]["key"] in STATUS_ORDER
                      else len(STATUS_ORDER))
        countries = {c for a in every.values() for c in a["countries"]}
        orgs = {o for a in every.values() for o in a["parties"]}
        used = {x for a in every.values() for x in a["area_keys"]}
        return {
            "rows": rows, "total": len(every), "day": day.isoformat(), "day_text": format_date(day.isoformat(), lang),
            "chosen": {"partner": partner, "area": area, "status": status, "year": year, "sort": sort},
            "countries": self._choices(countries, lang), "organisations": self._choices(orgs, lang),
            "areas": self._choices(used, lang),
            "statuses": self._status_choices(statuses),
            "years": sorted({r["year"] for r in (self._year(a) for a in every.values()) if r["year"]}, reverse=True),
            "sorts": [(s, "sort_" + s.replace("-", "_")) for s in AGREEMENT_SORTS],
        }

    def _year(self, a: dict[str, Any]) -> dict[str, str]:
        return {"year": a["signed"][:4] if a["signed"] else ""}

    def _status_choices(self, statuses: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
        """The statuses some agreement has, labelled as the rule labels them (in force includes the extension)."""
        labels: dict[str, dict[str, str]] = {}
        for st in statuses.values():
            key = "in-force" if st["key"] == "in-extension" else st["key"]
            if key not in labels or st["key"] == key:
                labels[key] = {"key": key, "label": st["label"], "lang": st["lang"]}
        if "in-force" in labels:  # the filter covers both terms: say so, in the page's language
            labels["in-force"] = {"key": "in-force", "label": "", "lang": "", "message": "filter_in_force"}
        return [labels[k] for k in STATUS_ORDER if k in labels]

    def _choices(self, iris: set[str], lang: str) -> list[dict[str, Any]]:
        return sorted((dict(self.ref(i, lang), path=self._path(i)) for i in iris), key=lambda r: r["label"].casefold())

    def _path(self, iri: str) -> str:
        return iri[len(self.base):] if iri.startswith(self.base) else iri

    # -- the timeline -------------------------------------------------------------------------
    def timeline(self, lang: str) -> list[dict[str, Any]]:
        """Every dated event of every agreement, grouped by year (newest year first, days in order)."""
        every = self._read()
        years: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for iri, events in self.events().items():
            if iri not in every:
                continue
            for e in events:
                if not e["raw"]:
                    continue
                years[e["raw"][:4]].append(dict(self._event(e, lang), agreement=self.ref(iri, lang)))
        out = []
        for year in sorted(years, reverse=True):
            items = sorted(years[year], key=lambda e: (_event_key(e), e["agreement"]["label"]))
            out.append({"year": year, "year_text": date_text(year, lang), "events": items})
        return out

    def _event(self, e: dict[str, Any], lang: str) -> dict[str, Any]:
        raw = e["raw"]
        return {
            **e, "kind_ref": self.ref(e["kind"], lang),
            "date_text": date_text(raw, lang) if raw else "", "precision": precision(raw) if raw else None,
            "place_ref": self.ref(e["place"], lang) if e["place"] else None,
            "agent_ref": self.ref(e["agent"], lang) if e["agent"] else None,
        }

    # -- one agreement ------------------------------------------------------------------------
    def agreement(self, iri: str, lang: str, *, day: dt.date) -> dict[str, Any] | None:
        """An agreement's events (participants, conflicting dates), related agreements, sources, status."""
        import pyoxigraph

        if iri not in self._read():
            return None
        node = pyoxigraph.NamedNode(iri)
        people: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self._rows(f"""SELECT ?mou ?e ?person ?role ?for WHERE {{ ?mou <{MOU}event> ?e .
                ?e <{MOU}participation> ?p . ?p <{MOU}participant> ?person .
                OPTIONAL {{ ?p <{MOU}role> ?role }} OPTIONAL {{ ?p <{MOU}onBehalfOf> ?for }} }}""", mou=node):
            if r["person"].value in self.data.hidden:
                continue
            people[r["e"].value].append({
                "person": self.ref(r["person"].value, lang),
                "role": self.ref(r["role"].value, lang) if r["role"] is not None else None,
                "for": self.ref(r["for"].value, lang) if r["for"] is not None else None})
        claims = self._claims(iri, lang)
        siblings = self._ceremony_siblings(iri, lang)
        events = []
        for e in self.events().get(iri, []):
            view = self._event(e, lang)
            view["participants"] = sorted(people.get(e["iri"] or "", []),
                                          key=lambda p: (p["role"]["label"] if p["role"] else "", p["person"]["label"]))
            view["alternatives"] = [c for c in claims.get((e["iri"], MOU + "date"), []) if c["value"] != e["raw"]]
            view["preferred"] = next((c for c in claims.get((e["iri"], MOU + "date"), []) if c["value"] == e["raw"]),
                                     None)
            view["siblings"] = siblings.get(e["ceremony"] or "", [])
            events.append(view)
        status = self.statuses(day, lang).get(iri)
        return {"events": events, "related": self._related(iri, lang), "sources": self._sources(claims, lang),
                "status": status, "day_text": format_date(day.isoformat(), lang)}

    def _ceremony_siblings(self, iri: str, lang: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for other, events in self.events().items():
            if other == iri or other not in self._read():
                continue
            for e in events:
                if e["ceremony"]:
                    out[e["ceremony"]].append(self.ref(other, lang))
        return out

    def _related(self, iri: str, lang: str) -> list[dict[str, Any]]:
        out = []
        for r in self._ask("related", {"agreement": iri}, lang):
            label = r.get("relationLabel")
            out.append({"key": r["relation"].value, "label": label.value if label else r["relation"].value,
                        "lang": label.language if label else "", "other": self.ref(r["other"].value, lang)})
        return sorted(out, key=lambda r: (r["key"], r["other"]["label"]))

    def _claims(self, iri: str, lang: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """(subject, property) -> the claims about the agreement, its events and its terms, with supports."""
        import pyoxigraph

        out: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
        rows = self._rows(f"""PREFIX mou: <{MOU}> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
            PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dct: <{DCT}>
            PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
            SELECT ?mou ?claim ?s ?p ?o ?rank ?reason ?sup ?kind ?from ?quote ?url ?publisher ?title ?language ?issued
                   ?retrieved ?words ?sentence WHERE {{
              ?mou (mou:event|mou:initialTerm|mou:extensionTerm|mou:totalTerm)? ?s .
              ?claim a mou:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
              OPTIONAL {{ ?claim mou:rank ?rank }}
              OPTIONAL {{ ?claim mou:rankReason ?reason }}
              OPTIONAL {{ ?claim mou:support ?sup . ?sup a ?kind . FILTER (?kind IN (mou:Quotation, mou:Citation))
                OPTIONAL {{ ?sup mou:cites|prov:wasDerivedFrom ?from }} OPTIONAL {{ ?sup mou:quote ?quote }}
                OPTIONAL {{ ?sup <{SCHEMA}url> ?url }} OPTIONAL {{ ?sup dct:publisher ?publisher }}
                OPTIONAL {{ ?sup dct:title|mou:cites/dct:title ?title }} OPTIONAL {{ ?sup dct:language ?language }}
                OPTIONAL {{ ?sup dct:issued ?issued }} OPTIONAL {{ ?sup mou:retrieved ?retrieved }}
                OPTIONAL {{ ?sup mou:words ?words }}
                OPTIONAL {{ ?from nif:anchorOf ?sentence }} }} }}""", mou=pyoxigraph.NamedNode(iri))
        reasons: dict[str, dict[str, str]] = defaultdict(dict)
        hidden = self.data.hidden
        for r in rows:
            claim = r["claim"].value
            if claim in hidden or r["s"].value in hidden or r["o"].value in hidden:
                continue  # a claim about a contact person, or naming one (contact point): not served
            key = (r["s"].value, r["p"].value)
            c = out[key].setdefault(claim, {
                "claim": claim, "subject": r["s"].value, "property": self.ref(r["p"].value, lang),
                "value": r["o"].value, "value_text": self._value_text(r["o"], lang),
                "value_lang": self._value_lang(r["o"], lang), "value_is_iri": isinstance(r["o"], pyoxigraph.NamedNode),
                "rank": _short(r["rank"].value) if r["rank"] is not None else "NormalRank", "supports": {}})
            if r["reason"] is not None:
                reasons[claim][r["reason"].language or ""] = r["reason"].value
            if r["sup"] is None:
                continue
            sup = c["supports"].setdefault(r["sup"].value, {"kind": _short(r["kind"].value), **dict.fromkeys(
                ("from", "quote", "url", "publisher", "title", "language", "issued", "retrieved", "words", "sentence",
                 "title_lang", "quote_lang", "sentence_lang"))})
            for name in ("from", "quote", "url", "publisher", "title", "language", "issued", "retrieved", "words",
                         "sentence"):
                if r[name] is not None:
                    sup[name] = r[name].value
                    if name in ("title", "quote", "sentence"):
                        sup[name + "_lang"] = r[name].language or ""
        result: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for key, claims in out.items():
            items = []
            for c in claims.values():
                found = pick_tagged(reasons.get(c["claim"], {}), lang)
                c["reason"], c["reason_lang"] = (found[1], found[0]) if found else (None, "")
                c["supports"] = list(c["supports"].values())
                items.append(c)
            items.sort(key=lambda c: (c["rank"] != "PreferredRank", c["value"]))
            preferred = any(c["rank"] == "PreferredRank" for c in items)
            for c in items:  # a value another source contradicts (a preferred one exists), not a lone value
                c["alternative"] = preferred and c["rank"] != "PreferredRank"
            result[key] = items
        return result

    def _value_lang(self, term: Any, lang: str) -> str:
        """The language a value is shown in: a label's (by the fallback rule) or a literal's tag; else none."""
        import pyoxigraph

        if isinstance(term, pyoxigraph.NamedNode):
            return str(self.ref(term.value, lang)["lang"])
        dtype = term.datatype.value if getattr(term, "datatype", None) else ""
        if dtype.endswith(("#date", "#gYearMonth", "#gYear", "#duration", "#integer", "#boolean")):
            return lang  # written out in the page's language
        return getattr(term, "language", None) or ""

    def _value_text(self, term: Any, lang: str) -> str:
        import pyoxigraph

        if isinstance(term, pyoxigraph.NamedNode):
            return self.ref(term.value, lang)["label"]
        dtype = term.datatype.value if getattr(term, "datatype", None) else ""
        if dtype.endswith(("#date", "#gYearMonth", "#gYear")):
            return date_text(term.value, lang)
        return format_literal(term.value, dtype, lang)  # durations and booleans in words

    def _sources(self, claims: dict[tuple[str, str], list[dict[str, Any]]], lang: str) -> dict[str, Any]:
        """Each source once: every sentence of a shipped text quoted (its number, the words quoted marked,
        what it supports), every report cited (publisher, date, language, URL), and each as a citation."""
        from mou_graph.present.cite import csl_text, language_name, reference

        sentences: dict[str, dict[str, Any]] = {}
        reports: dict[str, dict[str, Any]] = {}
        for items in claims.values():
            for c in items:
                for s in c["supports"]:
                    fact = {"property": c["property"], "value": c["value_text"], "alternative": c["alternative"],
                            "words": s.get("words"), "lang": c["value_lang"],
                            # a node without a label (a participation, an event): its own facts say what it is
                            "unlabelled": c["value_lang"] == "" and c["value_is_iri"]}
                    if s["kind"] == "Quotation" and s.get("from") in self.data.sentences:
                        entry = sentences.setdefault(s["from"], {"quotes": [], "facts": []})
                        if s.get("quote"):
                            entry["quotes"].append(s["quote"])
                        entry["facts"].append(fact)
                    elif s["kind"] == "Citation":
                        key = s.get("from") or s.get("url") or c["claim"]
                        src = reports.setdefault(key, {**s, "iri": s.get("from"), "facts": []})
                        src["facts"].append(fact)
        docs: dict[str, dict[str, Any]] = {}
        quoted = []
        for iri, entry in sentences.items():
            info = self.data.sentences[iri]
            doc = info["doc"]
            if doc and doc not in docs:
                docs[doc] = self._document(doc, lang)
            quoted.append({"iri": iri, "number": info["position"], "anchor": info["anchor"],
                           "quoted": self.data.quoted(iri, entry["quotes"]), "english": info["english"],
                           "facts": _grouped(entry["facts"]), "doc": docs.get(doc)})
        quoted.sort(key=lambda q: (q["number"], q["iri"]))
        cited = []
        for src in reports.values():
            meta = {"id": (src.get("iri") or "").rsplit("/", 1)[-1], "title": src.get("title"),
                    "publisher": src.get("publisher"), "issued": src.get("issued"), "url": src.get("url"),
                    "language": src.get("language"), "retrieved": src.get("retrieved"), "kind": src.get("kind")}
            cited.append({**src, "facts": _grouped(src["facts"]),
                          "language_name": language_name(src.get("language") or "", lang),
                          "issued_text": date_text(src["issued"], lang) if src.get("issued") else "",
                          "retrieved_text": date_text(src["retrieved"], lang) if src.get("retrieved") else "",
                          "reference": reference(meta, lang), "csl": csl_text(meta)})
        cited.sort(key=lambda s: (s.get("issued") or "", s.get("publisher") or "", s.get("url") or ""))
        return {"quoted": quoted, "cited": cited, "documents": sorted(docs.values(), key=lambda d: d["iri"])}

    def _document(self, doc: str, lang: str) -> dict[str, Any]:
        """A shipped text: its page, title (and the project's translation), publisher, date, language, URL."""
        from mou_graph.present.cite import csl_text, language_name, reference

        titles: dict[str, str] = {}
        meta: dict[str, Any] = {"id": doc.rstrip("/").rsplit("/", 1)[-1]}
        for r in self._rows(f"""SELECT ?doc ?p ?o WHERE {{ ?doc ?p ?o .
                VALUES ?p {{ <{DCT}title> <{DCT}publisher> <{DCT}issued> <{DCT}language> <{SCHEMA}url> }} }}""",
                            doc=_named(doc)):
            p, o = r["p"].value, r["o"]
            if p == DCT + "title":
                titles[o.language or ""] = o.value
            elif p == DCT + "publisher":
                meta["publisher"] = self.ref(o.value, lang)["label"] if o.__class__.__name__ == "NamedNode" else o.value
            else:
                meta[{DCT + "issued": "issued", DCT + "language": "language", SCHEMA + "url": "url"}[p]] = o.value
        for key in ("publisher", "issued", "language", "url"):
            meta.setdefault(key, None)
        original = meta.get("language") or ""
        meta["title"] = titles.get(original) or next(iter(titles.values()), "")
        if lang != original and titles.get(lang):
            meta["translation"] = titles[lang]
        return {**meta, "iri": doc, "ref": self.ref(doc, lang), "language_name": language_name(original, lang),
                "issued_text": date_text(meta["issued"], lang) if meta.get("issued") else "",
                "reference": reference(meta, lang), "csl": csl_text(meta)}

    # -- one organisation ---------------------------------------------------------------------
    def organisation(self, iri: str, lang: str, *, day: dt.date) -> dict[str, Any] | None:
        """The agreements an organisation (or any of its earlier or later names) is a party to, and its names."""
        import pyoxigraph

        if not self.store.ask(f"ASK {{ {{ ?o a <{ORG}Organization> }} UNION {{ ?m <{MOU}party> ?o }} }}",
                              substitutions={"o": pyoxigraph.NamedNode(iri)}):
            return None
        chain = self._name_chain(iri)
        statuses = self.statuses(day, lang)
        every = self._read()
        agreements = []
        for mou, a in every.items():
            party = a["parties"] & {n["iri"] for n in chain}
            if party:
                agreements.append({**self.ref(mou, lang), "signed": a["signed"],
                                   "signed_text": date_text(a["signed"], lang) if a["signed"] else "",
                                   "status": statuses.get(mou), "as": [self.ref(p, lang) for p in sorted(party)]})
        agreements.sort(key=lambda r: r["signed"] or "", reverse=True)
        names = [dict(n, ref=self.ref(n["iri"], lang),
                      from_text=date_text(n["from"], lang) if n["from"] else "",
                      until_text=date_text(n["until"], lang) if n["until"] else "",
                      current=n["iri"] == iri) for n in chain]
        if len(agreements) == 0 and len(names) <= 1:
            return None
        return {"agreements": agreements, "names": names if len(names) > 1 else [],
                "day_text": format_date(day.isoformat(), lang)}

    def _name_chain(self, iri: str) -> list[dict[str, Any]]:
        """The organisation and those it was renamed from or to (W3C ORG change events), oldest first."""
        import pyoxigraph

        links: dict[str, set[str]] = defaultdict(set)
        changes: dict[tuple[str, str], str | None] = {}
        for r in self._rows(f"""SELECT ?old ?new ?date WHERE {{ ?c <{ORG}originalOrganization> ?old ;
                <{ORG}resultingOrganization> ?new . OPTIONAL {{ ?c <{MOU}date> ?date }} }}"""):
            old, new = r["old"].value, r["new"].value
            links[old].add(new)
            links[new].add(old)
            changes[(old, new)] = r["date"].value if r["date"] is not None else None
        seen, todo = {iri}, [iri]
        while todo:
            for other in links.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        out = []
        for org in seen:
            node = pyoxigraph.NamedNode(org)
            start = self._rows(f"SELECT ?o ?d WHERE {{ ?o <{SCHEMA}startDate> ?d }}", o=node)
            end = self._rows(f"SELECT ?o ?d WHERE {{ ?o <{SCHEMA}endDate> ?d }}", o=node)
            came = next((d for (old, new), d in changes.items() if new == org), None)
            went = next((d for (old, new), d in changes.items() if old == org), None)
            out.append({"iri": org, "from": start[0]["d"].value if start else came,
                        "until": end[0]["d"].value if end else went})
        depth: dict[str, int] = {}  # how many renamings lie before a name (its place when no date is given)

        def steps(org: str, seen: frozenset[str] = frozenset()) -> int:
            if org not in depth:
                before = [old for (old, new) in changes if new == org and old not in seen]
                depth[org] = 1 + max((steps(b, seen | {org}) for b in before), default=-1)
            return depth[org]

        return sorted(out, key=lambda n: (steps(n["iri"]), n["from"] or "", n["until"] or "9999", n["iri"]))


def _named(iri: str) -> Any:
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def _grouped(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts as ``{property, values}``, each property and value once, in the order first met."""
    out: dict[str, dict[str, Any]] = {}
    for f in facts:
        if f.get("unlabelled"):
            continue
        group = out.setdefault(f["property"]["iri"], {"property": f["property"], "values": []})
        value = {"text": f["value"], "alternative": f["alternative"], "words": f.get("words"), "lang": f["lang"]}
        if all(v["text"] != value["text"] for v in group["values"]):
            group["values"].append(value)
    return list(out.values())


def _event_key(e: dict[str, Any]) -> tuple[str, int]:
    kind = e.get("kind_key", "")
    return (e.get("raw") or "", EVENT_ORDER.index(kind) if kind in EVENT_ORDER else len(EVENT_ORDER))
