"""The persistent store (``build --store DIR``): written once, opened read-only by the other
commands, reused while the files and the code are the same, refused (or rebuilt by ``build``)
when they are not; the endpoint's workers open its copy without personal data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _home(tmp_path: Path) -> Path:
    """A copy of the project's graph folders, to change files in."""
    home = tmp_path / "home"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, home / name)
    return home


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_commands_open_the_store_read_only_and_answer_as_from_the_files(cli, tmp_path):
    store = tmp_path / "store"
    built = cli("build", "--store", str(store), "--lang", "en")
    assert built.code == 0, built.err
    assert "store written" in built.err
    assert {p.name for p in store.iterdir()} == {"all", "public", "manifest.json"}
    before = _snapshot(store)
    for args in (("query", "parties", "--lang", "en"), ("stats", "--lang", "en"),
                 ("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv")):
        from_files, from_store = cli(*args), cli(*args, "--store", str(store))
        assert from_store.code == 0, from_store.err
        assert from_store.out == from_files.out
    exported = cli("export", "--format", "nt", "-o", str(tmp_path / "a.nt"), "--store", str(store))
    assert exported.code == 0, exported.err
    assert cli("export", "--format", "nt", "-o", str(tmp_path / "b.nt")).code == 0
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    assert _snapshot(store) == before  # nothing written into the store by the readers


def test_an_opened_store_cannot_be_written(tmp_path):
    import pyoxigraph

    from mou_graph.config import Settings
    from mou_graph.publish.persistent import build_store, open_store

    settings = Settings()
    built, reused = build_store(tmp_path / "store", settings, lambda _graph: True)
    assert built is not None and not reused
    opened = open_store(tmp_path / "store", settings)
    quad = pyoxigraph.Quad(pyoxigraph.NamedNode("http://x/s"), pyoxigraph.NamedNode("http://x/p"),
                           pyoxigraph.Literal("o"))
    with pytest.raises(RuntimeError, match="read-write"):
        opened.store.add(quad)
    assert len(opened) == len(built) > 2000


def test_build_reuses_an_up_to_date_store(cli, tmp_path):
    store = tmp_path / "store"
    assert cli("build", "--store", str(store), "--lang", "en").code == 0
    before = _snapshot(store)
    again = cli("build", "--store", str(store), "--lang", "en")
    assert again.code == 0, again.err
    assert "up to date, reused" in again.err
    assert _snapshot(store) == before


def test_a_store_built_from_other_files_is_refused_then_rebuilt(cli, tmp_path):
    home, store = _home(tmp_path), tmp_path / "store"
    assert cli("--home", str(home), "build", "--store", str(store)).code == 0
    mou = home / "data" / "mou.ttl"
    mou.write_bytes(mou.read_bytes() + b"\n# one more line\n")
    refused = cli("--home", str(home), "query", "parties", "--store", str(store))
    assert refused.code == 2
    assert "data/mou.ttl changed" in refused.err and "rebuild it with `mou-graph build --store" in refused.err
    assert "สร้างใหม่ด้วย" in refused.err  # and in Thai
    (home / "data" / "extra.ttl").write_text("")  # not a file of the graph: no effect
    rebuilt = cli("--home", str(home), "build", "--store", str(store), "--lang", "en")
    assert rebuilt.code == 0 and "store written" in rebuilt.err
    assert cli("--home", str(home), "query", "parties", "--store", str(store)).code == 0


@pytest.mark.parametrize(("key", "said"), [("mou_graph", "mou-graph 0.0.1 -> "), ("shapes", "the shapes changed"),
                                           ("code", "the code that builds the store changed"),
                                           ("format", "store format 0.0.1 -> ")])
def test_a_store_of_another_version_is_refused(cli, tmp_path, key, said):
    store = tmp_path / "store"
    assert cli("build", "--store", str(store)).code == 0
    manifest = json.loads((store / "manifest.json").read_text())
    manifest[key] = "0.0.1"
    (store / "manifest.json").write_text(json.dumps(manifest))
    refused = cli("stats", "--store", str(store))
    assert refused.code == 2
    assert said in refused.err


def test_a_folder_that_is_no_store_is_refused(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    refused = cli("query", "parties", "--store", str(tmp_path / "empty"))
    assert refused.code == 2
    assert "not a store written by `mou-graph build --store`" in refused.err


def test_a_graph_that_does_not_validate_writes_no_store_and_keeps_the_old_one(cli, tmp_path):
    home, store = _home(tmp_path), tmp_path / "store"
    assert cli("--home", str(home), "build", "--store", str(store)).code == 0
    before = _snapshot(store)
    mou = home / "data" / "mou.ttl"
    mou.write_text(mou.read_text(encoding="utf-8").replace('"2022-11-07"', '"2022-02-30"', 1), encoding="utf-8")
    failed = cli("--home", str(home), "build", "--store", str(store), "--lang", "en")
    assert failed.code == 1, failed.err
    assert _snapshot(store) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store")]  # no temporary folder left


def test_an_export_from_the_store_reads_its_copy_without_personal_data(tmp_path, monkeypatch):
    """Without personal data, an export from the store reads its ``public/`` copy (what the endpoint's
    workers open) instead of querying the whole graph for personal nodes (3.9 s of a 41 s TriG export at
    10,000 agreements); every format gives the bytes of the export from the files, with or without them."""
    import mou_graph.publish.export as export
    from mou_graph import load_store
    from mou_graph.config import Settings
    from mou_graph.publish.persistent import build_store, open_store

    settings = Settings()
    build_store(tmp_path / "store", settings, lambda _graph: True)
    opened, memory = open_store(tmp_path / "store", settings), load_store()
    expected = {(fmt, personal): export.rdf_bytes(export.export_quads(memory, include_personal=personal), fmt,
                                                  base=settings.base)
                for fmt in export.RDF_FORMATS for personal in (False, True)}
    assert expected[("nquads", False)] != expected[("nquads", True)], "the shipped graph has personal data"
    real = export.personal_nodes
    asked: list[bool] = []
    monkeypatch.setattr(export, "personal_nodes", lambda store: asked.append(True) or real(store))
    for (fmt, personal), want in expected.items():
        out = tmp_path / f"out-{personal}.{fmt}"
        export.export_rdf(opened, fmt, out, include_personal=personal)
        assert out.read_bytes() == want, (fmt, personal)
    assert not asked, "the personal nodes were looked for in the whole graph"
