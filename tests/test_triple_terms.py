"""RDF 1.2 triple terms are refused at the gate, with file and line, on the fast and slow paths."""

from pathlib import Path

import pytest

from mou_graph.errors import InputError
from mou_graph.io.rdfio import load_into

GRAPH = "https://w3id.org/mou-graph/graph/data"
CASES = {
    "a.ttl": '<http://a/s> <http://a/p> "x" .\n<http://a/r> <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> '
             "<<( <http://a/s> <http://a/p> <http://a/o> )>> .\n",
    "b.ttl": '<http://a/s> <http://a/p> "x" .\n<< <http://a/s> <http://a/p> <http://a/o> >> <http://a/q> "y" .\n',
    "c.ttl": '<http://a/s> <http://a/p> "x" .\n<http://a/s> <http://a/p> <http://a/o> {| <http://a/q> "y" |} .\n',
    "d.nt": '<http://a/s> <http://a/p> "x" .\n'
            '<http://a/r> <http://a/q> <<( <http://a/s> <http://a/p> <http://a/o> )>> .\n',
    "e.trig": '<http://a/g> { <http://a/s> <http://a/p> "x" .\n'
              '<< <http://a/s> <http://a/p> <http://a/o> >> <http://a/q> "y" . }\n',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_triple_term_is_refused_with_the_file_and_nothing_is_stored(tmp_path: Path, name: str) -> None:
    import pyoxigraph

    path = tmp_path / name
    path.write_text(CASES[name], encoding="utf-8")
    store = pyoxigraph.Store()
    with pytest.raises(InputError) as err:
        load_into(store, path, base="http://a/", graph=GRAPH)
    assert err.value.path == str(path)
    assert "triple term" in err.value.message and "triple term ของ RDF 1.2" in err.value.message
    assert len(store) == 0
    assert err.value.line == 2  # every case has its triple term on line 2


def test_validate_refuses_a_triple_term_with_exit_2_naming_file_and_line(cli, tmp_path: Path) -> None:
    """The graph exports crashed on a triple term (AttributeError); now the gate stops it at the file."""
    path = tmp_path / "b.ttl"
    path.write_text(CASES["b.ttl"], encoding="utf-8")
    run = cli("validate", "--lang", "en", "--data", str(path))
    assert run.code == 2, run.out + run.err
    assert f"{path}:2:" in run.err and "triple term" in run.err, run.err


# A query can make a triple term even though no file may hold one (SPARQL 1.2's TRIPLE()): the one
# results writer of the CLI and the endpoint answered it with an AttributeError (CLI exit 2, endpoint 500).
TRIPLE_QUERY = ('SELECT ?t ?n WHERE { BIND(TRIPLE(<http://a/s>, <http://a/p>, "x y"@th) AS ?t) '
                'BIND(TRIPLE(<http://a/r>, <http://a/q>, ?t) AS ?n) }')


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_a_triple_term_in_an_answer_is_written_as_the_engine_writes_it(fmt: str) -> None:
    import json
    import xml.etree.ElementTree as ET

    import pyoxigraph

    from mou_graph.web.results import execute

    store = pyoxigraph.Store()
    answer = execute(store, query=TRIPLE_QUERY, fmt=fmt, max_results=10)  # what an endpoint worker runs
    assert answer.status == 200, answer.body
    engine = store.query(TRIPLE_QUERY).serialize(format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
    if fmt == "json":
        assert json.loads(answer.body) == json.loads(engine)
    elif fmt == "xml":
        def canon(body: bytes) -> list[tuple[str, dict[str, str], str]]:
            return [(e.tag, e.attrib, (e.text or "").strip()) for e in ET.fromstring(body).iter()]
        assert canon(answer.body) == canon(engine)
    else:
        assert answer.body.decode() == engine.decode()


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "tsv", "json"])
def test_query_writes_a_triple_term_in_every_format(cli, fmt: str) -> None:
    run = cli("query", "-e", TRIPLE_QUERY, "--format", fmt)
    assert run.code == 0, run.err
    if fmt == "tsv":
        assert '<<( <http://a/r> <http://a/q> <<( <http://a/s> <http://a/p> "x y"@th )>> )>>' in run.out
    elif fmt in ("table", "md"):
        assert "<<( http://a/r http://a/q <<( http://a/s http://a/p x y )>> )>>" in run.out
