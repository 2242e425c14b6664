"""Synthetic corpora of N memoranda shaped like ours, for the benchmark only.

Nothing here is a fact: every entity but the cooperation areas lives under
:data:`BENCH_BASE` (``https://w3id.org/mou-graph/bench/``), labels say "synthetic", and the
files go to ``bench/out/`` (ignored by git, never shipped). The areas are drawn from OUR
scheme, ``data/areas.ttl``, which is copied in as it is.

Each memorandum has two parties (ministries of two countries), two signatories holding the
ministers' posts, signing and entry-into-force dates, an initial, an extension and a total
term (``endDate = startDate + duration``), principles, an objective, a scope, areas,
activities, a statement quoting a source sentence, and one evidence node per subject that
covers every fact of it. In the register's model (ontology 0.2) it is also ``a mou:Agreement``
of a kind, with life events: its signing (the two signatories, sometimes a prime minister as
witness, as participations on behalf of the parties), entry into force, for some a cabinet
approval before signing, a termination, or a supersession by a later memorandum
(``mou:succeeds``); and a claim node for the signing date with one to three supports (a quotation
of a source sentence with its offsets, citations of synthetic reports with the few words that
carry the date), one memorandum in ten with a second, conflicting date (``mou:Conflict``, the
preferred value with its reason). Shared parts (countries, ministries, posts, persons, principles,
objectives, reports, source documents and their sentences) are written once. About 190 triples
per memorandum: 10,000 memoranda are about 1.9 million triples.

The output for N is a *home* folder that every ``mou-graph`` command accepts with
``--home`` (``ontology``, ``queries`` and the source text are links to the project's own;
the data files hold N-Triples, which is Turtle too) and ``corpus.nq``, all of it as
N-Quads in the store's named graphs. The same seed gives the same bytes.

>>> lines = list(corpus_lines(2, seed=1))
>>> len(lines) > 200 and all(line.endswith(" .") for line in lines)
True
>>> lines == list(corpus_lines(2, seed=1))
True
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BENCH_BASE = "https://w3id.org/mou-graph/bench/"
ID_BASE = "https://w3id.org/mou-graph/id/"
GRAPH_NS = "https://w3id.org/mou-graph/graph/"

MOU = "https://w3id.org/mou-graph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
TIME = "http://www.w3.org/2006/time#"
PROV = "http://www.w3.org/ns/prov#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

N_COUNTRIES = 10
N_SOURCES = 5
N_REPORTS = 20
# the kinds of agreement of ontology 0.2 (the first is drawn most often)
KINDS = ("MemorandumOfUnderstanding", "MemorandumOfUnderstanding", "MemorandumOfUnderstanding",
         "MemorandumOfCooperation", "Agreement", "LetterOfIntent", "ActionPlan", "Protocol")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# the four sectors of the scope, and other areas of our scheme (all in data/areas.ttl)
SECTORS = ("postal-services", "telecommunications", "ict", "digital-technology")
AREAS = ("digital-government", "digital-economy", "smart-city", "digital-skills", "electronic-transactions",
         "cybersecurity", "broadband-infrastructure", "big-data", "internet-of-things", "cloud-computing",
         "digital-literacy", "digital-inclusion", "e-commerce", "trade", "cross-border-e-commerce",
         "knowledge-exchange", "human-resource-development", "investment", "market-expansion", "software")
# sentences of the synthetic sources (Thai, plain words): quotes and quotations are taken from them
SENTENCES = (
    "ทั้งสองฝ่ายลงนามบันทึกความเข้าใจว่าด้วยความร่วมมือด้านไปรษณีย์ โทรคมนาคม และเทคโนโลยีดิจิทัล",
    "บันทึกความเข้าใจมีผลใช้บังคับในวันลงนาม และขยายระยะเวลาโดยอัตโนมัติ",
    "ความร่วมมือครอบคลุมการแลกเปลี่ยนข้อมูล การฝึกอบรม และการดำเนินโครงการร่วมกัน",
    "ความร่วมมือนี้จะเป็นประโยชน์ต่อการพัฒนาเศรษฐกิจดิจิทัลของทั้งสองประเทศ",
)
_OTHER_TERMS = ("mou", "term", "activity", "statement")


def _iri(path: str) -> str:
    return f"<{BENCH_BASE}{path}>"


def _area(slug: str) -> str:
    return f"<{ID_BASE}area/{slug}>"


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _t(s: str, p: str, o: str) -> str:
    return f"{s} <{p}> {o} ."


def _labelled(s: str, cls: str, th: str, en: str) -> list[str]:
    return [_t(s, RDF_TYPE, f"<{cls}>"), _t(s, RDFS_LABEL, _lit(th, "th")), _t(s, RDFS_LABEL, _lit(en, "en"))]


class _Evidence:
    """One evidence node per subject, covering the given properties, quoting a pool sentence."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def cover(self, subject_path: str, props: list[str]) -> list[str]:
        self.count += 1
        ev = _iri(f"evidence/{subject_path.replace('/', '-')}")
        k = self.rng.randrange(N_SOURCES)
        j = self.rng.randrange(len(SENTENCES))
        out = [_t(ev, RDF_TYPE, f"<{MOU}Evidence>"), _t(ev, MOU + "about", _iri(subject_path))]
        out += [_t(ev, MOU + "property", f"<{p}>") for p in dict.fromkeys(props)]
        out.append(_t(ev, PROV + "wasDerivedFrom", _iri(f"source/s{k}/s{j + 1:02d}")))
        out.append(_t(ev, MOU + "quote", _lit(SENTENCES[j], "th")))
        return out


def shared_lines(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(graph, N-Triples line) of the parts every memorandum draws from."""
    ev = _Evidence(rng)
    data: list[str] = []
    evidence: list[str] = []
    for c in range(N_COUNTRIES):
        country = f"country/c{c}"
        data += _labelled(_iri(country), MOU + "Country", f"ประเทศสังเคราะห์ {c}", f"Synthetic country {c}")
        evidence += ev.cover(country, [RDFS_LABEL])
        for m in range(2):
            ministry, post, person = f"org/c{c}-m{m}", f"post/c{c}-m{m}-minister", f"person/c{c}-m{m}"
            data += _labelled(_iri(ministry), MOU + "Ministry", f"กระทรวงสังเคราะห์ {c}-{m}",
                              f"Synthetic ministry {c}-{m}")
            data.append(_t(_iri(ministry), RDF_TYPE, f"<{ORG}Organization>"))
            data.append(_t(_iri(ministry), MOU + "country", _iri(country)))
            evidence += ev.cover(ministry, [RDFS_LABEL, MOU + "country"])
            data += _labelled(_iri(post), ORG + "Post", f"รัฐมนตรีกระทรวงสังเคราะห์ {c}-{m}",
                              f"Minister of synthetic ministry {c}-{m}")
            data += [_t(_iri(post), ORG + "postIn", _iri(ministry)),
                     _t(_iri(post), ORG + "role", _iri("role/minister")),
                     _t(_iri(post), ORG + "heldBy", _iri(person))]
            evidence += ev.cover(post, [RDFS_LABEL, ORG + "postIn", ORG + "role", ORG + "heldBy"])
            data += _labelled(_iri(person), SCHEMA + "Person", f"บุคคลสังเคราะห์ {c}-{m}", f"Synthetic person {c}-{m}")
            data.append(_t(_iri(person), ORG + "holds", _iri(post)))
            evidence += ev.cover(person, [RDFS_LABEL, ORG + "holds"])
        pm, cabinet = f"person/c{c}-pm", f"org/c{c}-cabinet"
        data += _labelled(_iri(pm), SCHEMA + "Person", f"นายกรัฐมนตรีสังเคราะห์ {c}", f"Synthetic prime minister {c}")
        evidence += ev.cover(pm, [RDFS_LABEL])
        data += _labelled(_iri(cabinet), MOU + "Government", f"คณะรัฐมนตรีสังเคราะห์ {c}", f"Synthetic cabinet {c}")
        data += [_t(_iri(cabinet), RDF_TYPE, f"<{ORG}Organization>"), _t(_iri(cabinet), MOU + "country", _iri(country))]
        evidence += ev.cover(cabinet, [RDFS_LABEL, MOU + "country"])
    for k in range(N_REPORTS):
        report = _iri(f"report/r{k}")
        data += [_t(report, RDF_TYPE, f"<{MOU}Report>"),
                 _t(report, SCHEMA + "url", _lit(f"https://example.org/bench/report/{k}", datatype=XSD + "anyURI")),
                 _t(report, DCT + "publisher", _lit(f"Synthetic wire {k % 4}")),
                 _t(report, DCT + "title", _lit(f"Synthetic report {k}", "en")),
                 _t(report, DCT + "language", _lit("en")),
                 _t(report, MOU + "retrieved", _lit("2026-12-01", datatype=XSD + "date"))]
    data += _labelled(_iri("role/minister"), ORG + "Role", "รัฐมนตรี", "Minister")
    evidence += ev.cover("role/minister", [RDFS_LABEL])
    for kind, cls, th, en in (("principle", "Principle", "หลักการสังเคราะห์", "Synthetic principle"),
                              ("objective", "Objective", "วัตถุประสงค์สังเคราะห์", "Synthetic objective")):
        for n in range(4):
            data += _labelled(_iri(f"{kind}/p{n}"), MOU + cls, f"{th} {n}", f"{en} {n}")
            evidence += ev.cover(f"{kind}/p{n}", [RDFS_LABEL])
    publisher = "org/publisher"
    data += _labelled(_iri(publisher), ORG + "FormalOrganization", "สำนักข่าวสังเคราะห์", "Synthetic news office")
    evidence += ev.cover(publisher, [RDFS_LABEL])
    sources: list[str] = []
    for k in range(N_SOURCES):
        src = _iri(f"source/s{k}")
        text = "\n".join(SENTENCES)
        sources += _labelled(src, MOU + "SourceDocument", f"ข่าวสังเคราะห์ {k}", f"Synthetic news release {k}")
        sources += [
            _t(src, RDF_TYPE, f"<{NIF}Context>"),
            _t(src, DCT + "title", _lit(f"ข่าวสังเคราะห์ {k}", "th")),
            _t(src, SCHEMA + "url", _lit(f"https://example.org/bench/{k}", datatype=XSD + "anyURI")),
            _t(src, DCT + "publisher", _iri(publisher)),
            _t(src, DCT + "issued", _lit("2022-11-07", datatype=XSD + "date")),
            _t(src, DCT + "language", _lit("th")),
            _t(src, MOU + "sha256", _lit(f"{rng.getrandbits(256):064x}")),
            _t(src, MOU + "translationNote", _lit("ข้อความสังเคราะห์สำหรับการวัดประสิทธิภาพ", "th")),
            _t(src, MOU + "translationNote", _lit("Synthetic text for the benchmark.", "en")),
        ]
        evidence += ev.cover(f"source/s{k}", [RDFS_LABEL, DCT + "title", SCHEMA + "url", DCT + "publisher",
                                              DCT + "issued", DCT + "language", MOU + "sha256"])
        begin = 0
        for j, sentence in enumerate(SENTENCES):
            s = _iri(f"source/s{k}/s{j + 1:02d}")
            end = begin + len(sentence)
            sources += [
                _t(s, RDF_TYPE, f"<{NIF}Sentence>"), _t(s, NIF + "referenceContext", src),
                _t(s, MOU + "position", _lit(str(j + 1), datatype=XSD + "integer")),
                _t(s, NIF + "beginIndex", _lit(str(begin), datatype=XSD + "integer")),
                _t(s, NIF + "endIndex", _lit(str(end), datatype=XSD + "integer")),
                _t(s, NIF + "anchorOf", _lit(sentence, "th")),
            ]
            begin = end + 1
        assert begin - 1 == len(text)
    yield from (("data", line) for line in data)
    yield from (("evidence", line) for line in sources + evidence)


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


def mou_lines(i: int, rng: random.Random, state: dict | None = None) -> Iterator[tuple[str, str]]:
    """(graph, N-Triples line) of memorandum number ``i`` (``state`` carries what a later memorandum
    needs of an earlier one: the last signing, for a succession)."""
    ev = _Evidence(rng)
    path = f"mou/{i}"
    m = _iri(path)
    a, b = rng.sample(range(N_COUNTRIES), 2)
    parties = [f"org/c{a}-m{rng.randrange(2)}", f"org/c{b}-m{rng.randrange(2)}"]
    signed = dt.date(rng.randrange(2000, 2025), rng.randrange(1, 13), rng.randrange(1, 29))
    initial, extension = rng.choice((2, 3, 5)), rng.choice((1, 2, 3))
    kind = rng.choice(KINDS)
    data = _labelled(m, MOU + "MemorandumOfUnderstanding", f"บันทึกความเข้าใจสังเคราะห์ ฉบับที่ {i}",
                     f"Synthetic memorandum of understanding no. {i}")
    data.append(_t(m, RDF_TYPE, f"<{MOU}Agreement>"))
    if kind != "MemorandumOfUnderstanding":
        data.append(_t(m, RDF_TYPE, f"<{MOU}{kind}>"))
    data += [_t(m, MOU + "party", _iri(p)) for p in parties]
    data += [_t(m, MOU + "signatory", _iri(p.replace("org/", "person/"))) for p in parties]
    data += [_t(m, MOU + "signingDate", _lit(signed.isoformat(), datatype=XSD + "date")),
             _t(m, MOU + "entryIntoForceDate", _lit(signed.isoformat(), datatype=XSD + "date"))]
    props = [RDFS_LABEL, MOU + "party", MOU + "signatory", MOU + "signingDate", MOU + "entryIntoForceDate"]
    terms = (("initial", signed, initial, "ระยะเวลาเริ่มต้น", "Initial term"),
             ("extension", _add_years(signed, initial), extension, "ระยะเวลาขยาย", "Extension"),
             ("total", signed, initial + extension, "ระยะเวลาทั้งหมด", "Total term"))
    evidence: list[str] = []
    for name, start, years, th, en in terms:
        term = f"{path}/term/{name}"
        data.append(_t(m, MOU + f"{name}Term", _iri(term)))
        props.append(MOU + f"{name}Term")
        data += _labelled(_iri(term), MOU + "Term", f"{th} {years} ปี", f"{en} of {years} years")
        data += [_t(_iri(term), SCHEMA + "startDate", _lit(start.isoformat(), datatype=XSD + "date")),
                 _t(_iri(term), SCHEMA + "endDate", _lit(_add_years(start, years).isoformat(), datatype=XSD + "date")),
                 _t(_iri(term), TIME + "hasXSDDuration", _lit(f"P{years}Y", datatype=XSD + "duration"))]
        term_props = [RDFS_LABEL, SCHEMA + "startDate", SCHEMA + "endDate", TIME + "hasXSDDuration"]
        if name == "extension":
            data.append(_t(_iri(term), MOU + "automatic", _lit("true", datatype=XSD + "boolean")))
            term_props.append(MOU + "automatic")
        evidence += ev.cover(term, term_props)
    data += [_t(m, MOU + "principle", _iri(f"principle/p{n}")) for n in rng.sample(range(4), 2)]
    data.append(_t(m, MOU + "objective", _iri(f"objective/p{rng.randrange(4)}")))
    data += [_t(m, MOU + "scope", _area(s)) for s in rng.sample(SECTORS, 2)]
    areas = rng.sample(AREAS, 3)
    data += [_t(m, MOU + "area", _area(s)) for s in areas]
    props += [MOU + "principle", MOU + "objective", MOU + "scope", MOU + "area", MOU + "activity", MOU + "statement"]
    kinds = (("การแลกเปลี่ยนข้อมูล", "Information exchange"), ("โครงการฝึกอบรม", "Training programmes"))
    for n, (th, en) in enumerate(kinds):
        act = f"{path}/activity/{n}"
        data.append(_t(m, MOU + "activity", _iri(act)))
        data += _labelled(_iri(act), MOU + "CooperationActivity", f"{th} {i}-{n}", f"{en} {i}-{n}")
        data.append(_t(_iri(act), MOU + "concerns", _area(areas[n])))
        evidence += ev.cover(act, [RDFS_LABEL, MOU + "concerns"])
    st = f"{path}/statement/0"
    s = _iri(st)
    data.append(_t(m, MOU + "statement", s))
    data += _labelled(s, MOU + "Statement", f"คำกล่าวสังเคราะห์ {i}", f"Synthetic statement {i}")
    j = rng.randrange(len(SENTENCES))
    data += [_t(s, MOU + "speaker", _iri(parties[0].replace("org/", "person/"))),
             _t(s, MOU + "quotation", _lit(SENTENCES[j], "th")),
             _t(s, MOU + "translation", _lit(f"Synthetic translation of sentence {j + 1}.", "en")),
             _t(s, MOU + "directQuote", _lit("false", datatype=XSD + "boolean")),
             _t(s, MOU + "mentions", _area(areas[2]))]
    evidence += ev.cover(st, [RDFS_LABEL, MOU + "speaker", MOU + "quotation", MOU + "translation",
                              MOU + "directQuote", MOU + "mentions"])
    events, more_evidence, claims, more_props = _life(i, path, a, b, parties, signed, initial + extension, rng, state)
    data += events
    evidence += more_evidence + claims
    evidence += ev.cover(path, props + more_props)
    yield from (("data", line) for line in data)
    yield from (("evidence", line) for line in evidence)


def _life(i: int, path: str, a: int, b: int, parties: list[str], signed: dt.date, years: int,
          rng: random.Random, state: dict | None) -> tuple[list[str], list[str], list[str], list[str]]:
    """The life events of memorandum ``i`` (ontology 0.2) and the claim of its signing date: the data
    lines, the evidence lines covering the events and participations, the claim lines, and the
    properties of the memorandum they add."""
    ev = _Evidence(rng)
    m = _iri(path)
    data: list[str] = []
    evidence: list[str] = []
    props = [MOU + "event"]

    def event(name: str, cls: str, day: dt.date | None, extra: list[tuple[str, str]] = ()) -> str:
        e = f"{path}/event/{name}"
        data.extend([_t(m, MOU + "event", _iri(e)), _t(_iri(e), RDF_TYPE, f"<{MOU}Event>"),
                     _t(_iri(e), RDF_TYPE, f"<{MOU}{cls}>")])
        covered = []
        if day is not None:
            data.append(_t(_iri(e), MOU + "date", _lit(day.isoformat(), datatype=XSD + "date")))
            covered.append(MOU + "date")
        for p, o in extra:
            data.append(_t(_iri(e), p, o))
            covered.append(p)
        if covered:
            evidence.extend(ev.cover(e, covered))
        return e

    people = [(p.replace("org/", "person/"), "SignatoryRole", p) for p in parties]
    if rng.random() < 0.3:
        people.append((f"person/c{a}-pm", "WitnessRole", None))
        data.append(_t(m, MOU + "witness", _iri(f"person/c{a}-pm")))
        props.append(MOU + "witness")
    links = []
    for n, (person, role, party) in enumerate(people):
        pp = f"{path}/event/signing/participation/{n}"
        links.append((MOU + "participation", _iri(pp)))
        data += [_t(_iri(pp), RDF_TYPE, f"<{MOU}Participation>"), _t(_iri(pp), MOU + "participant", _iri(person)),
                 _t(_iri(pp), MOU + "role", f"<{MOU}{role}>")]
        covered = [MOU + "participant", MOU + "role"]
        if party:
            data.append(_t(_iri(pp), MOU + "onBehalfOf", _iri(party)))
            covered.append(MOU + "onBehalfOf")
        evidence += ev.cover(pp, covered)
    if rng.random() < 0.3:
        event("approval", "Approval", signed - dt.timedelta(days=rng.randrange(7, 60)),
              [(MOU + "agent", _iri(f"org/c{a}-cabinet"))])
    signing = event("signing", "Signing", signed, links)
    event("entry-into-force", "EntryIntoForce", signed)
    if rng.random() < 0.08:
        event("termination", "Termination", _add_years(signed, max(1, years - 1)), [(MOU + "agent", _iri(parties[1]))])
    if state is not None:
        earlier = state.get("last")
        if earlier is not None and i % 20 == 0 and earlier[1] < signed:
            data.append(_t(m, MOU + "succeeds", _iri(f"mou/{earlier[0]}")))
            props.append(MOU + "succeeds")
            sup = f"mou/{earlier[0]}/event/supersession"
            data += [_t(_iri(f"mou/{earlier[0]}"), MOU + "event", _iri(sup)), _t(_iri(sup), RDF_TYPE, f"<{MOU}Event>"),
                     _t(_iri(sup), RDF_TYPE, f"<{MOU}Supersession>"),
                     _t(_iri(sup), MOU + "date", _lit(signed.isoformat(), datatype=XSD + "date"))]
            evidence += ev.cover(sup, [MOU + "date"])
        state["last"] = (i, signed)
    return data, evidence, _date_claims(path, signing, signed, rng), props


def _date_claims(path: str, signing: str, signed: dt.date, rng: random.Random) -> list[str]:
    """The claim of the signing date with one to three supports; one in ten with a second value
    that another report gives (a conflict, the first value preferred with its reason)."""
    out: list[str] = []

    def claim(name: str, day: dt.date, rank: str, supports: int, conflict: str | None) -> str:
        c = _iri(f"{path}/claim/{name}")
        out.extend([_t(c, RDF_TYPE, f"<{MOU}Claim>"), _t(c, RDF + "subject", _iri(signing)),
                    _t(c, RDF + "predicate", f"<{MOU}date>"),
                    _t(c, RDF + "object", _lit(day.isoformat(), datatype=XSD + "date")),
                    _t(c, MOU + "rank", f"<{MOU}{rank}>")])
        if conflict:
            out.append(_t(c, MOU + "conflict", _iri(conflict)))
        for n in range(supports):
            if n == 0 and rank != "NormalRank" or (n == 0 and not conflict):
                k, j = rng.randrange(N_SOURCES), 0  # the signing sentence of a shipped synthetic text
                q = _iri(f"{path}/claim/{name}/quote")
                out.extend([_t(c, MOU + "support", q), _t(q, RDF_TYPE, f"<{MOU}Quotation>"),
                            _t(q, PROV + "wasDerivedFrom", _iri(f"source/s{k}/s{j + 1:02d}")),
                            _t(q, MOU + "quote", _lit(SENTENCES[j][:8], "th")),
                            _t(q, NIF + "beginIndex", _lit("0", datatype=XSD + "integer")),
                            _t(q, NIF + "endIndex", _lit("8", datatype=XSD + "integer"))])
                continue
            r = rng.randrange(N_REPORTS)
            s = _iri(f"{path}/claim/{name}/cite/{n}")
            url = _lit(f"https://example.org/bench/report/{r}", datatype=XSD + "anyURI")
            out.extend([_t(c, MOU + "support", s), _t(s, RDF_TYPE, f"<{MOU}Citation>"),
                        _t(s, MOU + "cites", _iri(f"report/r{r}")), _t(s, SCHEMA + "url", url),
                        _t(s, DCT + "publisher", _lit(f"Synthetic wire {r % 4}")), _t(s, DCT + "language", _lit("en")),
                        _t(s, MOU + "words", _lit(f"{day.day} {_MONTHS[day.month - 1]}", "en"))])
        return c

    if rng.random() < 0.1:
        conflict = f"{path}/conflict/signing-date"
        out.append(_t(_iri(conflict), RDF_TYPE, f"<{MOU}Conflict>"))
        preferred = claim("signing-date", signed, "PreferredRank", rng.randrange(1, 4), conflict)
        out += [_t(preferred, MOU + "rankReason", _lit("Synthetic: the report of the day names it.", "en")),
                _t(preferred, MOU + "rankReason", _lit("สังเคราะห์: รายงานของวันนั้นระบุวัน", "th"))]
        claim("signing-date-2", signed + dt.timedelta(days=1), "NormalRank", 1, conflict)
    else:
        claim("signing-date", signed, "NormalRank", rng.randrange(1, 4), None)
    return out


def area_evidence(areas: list) -> list[str]:  # pyoxigraph triples of data/areas.ttl
    """Evidence for our scheme's areas (the project's own lives in data/evidence.ttl, which the
    corpus does not copy): one node per area covering each of its properties."""
    rng = random.Random(0)
    ev = _Evidence(rng)
    props: dict[str, list[str]] = {}
    for t in areas:
        if t.predicate.value != RDF_TYPE:
            props.setdefault(t.subject.value, []).append(t.predicate.value)
    out: list[str] = []
    for subject in sorted(props):
        slug = subject[len(ID_BASE):] if subject.startswith(ID_BASE) else subject
        lines = ev.cover(slug, sorted(props[subject]))
        about = _t(_iri(f"evidence/{slug.replace('/', '-')}"), MOU + "about", _iri(slug))
        out += [line if line != about else about.replace(_iri(slug), f"<{subject}>") for line in lines]
    return out


def agreement_quads(quads: Iterable[Any], n: int) -> list[Any]:
    """The quads (pyoxigraph) about memorandum number ``n`` of a corpus: its own, its parts' (under
    ``mou/n/``) and its evidence's; what an editor's file of that one agreement holds."""
    mou, evidence = f"{BENCH_BASE}mou/{n}", f"{BENCH_BASE}evidence/mou-{n}"
    return [q for q in quads if q.subject.value in (mou, evidence)
            or q.subject.value.startswith((mou + "/", evidence + "-"))]


def renamed(quads: Iterable[Any], a: str, b: str) -> list[Any]:
    """``quads`` with every IRI ``a`` (and those under it: ``a/...``, ``a-...``) moved to ``b``."""
    import pyoxigraph

    def term(t: Any) -> Any:
        if isinstance(t, pyoxigraph.NamedNode) and (t.value == a or t.value.startswith((a + "/", a + "-"))):
            return pyoxigraph.NamedNode(b + t.value[len(a):])
        return t
    return [pyoxigraph.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in quads]


def corpus_quads(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(graph short name, N-Triples line) of a corpus of ``n`` memoranda (without the areas)."""
    rng = random.Random(seed)
    yield from shared_lines(rng)
    state: dict = {}
    for i in range(1, n + 1):
        yield from mou_lines(i, rng, state)


def corpus_lines(n: int, seed: int = 0) -> Iterator[str]:
    for _graph, line in corpus_quads(n, seed):
        yield line


def _link(target: Path, link: Path) -> None:
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def generate(n: int, *, seed: int = 0, out: Path = OUT, force: bool = False) -> Path:
    """Write the home folder for ``n`` memoranda under ``out`` and return it; an existing,
    complete one with the same seed is reused unless ``force``."""
    import pyoxigraph

    home = Path(out) / f"home-{n}"
    stamp = home / "corpus.json"
    if not force and stamp.is_file() and json.loads(stamp.read_text()).get("seed") == seed:
        return home
    (home / "data").mkdir(parents=True, exist_ok=True)
    _link(ROOT / "ontology", home / "ontology")
    _link(ROOT / "queries", home / "queries")
    _link(ROOT / "data" / "source", home / "data" / "source")
    # our scheme of areas, as N-Triples under the project's own base
    areas = list(pyoxigraph.parse(path=ROOT / "data" / "areas.ttl", format=pyoxigraph.RdfFormat.TURTLE,
                                  base_iri=ID_BASE))
    area_lines = [f"{t} ." for t in sorted(str(t) for t in areas)]
    area_lines += area_evidence(areas)
    files = {"data": home / "data" / "mou.ttl", "evidence": home / "data" / "evidence.ttl"}
    handles = {g: open(p.with_suffix(".part"), "w", encoding="utf-8") for g, p in files.items()}  # noqa: SIM115
    nq_part = home / "corpus.nq.part"
    triples = len(area_lines)
    with open(nq_part, "w", encoding="utf-8") as nq:
        for line in area_lines:
            nq.write(f"{line[:-2]} <{GRAPH_NS}areas> .\n")
        for graph, line in corpus_quads(n, seed):
            handles[graph].write(line + "\n")
            nq.write(f"{line[:-2]} <{GRAPH_NS}{graph}> .\n")
            triples += 1
    for graph, handle in handles.items():
        handle.close()
        os.replace(files[graph].with_suffix(".part"), files[graph])
    (home / "data" / "areas.ttl").write_text("".join(line + "\n" for line in area_lines), encoding="utf-8")
    os.replace(nq_part, home / "corpus.nq")
    stamp.write_text(json.dumps({"memoranda": n, "seed": seed, "triples": triples, "base": BENCH_BASE}) + "\n")
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="+", help="number of memoranda (one corpus per number)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--force", action="store_true", help="rewrite even when the corpus exists")
    args = parser.parse_args(argv)
    for n in args.n:
        if n < 1:
            parser.error("N must be at least 1")
        home = generate(n, seed=args.seed, out=args.out, force=args.force)
        print(home, json.loads((home / "corpus.json").read_text())["triples"], "triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
