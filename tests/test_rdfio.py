"""The fast loading path gives the same store as the gate's Python pass, or is not taken."""

from __future__ import annotations

import pyoxigraph
import pytest

from mou_graph.errors import InputError
from mou_graph.io import rdfio

G = "https://w3id.org/mou-graph/graph/data"


def _store_with(path, monkeypatch=None):
    store = pyoxigraph.Store()
    rdfio.load_into(store, path, base="https://example.org/", graph=G)
    return store


def test_clean_turtle_takes_the_fast_path(tmp_path, monkeypatch):
    f = tmp_path / "clean.ttl"
    f.write_text('<a> <b> "ความมั่นคง"@TH .\n', encoding="utf-8")
    monkeypatch.setattr(rdfio, "parse_file", lambda *a, **k: pytest.fail("slow path taken"))
    (quad,) = list(_store_with(f))
    assert quad.object == pyoxigraph.Literal("ความมั่นคง", language="th")
    assert quad.graph_name == pyoxigraph.NamedNode(G)


def test_escapes_that_build_non_nfc_text_take_the_normalising_path(tmp_path):
    f = tmp_path / "escaped.ttl"
    f.write_text('<a> <b> "e\\u0301" .\n', encoding="utf-8")  # e + combining acute: NFC is é
    (quad,) = list(_store_with(f))
    assert quad.object.value == "\u00e9"


def test_non_nfc_text_is_normalised(tmp_path):
    f = tmp_path / "decomposed.ttl"
    f.write_text('<a> <b> "e\u0301" .\n', encoding="utf-8")
    (quad,) = list(_store_with(f))
    assert quad.object.value == "\u00e9"


def test_a_long_literal_found_after_a_fast_load_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MOU_GRAPH_MAX_LITERAL_CHARS", "10")
    f = tmp_path / "long.ttl"
    f.write_text('<a> <b> "short" .\n<a> <c> "' + "x" * 50 + '" .\n', encoding="utf-8")
    store = pyoxigraph.Store()
    with pytest.raises(InputError, match="longer than the limit"):
        rdfio.load_into(store, f, base="https://example.org/", graph=G)
    assert len(store) == 0


def test_the_nfc_check_runs_beside_the_engines_load_in_bounded_memory(tmp_path, monkeypatch):
    """The check that a file is NFC decoded the whole file first (twice its size in memory for Thai
    text, 1.5 s of a 13 s load at 10,000 agreements) and the engine loaded only after it. It now decodes
    a chunk at a time, while the engine loads in another thread (which releases the GIL)."""
    import threading
    import tracemalloc

    f = tmp_path / "thai.ttl"
    line = '<a{}> <b> "ความร่วมมือด้านดิจิทัล {}"@th .\n'
    f.write_text("".join(line.format(i, i) for i in range(60_000)), encoding="utf-8")  # 5.3 MB
    seen: list[str] = []
    real = rdfio._is_nfc

    def is_nfc(data, chunk=1 << 24):
        seen.extend(t.name for t in threading.enumerate())
        tracemalloc.start()
        try:
            return real(data, chunk=1 << 18)
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert peak < 2 << 20, f"{peak} bytes held by the check of a {len(data)}-byte file"

    monkeypatch.setattr(rdfio, "_is_nfc", is_nfc)
    monkeypatch.setattr(rdfio, "parse_file", lambda *a, **k: pytest.fail("slow path taken"))
    store = _store_with(f)
    assert "mou-graph bulk load" in seen, "the check waited for nothing: the engine was not loading meanwhile"
    assert len(store) == 60_000


def test_a_check_that_fails_beside_the_load_leaves_nothing(tmp_path, monkeypatch):
    """The NFC check runs while the engine loads; if the check itself fails (memory, an interrupt),
    what the engine loaded meanwhile is cleared: all or nothing still."""
    f = tmp_path / "thai.ttl"
    f.write_text('<a> <b> "ความร่วมมือ" .\n<a> <c> "ดิจิทัล" .\n', encoding="utf-8")

    def fails(data, chunk=1 << 20):
        raise MemoryError

    monkeypatch.setattr(rdfio, "_is_nfc", fails)
    store = pyoxigraph.Store()
    with pytest.raises(MemoryError):
        rdfio.load_into(store, f, base="https://example.org/", graph=G)
    assert len(store) == 0
