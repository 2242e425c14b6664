"""The loader's bound of the triples a Turtle file makes (issue 15): it replaces the counting
parse before a load, so it must never be below the truth, whatever the IRIs, strings and
comments hold; a file past the limit is still refused, and the default limits still admit
the benchmark's register."""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mou_graph.io.rdfio import _most_triples, _punctuation

# characters that make trouble for a reading of punctuation: terminators, quotes, brackets, escapes
TRICKY = ".;,]}[{<>'\"#\\ \t\n^|ก่"
iri_text = st.lists(st.sampled_from([*"ab/:#.;,]'(~", "%20", "ก"]), max_size=8).map("".join)
iri = iri_text.map(lambda t: f"<http://x/{t}>")
string_text = st.lists(st.sampled_from([*TRICKY.replace("\\", "").replace('"', "").replace("\n", ""),
                                        "a", '\\"', "\\\\", "\\n"]), max_size=10).map("".join)
literal = st.one_of(
    string_text.map(lambda t: f'"{t}"'),
    string_text.filter(lambda t: "'" not in t).map(lambda t: f"'{t}'"),
    string_text.map(lambda t: f'"""{t}\n{t}"""'),
    string_text.map(lambda t: f'"{t}"@th'),
    st.sampled_from(["1.5", "-3", "+2", "1e5", "true", ".5"]),
    iri.map(lambda i: f'"x"^^{i}'),
)


@st.composite
def obj(draw, depth: int = 0):
    choices = [iri, literal, st.just("_:b1"), st.just("[]")]
    if depth < 2:
        choices.append(st.builds(lambda pol: f"[ {pol} ]", pol_list(depth + 1)))
    return draw(st.one_of(*choices))


@st.composite
def pol_list(draw, depth: int = 0):
    pairs = []
    for _ in range(draw(st.integers(1, 3))):
        objects = [draw(obj(depth)) for _ in range(draw(st.integers(1, 3)))]
        pairs.append(f"{draw(iri)} " + " , ".join(objects))
    return " ;\n ".join(pairs) + draw(st.sampled_from(["", " ;"]))


comment = string_text.map(lambda t: f"# {t}\n")
statement = st.builds(lambda s, pol, c: f"{s} {pol} .\n{c}", st.one_of(iri, st.just("_:b2")), pol_list(),
                      st.one_of(st.just(""), comment))
document = st.lists(statement, min_size=1, max_size=6).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_the_bound_is_never_below_the_triples_parsed(text):
    data = text.encode("utf-8")
    try:
        parsed = sum(1 for _ in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))
    except SyntaxError:
        return  # a generated text the parser refuses loads nothing
    bound = _most_triples(_punctuation(data))
    assert bound is None or bound >= parsed, (bound, parsed, text)


def test_the_bound_follows_the_triples_of_n_triples_text():
    line = '<http://x/a.b/c> <http://x/p> "one, two; three. ]" .\n'
    # one triple a line, bounded by its final "." and the four in its string: tight enough for a
    # register's files (a few per triple), where the counting parse took a third of the load
    assert _most_triples(_punctuation(line.encode() * 1000)) == 5 * 1000


def test_collections_and_triple_terms_are_left_to_the_counting_parse():
    assert _most_triples(_punctuation(b"<a> <b> (1 2 3) .")) is None
    assert _most_triples(_punctuation(b"<< <a> <b> <c> >> <d> <e> .")) is None


@pytest.mark.parametrize("fast", [True, False])
def test_a_dense_file_past_the_limit_is_refused_without_being_loaded(tmp_path, monkeypatch, fast):
    """Past the bound, the counting parse decides: 3,000 triples in 1,000 statements of object
    lists, with the limit at 2,000, are refused (fast path: N-Triples-like Turtle, no escapes)."""
    from mou_graph.errors import InputError
    from mou_graph.io.rdfio import load_into

    monkeypatch.setenv("MOU_GRAPH_MAX_FILE_TRIPLES", "2000")
    body = "".join(f"<http://x/s{i}> <http://x/p> <http://x/a>, <http://x/b>, <http://x/c{'é' if not fast else ''}> .\n"
                   for i in range(1000))
    path = tmp_path / "dense.ttl"
    path.write_text(body if fast else body.replace("é", "e\u0301"), encoding="utf-8")  # not NFC: the slow path
    store = pyoxigraph.Store()
    with pytest.raises(InputError, match="MOU_GRAPH_MAX_FILE_TRIPLES"):
        load_into(store, path, base="http://x/", graph="http://x/g")
    assert len(store) == 0
