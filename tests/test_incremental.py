"""Incremental validation (``validate --changed``) against the whole run, on generated edits: the
incremental report, put over the whole report from before the change, is the whole report after
it; and what it re-checks stays with the change (no walk back through shared entities)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

N = 6  # agreements in the corpus


def _key(r):
    return (r.focus, r.path, r.value, r.severity, r.shape)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from bench.generate import generate
    from mou_graph.config import Settings
    from mou_graph.store import load_store
    from mou_graph.validation.validate import validate_store

    home = generate(N, seed=4, out=tmp_path_factory.mktemp("corpus"))
    store = load_store(Settings(root=home))
    quads = list(store.store)
    return store, quads, validate_store(store)


def _fresh(corpus):
    from mou_graph.store import GraphStore

    store, quads, whole = corpus
    out = GraphStore(store.settings)
    out.store.extend(quads)
    return out, whole


def _data(quads):
    return [q for q in quads if q.graph_name.value.endswith("/data") or q.graph_name.value.endswith("/evidence")]


def _pick(draw, items, max_size=1):
    if not items:
        return []
    picked = draw(st.lists(st.integers(0, len(items) - 1), max_size=max_size, unique=True))
    return [items[i] for i in picked]


def _one(draw, items):
    return items[draw(st.integers(0, len(items) - 1))]


@st.composite
def edits(draw, quads):
    """(added, removed): a few triples removed, rewired or added among the graph's own terms;
    one agreement removed, edited, or copied as a new one."""
    from bench.generate import BENCH_BASE, agreement_quads, renamed

    data = _data(quads)
    kind = draw(st.sampled_from(["triples", "remove-agreement", "copy-agreement", "edit-agreement", "literal"]))
    n = draw(st.integers(0, N - 1))
    if kind == "remove-agreement":
        return [], agreement_quads(quads, n)
    if kind == "copy-agreement":
        mine = agreement_quads(quads, n)
        mine = renamed(mine, f"{BENCH_BASE}mou/{n}", f"{BENCH_BASE}mou/{N + 50}")
        return renamed(mine, f"{BENCH_BASE}evidence/mou-{n}", f"{BENCH_BASE}evidence/mou-{N + 50}"), []
    if kind == "edit-agreement":  # the agreement's file again, some of its triples gone, a date moved
        mine = agreement_quads(quads, n)
        gone = _pick(draw, mine, 4)
        dates = [q for q in mine
                 if isinstance(q.object, pyoxigraph.Literal) and q.object.datatype.value.endswith("#date")]
        moved = [pyoxigraph.Quad(q.subject, q.predicate, pyoxigraph.Literal("2031-01-01", datatype=q.object.datatype),
                                 q.graph_name) for q in _pick(draw, dates, 2)]
        return moved, gone + [q for q in mine if q in moved or any(m.subject == q.subject and m.predicate == q.predicate
                                                                   for m in moved)]
    if kind == "literal":  # a label or text edited (a bad Thai sequence, a control character, an empty string)
        literals = [q for q in data if isinstance(q.object, pyoxigraph.Literal) and q.object.language]
        q = _one(draw, literals)
        text = draw(st.sampled_from(["", "ใหม่", "\u0e19\u0e4d\u0e32", "bad\u0085", q.object.value + " x"]))
        return [pyoxigraph.Quad(q.subject, q.predicate, pyoxigraph.Literal(text, language=q.object.language),
                                q.graph_name)], [q]
    removed = _pick(draw, data, 4)
    subjects = sorted({q.subject for q in data}, key=str)
    predicates = sorted({q.predicate for q in data}, key=str)
    objects = sorted({q.object for q in data}, key=str)
    graph = data[0].graph_name
    added = [pyoxigraph.Quad(_one(draw, subjects), _one(draw, predicates), _one(draw, objects), graph)
             for _i in range(draw(st.integers(0, 4)))]
    return added, removed


def _apply(store, added, removed):
    removed = [q for q in dict.fromkeys(removed) if q in store.store]
    for q in removed:
        store.store.remove(q)
    added = [q for q in dict.fromkeys(added) if q not in store.store]
    for q in added:
        store.store.add(q)
    return added, removed


def test_incremental_report_is_the_whole_report(corpus):
    from mou_graph.validation.validate import validate_changes, validate_store

    _store, quads, _whole = corpus

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.function_scoped_fixture])
    @given(edit=edits(quads))
    def check(edit):
        store, before = _fresh(corpus)
        added, removed = _apply(store, *edit)
        incremental = validate_changes(store, added=added, removed=removed)
        after = validate_store(store)
        merged = incremental.merged_into(before)
        assert Counter(map(_key, merged.results)) == Counter(map(_key, after.results))
        assert merged.conforms == after.conforms
        if incremental.scope is not None:  # what it says about its nodes is the whole run's
            assert Counter(map(_key, incremental.results)) == Counter(
                _key(r) for r in after.results if r.focus in incremental.scope)

    check()


def test_one_added_party_rechecks_that_agreement_only(corpus):
    """The change's re-check set follows the shapes' links, not every link back through the shared
    ministry, areas and principles (which reached a third of the graph at 10,000 agreements)."""
    from bench.generate import BENCH_BASE
    from mou_graph.validation.validate import validate_changes

    store, _before = _fresh(corpus)
    mou = pyoxigraph.NamedNode(f"{BENCH_BASE}mou/1")
    party = next(q for q in store.store.quads_for_pattern(pyoxigraph.NamedNode(f"{BENCH_BASE}mou/2"),
                                                            pyoxigraph.NamedNode("https://w3id.org/mou-graph/ontology#party"),
                                                            None, None))
    added, removed = _apply(store, [pyoxigraph.Quad(mou, party.predicate, party.object, party.graph_name)], [])
    report = validate_changes(store, added=added, removed=removed)
    assert report.scope is not None
    assert mou.value in report.scope
    others = {f"{BENCH_BASE}mou/{n}" for n in range(N)} - {mou.value}
    assert not report.scope & others, report.scope & others
    assert any(r.focus == mou.value for r in report.results)  # three parties: the rule on two of them fires


def test_a_change_to_the_class_tree_validates_the_whole_graph(corpus):
    from mou_graph.validation.validate import validate_changes, validate_store

    store, _before = _fresh(corpus)
    sub = pyoxigraph.Quad(pyoxigraph.NamedNode("https://w3id.org/mou-graph/ontology#MemorandumOfUnderstanding"),
                          pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
                          pyoxigraph.NamedNode("https://w3id.org/mou-graph/ontology#Term"),
                          pyoxigraph.NamedNode(store.settings.graph_iri("ontology")))
    added, removed = _apply(store, [sub], [])
    report = validate_changes(store, added=added, removed=removed)
    assert report.scope is None  # the whole graph was validated
    assert Counter(map(_key, report.results)) == Counter(map(_key, validate_store(store).results))
    assert not report.conforms  # every memorandum is now a term without dates


def test_a_pattern_not_joined_to_this_is_a_global_change():
    from mou_graph.validation.reach import query_chains

    chains = query_chains("PREFIX x: <http://x/> SELECT $this WHERE { $this x:q ?v . "
                          "FILTER NOT EXISTS { ?s x:anchor ?a . FILTER (CONTAINS(?a, ?v)) } }")
    assert [c[-1][0] for alternatives in chains.linked for c in alternatives] == [frozenset({"http://x/q"})]
    assert chains.loose == [(None, frozenset({"http://x/anchor"}), None)]
    star = query_chains("PREFIX x: <http://x/> SELECT $this WHERE { $this x:broader* ?v }")
    assert star.loose == [(None, None, None)]


def test_one_removed_agreement_rechecks_that_agreement_only(corpus):
    """Its claims name shared properties (``rdf:predicate mou:date``) and its evidence names them
    too (``mou:property mou:date``): walked back through that shared term, one agreement reached
    every other agreement's events and claims (at 10,000 agreements, past the share where the whole
    graph is validated: 100 s instead of under one)."""
    from bench.generate import BENCH_BASE, agreement_quads
    from mou_graph.validation.validate import validate_changes, validate_store

    store, before = _fresh(corpus)
    added, removed = _apply(store, [], agreement_quads(corpus[1], 1))
    report = validate_changes(store, added=added, removed=removed)
    assert report.scope is not None
    assert f"{BENCH_BASE}mou/1" in report.scope
    others = {n for n in report.scope if not (n.startswith(f"{BENCH_BASE}mou/1/") or n == f"{BENCH_BASE}mou/1"
                                               or n.startswith(f"{BENCH_BASE}evidence/mou-1"))}
    assert not others, sorted(others)
    after = validate_store(store)
    assert Counter(map(_key, report.merged_into(before).results)) == Counter(map(_key, after.results))


def test_a_pattern_bound_only_through_a_sibling_optional_is_a_global_change():
    """``?evidence`` and ``?claim`` are in two OPTIONALs: a path from one to a pattern of the other
    (or of a NOT EXISTS beside them) does not bound it, for that OPTIONAL may not match."""
    from mou_graph.validation.reach import query_chains

    chains = query_chains("PREFIX x: <http://x/> SELECT $this WHERE { $this ?path ?o . "
                          "FILTER NOT EXISTS { <http://x/o> x:editorial ?path } "
                          "OPTIONAL { ?e x:about $this ; x:property ?path } "
                          "OPTIONAL { ?c x:subject $this ; x:predicate ?path } }")
    ends = {c[-1][0]: [len(c) for c in alternatives] for alternatives in chains.linked for c in alternatives}
    assert ends[frozenset({"http://x/property"})] == [2]  # through ?e only, not ?c's x:predicate
    assert ends[frozenset({"http://x/predicate"})] == [2]
    assert frozenset({"http://x/editorial"}) not in ends
    assert chains.loose == [("http://x/o", frozenset({"http://x/editorial"}), None)]
    union = query_chains("PREFIX x: <http://x/> SELECT $this WHERE { { $this x:a ?v } UNION { $this x:b ?w } "
                         "?v x:c ?w }")
    assert union.loose == [(None, frozenset({"http://x/c"}), None)]  # neither branch binds both of its ends


def test_a_property_no_longer_editorial_rechecks_what_it_covers(corpus):
    """The ontology's list of editorial properties (facts that need no evidence) reaches a focus
    node only through ``$this ?path ?object``: an edit of it is a global change (walked back
    through the evidence OPTIONAL, it reached none of the nodes it convicts)."""
    from bench.generate import BENCH_BASE
    from mou_graph.validation.validate import validate_changes, validate_store

    store, _whole = _fresh(corpus)
    note = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#editorialNote")
    data = next(q.graph_name for q in store.store.quads_for_pattern(pyoxigraph.NamedNode(f"{BENCH_BASE}mou/1"),
                                                                    None, None, None))
    store.store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{BENCH_BASE}mou/1"), note,
                                    pyoxigraph.Literal("an editor's note", language="en"), data))
    before = validate_store(store)
    assert before.conforms  # an editorial property: no evidence needed
    ed = pyoxigraph.Quad(pyoxigraph.NamedNode("https://w3id.org/mou-graph/ontology"),
                         pyoxigraph.NamedNode("https://w3id.org/mou-graph/ontology#editorialProperty"), note,
                         pyoxigraph.NamedNode(store.settings.graph_iri("ontology")))
    added, removed = _apply(store, [], [ed])
    assert removed == [ed]
    report = validate_changes(store, added=added, removed=removed)
    after = validate_store(store)
    assert any(r.focus == f"{BENCH_BASE}mou/1" for r in after.results)  # the note now needs evidence
    assert Counter(map(_key, report.merged_into(before).results)) == Counter(map(_key, after.results))
