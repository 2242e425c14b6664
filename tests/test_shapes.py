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


@pytest.fixture(scope="module")
def owner() -> dict[str, str]:
    """Property shape or SPARQL constraint -> the node shape that holds it (a report names the part)."""
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(ROOT / "ontology/shapes.ttl", publicID=BASE)
    return {str(o): str(s) for s, p, o in shapes.triples((None, None, None)) if p in (SH.property, SH.sparql)}


def test_there_is_a_broken_fixture_for_every_shape(owner):
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(ROOT / "ontology/shapes.ttl", publicID=BASE)
    declared = {str(s) for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape)}
    declared |= {str(s) for s in shapes.subjects(rdflib.RDF.type, SH.PropertyShape)
                 if (None, SH.property, s) not in shapes}
    covered = {_header(p)["shape"].strip("<>") for p in BROKEN}
    # a node shape counts as covered when it or one of its property/SPARQL parts fires
    covered_nodes = covered | {owner[c] for c in covered if c in owner}
    assert declared - covered_nodes == set()


def _broken(fixture: Path, flat_ntriples: bytes, tmp_path: Path) -> Path:
    """The shipped graph with the fixture's update applied, as an N-Quads file; the update must change it."""
    import pyoxigraph

    graph = pyoxigraph.Store()
    graph.load(flat_ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    before = set(graph)
    graph.update(fixture.read_text(encoding="utf-8"))
    assert set(graph) != before, f"{fixture.name} changed nothing"
    broken = tmp_path / "broken.nq"
    broken.write_bytes(pyoxigraph.serialize(graph, format=pyoxigraph.RdfFormat.N_QUADS))
    return broken


def _fired(results: list[dict], head: dict[str, str], owner: dict[str, str]) -> None:
    """The shape of the header fired on the focus of the header (the shape itself, or a part of it)."""
    focus = head["focus"].strip("<>")
    focus = focus if focus.startswith("http") else BASE + focus
    shape = head["shape"].strip("<>")
    hits = [r for r in results if r["focus"] == focus]
    assert hits, f"no result names {focus}: {[r['focus'] for r in results]}"
    on_focus = {r["shape"] for r in hits}
    assert any(s == shape or owner.get(s) == shape for s in on_focus), (
        f"{shape} did not fire on {focus}: {sorted(map(str, on_focus))}")
    assert all(r["message"] for r in hits), "a result without a message"


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_copy_fails_validation_naming_the_focus(fixture, flat_ntriples, owner, tmp_path):
    """In-process, through the loading path and the validator every command uses (``validate --data``)."""
    import json

    from mou_graph.store import load_store
    from mou_graph.validation.validate import validate_store

    report = validate_store(load_store(data=[_broken(fixture, flat_ntriples, tmp_path)]))
    assert not report.conforms
    _fired(json.loads(report.to_json("en"))["results"], _header(fixture), owner)


# a few through the real command: its exit code and its JSON (a core rule, a SPARQL rule, a text check)
THROUGH_CLI = [p for p in BROKEN if p.stem in ("agreement-party-not-organisation", "term-end-not-start-plus-duration",
                                                 "thai-spelling-tone-before-vowel")]


@pytest.mark.parametrize("fixture", THROUGH_CLI, ids=[p.stem for p in THROUGH_CLI])
def test_validate_exits_1_on_a_broken_copy(fixture, flat_ntriples, owner, cli, tmp_path):
    import json

    run = cli("validate", "--data", str(_broken(fixture, flat_ntriples, tmp_path)), "--lang", "en", "--format", "json")
    assert run.code == 1, run.out + run.err
    _fired(json.loads(run.out)["results"], _header(fixture), owner)


def test_the_cli_cases_exist():
    assert len(THROUGH_CLI) == 3


def test_the_checks_can_fail(owner, flat_ntriples, tmp_path):
    """The two checks that could pass vacuously: an update that changes nothing, a shape firing elsewhere."""
    idle = tmp_path / "idle.ru"
    idle.write_text("DELETE WHERE { <urn:x-nothing:here> ?p ?o }", encoding="utf-8")
    with pytest.raises(AssertionError, match="changed nothing"):
        _broken(idle, flat_ntriples, tmp_path)
    head = {"shape": "<https://w3id.org/mou-graph/shapes#A>", "focus": "org/x"}
    with pytest.raises(AssertionError, match="did not fire"):
        _fired([{"focus": BASE + "org/x", "shape": "https://w3id.org/mou-graph/shapes#B", "message": "m"},
                {"focus": BASE + "org/y", "shape": "https://w3id.org/mou-graph/shapes#A", "message": "m"}],
               head, owner)
    with pytest.raises(AssertionError, match="did not fire"):  # a prefix is not the shape
        _fired([{"focus": BASE + "org/x", "shape": "https://w3id.org/mou-graph/shapes#AB", "message": "m"}],
               head, owner)
