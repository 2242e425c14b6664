"""The fast validator gives pyshacl's report: on a graph broken every way the fixtures know,
together with a synthetic corpus; and incremental validation finds what a change breaks."""

from __future__ import annotations

from collections import Counter

import pytest

from .conftest import ROOT

BROKEN = sorted((ROOT / "tests/fixtures/broken").glob("*.ru"))


def _key(r):  # noqa: ANN001, ANN202
    return (r.focus, r.path, r.value, r.severity, r.shape)


@pytest.fixture(scope="module")
def broken(store):
    """The shipped graph plus three synthetic memoranda, with every broken fixture applied."""
    import pyoxigraph

    from bench.generate import corpus_lines
    from mou_graph.store import GraphStore

    g = pyoxigraph.Store()
    g.load(pyoxigraph.serialize(store.triples(), format=pyoxigraph.RdfFormat.N_TRIPLES),
           format=pyoxigraph.RdfFormat.N_TRIPLES)
    g.load(("\n".join(corpus_lines(3, seed=5)) + "\n").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for fixture in BROKEN:
        g.update(fixture.read_text(encoding="utf-8"))
    out = GraphStore(store.settings)
    graph = pyoxigraph.NamedNode(store.settings.graph_iri("data"))
    out.store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in g)
    return out


def test_fast_engine_supports_our_shapes(store):
    from mou_graph.validate import _engine

    assert _engine(store) is not None, "mou_graph.fastshacl fell back: the shapes use something it lacks"


def test_same_report_as_pyshacl_on_a_broken_corpus(broken):
    from mou_graph.validate import validate_store, validate_store_pyshacl

    fast, reference = validate_store(broken), validate_store_pyshacl(broken)
    assert len(reference.results) > 20, "the broken corpus should break many rules"
    assert not fast.conforms and not reference.conforms
    assert Counter(map(_key, fast.results)) == Counter(map(_key, reference.results))
    ours = {_key(r): set(r.messages.values()) for r in fast.results}
    for r in reference.results:  # pyshacl may drop a language tag; every text it gives is ours too
        assert set(r.messages.values()) <= ours[_key(r)], r


def test_unsupported_shapes_fall_back_to_pyshacl():
    import pyoxigraph

    from mou_graph.fastshacl import compile_shapes

    ttl = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
    <http://ex/S> a sh:NodeShape ; sh:targetNode <http://ex/a> ; sh:closed true ; sh:message "closed"@en ."""
    assert compile_shapes(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE)) is None


def test_incremental_validation_finds_what_a_change_breaks(tmp_path):
    from bench.generate import BENCH_BASE, generate
    from mou_graph.config import Settings
    from mou_graph.store import load_store
    from mou_graph.validate import validate_changes, validate_file_changes

    home = generate(3, seed=2, out=tmp_path)
    store = load_store(Settings(root=home))
    clean = validate_changes(store, added=[], removed=[])
    assert clean.conforms and clean.results == []
    changed = tmp_path / "change.ttl"
    mou = f"<{BENCH_BASE}mou/2>"
    changed.write_text(f'{mou} a <https://w3id.org/mou-graph/ontology#MemorandumOfUnderstanding> ;\n'
                       '    <http://www.w3.org/2000/01/rdf-schema#label> "only English"@en .\n', encoding="utf-8")
    report = validate_file_changes(store, changed)
    assert not report.conforms
    focus = {r.focus for r in report.results}
    assert BENCH_BASE + "mou/2" in focus
    # the file replaced what mou/2 said: the memorandum, and the evidence now stale, are named; nothing else
    assert all(f.startswith((BENCH_BASE + "mou/2", BENCH_BASE + "evidence/mou-2")) for f in focus), focus
    shapes = {r.shape.rsplit("#", 1)[-1].lower() for r in report.results if r.focus == BENCH_BASE + "mou/2"}
    assert any("thai" in s for s in shapes), shapes  # the Thai label is gone
