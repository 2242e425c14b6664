"""The fast validator gives pyshacl's report: on a graph broken every way the fixtures know,
together with a synthetic corpus; and incremental validation finds what a change breaks."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from .conftest import ROOT

BROKEN = sorted((ROOT / "tests/fixtures/broken").glob("*.ru"))


def _key(r):
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
    from mou_graph.validation.validate import _engine

    assert _engine(store) is not None, "mou_graph.validation.fastshacl fell back: the shapes use something it lacks"


@pytest.mark.slow
@pytest.mark.timeout(900)  # pySHACL over the broken register (25,437 quads): some 30 s here, more on a busy machine
def test_same_report_as_pyshacl_on_a_broken_corpus(broken):
    from mou_graph.validation.validate import validate_store, validate_store_pyshacl

    fast, reference = validate_store(broken), validate_store_pyshacl(broken)
    assert len(reference.results) > 20, "the broken corpus should break many rules"
    assert not fast.conforms and not reference.conforms
    assert Counter(map(_key, fast.results)) == Counter(map(_key, reference.results))
    ours = {_key(r): set(r.messages.values()) for r in fast.results}
    for r in reference.results:  # pyshacl may drop a language tag; every text it gives is ours too
        assert set(r.messages.values()) <= ours[_key(r)], r


def test_unsupported_shapes_fall_back_to_pyshacl():
    import pyoxigraph

    from mou_graph.validation.fastshacl import compile_shapes

    ttl = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
    <http://ex/S> a sh:NodeShape ; sh:targetNode <http://ex/a> ; sh:closed true ; sh:message "closed"@en ."""
    assert compile_shapes(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE)) is None


def test_incremental_validation_finds_what_a_change_breaks(tmp_path):
    from bench.generate import BENCH_BASE, generate
    from mou_graph.config import Settings
    from mou_graph.store import load_store
    from mou_graph.validation.validate import validate_changes, validate_file_changes

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


# -- regressions: constructs where fastshacl said "conforms" and pyshacl did not (issue 10, item 11)

_HEAD = """@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _both(ttl: str) -> tuple[set, set]:
    """(focus, value) of each result: from fastshacl (which must support the shapes), and from pyshacl."""
    import pyoxigraph
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    from mou_graph.validation.fastshacl import compile_shapes

    text = _HEAD + ttl
    triples = list(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    engine = compile_shapes(triples)
    assert engine is not None, "fastshacl fell back"
    data = pyoxigraph.Store()
    data.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    fast = {(r["focus"].value, r["value"].value if r["value"] is not None else None) for r in engine.validate(data)}
    g = rdflib.Graph().parse(data=text, format="turtle")
    _, report, _ = pyshacl.validate(g, shacl_graph=g, inference="none", advanced=True)
    ref = {(str(report.value(n, SH.focusNode)), None if report.value(n, SH.value) is None else
            str(report.value(n, SH.value))) for n in report.subjects(rdflib.RDF.type, SH.ValidationResult)}
    return fast, ref


def test_ill_typed_date_fails_sh_datatype():
    fast, ref = _both("""ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:message "bad"@en ;
        sh:property [ sh:path ex:signed ; sh:datatype xsd:date ; sh:message "not a date"@en ] .
        ex:a ex:signed "2022-02-30"^^xsd:date , "2022-02-28"^^xsd:date .""")
    assert fast == ref == {("http://example.org/a", "2022-02-30")}


def test_property_shape_nested_in_a_property_shape_checks_the_value_nodes():
    fast, ref = _both("""ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:message "bad"@en ;
        sh:property [ sh:path ex:p ; sh:message "p"@en ;
            sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:message "q"@en ] ] .
        ex:a ex:p ex:b , ex:c . ex:c ex:q 1 .""")
    assert fast == ref == {("http://example.org/b", None)}


def test_this_only_inside_filter_not_exists_is_pre_bound():
    fast, ref = _both("""ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ; sh:message "no p"@en ;
        sh:sparql [ sh:message "no p"@en ;
            sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <http://example.org/p> ?x } }" ] .
        ex:b ex:p 1 .""")
    assert fast == ref == {("http://example.org/a", "http://example.org/a")}


def test_path_in_a_property_shapes_sparql_constraint_is_the_path():
    fast, ref = _both("""ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:message "literal"@en ;
        sh:sparql [ sh:message "literal"@en ;
            sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (isLiteral(?value)) }" ] .
        ex:a ex:p "x" ; ex:q "y" .""")
    assert fast == ref == {("http://example.org/a", "x")}


def test_a_shape_that_is_a_class_targets_its_instances():
    fast, ref = _both("""ex:C a rdfs:Class , sh:NodeShape ; sh:message "bad"@en ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "no p"@en ] .
        ex:i a ex:C . ex:j a ex:C ; ex:p 1 .""")
    assert fast == ref == {("http://example.org/i", None)}


def test_date_times_compare_across_time_zones():
    fast, ref = _both("""ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:message "bad"@en ;
        sh:property [ sh:path ex:at ; sh:minInclusive "2022-01-01T00:00:00Z"^^xsd:dateTime ; sh:message "early"@en ] .
        ex:a ex:at "2022-01-01T05:00:00+07:00"^^xsd:dateTime , "2022-01-01T09:00:00+07:00"^^xsd:dateTime ,
                   "2022-01-02T00:00:00"^^xsd:dateTime .""")
    assert fast == ref == {("http://example.org/a", "2022-01-01T05:00:00+07:00"),
                           ("http://example.org/a", "2022-01-02T00:00:00")}


def test_impossible_signing_date_fails_validate_end_to_end(cli, tmp_path):
    """`mou-graph validate --data` with a signing date of 30 February: exit 1, naming the
    agreement and the shape."""
    args = []
    for path in sorted((ROOT / "data").glob("*.ttl")):
        copy = tmp_path / path.name
        text = path.read_text(encoding="utf-8")
        if path.name == "mou.ttl":
            assert 'mou:signingDate "2022-11-07"^^xsd:date' in text
            text = text.replace('mou:signingDate "2022-11-07"^^xsd:date', 'mou:signingDate "2022-02-30"^^xsd:date')
        copy.write_text(text, encoding="utf-8")
        args += ["--data", str(copy)]
    run = cli("validate", *args, "--lang", "en")
    assert run.code == 1, run.out + run.err
    assert "https://w3id.org/mou-graph/id/mou/th-la-digital-2022" in run.out
    assert "https://w3id.org/mou-graph/shapes#Agreement" in run.out
    assert "2022-02-30" in run.out


# -- differential: generated broken graphs get the same report from both engines

XSD = "http://www.w3.org/2001/XMLSchema#"


def _odd_literals():  # a hypothesis strategy of pyoxigraph literals
    from hypothesis import strategies as st
    from pyoxigraph import Literal, NamedNode

    def typed(text: str, dt: str) -> Literal:
        return Literal(text, datatype=NamedNode(XSD + dt))

    fixed = st.sampled_from([
        typed("2022-02-30", "date"), typed("2022-13-01", "date"), typed("2022-11-07+07:00", "date"),
        typed("2022-11-07T00:00:00+07:00", "dateTime"), typed("2022-11-07T00:00:00Z", "dateTime"),
        Literal("2022-11-07"), typed("5Y", "duration"), typed("P5Y", "duration"), typed("P2Y6M", "duration"),
        typed("abc", "integer"), typed("12", "integer"), typed("-3", "integer"), typed("yes", "boolean"),
        typed("true", "boolean"), typed("1.5", "decimal"), Literal("ชื่อ", language="th"),
        Literal("name", language="en"), Literal("nom", language="fr"), Literal(" padded "),
    ])
    zones = st.sampled_from(["", "Z", "+07:00", "-05:00"])
    stamps = st.builds(lambda d, z: typed(d.isoformat() + z, "dateTime"),
                       st.datetimes(min_value=__import__("datetime").datetime(2000, 1, 1),
                                    max_value=__import__("datetime").datetime(2040, 1, 1)), zones)
    days = st.builds(lambda d: typed(d.isoformat(), "date"), st.dates())
    return st.one_of(fixed, stamps, days)


@pytest.fixture(scope="module")
def small(store):
    """The shipped graph without its evidence graph (4,030 of its 23,483 quads: pyshacl takes some 10 s)."""
    return [q for q in store.store if not q.graph_name.value.endswith("/evidence")]


def _edited(store, quads, data):  # a GraphStore with generated edits applied
    import pyoxigraph
    from hypothesis import strategies as st

    from mou_graph.store import GraphStore

    quads = list(quads)
    literals = [i for i, q in enumerate(quads) if type(q.object).__name__ == "Literal"]
    named = sorted({q.object for q in quads if type(q.object).__name__ == "NamedNode"}, key=str)
    typed = [i for i in literals if quads[i].object.datatype.value.startswith(XSD)
             and not quads[i].object.datatype.value.endswith("#string")]
    for n in range(data.draw(st.integers(1, 4), label="edits")):
        kind = "typed" if n == 0 else data.draw(st.sampled_from(["literal", "drop", "extra", "iri", "fixture"]))
        if kind in ("typed", "literal"):  # a wrong datatype, an ill-typed literal, a time zone, a language
            i = data.draw(st.sampled_from(typed if kind == "typed" else literals))
            q = quads[i]
            quads[i] = pyoxigraph.Quad(q.subject, q.predicate, data.draw(_odd_literals()), q.graph_name)
        elif kind == "drop":  # a missing value
            quads.pop(data.draw(st.integers(0, len(quads) - 1)))
        elif kind == "extra":  # an extra value for the same property
            q = quads[data.draw(st.integers(0, len(quads) - 1))]
            obj = data.draw(st.one_of(_odd_literals(), st.sampled_from(named)))
            quads.append(pyoxigraph.Quad(q.subject, q.predicate, obj, q.graph_name))
        elif kind == "iri":  # a value of the wrong class (or a type changed)
            i = data.draw(st.integers(0, len(quads) - 1))
            q = quads[i]
            quads[i] = pyoxigraph.Quad(q.subject, q.predicate, data.draw(st.sampled_from(named)), q.graph_name)
        else:  # one of the hand-written broken fixtures
            g = pyoxigraph.Store()
            g.extend(quads)
            g.update(data.draw(st.sampled_from(BROKEN)).read_text(encoding="utf-8"))
            quads = list(g)
    out = GraphStore(store.settings)
    out.store.extend(quads)
    return out


def _same_value(r):
    """_key with a date or dateTime value in rdflib's form: pyshacl reports the value as rdflib
    rewrites it ("...Z" as "...+00:00"), ours as the data has it."""
    import rdflib

    value = r.value
    for dt in ("dateTime", "date"):
        if value is not None and re.fullmatch(r"-?\d{4,}-\d\d-\d\d(T[0-9:.]+)?(Z|[+-]\d\d:\d\d)?", value):
            lit = rdflib.Literal(value, datatype=rdflib.URIRef(XSD + dt))
            if not lit.ill_typed:
                value = str(lit)
                break
    return (*_key(r)[:2], value, *_key(r)[3:])


def test_generated_broken_graphs_get_the_same_report_from_both_engines(store, small):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from mou_graph.validation.validate import validate_store, validate_store_pyshacl

    # no shrinking: an example takes pyshacl some 10 s, and shrinking one that failed ran for as long as the
    # test's timeout let it (a failure is reported with its draws all the same)
    @settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data):
        broken = _edited(store, small, data)
        fast, reference = validate_store(broken), validate_store_pyshacl(broken)
        assert Counter(map(_same_value, fast.results)) == Counter(map(_same_value, reference.results))
        assert fast.conforms == reference.conforms

    check()


def test_the_engine_is_chosen_by_an_environment_variable(monkeypatch):
    from mou_graph.errors import UsageError
    from mou_graph.validation.validate import ENGINE_VARIABLE, validate_store

    from .conftest import load_fixture

    store = load_fixture()  # what is checked is the choice, not the report: the small export fixture
    assert validate_store(store).engine == "fastshacl"
    monkeypatch.setenv(ENGINE_VARIABLE, "pyshacl")
    assert validate_store(store).engine == "pyshacl"
    monkeypatch.setenv(ENGINE_VARIABLE, "fast-and-loose")
    with pytest.raises(UsageError, match=ENGINE_VARIABLE):
        validate_store(store)


def test_pyshacl_parses_each_rules_query_once(store, small, monkeypatch):
    """pyshacl asks a SPARQL rule once per focus node; rdflib parsed the same text every time (60 % of a
    run on the shipped graph). Each text is now parsed once, and the report is the same."""
    import rdflib.plugins.sparql.processor as processor

    from mou_graph.store import GraphStore
    from mou_graph.validation.validate import validate_store, validate_store_pyshacl

    parsed: list[str] = []
    real = processor.parseQuery
    monkeypatch.setattr(processor, "parseQuery", lambda text: parsed.append(text) or real(text))
    graph = GraphStore(store.settings)
    graph.store.extend(small)
    reference = validate_store_pyshacl(graph)
    assert parsed, "pyshacl asked no SPARQL rule"
    assert len(parsed) == len(set(parsed)), f"{len(parsed)} parses of {len(set(parsed))} queries"
    assert Counter(map(_key, reference.results)) == Counter(map(_key, validate_store(graph).results))


def test_pyshacl_reads_the_focus_nodes_evidence_not_all_evidence(monkeypatch):
    """rdflib orders a rule's triple patterns on their text alone: in the evidence rule's OPTIONAL it began
    with ``?evidence a mou:Evidence`` (it does not know ``$this`` is bound), every evidence node once per
    row (200 s of a 220 s pySHACL run on the broken corpus). The graph handed to pySHACL orders them
    knowing the pre-bound variables: the rule then reads the focus node's own evidence, and answers alike."""
    import rdflib
    import rdflib.plugins.stores.memory as memory
    from rdflib.namespace import RDF, SH

    from mou_graph.validation.validate import _queries_parsed_once

    MOU = rdflib.Namespace("https://w3id.org/mou-graph/ontology#")
    EX = rdflib.Namespace("http://example.org/")
    shapes = rdflib.Graph().parse(ROOT / "ontology/shapes.ttl")
    rule = rdflib.URIRef("https://w3id.org/mou-graph/shapes#EvidenceCoverageRule")
    select = str(shapes.value(shapes.value(rule, SH.sparql), SH.select))
    text = f"PREFIX mou: <{MOU}>\nPREFIX rdf: <{RDF}>\n{select}"

    data = rdflib.Graph()
    data.add((EX.a, EX.knows, EX.b))
    data.add((EX.a, EX.likes, EX.c))
    data.add((EX.e, RDF.type, MOU.Evidence))  # the first fact has evidence, the second none
    data.add((EX.e, MOU.about, EX.a))
    data.add((EX.e, MOU.property, EX.knows))
    for i in range(3000):  # evidence about other things
        data.add((EX[f"e{i}"], RDF.type, MOU.Evidence))
        data.add((EX[f"e{i}"], MOU.about, EX[f"x{i}"]))
        data.add((EX[f"e{i}"], MOU.property, EX.knows))

    reads = [0]
    real = memory.Memory.triples

    def triples(self, pattern, context=None):
        for t in real(self, pattern, context):
            reads[0] += 1
            yield t

    monkeypatch.setattr(memory.Memory, "triples", triples)
    rows = _queries_parsed_once(data).query(text, initBindings={"this": EX.a})
    assert sorted((str(r[0]), str(r[1])) for r in rows) == [(str(EX.a), str(EX.likes))]
    assert reads[0] < 100, f"{reads[0]} triples read for one focus node with two facts"
    reads[0] = 0
    plain = data.query(text, initBindings={"this": EX.a})  # rdflib's own order: the same rows
    assert sorted((str(r[0]), str(r[1])) for r in plain) == [(str(EX.a), str(EX.likes))]
    assert reads[0] > 3000
