"""Exports: RDF formats re-parse (rdflib and pyoxigraph) to the store's graph, graph
formats read back in networkx, bytes are deterministic, personal data stays out, and the
files for a small fixture graph match golden copies (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib

from mou_graph.publish.export import QUAD_FORMATS, RDF_FORMATS, export_quads, export_triples, rdf_bytes
from mou_graph.publish.graphs import GRAPH_FORMATS, PROJECTIONS, entity_graph, graph_files, project
from mou_graph.publish.release import build_files
from mou_graph.store import GraphStore
from tests.conftest import FIXTURE, OX_FORMAT, RDFLIB_FORMAT, ROOT, load_fixture, make_home, tree

GOLDEN = FIXTURE / "golden"
MOU = "https://w3id.org/mou-graph/ontology#"


@pytest.fixture(scope="session")
def fx_store() -> GraphStore:
    return load_fixture()


@pytest.fixture(scope="session")
def fx_home(tmp_path_factory) -> Path:
    return make_home(tmp_path_factory.mktemp("fixture-home"))


def personal_values(store: GraphStore) -> set[str]:
    """Names, labels and telephone numbers of the nodes the graph marks as personal."""
    rows = store.query(f"""SELECT ?v WHERE {{ ?c <{MOU}personalData> true ; ?p ?v .
        FILTER (isLiteral(?v) && datatype(?v) != <http://www.w3.org/2001/XMLSchema#boolean>)
        FILTER (?p IN (<https://schema.org/givenName>, <https://schema.org/familyName>, <https://schema.org/telephone>,
                       <http://www.w3.org/2000/01/rdf-schema#label>)) }}""")
    return {r["v"].value for r in rows}


# -- RDF: re-parse with two parsers ------------------------------------------------------
def _ox_parse(data: bytes, fmt: str) -> set:
    parsed = pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, OX_FORMAT[fmt]))
    if fmt in QUAD_FORMATS:
        return {(str(q.subject), str(q.predicate), str(q.object), q.graph_name.value) for q in parsed}
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in parsed}


def _rdflib_graph(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    return g


def _check_rdf(store: GraphStore, fmt: str, *, include_personal: bool) -> None:
    from rdflib.compare import isomorphic

    quads = export_quads(store, include_personal=include_personal)
    data = rdf_bytes(quads, fmt, base=store.settings.base)
    assert data.decode("utf-8")  # UTF-8 text
    if fmt in QUAD_FORMATS:
        expected = {(str(q.subject), str(q.predicate), str(q.object), q.graph_name.value) for q in quads}
        assert _ox_parse(data, fmt) == expected
        ds = rdflib.Dataset()
        ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
        names = {q.graph_name.value for q in quads}
        assert {str(c.identifier) for c in ds.graphs() if len(c)} == names
        for name in names:
            want = _rdflib_graph([q.triple for q in quads if q.graph_name.value == name])
            assert isomorphic(ds.graph(rdflib.URIRef(name)), want), name
    else:
        triples = export_triples(store, include_personal=include_personal)
        assert _ox_parse(data, fmt) == {(str(t.subject), str(t.predicate), str(t.object)) for t in triples}
        parsed = rdflib.Graph()
        parsed.parse(data=data, format=RDFLIB_FORMAT[fmt])
        assert len(parsed) == len(triples)
        assert isomorphic(parsed, _rdflib_graph(triples))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_reparses_to_the_fixture_graph(fx_store, fmt):
    _check_rdf(fx_store, fmt, include_personal=True)
    _check_rdf(fx_store, fmt, include_personal=False)


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_reparses_to_the_shipped_graph(store, fmt):
    _check_rdf(store, fmt, include_personal=False)


def test_with_personal_data_the_export_is_the_whole_store(store):
    whole = {str(t) for t in store.triples()}
    assert {str(t) for t in export_triples(store, include_personal=True)} == whole
    assert len(export_quads(store, include_personal=True)) == len(store)


# -- personal data ------------------------------------------------------------------------
def _all_bytes(store: GraphStore, *, include_personal: bool) -> dict[str, bytes]:
    quads = export_quads(store, include_personal=include_personal)
    out = {fmt: rdf_bytes(quads, fmt, base=store.settings.base) for fmt in RDF_FORMATS}
    for projection in PROJECTIONS:
        graph = project(store, projection, include_personal=include_personal)
        for fmt in GRAPH_FORMATS:
            for name, data in graph_files(graph, fmt).items():
                out[f"{projection}-{fmt}{name}"] = data
    return out


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_personal_data_is_left_out_of_every_format_unless_asked(which, fx_store, store):
    st = fx_store if which == "fixture" else store
    secrets = personal_values(st)
    assert secrets, "the graph should hold contact persons to leave out"
    for name, data in _all_bytes(st, include_personal=False).items():
        text = data.decode("utf-8")
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, f"{name} leaks {leaked}"
    if which == "fixture":  # asked for, they are there (so the check above can fail)
        kept = _all_bytes(st, include_personal=True)
        for name in ("turtle", "nquads", "entity-csvnodes.csv", "entity-graphml"):
            assert all(s in kept[name].decode("utf-8") for s in secrets), name


# -- graph formats read back in networkx --------------------------------------------------
def _read_back(fmt: str, files: dict[str, bytes]) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(files[""]), force_multigraph=True)
    if fmt == "gexf":
        graph = nx.read_gexf(io.BytesIO(files[""]))
        out = nx.MultiDiGraph(graph)
        for *_, data in out.edges(data=True):
            data.pop("id")  # GEXF's own edge id
        return out
    if fmt == "nodelink":
        return nx.node_link_graph(json.loads(files[""]), edges="edges")
    if fmt == "cytoscape":
        graph = nx.cytoscape_graph(json.loads(files[""]))
        for _, data in graph.nodes(data=True):
            assert data.pop("value") == data.pop("id") == data.pop("name")
        for u, v, k, data in graph.edges(keys=True, data=True):
            assert (data.pop("source"), data.pop("target"), data.pop("key")) == (u, v, k)
        return graph
    assert fmt == "csv"
    graph = nx.MultiDiGraph()
    for name in ("nodes.csv", "edges.csv"):
        assert files[name].startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    for row in csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8-sig"), newline="")):
        graph.add_node(row.pop("id"), **{k: v for k, v in row.items() if v != ""})
    for row in csv.DictReader(io.StringIO(files["edges.csv"].decode("utf-8-sig"), newline="")):
        u, v, k = row.pop("source"), row.pop("target"), row.pop("key")
        graph.add_edge(u, v, key=k, **{a: b for a, b in row.items() if b != ""})
    return graph


def _edges(graph: nx.MultiDiGraph, *, keys: bool) -> list:
    return sorted((u, v, k if keys else None, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True))


@pytest.mark.parametrize("fmt", sorted(GRAPH_FORMATS))
@pytest.mark.parametrize("projection", PROJECTIONS)
def test_graph_formats_read_back_with_the_same_nodes_edges_and_attributes(fx_store, store, fmt, projection):
    for st in (fx_store, store):
        graph = project(st, projection, lang="en")
        back = _read_back(fmt, graph_files(graph, fmt))
        assert list(back.nodes) == list(graph.nodes) or sorted(back.nodes) == sorted(graph.nodes)
        assert {n: d for n, d in back.nodes(data=True)} == {n: d for n, d in graph.nodes(data=True)}
        keys = fmt != "gexf" or back.number_of_edges() != nx.DiGraph(back).number_of_edges()
        assert _edges(back, keys=keys) == _edges(graph, keys=keys)


def test_entity_projection_carries_labels_by_the_fallback_rule(fx_store):
    base = fx_store.settings.base
    postal, digital = base + "area/postal", base + "area/digital-technology"
    lao = entity_graph(fx_store, lang="lo")
    assert lao.nodes[postal]["label"] == lao.nodes[postal]["label_lo"] == "ໄປສະນີ"
    assert lao.nodes[digital]["label"] == lao.nodes[digital]["label_th"]  # no Lao label: Thai next
    assert "label_lo" not in lao.nodes[digital]
    english = entity_graph(fx_store, lang="en")
    assert english.nodes[postal]["label"] == "Postal" and english.nodes[postal]["iri"] == postal
    assert english.nodes[postal]["type"] == "mou:CooperationArea"
    edge = english.edges[base + "mou/test-2022", postal, "mou:area"]
    assert edge["property"] == MOU + "area" and edge["label_th"] and edge["label"] == "area"
    assert english.nodes[base + "mou/test-2022"]["mou:signingDate"] == "2022-11-07"  # literal -> attribute
    assert not english.has_node(MOU + "area")  # the ontology is not an entity


def test_csv_opens_with_thai_intact(fx_store, tmp_path):
    from mou_graph.publish.graphs import export_graph

    export_graph(entity_graph(fx_store), "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert rows[fx_store.settings.base + "area/postal"]["label_th"] == "ไปรษณีย์"
    assert rows[fx_store.settings.base + "area/postal"]["label_lo"] == "ໄປສະນີ"


# -- determinism and golden files ----------------------------------------------------------
_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.conftest import load_fixture
from mou_graph import load_store
from mou_graph.publish.release import build_files
out = Path(sys.argv[1])
for name, store in (("fixture", load_fixture()), ("shipped", load_store())):
    for path, data in build_files(store).items():
        (out / name / path).parent.mkdir(parents=True, exist_ok=True)
        (out / name / path).write_bytes(data)
"""


def test_bytes_are_the_same_in_fresh_processes(tmp_path, fx_store):
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT)), str(out)], check=True, timeout=120,
                       cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        trees.append(tree(out))
    assert trees[0] == trees[1]
    assert {k.removeprefix("fixture/"): v for k, v in trees[0].items() if k.startswith("fixture/")} == \
        build_files(fx_store)


def _golden_files(store: GraphStore) -> dict[str, bytes]:
    files = dict(build_files(store))
    quads = export_quads(store, include_personal=True)
    for fmt, (ext, _) in RDF_FORMATS.items():
        files[f"with-personal/mou-graph{ext}"] = rdf_bytes(quads, fmt, base=store.settings.base)
    return files


def test_golden_files_of_the_fixture_graph(fx_store):
    files = _golden_files(fx_store)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    assert sorted(tree(GOLDEN)) == sorted(files), "UPDATE_GOLDEN=1 pytest tests/test_export.py regenerates them"
    for path, data in files.items():
        assert (GOLDEN / path).read_bytes() == data, f"{path} differs from its golden copy"


# -- the command ----------------------------------------------------------------------------
def test_cli_export_graph_formats_and_messages(cli, fx_home, tmp_path):
    run = cli("--home", str(fx_home), "export", "--format", "csv", "--lang", "en", "-o", str(tmp_path / "csv"))
    assert run.code == 0, run.err
    assert "nodes" in run.err and (tmp_path / "csv" / "edges.csv").is_file()
    nodes = (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8-sig")
    assert "Test memorandum" in nodes and "สมชาย" not in nodes
    run = cli("--home", str(fx_home), "export", "--format", "trig", "--include-personal", "-o",
              str(tmp_path / "all.trig"))
    assert run.code == 0, run.err
    assert "ควอด" in run.err  # messages in Thai by default
    assert "สมชาย" in (tmp_path / "all.trig").read_text(encoding="utf-8")
    assert "graph/personal" in (tmp_path / "all.trig").read_text(encoding="utf-8")


def test_cli_export_rejects_an_unknown_format_and_writes_nothing(cli, fx_home, tmp_path):
    run = cli("--home", str(fx_home), "export", "--format", "xlsx", "-o", str(tmp_path / "x"))
    assert run.code == 2 and "xlsx" in run.err
    assert not list(tmp_path.iterdir())


def test_cli_stats_graph_ranks_with_labels_in_the_asked_language(cli, fx_home):
    run = cli("--home", str(fx_home), "stats", "--graph", "--lang", "en", "--top", "3")
    assert run.code == 0, run.err
    assert "Betweenness centrality" in run.out and "Test memorandum" in run.out
    run = cli("--home", str(fx_home), "stats", "--graph", "--top", "3")
    assert "ความเป็นศูนย์กลางแบบคั่นกลาง" in run.out and "บันทึกความเข้าใจทดสอบ" in run.out


def test_cli_format_lists_match_the_core():
    from mou_graph.cli import export as cli_export

    assert set(cli_export.RDF_FORMAT_NAMES) == set(RDF_FORMATS)
    assert set(cli_export.GRAPH_FORMAT_NAMES) == set(GRAPH_FORMATS)
    assert cli_export.PROJECTIONS == PROJECTIONS


def test_entity_projection_without_evidence(fx_store):
    base = fx_store.settings.base
    full, lean = entity_graph(fx_store), entity_graph(fx_store, evidence=False)
    assert full.has_node(base + "evidence/test-area") and full.has_node(base + "source/test/s01")
    assert not lean.has_node(base + "evidence/test-area") and not lean.has_node(base + "source/test/s01")
    assert set(lean.nodes) < set(full.nodes) and lean.has_edge(base + "mou/test-2022", base + "area/postal")
