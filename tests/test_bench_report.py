"""bench/report.py: the targets table says met or not from the figures, and what stops a target
that is not; several runs merge; a part a run did not measure is left out, not a crash."""

from __future__ import annotations

import copy
import json

import pytest

from bench import report

MACHINE = {"nproc": 2, "cpu": "test CPU", "memory_gib": 23.5, "python": "3.11.7", "versions": {"pyoxigraph": "0.5"}}


def _served(rps: float, ratio: float | None, failed: int = 0) -> dict:
    one = {"throughput_rps": rps, "answered": 1000, "statuses": {"200": 1000}, "failed": failed, "retry_after": [],
           "median_ms": 0.2, "p99_ms": 1.0}
    if ratio is not None:
        one["ratio"] = ratio
    return {"ready_s": 1.1, "ready_poll_s": 0.9, "rss_mib": 150, "rss_after_mib": 160, "same_answer": True,
            "options": [], "clients": {n: dict(one) for n in ("1", "4", "16")}}


def _export(seconds: float, peak: float, raw: float | None = 10.0, sha: str = "a") -> dict:
    row = {"ours": {"load_seconds": 1.0, "seconds": seconds - 1, "total_seconds": seconds, "written": 5, "bytes": 99,
                    "sha256": sha, "peak_rss_mib": peak}}
    if raw is not None:
        row.update({"raw": {"total_seconds": raw, "peak_rss_mib": 500}, "ratio": seconds / raw,
                    "rss_ratio": peak / 500})
    return row


def _size(n: int) -> dict:
    rdf = {f: _export(12.0, 700) for f in ("nt", "nquads", "turtle", "trig", "rdfxml", "jsonld")}
    graphs = {f: _export(50.0, 1500, raw=None) for f in ("graphml", "gexf", "cytoscape", "csv")}
    store = {"build": {"seconds": 90.0, "reused": False, "peak_rss_mib": 1200, "disk_mib": 650},
             "oxigraph": _served(4000, None), "before_limits": _served(900, 0.22, failed=2000),
             "ours": _served(4400, 1.1), "ours_no_cache": _served(3600, 0.9)}
    store["export"] = {**{f: _export(11.0, 300) for f in rdf}, "graphml": _export(60.0, 900, raw=None)}
    kinds = {k: {"seconds": 0.3, "results": 0, "changed": 198} for k in ("party added", "agreement removed",
                                                                          "agreement added", "file sent again")}
    return {"memoranda": n, "synthetic": True, "triples": 123 * n,
            "load": {"ours": {"seconds": 5.0, "cpu_seconds": 6.0, "peak_rss_mib": 700},
                     "raw_bulk_load": {"seconds": 4.0, "cpu_seconds": 5.0, "peak_rss_mib": 600},
                     "raw_load": {"seconds": 6.0, "cpu_seconds": 6.0, "peak_rss_mib": 800},
                     "ratio": 1.25, "cpu_ratio": 1.2, "rss_ratio": 1.17},
            "validate": {"engine": "fastshacl", "seconds": 16.0, "conforms": True, "results": 0, "peak_rss_mib": 900,
                         "incremental": {"seconds": 0.2, "results": 0, "conforms": True, "kinds": kinds}},
            "export": {**rdf, **graphs}, "store": store}


def _results() -> dict:
    growth = {"sizes": [1000, 2000, 4000], "limit": 2.5,
              "queries": {"parties": {"best_ms": [10.0, 20.0, 41.0], "ratios": [2.0, 2.05], "linear": True},
                          "labels": {"best_ms": [0.1, 0.1, 0.1], "ratios": [1.0, 1.0], "linear": True}}}
    return {"machine": MACHINE, "quick": False, "seconds": 1500.0, "sizes": [_size(10_000)], "growth": growth}


def _verdicts(results: dict) -> dict[str, bool | None]:
    return {text: met for _key, text, _measured, met in report.targets(results)}


def test_every_target_met_when_every_figure_is_within_it():
    results = report.merge([_results(), {"machine": MACHINE, "seconds": 600.0,
                                         "sizes": [{**_size(100_000), "validate": None}]}])
    assert all(_verdicts(results).values()), _verdicts(results)
    text = report.render(results)
    assert text.startswith(report.HEADING) and "What stops it" not in text
    assert "**no**" not in text.split("## Results")[0]


@pytest.mark.parametrize(("change", "target"), [
    (lambda s: s["load"].update(rss_ratio=1.4), "load within 1.3×"),
    (lambda s: s["store"]["ours"]["clients"]["16"].update(ratio=0.79), "endpoint ≥ 0.8×"),
    (lambda s: s["store"]["ours"]["clients"]["4"].update(failed=1), "no request failing"),
    (lambda s: s["store"]["ours"].update(ready_s=17.5), "`serve --store` starts"),
    (lambda s: (s["export"]["trig"].update(ratio=2.3), s["store"]["export"]["jsonld"].update(ratio=1.6)),
     "RDF exports within 1.5×"),
    (lambda s: (s["export"]["turtle"]["ours"].update(peak_rss_mib=1100),
                s["store"]["export"]["jsonld"]["ours"].update(peak_rss_mib=1100)), "RDF exports within 1.5×"),
    (lambda s: s["store"]["export"]["nt"]["ours"].update(sha256="b"), "RDF exports within 1.5×"),
    (lambda s: s["export"]["gexf"]["ours"].update(peak_rss_mib=2100), "graph exports under 2 GiB"),
    (lambda s: s["validate"]["incremental"]["kinds"]["agreement removed"].update(seconds=1.2), "under 1 s"),
])
def test_a_figure_over_its_target_is_a_no_with_what_stops_it(change, target):
    results = _results()
    change(results["sizes"][0])
    verdicts = _verdicts(report.merge([results]))
    (missed,) = [text for text, met in verdicts.items() if met is False]
    assert target in missed
    row = next(line for line in report.render(results).splitlines() if line.startswith(f"| {missed} |"))
    assert row.endswith("| **no** |") and "What stops it:" in row


def test_a_question_that_grows_faster_is_named():
    results = _results()
    results["growth"]["queries"]["summary"] = {"best_ms": [470, 2800, 10800], "ratios": [5.96, 3.86], "linear": False}
    measured = next(m for _k, text, m, met in report.targets(results) if "linear" in text and met is False)
    assert "not: summary" in measured and "2 of 3" in measured


def test_an_unmeasured_part_is_said_not_a_crash():
    results = _results()
    size = results["sizes"][0]
    size["load"] = None  # what `bench.run --only store` writes
    del size["store"], size["validate"]
    verdicts = _verdicts(results)
    assert verdicts["load within 1.3× of `bulk_load` in time and in peak memory, every defence on"] is None
    assert sum(met is None for met in verdicts.values()) == 7  # load, ready, 3 endpoint, 100k, incremental
    assert "| not measured |" in report.render(results)


def test_merge_takes_each_part_from_the_run_that_measured_it():
    first = _results()
    second = {"machine": MACHINE, "seconds": 700.0, "sizes": [
        {"memoranda": 10_000, "synthetic": True, "load": None, "store": copy.deepcopy(first["sizes"][0]["store"])},
        {**_size(100_000)}]}
    second["sizes"][0]["store"]["ours"]["ready_s"] = 2.5
    merged = report.merge([first, second])
    assert [s["memoranda"] for s in merged["sizes"]] == [10_000, 100_000]
    ten = merged["sizes"][0]
    assert ten["load"] == first["sizes"][0]["load"]  # None does not replace a measured part
    assert ten["store"]["ours"]["ready_s"] == 2.5 and merged["growth"] == first["growth"]
    assert "sizes 10,000, 100,000" in report.render(merged)


def test_a_run_of_some_export_formats_keeps_the_others_of_the_run_before():
    first = _results()
    ten = first["sizes"][0]
    assert ten["export"] and ten["store"]["export"], "the fixture measures exports both ways"
    fmt, other = sorted(ten["export"])[0], sorted(ten["export"])[-1]
    store_fmt = sorted(ten["store"]["export"])[0]
    again = {"memoranda": 10_000, "synthetic": True,
             "export": {fmt: {**ten["export"][fmt], "ratio": 0.5}},
             "store": {"export": {store_fmt: {**ten["store"]["export"][store_fmt], "ratio": 0.25}}}}
    merged = report.merge([first, {"machine": MACHINE, "seconds": 60.0, "sizes": [again]}])["sizes"][0]
    assert merged["export"][fmt]["ratio"] == 0.5 and merged["export"][other] == ten["export"][other]
    assert merged["store"]["export"][store_fmt]["ratio"] == 0.25
    assert merged["store"]["export"].keys() == ten["store"]["export"].keys()
    assert merged["store"]["ours"] == ten["store"]["ours"]  # the servers of the run that measured them
    reused = {"memoranda": 10_000, "store": {"build": {**ten["store"]["build"], "seconds": 0.8, "reused": True}}}
    assert not ten["store"]["build"].get("reused")
    merged = report.merge([first, {"machine": MACHINE, "seconds": 60.0, "sizes": [reused]}])["sizes"][0]
    assert merged["store"]["build"] == ten["store"]["build"], "a reused store replaced the build measured before"


def test_main_rewrites_the_doc_from_the_targets_heading(tmp_path):
    doc, results = tmp_path / "performance.md", tmp_path / "results.json"
    doc.write_text("# Performance\n\n## Targets of before\n\nprose stays\n\n## Targets\n\nold table\n",
                   encoding="utf-8")
    results.write_text(json.dumps(_results()), encoding="utf-8")
    assert report.main([str(results), "--doc", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\n## Targets of before\n\nprose stays\n\n## Targets\n")
    assert "old table" not in text
    assert "### 10,000 memoranda (1,230,000 triples)" in text and "| `serve --store` (defaults) |" in text
    assert report.main([str(tmp_path / "missing.json"), "--doc", str(doc)]) == 2
    assert doc.read_text(encoding="utf-8") == text

    assert report.main([str(results), "--doc", str(doc), "--check"]) == 0
    doc.write_text(text.replace("| yes |", "| **no** |", 1), encoding="utf-8")
    assert report.main([str(results), "--doc", str(doc), "--check"]) == 1


def test_the_published_page_is_what_the_published_runs_give():
    """docs/performance.md's Targets and Results are bench/results/*.json rendered, not retyped."""
    assert sorted(report.PUBLISHED.glob("*.json")), "no published run in bench/results/"
    assert report.main(["--check"]) == 0


def test_a_target_met_one_way_says_which():
    """At 100,000 the export from the files needs the whole graph in memory; from the store it does not:
    met, from the store, and the other way's figure is still shown as over."""
    results = _results()
    results["sizes"].append(_size(100_000))
    results["sizes"][1]["export"]["nt"]["ours"]["peak_rss_mib"] = 7000
    (row,) = [line for line in report.render(results).splitlines() if line.startswith("| at 100,000")]
    assert row.endswith("| yes, from the store |") and "**nt 7,000 MiB**" in row and "(**over**)" in row
