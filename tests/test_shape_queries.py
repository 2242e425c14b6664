"""The SPARQL targets of ontology/shapes.ttl are joins, not correlated EXISTS filters.

Oxigraph evaluates ``FILTER EXISTS { ... ?this ... }`` in a target by scanning the inner pattern
for every candidate: MemorandumShape's target took 5.2 s at 1,000 agreements and grew with the
square of the register (at 10,000 the whole validation did not end in 150 s); the same nodes come
from a join with DISTINCT in 0.01 s. Checked on rdflib's algebra of each target's query."""

from __future__ import annotations

import pyoxigraph
from rdflib.plugins.sparql import prepareQuery

from .conftest import ROOT

SH = "http://www.w3.org/ns/shacl#"


def _targets() -> list[tuple[str, str]]:
    shapes = pyoxigraph.Store()
    shapes.load(path=str(ROOT / "ontology/shapes.ttl"), format=pyoxigraph.RdfFormat.TURTLE,
                base_iri="https://w3id.org/mou-graph/shapes")
    rows = shapes.query(f"""SELECT ?shape ?select WHERE {{ ?shape <{SH}target> ?t . ?t a <{SH}SPARQLTarget> ;
        <{SH}select> ?select }}""")
    return [(r["shape"].value, r["select"].value) for r in rows]


def _has_exists(node) -> bool:
    if getattr(node, "name", None) in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        return True
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list | tuple) else ()
    return any(_has_exists(c) for c in children)


def test_sparql_targets_have_no_exists_filter():
    targets = _targets()
    assert any(shape.endswith("#MemorandumShape") for shape, _s in targets)
    prefixes = "PREFIX mou: <https://w3id.org/mou-graph/ontology#>\n"
    slow = [shape for shape, text in targets if _has_exists(prepareQuery(prefixes + text).algebra)]
    assert not slow, f"a correlated EXISTS in the target of {slow}: write it as a join"


def test_the_check_sees_an_exists_filter():
    text = "SELECT ?this WHERE { ?this a ?c FILTER EXISTS { ?e <http://x/about> ?this } }"
    assert _has_exists(prepareQuery(text).algebra)
    join = "SELECT DISTINCT ?this WHERE { ?this a ?c . ?e <http://x/about> ?this }"
    assert not _has_exists(prepareQuery(join).algebra)
