"""Every SHACL shape fires on a broken copy of the shipped graph, naming its focus node.

Each ``tests/fixtures/broken/*.ru`` is a SPARQL Update with a header naming the shape
that must fire and the focus node it must name (see that folder's README).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import BASE, ROOT

BROKEN = sorted((ROOT / "tests/fixtures/broken").glob("*.ru"))
_HEADER = re.compile(r"^#\s*(shape|focus|what):\s*(.+?)\s*$", re.M)


def _header(path: Path) -> dict[str, str]:
    found = dict(_HEADER.findall(path.read_text(encoding="utf-8")))
    assert {"shape", "focus"} <= found.keys(), f"{path.name}: header lacks shape or focus"
    return found


@pytest.fixture(scope="module")
def flat_ntriples(store) -> bytes:
    import pyoxigraph

    return pyoxigraph.serialize(store.triples(), format=pyoxigraph.RdfFormat.N_TRIPLES)


def test_there_is_a_broken_fixture_for_every_shape():
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(ROOT / "ontology/shapes.ttl", publicID=BASE)
    declared = {str(s) for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape)}
    declared |= {str(s) for s in shapes.subjects(rdflib.RDF.type, SH.PropertyShape)
                 if (None, SH.property, s) not in shapes}
    covered = {_header(p)["shape"].strip("<>") for p in BROKEN}
    # a node shape counts as covered when it or one of its property/SPARQL parts fires
    parts = {str(o): str(s) for s, p, o in shapes.triples((None, None, None)) if p in (SH.property, SH.sparql)}
    covered_nodes = covered | {parts[c] for c in covered if c in parts}
    assert declared - covered_nodes == set()


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_copy_fails_validation_naming_the_focus(fixture, flat_ntriples, cli, tmp_path):
    import pyoxigraph

    head = _header(fixture)
    graph = pyoxigraph.Store()
    graph.load(flat_ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    before = len(graph)
    graph.update(fixture.read_text(encoding="utf-8"))
    assert len(graph) != before or "DELETE" in fixture.read_text(), f"{fixture.name} changed nothing"
    broken = tmp_path / "broken.nq"
    broken.write_bytes(pyoxigraph.serialize(graph, format=pyoxigraph.RdfFormat.N_QUADS))
    run = cli("validate", "--data", str(broken), "--lang", "en", "--format", "json")
    assert run.code == 1, run.out + run.err
    import json

    results = json.loads(run.out)["results"]
    focus = head["focus"].strip("<>")
    focus = focus if focus.startswith("http") else BASE + focus
    shape = head["shape"].strip("<>")
    hits = [r for r in results if r["focus"] == focus]
    assert hits, f"no result names {focus}: {[r['focus'] for r in results]}"
    assert any(r["shape"] == shape or (r["shape"] or "").startswith(shape) for r in results), (
        f"{shape} did not fire: {sorted({r['shape'] for r in results})}")
    assert all(r["message"] for r in hits), "a result without a message"
