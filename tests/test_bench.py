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
         "--growth", "2,4", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert {"nproc", "cpu", "memory_gib", "python", "versions"} <= results["machine"].keys()
    (size,) = results["sizes"]
    assert size["memoranda"] == 3 and size["triples"] > 1000
    load = size["load"]
    for part in ("ours", "raw_bulk_load", "raw_load"):
        assert _number(load[part]["seconds"]) and load[part]["peak_rss_mib"] > 0
        assert load[part]["triples"] == size["triples"]
    assert _number(load["ratio"]) and _number(load["cpu_ratio"]) and _number(load["rss_ratio"])
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
    from mou_graph.publish.graphs import GRAPH_FORMATS

    for fmt in [*RDF_FORMATS, *GRAPH_FORMATS]:
        ours = size["export"][fmt]["ours"]
        assert _number(ours["seconds"]) and ours["bytes"] > 0 and ours["peak_rss_mib"] > 0, fmt
    for fmt in RDF_FORMATS:
        assert _number(size["export"][fmt]["ratio"]) and _number(size["export"][fmt]["raw"]["peak_rss_mib"]), fmt
    assert _number(size["export"]["nt"]["raw"]["dump_sort_seconds"])
    growth = results["growth"]
    assert growth["sizes"] == [2, 4] and set(growth["queries"]) == set(queries)
    for name, g in growth["queries"].items():
        assert len(g["best_ms"]) == 2 and len(g["ratios"]) == 1 and isinstance(g["linear"], bool), name
    assert "== growth of every catalogue question" in proc.stdout
    cli = size["cli"]
    for part in ("help", "help_raw", "query", "query_raw"):
        assert _number(cli[part]["median_ms"]), part
    store = size["store"]  # the persistent store, and the endpoint beside the Oxigraph server on it
    assert _number(store["build"]["seconds"]) and store["build"]["disk_mib"] > 0
    for side in ("oxigraph", "before_limits", "ours", "ours_no_cache"):
        assert _number(store[side]["ready_s"]) and store[side]["rss_after_mib"] > 0, side
        for clients in ("1", "4", "16"):
            assert store[side]["clients"][clients]["throughput_rps"] > 0, (side, clients)
    for side in ("before_limits", "ours", "ours_no_cache"):
        assert store[side]["same_answer"], side  # the same rows as the Oxigraph server's
        assert all(_number(c["ratio"]) for c in store[side]["clients"].values()), side
    for side in ("ours", "ours_no_cache"):  # 16 clients are fewer than the limit: nothing refused
        assert all(c["failed"] == 0 for c in store[side]["clients"].values()), store[side]["clients"]
    for fmt in [*RDF_FORMATS, "graphml"]:  # exports from the persistent store: the same bytes as from the files
        from_store = store["export"][fmt]
        assert from_store["ours"]["sha256"] == size["export"][fmt]["ours"]["sha256"], fmt
        assert from_store["ours"]["peak_rss_mib"] > 0 and _number(from_store["ours"]["load_seconds"]), fmt
    for fmt in RDF_FORMATS:
        assert _number(store["export"][fmt]["ratio"]) and store["export"][fmt]["raw"]["peak_rss_mib"] > 0, fmt
    kinds = va["incremental"]["kinds"]  # each kind of change to one agreement, validated incrementally
    assert len(kinds) == 4 and all(_number(k["seconds"]) and k["changed"] > 0 for k in kinds.values()), kinds
    assert "== 3 memoranda" in proc.stdout and "endpoint" in proc.stdout and "oxigraph serve-read-only" in proc.stdout
    assert "export from the persistent store" in proc.stdout
    from bench.report import render, targets

    text = render(results)  # the report renders a real run's figures (every part present)
    assert "| `serve --store` (defaults) |" in text and "### growth of every catalogue question" in text
    assert all(met is not None for key, _t, _m, met in targets(results) if key != "100k")


def test_formats_option_measures_only_those_exports_beside_the_raw_engine(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "3", "--quick", "--only", "export", "--formats", "turtle,gexf",
         "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "[growth]" not in proc.stderr  # --only export is the export alone (it ran the growth check too)
    (size,) = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["sizes"]
    assert set(size["export"]) == {"turtle", "gexf"}
    turtle = size["export"]["turtle"]
    assert _number(turtle["ratio"]) and turtle["raw"]["peak_rss_mib"] > 0 and turtle["ours"]["peak_rss_mib"] > 0
    assert "raw" not in size["export"]["gexf"]


def test_formats_option_refuses_an_unknown_format(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--formats", "turtle,docx", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "--formats: unknown docx" in proc.stderr and "known: " in proc.stderr


def test_peak_memory_is_the_childs_own_not_the_parents():
    """A child started by a parent that holds 400 MiB reports its own peak, far below that."""
    script = ("import subprocess, sys; big = bytearray(400 << 20); big[::4096] = b'x' * len(big[::4096]); "
              "print(subprocess.run([sys.executable, '-c', 'from bench.run import peak_rss_mib; "
              "print(peak_rss_mib())'], capture_output=True, text=True, check=True).stdout)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout.split()[-1]) < 300
