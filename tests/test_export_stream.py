"""Streaming exports: the bytes of the in-memory serialisers, N-Triples equal to the store's dump
through ``LC_ALL=C sort -u``, bounded memory (a child process's peak resident memory), runs on disk
merged, and line breaks other than LF inside a literal kept inside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from mou_graph.io.extsort import sorted_unique
from mou_graph.publish.export import RDF_FORMATS, export_quads, export_rdf, rdf_bytes

from .conftest import ROOT

N = 1000  # agreements: 125,000 quads, a 20 MB N-Triples file

_MEASURED = """
import os, runpy, sys
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one CPU: the engine's bulk load in one thread
report = sys.argv[1]
sys.argv = ["mou_graph", *sys.argv[2:]]
try:
    runpy.run_module("mou_graph", run_name="__main__")
finally:
    # VmHWM: the peak resident memory of this process's own address space, new at exec. Not ru_maxrss,
    # which Linux carries over from the parent at fork and across exec: under a pytest that had grown
    # to 669 MiB every export "peaked" at 669 MiB.
    with open("/proc/self/status") as status:
        peak_kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(report, "w") as f:
        f.write(peak_kib)
"""
# the whole process's peak resident memory (Python, pyoxigraph, the store of 125,000 quads, the export).
# Measured on this corpus: the exports that sorted Python lists or built the whole document peaked at
# 501 / 577 / 608 / 588 MiB (nt, jsonld, graphml, gexf); streaming at 174 / 246 / 264 / 348 MiB from a shell
# and up to 418 MiB (nt) under pytest. The bounds sit between. The child runs on one CPU: the engine's
# bulk load takes a thread per CPU, and with several its buffers (and RLIMIT_AS's address space even more)
# varied from run to run.
LIMIT_MIB = {"nt": 470, "jsonld": 470, "graphml": 500, "gexf": 500}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from bench.generate import generate

    return generate(N, seed=1, out=tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def corpus_store(corpus):
    """The corpus loaded in this process once, for the expected bytes (nothing here changes it)."""
    from mou_graph.config import Settings
    from mou_graph.store import load_store

    return load_store(Settings(root=corpus))


@pytest.fixture(scope="module")
def corpus_entity_graph(corpus_store):
    """The corpus's entity graph, projected once (graph_files reads it and changes nothing)."""
    from mou_graph.publish.graphs import project

    return project(corpus_store, "entity")


def _run_measured(home: Path, fmt: str, out: Path) -> tuple[subprocess.CompletedProcess, int]:
    """Run the export in a child; its exit and its peak resident memory in MiB."""
    report = out.with_suffix(".maxrss")
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    proc = subprocess.run([sys.executable, "-c", _MEASURED, str(report), "--home", str(home), "export",
                           "--format", fmt, "--no-validate", "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    return proc, int(report.read_text()) // 1024


def test_the_measure_is_the_childs_own_not_its_parents(tmp_path):
    """The test process may be large when it starts the child (a whole suite in one pytest): the
    measure must not count it. ru_maxrss did: the child of a 600 MiB parent 'peaked' at 600 MiB."""
    parent = ("import subprocess, sys\n"
              "ballast = bytearray(600 * 2**20)\n"
              "for i in range(0, len(ballast), 4096): ballast[i] = 1\n"
              "sys.exit(subprocess.run(sys.argv[1:]).returncode)\n")
    report = tmp_path / "version.maxrss"
    proc = subprocess.run([sys.executable, "-c", parent, sys.executable, "-c", _MEASURED, str(report),
                           "--version"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(report.read_text()) // 1024 < 200


@pytest.mark.parametrize("fmt", sorted(LIMIT_MIB))
def test_export_of_a_large_graph_runs_in_bounded_memory(corpus, corpus_store, request, tmp_path, fmt):
    from mou_graph.publish.graphs import graph_files

    out = tmp_path / f"out.{fmt}"
    proc, peak = _run_measured(corpus, fmt, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert peak < LIMIT_MIB[fmt], f"{fmt}: the export peaked at {peak} MiB resident (bound {LIMIT_MIB[fmt]} MiB)"
    store = corpus_store
    if fmt in RDF_FORMATS:
        assert out.read_bytes() == rdf_bytes(export_quads(store), fmt, base=store.settings.base)
    else:  # the bytes of the in-memory writer
        assert out.read_bytes() == graph_files(request.getfixturevalue("corpus_entity_graph"), fmt)[""]


def test_n_triples_equal_the_dump_sorted_by_sort(corpus_store, tmp_path):
    store = corpus_store
    dumped = tmp_path / "dump.nt"
    with dumped.open("wb") as f:
        for g in store.store.named_graphs():
            store.store.dump(f, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=g)
    with dumped.open("rb") as f:
        expected = subprocess.run(["sort", "-u"], stdin=f, capture_output=True, check=True,
                                  env={**os.environ, "LC_ALL": "C"}).stdout
    out = tmp_path / "out.nt"
    assert export_rdf(store, "nt", out, include_personal=True) == expected.count(b"\n")
    assert out.read_bytes() == expected


def test_runs_on_disk_are_merged_in_order_without_repeats(tmp_path):
    import random

    rng = random.Random(7)
    lines = [f"{rng.randrange(5000):05d} {'ก' * rng.randrange(3)}\n".encode() for _i in range(20_000)]
    got = list(sorted_unique(iter(lines), run_bytes=4096, folder=tmp_path))
    assert got == sorted(set(lines))
    assert list(tmp_path.iterdir()) == []  # the runs are removed


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_a_literal_with_unicode_line_separators_stays_one_literal(tmp_path, fmt):
    """U+2028, U+2029 and U+0085 are line breaks to str.splitlines, not to N-Triples: the export that
    split its text with it cut such a literal in two."""
    from mou_graph.config import Settings
    from mou_graph.store import GraphStore

    store = GraphStore(Settings())
    g = pyoxigraph.NamedNode(store.settings.graph_iri("data"))
    text = "a\u2028b\u2029c\u0085d"
    quad = pyoxigraph.Quad(pyoxigraph.NamedNode("https://w3id.org/mou-graph/id/x"),
                           pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                           pyoxigraph.Literal(text, language="en"), g)
    store.store.add(quad)
    out = tmp_path / f"out{RDF_FORMATS[fmt][0]}"
    export_rdf(store, fmt, out)
    parsed = list(pyoxigraph.parse(out.read_bytes(), format=getattr(pyoxigraph.RdfFormat, {
        "turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "trig": "TRIG",
        "nquads": "N_QUADS"}[fmt])))
    assert [q.object.value for q in parsed] == [text]


def test_streamed_graphml_and_gexf_are_networkx_own_bytes(tmp_path):
    """The writers that stream make what networkx's writers make when they build the whole tree."""
    import io

    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    from bench.generate import generate
    from mou_graph.config import Settings
    from mou_graph.publish.graphs import graph_files, project
    from mou_graph.store import load_store

    store = load_store(Settings(root=generate(60, seed=2, out=tmp_path)))
    for projection in ("entity", "rdf"):
        graph = project(store, projection, lang="en")
        buf = io.BytesIO()
        nx.write_graphml_xml(graph, buf, encoding="utf-8", prettyprint=True)
        assert graph_files(graph, "graphml")[""] == buf.getvalue(), projection
        writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        writer.xml.find("meta").set("lastmodifieddate", graph.graph["modified"])
        writer.add_graph(graph)
        buf = io.BytesIO()
        writer.write(buf)
        assert graph_files(graph, "gexf")[""] == buf.getvalue(), projection


def test_graphml_written_as_text_escapes_as_networkx_does():
    """The GraphML writer makes each node and edge as text, not as an element tree: every character that
    needs escaping in an id, a key or a value (and an empty value, a node without data) as networkx has it."""
    import io

    import networkx as nx

    from mou_graph.publish.graphs import graph_files

    odd = 'a&b<c>d"e\rf\ng\th ก'
    graph = nx.MultiDiGraph(projection="entity", lang="en", modified=odd)
    graph.add_node(odd, iri=odd, label=odd, empty="", blank="  ")
    graph.add_node("bare")
    graph.add_node("x", **{'we"ird&key': "v"})
    graph.add_edge(odd, "bare", key=odd, property=odd, label="")
    graph.add_edge("bare", "x", key="k")
    for g in (graph, nx.MultiDiGraph(), nx.MultiDiGraph(projection="rdf")):
        buf = io.BytesIO()
        nx.write_graphml_xml(g, buf, encoding="utf-8", prettyprint=True)
        assert graph_files(g, "graphml")[""] == buf.getvalue()


def test_a_streamed_csv_export_replaces_its_folder_and_leaves_nothing_beside_it(tmp_path):
    from mou_graph.publish.graphs import export_graph, graph_files, project
    from mou_graph.store import load_store

    graph = project(load_store(), "entity")
    target = tmp_path / "csv"
    for _i in range(2):  # the second run swaps the folder in over the first
        export_graph(graph, "csv", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]
    files = graph_files(graph, "csv")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == files
    assert files["nodes.csv"].startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs


def test_json_ld_is_what_json_dumps_writes_with_each_nodes_values_sorted():
    """The JSON-LD writer makes each node's text itself (json's indenting encoder is pure Python): the
    bytes must stay those of ``json.dumps(document, indent=2, sort_keys=True)`` with every list sorted by
    its values' ``json.dumps(value, sort_keys=True)``, for values that need escaping too."""
    import json

    from mou_graph.config import DEFAULT_BASE

    n, lit = pyoxigraph.NamedNode, pyoxigraph.Literal
    xsd = "http://www.w3.org/2001/XMLSchema#"
    rdf_type = n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    a, b, p, q = (n(f"https://w3id.org/mou-graph/{x}") for x in ("mou/a", "mou/b", "ontology#p", "ontology#q"))
    blank = pyoxigraph.BlankNode("b0")
    values = [lit('say "hi"\\ \n\t\u2028 ความร่วมมือ 🤝'), lit("ສະບາຍດີ", language="lo"),
              lit("1", datatype=n(xsd + "integer")), lit("x", datatype=n("http://example.org/dt")),
              lit("", language="en"), a, blank, lit("2022-11-07", datatype=n(xsd + "date"))]
    quads = [pyoxigraph.Quad(a, p, v) for v in values] + [
        pyoxigraph.Quad(a, rdf_type, n("https://w3id.org/mou-graph/ontology#Agreement")),
        pyoxigraph.Quad(a, rdf_type, n("http://www.w3.org/ns/org#FormalOrganization")),
        pyoxigraph.Quad(b, rdf_type, lit("a literal type")), pyoxigraph.Quad(blank, q, b),
        pyoxigraph.Quad(b, n("http://example.org/no-prefix//x"), lit("z"))]
    text = rdf_bytes(quads, "jsonld", base=DEFAULT_BASE).decode("utf-8")
    doc = json.loads(text)

    def ordered(x):
        if isinstance(x, dict):
            return {k: ordered(v) for k, v in x.items()}
        if isinstance(x, list):
            return sorted((ordered(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return x

    doc["@graph"] = [ordered(node) for node in doc["@graph"]]
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    shape = {node["@id"]: {k: len(v) for k, v in node.items() if k != "@id"} for node in doc["@graph"]}
    assert sorted(map(sorted, shape.values())) == [["@type", "mou:p"], ["http://example.org/no-prefix//x", "rdf:type"],
                                                   ["mou:q"]]
    assert sorted(v for node in shape.values() for v in node.values()) == [1, 1, 1, 2, 8]
