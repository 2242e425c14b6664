"""A smoke run of the benchmark at a tiny size: every figure is produced (never how fast)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT


def _number(x) -> bool:
    return isinstance(x, int | float) and x >= 0


def test_generator_is_deterministic_and_shaped_like_ours(tmp_path):
    from bench.generate import BENCH_BASE, corpus_lines

    a, b = list(corpus_lines(4, seed=9)), list(corpus_lines(4, seed=9))
    assert a == b and a != list(corpus_lines(4, seed=10))
    text = "\n".join(a)
    for needle in ("#MemorandumOfUnderstanding>", "#party>", "#signatory>", "org#Post>", "#initialTerm>",
                   "#Evidence>", "nif-core#Sentence>", "/id/area/", '"@th', '"@en'):
        assert needle in text, needle
    subjects = {line.split(" ", 1)[0] for line in a}
    assert all(s.startswith(f"<{BENCH_BASE}") for s in subjects), "synthetic entities must stay under the bench base"


def test_smoke_run_produces_every_figure(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "3", "--quick", "--pyshacl-max", "0", "--cli-all",
         "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert {"nproc", "cpu", "memory_gib", "python", "versions"} <= results["machine"].keys()
    (size,) = results["sizes"]
    assert size["memoranda"] == 3 and size["triples"] > 1000
    load = size["load"]
    for part in ("ours", "raw_bulk_load", "raw_load"):
        assert _number(load[part]["seconds"]) and load[part]["peak_rss_mib"] > 0
        assert load[part]["triples"] == size["triples"]
    assert _number(load["ratio"])
    from mou_graph.query.catalogue import load_catalogue

    queries = size["queries"]["queries"]
    assert set(queries) == {e.name for e in load_catalogue(ROOT / "queries")}
    for name, q in queries.items():
        for side in ("ours", "raw"):
            assert _number(q[side]["median_ms"]) and _number(q[side]["p95_ms"]), name
        assert _number(q["ratio"]) and q["rows"] == q["raw_rows"], name
    ep = size["endpoint"]
    assert _number(ep["single_client"]["median_ms"]) and _number(ep["raw"]["median_ms"])
    assert isinstance(ep["added_ms_at_median"], float)
    assert _number(ep["concurrent"]["p99_ms"]) and ep["concurrent"]["throughput_rps"] > 0
    va = size["validate"]
    assert _number(va["seconds"]) and va["conforms"] is True
    assert _number(va["incremental"]["seconds"]) and va["incremental"]["conforms"] is True
    from mou_graph.publish.export import RDF_FORMATS

    for fmt in RDF_FORMATS:
        assert _number(size["export"][fmt]["seconds"]) and size["export"][fmt]["bytes"] > 0, fmt
        assert _number(size["export"][fmt]["ratio"]), fmt
    cli = size["cli"]
    for part in ("help", "help_raw", "query", "query_raw"):
        assert _number(cli[part]["median_ms"]), part
    assert "== 3 memoranda" in proc.stdout and "endpoint" in proc.stdout
