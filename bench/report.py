"""Render the results section of docs/performance.md from bench/out/results.json.

``python -m bench.report`` rewrites everything from the ``## Results`` heading to the end of
docs/performance.md, so the published tables are the numbers of one real run, not retyped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Results"


def _ms(x: float) -> str:
    return f"{x:.2f}"


def _size(s: dict[str, Any]) -> list[str]:
    n, triples = s["memoranda"], s["triples"]
    name = "the real graph" if not s.get("synthetic") else f"{n:,} memoranda"
    out = [f"### {name} ({triples:,} triples)", ""]
    load = s["load"]
    out += ["| load | seconds | peak RSS (MiB) |", "|---|---|---|"]
    for key, label in (("ours", "ours (`load_store`)"), ("raw_bulk_load", "pyoxigraph `bulk_load`"),
                       ("raw_load", "pyoxigraph `load`")):
        out.append(f"| {label} | {load[key]['seconds']:.3f} | {load[key]['peak_rss_mib']:.0f} |")
    out += ["", f"Ratio ours / bulk_load: **{load['ratio']:.2f}×**.", ""]
    out += ["| query | rows | ours median ms | ours p95 | raw median ms | raw p95 | ratio |",
            "|---|---|---|---|---|---|---|"]
    for name_, q in sorted(s["queries"]["queries"].items()):
        if "stopped_after_s" in q:
            out.append(f"| {name_} | – | stopped after {q['stopped_after_s']} s | | | | |")
            continue
        out.append(f"| {name_} | {q['rows']} | {_ms(q['ours']['median_ms'])} | {_ms(q['ours']['p95_ms'])} | "
                   f"{_ms(q['raw']['median_ms'])} | {_ms(q['raw']['p95_ms'])} | {q['ratio']:.2f} |")
    e = s["endpoint"]
    c = e["concurrent"]
    out += ["", f"Endpoint (`{e['query']}`, {e['single_client']['n']} requests): one client median "
            f"{e['single_client']['median_ms']:.2f} ms (p99 {e['single_client']['p99_ms']:.2f}), raw engine "
            f"{e['raw']['median_ms']:.3f} ms → **{e['added_ms_at_median']:.2f} ms added** at the median; "
            f"{c['clients']} concurrent clients: median {c['median_ms']:.2f} ms, p99 {c['p99_ms']:.2f} ms, "
            f"{c['throughput_rps']:.0f} requests/s.", ""]
    v = s["validate"]
    line = (f"Validation ({v['engine']}): **{v['seconds']:.2f} s**, conforms: {v['conforms']}; one changed "
            f"memorandum (incremental): **{v['incremental']['seconds'] * 1000:.0f} ms**; peak RSS "
            f"{v['peak_rss_mib']:.0f} MiB.")
    if "raw" in v:
        line += (f" pyshacl over rdflib on the same graph: {v['raw']['seconds']:.2f} s, same report: "
                 f"{v['raw']['same_report']}.")
    out += [line, ""]
    out += ["| export | ours: load + export, s | of it export, s | peak RSS, MiB | bytes "
            "| raw: bulk_load + serialise, s | raw peak, MiB | time ratio | memory ratio | raw dump + `sort -u`, s |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for fmt, x in s["export"].items():
        o, r = x["ours"], x.get("raw", {})
        if "stopped_after_s" in o:
            out.append(f"| {fmt} | stopped after {o['stopped_after_s']:.0f} s | | | | | | | | |")
            continue
        out.append(f"| {fmt} | {o['total_seconds']:.2f} | {o['seconds']:.2f} | {o['peak_rss_mib']:.0f} "
                   f"| {o['bytes']:,} "
                   f"| {_num(r.get('total_seconds'))} | {_num(r.get('peak_rss_mib'), '{:.0f}')} "
                   f"| {_num(x.get('ratio'))} | {_num(x.get('rss_ratio'))} | {_num(r.get('dump_sort_seconds'))} |")
    out.append("")
    cli = s.get("cli")
    if cli:
        n_runs = cli["help"]["n"]
        out += [f"Whole process (median of {n_runs}): `mou-graph --help` **{cli['help']['median_ms']:.0f} ms** "
                f"(python + `import pyoxigraph`: {cli['help_raw']['median_ms']:.0f} ms); `mou-graph query "
                f"{cli['query']['name']}` **{cli['query']['median_ms']:.0f} ms** (a plain pyoxigraph script, same "
                f"files and text: {cli['query_raw']['median_ms']:.0f} ms).", ""]
    return out


def _num(x: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if x is None else fmt.format(x)


def _growth(g: dict[str, Any]) -> list[str]:
    sizes = g["sizes"]
    out = [f"### growth of every catalogue question ({' / '.join(f'{n:,}' for n in sizes)} memoranda)", "",
           f"Fastest of the runs, sizes interleaved; linear: each ratio at most {g['limit']} per doubling.", "",
           "| query | " + " | ".join(f"{n:,}, ms" for n in sizes) + " | "
           + " | ".join("ratio" for _n in sizes[1:]) + " | linear |",
           "|---|" + "---|" * (2 * len(sizes))]
    for name, q in sorted(g["queries"].items()):
        out.append(f"| {name} | " + " | ".join(_num(t) for t in q["best_ms"]) + " | "
                   + " | ".join(_num(r) for r in q["ratios"]) + f" | {'yes' if q['linear'] else '**no**'} |")
    return [*out, ""]


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in sorted(m["versions"].items()))
    out = [HEADING, "",
           f"Generated by `python -m bench.report` from `bench/out/results.json`: one run of `python -m bench.run` "
           f"that took {results['seconds']:.0f} s on {m['nproc']} cores ({m['cpu']}, {m['memory_gib']} GiB), "
           f"Python {m['python']}, {versions}.", ""]
    for size in results["sizes"]:
        out += _size(size)
    if "growth" in results:
        out += _growth(results["growth"])
    return "\n".join(out).rstrip() + "\n"


def main() -> int:
    results = json.loads((ROOT / "bench/out/results.json").read_text(encoding="utf-8"))
    doc = ROOT / "docs/performance.md"
    text = doc.read_text(encoding="utf-8")
    head = text.split(HEADING, 1)[0]
    doc.write_text(head + render(results), encoding="utf-8")
    print(doc, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
