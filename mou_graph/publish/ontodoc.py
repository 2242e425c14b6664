"""Ontology documentation: one bilingual HTML page of the ontology and the areas scheme.

The page is generated from the store's ``ontology`` and ``areas`` graphs (the Turtle of
``ontology/`` and ``data/areas.ttl``) with Jinja2, autoescaped. It is self-contained:
inline CSS, no script, nothing fetched; fonts come from the reader's system, with a font
stack that renders Thai and Lao. Thai and English stand side by side, each marked with its
``lang``; Lao appears where the graph has it.

The same model (:func:`ontology_model`) feeds the browser's ``/ontology`` page and the static
site's ``ontology.html`` (``present/templates/ontology.html``), which show it in the reader's
language; :func:`documented_terms` gives every documented term's anchor on those pages, so
type and property names link there and not to vocabularies on the web.

>>> Term("https://schema.org/endDate", "schema:endDate").anchor
'schema-endDate'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mou_graph.io.atomic import write_bytes
from mou_graph.lang import check_interface_language, fallback_order, pick
from mou_graph.publish.graphs import curie
from mou_graph.vocab import DCTERMS as DCT
from mou_graph.vocab import ONTOLOGY_NS, OWL, RDF, RDFS, SKOS

if TYPE_CHECKING:
    from mou_graph.store import GraphStore

__all__ = ["Term", "documented_terms", "ontology_doc", "ontology_model", "write_ontology_doc"]


_CLASS_TYPES = {OWL + "Class", RDFS + "Class"}
_PROPERTY_TYPES = {OWL + "ObjectProperty": "object", OWL + "DatatypeProperty": "datatype",
                   OWL + "AnnotationProperty": "annotation", RDF + "Property": "property"}
_KIND = {"object": {"th": "คุณสมบัติเชิงวัตถุ", "en": "object property"},
         "datatype": {"th": "คุณสมบัติเชิงข้อมูล", "en": "datatype property"},
         "annotation": {"th": "คุณสมบัติหมายเหตุ", "en": "annotation property"},
         "property": {"th": "คุณสมบัติ", "en": "property"}}
_TEXT = {
    "classes": {"th": "คลาส", "en": "Classes"},
    "individuals": {"th": "ค่าที่กำหนดไว้", "en": "Named individuals"},
    "ours": {"th": "ของออนโทโลยีนี้", "en": "of this ontology"},
    "reused": {"th": "ที่นำมาใช้ซ้ำ", "en": "reused"},
    "properties": {"th": "คุณสมบัติ", "en": "Properties"},
    "schemes": {"th": "แผนแนวคิด", "en": "Concept schemes"},
    "concepts": {"th": "แนวคิด", "en": "Concepts"},
    "contents": {"th": "สารบัญ", "en": "Contents"},
    "version": {"th": "รุ่น", "en": "Version"},
    "licence": {"th": "สัญญาอนุญาต", "en": "Licence"},
    "modified": {"th": "ปรับปรุงเมื่อ", "en": "Modified"},
    "subclass": {"th": "เป็นคลาสย่อยของ", "en": "Subclass of"},
    "subproperty": {"th": "เป็นคุณสมบัติย่อยของ", "en": "Subproperty of"},
    "domain": {"th": "โดเมน", "en": "Domain"},
    "range": {"th": "เรนจ์", "en": "Range"},
    "broader": {"th": "แนวคิดที่กว้างกว่า", "en": "Broader"},
    "scheme": {"th": "อยู่ในแผน", "en": "In scheme"},
    "alt": {"th": "ชื่ออื่น", "en": "Also called"},
    "defined": {"th": "นิยามโดย", "en": "Defined by"},
    "generated": {"th": "สร้างจาก Turtle ของออนโทโลยีโดย mou-graph", "en": "Generated from the ontology's Turtle "
                  "by mou-graph"},
}
FONT_STACK = ('"Noto Sans Thai", "Noto Sans Lao", "Noto Sans", "TLWG Laksaman", "Loma", "Garuda", '
              '"Phetsarath OT", "Saysettha OT", "Leelawadee UI", "Leelawadee", Tahoma, sans-serif')


@dataclass
class Term:
    """One documented term: its IRI, compact name, labels and definitions by language."""

    iri: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    alt: dict[str, list[str]] = field(default_factory=dict)
    kind: str = ""
    links: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (heading, [(iri, text)])

    @property
    def anchor(self) -> str:
        return self.name.replace(":", "-").replace("/", "-")


_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: {{ fonts }}; line-height: 1.6; max-width: 60rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; }
h1, h2, h3 { line-height: 1.3; }
section.term { border-top: 1px solid #ccc; padding: .5rem 0; }
.iri { font-family: monospace; font-size: .9em; color: #444; word-break: break-all; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.kind { font-size: .85em; color: #555; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: bold; }
@media (max-width: 40rem) { .pair { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header>
<h1>
{%- for code, text in titles %}<span lang="{{ code }}">{{ text }}</span>
{%- if not loop.last %} · {% endif %}{% endfor -%}
</h1>
{% if descriptions %}<div class="pair">
{%- for code, text in descriptions %}<p lang="{{ code }}">{{ text }}</p>{% endfor -%}
</div>{% endif %}
<dl>
<dt>{{ t.version }}</dt><dd>{{ version }}</dd>
{% if licence %}<dt>{{ t.licence }}</dt><dd><a href="{{ licence }}">{{ licence }}</a></dd>{% endif %}
{% if modified %}<dt>{{ t.modified }}</dt><dd>{{ modified }}</dd>{% endif %}
<dt>IRI</dt><dd class="iri">{{ iri }}</dd>
</dl>
</header>
<nav><h2>{{ t.contents }}</h2><ul>
{% for id, heading, terms in sections %}<li><a href="#{{ id }}">{{ heading }}</a> ({{ terms|length }})</li>
{% endfor %}</ul></nav>
<main>
{% for id, heading, terms in sections %}
<h2 id="{{ id }}">{{ heading }}</h2>
{% for term in terms %}
<section class="term" id="{{ term.anchor }}">
<h3>
{%- for code in label_langs if code in term.labels %}<span lang="{{ code }}">{{ term.labels[code] }}</span>
{%- if not loop.last %} · {% endif %}{% endfor %}{% if not term.labels %}{{ term.name }}{% endif -%}
</h3>
<p class="iri">{{ term.name }} — {{ term.iri }}
{%- if term.kind %} <span class="kind">({{ term.kind }})</span>{% endif %}</p>
{% if term.definitions %}<div class="pair">
{%- for code in label_langs if code in term.definitions %}<p lang="{{ code }}">{{ term.definitions[code] }}</p>
{%- endfor %}</div>{% endif %}
{% if term.alt or term.links %}<dl>
{% for code, names in term.alt.items() -%}
<dt>{{ t.alt }} ({{ code }})</dt><dd lang="{{ code }}">{{ names|join(", ") }}</dd>
{% endfor %}{% for heading, targets in term.links %}<dt>{{ heading }}</dt><dd>
{%- for target, text in targets %}<a href="{{ href(target) }}">{{ text }}</a>{% if not loop.last %}, {% endif %}
{%- endfor %}</dd>
{% endfor %}</dl>{% endif %}
</section>
{% endfor %}
{% endfor %}
</main>
<footer><p class="kind">{{ t.generated }}</p></footer>
</body>
</html>
"""


def _both(key: str, lang: str) -> str:
    """A heading in the asked language and in the other one of Thai/English."""
    first = pick(_TEXT[key], lang) or ""
    other = pick(_TEXT[key], "en" if lang != "en" else "th") or ""
    return first if first == other else f"{first} · {other}"


_CLASS_OR_PROPERTY = _CLASS_TYPES | set(_PROPERTY_TYPES) | {SKOS + "ConceptScheme", OWL + "NamedIndividual"}


def documented_terms(store: GraphStore) -> dict[str, str]:
    """Every class, property, named individual and concept scheme the documentation describes,
    as IRI -> anchor (the ``id`` of its section); concepts of a scheme are left to their own pages."""
    import pyoxigraph

    base = store.settings.base
    found: dict[str, str] = {}
    for q in store.quads(["ontology", "areas"]):
        if (q.predicate.value == RDF + "type" and q.object.value in _CLASS_OR_PROPERTY
                and isinstance(q.subject, pyoxigraph.NamedNode)):
            found[q.subject.value] = Term(q.subject.value, curie(q.subject.value, base=base)).anchor
    return found


def ontology_model(store: GraphStore, *, lang: str = "th", both: bool = True) -> dict[str, Any]:
    """What the documentation says, for a template: the header, the sections of terms, the
    headings (in ``lang`` and, with ``both``, in the other of Thai/English too) and ``href``,
    an in-page link for documented terms (others keep their IRI)."""
    lang = check_interface_language(lang)
    base = store.settings.base
    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in store.quads(["ontology", "areas"]):
        facts[q.subject.value][q.predicate.value].append(q.object)

    def heading(key: str) -> str:
        return _both(key, lang) if both else (pick(_TEXT[key], lang) or key)

    def texts(iri: str, prop: str) -> dict[str, str]:
        found = sorted((o.language, o.value) for o in facts[iri].get(prop, []) if getattr(o, "language", None))
        out: dict[str, str] = {}
        for code, value in found:
            out.setdefault(code, value)
        return out

    def iris(iri: str, prop: str) -> list[str]:
        return sorted(o.value for o in facts[iri].get(prop, []) if not hasattr(o, "language") and
                      not hasattr(o, "datatype"))

    def types(iri: str) -> set[str]:
        return set(iris(iri, RDF + "type"))

    documented: set[str] = set()

    def link(iri: str) -> tuple[str, str]:
        labels = {**texts(iri, RDFS + "label"), **texts(iri, SKOS + "prefLabel")}
        return iri, pick(labels, lang) or curie(iri, base=base)

    def href(iri: str) -> str:
        return "#" + Term(iri, curie(iri, base=base)).anchor if iri in documented else iri

    def term(iri: str, kind: str = "") -> Term:
        labels = {**texts(iri, RDFS + "label"), **texts(iri, SKOS + "prefLabel")}
        definitions = texts(iri, SKOS + "definition") or texts(iri, RDFS + "comment")
        alt: dict[str, list[str]] = defaultdict(list)
        for o in facts[iri].get(SKOS + "altLabel", []):
            alt[getattr(o, "language", None) or "-"].append(o.value)
        return Term(iri, curie(iri, base=base), labels, definitions, {k: sorted(v) for k, v in sorted(alt.items())},
                    kind)

    classes = sorted(s for s in facts if types(s) & _CLASS_TYPES)
    properties = sorted(s for s in facts if types(s) & set(_PROPERTY_TYPES))
    individuals = sorted(s for s in facts if OWL + "NamedIndividual" in types(s))
    schemes = sorted(s for s in facts if SKOS + "ConceptScheme" in types(s))
    concepts = sorted(s for s in facts if iris(s, SKOS + "inScheme") or iris(s, SKOS + "topConceptOf"))
    documented.update(classes + properties + individuals + schemes + concepts)

    relations = (("subclass", RDFS + "subClassOf"), ("subproperty", RDFS + "subPropertyOf"),
                 ("domain", RDFS + "domain"), ("range", RDFS + "range"), ("broader", SKOS + "broader"),
                 ("scheme", SKOS + "inScheme"), ("defined", RDFS + "isDefinedBy"))

    def full(iri: str, kind: str = "") -> Term:
        t = term(iri, kind)
        for key, prop in relations:
            targets = iris(iri, prop)
            if targets:
                t.links.append((heading(key), [link(x) for x in targets]))
        return t

    def kind_of(iri: str) -> str:
        kinds = sorted(_PROPERTY_TYPES[x] for x in types(iri) if x in _PROPERTY_TYPES)
        return ", ".join(pick(_KIND[k], lang) or k for k in kinds)

    ours_c = [full(c) for c in classes if c.startswith(ONTOLOGY_NS)]
    reused_c = [full(c) for c in classes if not c.startswith(ONTOLOGY_NS)]
    ours_p = [full(p, kind_of(p)) for p in properties if p.startswith(ONTOLOGY_NS)]
    reused_p = [full(p, kind_of(p)) for p in properties if not p.startswith(ONTOLOGY_NS)]
    sections = [
        ("classes", f"{heading('classes')} ({heading('ours')})", ours_c),
        ("reused-classes", f"{heading('classes')} ({heading('reused')})", reused_c),
        ("properties", f"{heading('properties')} ({heading('ours')})", ours_p),
        ("reused-properties", f"{heading('properties')} ({heading('reused')})", reused_p),
        ("individuals", heading("individuals"), [full(i) for i in individuals]),
        ("schemes", heading("schemes"), [full(s) for s in schemes]),
        ("concepts", heading("concepts"), [full(c) for c in concepts]),
    ]
    sections = [s for s in sections if s[2]]

    header = next((s for s in sorted(facts) if OWL + "Ontology" in types(s)), "")
    titles = texts(header, DCT + "title") if header else {}
    order = list(fallback_order(lang))
    version = next((o.value for o in facts[header].get(OWL + "versionInfo", [])), "") if header else ""
    if not version:
        from mou_graph import __version__ as version
    return {
        "lang": lang,
        "title": pick(titles, lang) or "mou-graph ontology",
        "titles": [(c, titles[c]) for c in order if c in titles],
        "descriptions": [(c, d) for c, d in ((c, texts(header, DCT + "description").get(c)) for c in order) if d]
        if header else [],
        "t": {k: heading(k) for k in _TEXT},
        "version": version,
        "licence": (iris(header, DCT + "license") or [""])[0] if header else "",
        "modified": next((o.value for o in facts[header].get(DCT + "modified", [])), "") if header else "",
        "iri": header,
        "sections": sections,
        "label_langs": order,
        "href": href,
    }


def ontology_doc(store: GraphStore, *, lang: str = "th") -> str:
    """The HTML page documenting the ontology and the areas scheme."""
    from jinja2 import Environment
    from markupsafe import Markup

    model = ontology_model(store, lang=lang)
    env = Environment(autoescape=True, trim_blocks=False, lstrip_blocks=False)
    return env.from_string(_TEMPLATE).render(
        fonts=Markup(FONT_STACK),  # noqa: S704 - our constant, in <style> where entities are not decoded
        **model)


def write_ontology_doc(store: GraphStore, output: Path, *, lang: str = "th") -> Path:
    """Write the page atomically to ``output``."""
    write_bytes(Path(output), ontology_doc(store, lang=lang).encode("utf-8"))
    return Path(output)
