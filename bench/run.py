"""The whole benchmark in one command: ``python -m bench.run [--sizes 1,1000,10000] [--quick]``.

For each size (1 is the real, shipped graph; larger sizes are synthetic corpora from
:mod:`bench.generate`) it measures, each beside the raw engine doing the same work in the
same run, as a ratio (ours / raw):

- load time and peak RSS (our loading path against pyoxigraph's ``bulk_load`` and ``load``
  of the same files), each in a child process of its own so that the peaks are honest;
- every catalogue query: median and p95 of our path (``run_local``) against pyoxigraph
  running the same final query text (VALUES block included) directly;
- the HTTP endpoint (``mou-graph serve`` in a child process, on 127.0.0.1): median latency
  of one client against the raw engine answering the same query as SPARQL JSON, and median,
  p99 and throughput with concurrent clients (a bounded number of requests);
- validation of the whole corpus and incremental validation of one changed memorandum
  (against pyshacl over rdflib doing the whole work, up to ``--pyshacl-max`` memoranda);
- export in every format against ``pyoxigraph.serialize`` of the same quads or triples;
- whole-process ``mou-graph --help`` and ``mou-graph query NAME`` (real graph only) against
  ``python -c 'import pyoxigraph'`` and a plain script loading the same files and running
  the same text.

It prints a table and writes ``bench/out/results.json`` (atomically). It never touches the
network beyond 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import BENCH_BASE, OUT, ROOT, generate

# -- small helpers ------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """This process's own peak resident set (``VmHWM``), in MiB: ``ru_maxrss`` is carried over an
    ``exec`` from the parent, so a child started by a large parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(samples: list[float], q: float) -> float:
    """The ``q``-th percentile, nearest rank (an observed value).

    >>> pct([5, 1, 3, 2, 4], 50), pct([5, 1, 3, 2, 4], 95), pct(list(range(1, 101)), 99)
    (3, 5, 99)
    """
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"median_ms": statistics.median(ms), "p95_ms": pct(ms, 95), "p99_ms": pct(ms, 99), "n": len(ms)}


def ratio(ours: float | None, raw: float | None) -> float | None:
    return None if not ours or not raw else ours / raw


def timed(func: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = func()
    return time.perf_counter() - t0, value


# -- the child phases (each runs in a process of its own) -----------------------------------


def _settings(home: str) -> Any:
    from mou_graph.config import Settings

    return Settings(root=Path(home))


def _load_ours(home: str) -> Any:
    from mou_graph.store import load_store

    return load_store(_settings(home))


def cpu_seconds() -> float:
    """User and system CPU time of this process (all its threads) so far: steadier than the wall
    clock on a machine whose cores are shared."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_load_ours(home: str, **_: Any) -> dict[str, Any]:
    cpu = cpu_seconds()
    seconds, store = timed(lambda: _load_ours(home))
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "triples": len(store),
            "peak_rss_mib": peak_rss_mib()}


def _raw_store(home: str, method: str) -> Any:
    import pyoxigraph

    from mou_graph.io.rdfio import format_for

    settings = _settings(home)
    store = pyoxigraph.Store()
    for graph, paths in settings.files().items():
        for path in paths:
            getattr(store, method)(path=path, format=format_for(path), base_iri=settings.base,
                                   to_graph=pyoxigraph.NamedNode(settings.graph_iri(graph)))
    return store


def phase_load_raw(home: str, method: str = "bulk_load", **_: Any) -> dict[str, Any]:
    cpu = cpu_seconds()
    seconds, store = timed(lambda: _raw_store(home, method))
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "triples": len(store),
            "peak_rss_mib": peak_rss_mib()}


def bench_params(store: Any, synthetic: bool) -> dict[str, dict[str, str]]:
    """Parameter values for the catalogue on this graph: the examples on the real graph,
    entities of the synthetic corpus otherwise."""
    if not synthetic:
        return {}
    speaker = next(iter(store.query("SELECT ?s WHERE { ?st <https://w3id.org/mou-graph/ontology#speaker> ?s } "
                                    "ORDER BY ?s LIMIT 1")))["s"].value
    return {
        "describe": {"entity": BENCH_BASE + "person/c0-m0"},
        "labels": {"entity": BENCH_BASE + "org/c0-m0"},
        "evidence": {"subject": BENCH_BASE + "mou/1", "property": "mou:signingDate"},
        "statements-by": {"speaker": speaker},
    }


def _consume(result: Any) -> int:
    """Read a pyoxigraph result as a caller must: every value of every row."""
    import pyoxigraph

    if isinstance(result, pyoxigraph.QuerySolutions):
        names = [v.value for v in result.variables]
        count = 0
        for row in result:
            for name in names:
                row[name]
            count += 1
        return count
    if isinstance(result, pyoxigraph.QueryTriples):
        return sum(1 for _ in result)
    return int(bool(result))


def _time_query(store: Any, entry: Any, bindings: dict[str, Any], text: str, repeat: int) -> dict[str, Any]:
    from mou_graph.query.run import run_local

    ours_t: list[float] = []
    raw_t: list[float] = []
    rows = raw_rows = 0
    for i in range(repeat):  # interleaved, so drift hits both alike
        if i == 1 and ours_t[0] + raw_t[0] > 2:  # a slow query: three runs are enough
            repeat = min(repeat, 3)
        if i >= repeat:
            break
        t, res = timed(lambda: run_local(store, entry.text, bindings))
        ours_t.append(t)
        rows = len(res.rows) if res.form == "SELECT" else len(res.triples) or int(bool(res.boolean))
        t, raw_rows = timed(lambda: _consume(store.store.query(text, use_default_graph_as_union=True)))
        raw_t.append(t)
    ours, raw = summary(ours_t), summary(raw_t)
    return {"ours": ours, "raw": raw, "rows": rows, "raw_rows": raw_rows,
            "ratio": ratio(ours["median_ms"], raw["median_ms"])}


def _forked(func: Any, limit: float) -> dict[str, Any]:
    """Run ``func`` in a forked copy of this process (the store is shared copy-on-write);
    past ``limit`` seconds the copy is killed: pyoxigraph cannot cancel a query."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent, child_end = ctx.Pipe(duplex=False)

    def target() -> None:
        child_end.send(func())

    proc = ctx.Process(target=target)
    proc.start()
    answer = parent.recv() if parent.poll(limit) else None
    if answer is None:
        proc.kill()
    proc.join()
    return answer if answer is not None else {"stopped_after_s": limit}


def phase_queries(home: str, repeat: int = 5, synthetic: bool = False, limit: float = 60, **_: Any) -> dict[str, Any]:
    from mou_graph.io.sparqltext import inject_values
    from mou_graph.query.catalogue import load_catalogue

    store = _load_ours(home)
    params = bench_params(store, synthetic)
    out: dict[str, Any] = {}
    for entry in load_catalogue(Path(home) / "queries"):
        values = {p.name: p.example for p in entry.params if p.example and p.default is None}
        values.update(params.get(entry.name, {}))
        bindings = entry.bind(values, "en", base=store.settings.base)
        text = inject_values(entry.text, bindings)
        out[entry.name] = _forked(lambda e=entry, b=bindings, t=text: _time_query(store, e, b, t, repeat), limit)
        print(json.dumps({"query": entry.name, **out[entry.name]}), file=sys.stderr, flush=True)
    return {"queries": out, "peak_rss_mib": peak_rss_mib()}


GROWTH_SIZES = (1000, 2000, 4000)
GROWTH_LIMIT = 2.5  # the largest time ratio allowed per doubling of the corpus
GROWTH_FLOOR_MS = 2.0  # below this at the largest size a question costs a constant, whatever its ratio


def growth_verdict(times_ms: list[float | None]) -> tuple[list[float | None], bool]:
    """The time ratio of each step (size i+1 over size i) and whether every step is within
    :data:`GROWTH_LIMIT`; a question that stays under :data:`GROWTH_FLOOR_MS` passes (its ratios
    measure noise), and one stopped at any size fails.

    >>> growth_verdict([10.0, 21.0, 44.0])
    ([2.1, 2.095...], True)
    >>> growth_verdict([10.0, 40.0, 160.0])[1], growth_verdict([0.1, 0.3, 0.9])[1], growth_verdict([1.0, None])[1]
    (False, True, False)
    """
    steps = [None if a is None or b is None or not a else b / a for a, b in zip(times_ms, times_ms[1:], strict=False)]
    if any(t is None for t in times_ms):
        return steps, False
    small = times_ms[-1] < GROWTH_FLOOR_MS
    return steps, small or all(r is not None and r <= GROWTH_LIMIT for r in steps)


def phase_growth(homes: list[str], repeat: int = 5, limit: float = 120, **_: Any) -> dict[str, Any]:
    """Every catalogue question through our query path on each corpus of ``homes`` (growing
    sizes, all loaded in this process), the sizes interleaved in each repetition so that the
    machine's drift hits them alike; the fastest run of each counts (the least disturbed)."""
    from mou_graph.query.catalogue import load_catalogue
    from mou_graph.query.run import run_local

    stores = [_load_ours(h) for h in homes]
    params = [bench_params(s, True) for s in stores]
    out: dict[str, Any] = {}

    def measure(entry: Any) -> dict[str, Any]:
        values = [{p.name: p.example for p in entry.params if p.example and p.default is None} for _s in stores]
        bindings = []
        for v, prm, store in zip(values, params, stores, strict=True):
            v.update(prm.get(entry.name, {}))
            bindings.append(entry.bind(v, "en", base=store.settings.base))
        best: list[float] = [float("inf")] * len(stores)
        for i in range(repeat):
            for k, (store, b) in enumerate(zip(stores, bindings, strict=True)):
                t, _res = timed(lambda s=store, b=b: run_local(s, entry.text, b))
                best[k] = min(best[k], t * 1000)
            if i == 0 and sum(best) > 10_000:  # a slow question: one run says enough
                break
        return {"best_ms": best}

    for entry in load_catalogue(Path(homes[0]) / "queries"):
        answer = _forked(lambda e=entry: measure(e), limit)
        times = answer.get("best_ms", [None] * len(stores))
        steps, ok = growth_verdict(times)
        out[entry.name] = {"best_ms": times, "ratios": steps, "linear": ok, **(
            {"stopped_after_s": answer["stopped_after_s"]} if "stopped_after_s" in answer else {})}
        print(json.dumps({"growth": entry.name, **out[entry.name]}), file=sys.stderr, flush=True)
    return {"queries": out, "peak_rss_mib": peak_rss_mib()}


def phase_validate(home: str, pyshacl: bool = False, synthetic: bool = False, **_: Any) -> dict[str, Any]:
    """Whole-corpus validation shape by shape (each shape's time goes to stderr as it ends,
    so that a run stopped by its time limit still says which shape stopped it), then one
    changed memorandum, then pyshacl (the reference) where asked."""
    from mou_graph.validation import validate

    store = _load_ours(home)
    out: dict[str, Any] = {}
    engine = validate._engine(store)
    if engine is not None:  # first, so that a whole run stopped by its time limit still has it
        target = BENCH_BASE + "mou/1" if synthetic else None
        inc_seconds, inc = timed(lambda: _incremental(store, validate.validate_changes, target))
        out["incremental"] = {"seconds": inc_seconds, "results": len(inc.results), "conforms": inc.conforms}
        if synthetic:  # the other kinds of change to one agreement, each undone after
            out["incremental"]["kinds"] = _incremental_kinds(store, validate.validate_changes)
        print(json.dumps({"incremental": out["incremental"]}), file=sys.stderr, flush=True)
    if engine is None:
        out["engine"] = "pyshacl (the shapes use something mou_graph.validation.fastshacl does not support)"
        seconds, report = timed(lambda: validate.validate_store(store))
    else:
        out["engine"] = "mou_graph.validation.fastshacl on pyoxigraph"

        def progress(name: str | None, secs: float) -> None:
            print(json.dumps({"shape": name, "seconds": secs}), file=sys.stderr, flush=True)

        seconds, report = timed(lambda: validate._report(engine.validate(store.store, progress=progress),
                                                         validate.text_problems(store)))
    out.update({"seconds": seconds, "conforms": report.conforms, "results": len(report.results)})
    if pyshacl:
        raw_seconds, raw = timed(lambda: validate.validate_store_pyshacl(store))
        def key(r: Any) -> tuple[Any, ...]:
            return (r.focus, r.path, r.value, r.severity, r.shape)
        out["raw"] = {"engine": "pyshacl over rdflib", "seconds": raw_seconds, "conforms": raw.conforms,
                      "results": len(raw.results),
                      "same_report": sorted(map(key, raw.results)) == sorted(map(key, report.results))}
        out["ratio"] = ratio(seconds, raw_seconds)
    out["peak_rss_mib"] = peak_rss_mib()
    return out


def _incremental(store: Any, changes: Any, target: str | None) -> Any:
    """Change one memorandum (its English label) and validate only what that touches."""
    import pyoxigraph

    if target is None:
        target = next(iter(store.query(
            "SELECT ?m WHERE { ?m a <https://w3id.org/mou-graph/ontology#MemorandumOfUnderstanding> } LIMIT 1"
        )))["m"].value
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    node = pyoxigraph.NamedNode(target)
    old = [q for q in store.store.quads_for_pattern(node, label, None, None)
           if getattr(q.object, "language", None) == "en"]
    for q in old:
        store.store.remove(q)
    new = [pyoxigraph.Quad(node, label, pyoxigraph.Literal(q.object.value + " (changed)", language="en"), q.graph_name)
           for q in old]
    for q in new:
        store.store.add(q)
    return changes(store, added=new, removed=old)


def _incremental_kinds(store: Any, changes: Any) -> dict[str, dict[str, Any]]:
    """One agreement of the synthetic corpus (``mou/2``: its quads, and its evidence's) changed in
    each way an editor changes one, validated incrementally, then put back: a party added, the
    agreement removed, a copy of it added under a new IRI, and its file sent again with a label
    edited (all its quads removed and added)."""
    import pyoxigraph

    from bench.generate import agreement_quads, renamed

    quads = agreement_quads((q for q in store.store if q.graph_name != pyoxigraph.DefaultGraph()), 2)
    mou = pyoxigraph.NamedNode(f"{BENCH_BASE}mou/2")
    party = next(q for q in quads if q.subject == mou and q.predicate.value.endswith("ontology#party"))
    other = next(q.object for q in store.store.quads_for_pattern(None, party.predicate, None, None)
                 if q.object != party.object and q.subject != mou and not any(
                     x.object == q.object for x in quads if x.subject == mou and x.predicate == party.predicate))
    label = next(q for q in quads if q.subject == mou and q.predicate.value.endswith("#label")
                 and getattr(q.object, "language", None) == "en")
    edited = [q for q in quads if q != label] + [pyoxigraph.Quad(
        label.subject, label.predicate, pyoxigraph.Literal(label.object.value + " (edited)", language="en"),
        label.graph_name)]
    copy = renamed(renamed(quads, f"{BENCH_BASE}mou/2", f"{BENCH_BASE}mou/copy"), f"{BENCH_BASE}evidence/mou-2",
                   f"{BENCH_BASE}evidence/mou-copy")
    edits = {"party added": ([pyoxigraph.Quad(mou, party.predicate, other, party.graph_name)], []),
             "agreement removed": ([], quads), "agreement added (a copy, new IRI)": (copy, []),
             "agreement's file sent again, a label edited": (edited, quads)}
    out = {}
    for kind, (added, removed) in edits.items():
        removed = [q for q in dict.fromkeys(removed) if q in store.store]
        for q in removed:
            store.store.remove(q)
        added = [q for q in dict.fromkeys(added) if q not in store.store]
        for q in added:
            store.store.add(q)
        seconds, report = timed(lambda a=added, r=removed: changes(store, added=a, removed=r))
        out[kind] = {"seconds": seconds, "results": len(report.results), "changed": len(added) + len(removed)}
        for q in added:
            store.store.remove(q)
        for q in removed:
            store.store.add(q)
    return out


RAW_NAMES = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "trig": "TRIG",
             "nquads": "N_QUADS"}


def phase_export_one(home: str, fmt: str, **_: Any) -> dict[str, Any]:
    """One export as a user runs it (``export --no-validate``): our load, then the export to a file,
    in a process of its own so that the peak is this export's."""
    load_seconds, store = timed(lambda: _load_ours(home))
    return _export_ours(store, fmt, load_seconds)


def phase_export_store(home: str, fmt: str, folder: str, **_: Any) -> dict[str, Any]:
    """The same export from the persistent store (``export --store DIR``): opened read-only,
    not loaded nor validated again."""
    from mou_graph.publish.persistent import open_store

    open_seconds, store = timed(lambda: open_store(Path(folder), _settings(home)))
    return _export_ours(store, fmt, open_seconds)


def _export_ours(store: Any, fmt: str, load_seconds: float) -> dict[str, Any]:
    import hashlib

    from mou_graph.publish.export import RDF_FORMATS, export_rdf
    from mou_graph.publish.graphs import export_graph, project

    with tempfile.TemporaryDirectory(prefix="mou-bench-") as tmp:
        target = Path(tmp) / f"out.{fmt}"
        if fmt in RDF_FORMATS:
            seconds, count = timed(lambda: export_rdf(store, fmt, target))
        else:
            seconds, count = timed(lambda: export_graph(project(store, "entity", lang="en"), fmt, target))
            count = len(count)
        files = [target] if target.is_file() else sorted(target.iterdir())
        digest = hashlib.sha256()  # in chunks: reading the file whole would add its size to the peak
        for path in files:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
        size = sum(p.stat().st_size for p in files)
    return {"load_seconds": load_seconds, "seconds": seconds, "total_seconds": load_seconds + seconds,
            "written": count, "bytes": size, "sha256": digest.hexdigest(), "peak_rss_mib": peak_rss_mib()}


def phase_export_raw(home: str, fmt: str, **_: Any) -> dict[str, Any]:
    """The raw engine doing the same: ``bulk_load`` of the files, then ``pyoxigraph.serialize`` of
    the store (quads) or of its distinct triples; for N-Triples also ``Store.dump`` piped through
    ``LC_ALL=C sort -u`` (what our output equals)."""
    load_seconds, store = timed(lambda: _raw_store(home, "bulk_load"))
    return _export_raw(store, fmt, load_seconds)


def phase_export_store_raw(folder: str, fmt: str, **_: Any) -> dict[str, Any]:
    """The raw engine on the same persistent store: ``Store.read_only`` of its ``all/``, then the
    same serialisation as :func:`phase_export_raw`."""
    import pyoxigraph

    open_seconds, store = timed(lambda: pyoxigraph.Store.read_only(str(Path(folder) / "all")))
    return _export_raw(store, fmt, open_seconds)


def _export_raw(store: Any, fmt: str, load_seconds: float) -> dict[str, Any]:
    import pyoxigraph

    rdf_format = getattr(pyoxigraph.RdfFormat, RAW_NAMES[fmt])
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="mou-bench-") as tmp:
        target = Path(tmp) / f"raw.{fmt}"
        if fmt in ("trig", "nquads"):
            seconds, _ = timed(lambda: pyoxigraph.serialize(store, target, rdf_format))
        else:
            seconds, _ = timed(lambda: pyoxigraph.serialize(
                {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store}, target, rdf_format))
        if fmt == "nt":
            def dump_sort() -> None:
                dumped = Path(tmp) / "dump.nq"
                with dumped.open("wb") as f:
                    for g in store.named_graphs():
                        store.dump(f, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=g)
                with dumped.open("rb") as f, (Path(tmp) / "sorted.nt").open("wb") as o:
                    subprocess.run(["sort", "-u", "-S", "256M", "-T", tmp], stdin=f, stdout=o, check=True,
                                   env={**os.environ, "LC_ALL": "C"})
            out["dump_sort_seconds"], _ = timed(dump_sort)
    out.update({"load_seconds": load_seconds, "seconds": seconds, "total_seconds": load_seconds + seconds,
                "peak_rss_mib": peak_rss_mib()})
    return out


def bench_exports(home: Path, formats: list[str], timeout: float, folder: Path | None = None) -> dict[str, Any]:
    """Each export in a child of its own, beside the raw engine's load + serialise of the same (for
    the RDF formats); ratio: our load + export over the raw load + serialise. With ``folder`` (a
    persistent store of ``home``): the export from it (``export --store``) beside the raw engine
    opening the same store and serialising."""
    from mou_graph.publish.export import RDF_FORMATS

    out: dict[str, Any] = {}
    store = {} if folder is None else {"folder": str(folder)}
    for fmt in formats:
        ours = child("export-store" if store else "export-one", timeout=timeout, home=str(home), fmt=fmt, **store)
        row: dict[str, Any] = {"ours": ours}
        if fmt in RDF_FORMATS:
            raw = child("export-store-raw" if store else "export-raw", timeout=timeout, home=str(home), fmt=fmt,
                        **store)
            row.update({"raw": raw, "ratio": ratio(ours.get("total_seconds"), raw.get("total_seconds")),
                        "rss_ratio": ratio(ours.get("peak_rss_mib"), raw.get("peak_rss_mib"))})
        out[fmt] = row
        print(json.dumps({"export": fmt, **row}), file=sys.stderr, flush=True)
    return out


def phase_raw_engine(home: str, query: str = "", repeat: int = 50, **_: Any) -> dict[str, Any]:
    """The raw engine answering ``query`` as SPARQL JSON (what the endpoint sends back)."""
    import pyoxigraph

    store = _raw_store(home, "bulk_load")
    samples = []
    for _i in range(repeat):
        t, _ = timed(lambda: store.query(query, use_default_graph_as_union=True).serialize(
            format=pyoxigraph.QueryResultsFormat.JSON))
        samples.append(t)
    return {"raw": summary(samples)}


PHASES = {"load-ours": phase_load_ours, "load-raw": phase_load_raw, "queries": phase_queries, "growth": phase_growth,
          "validate": phase_validate, "export-one": phase_export_one, "export-raw": phase_export_raw,
          "export-store": phase_export_store, "export-store-raw": phase_export_store_raw,
          "raw-engine": phase_raw_engine}


def child(phase: str, timeout: float = 1800, **kw: Any) -> dict[str, Any]:
    """Run one phase in a new Python process and return its JSON answer; a phase past its
    time limit is stopped and answers what it had said by then (``stopped_after_s``)."""
    cmd = [sys.executable, "-m", "bench.run", "--child", phase, "--child-args", json.dumps(kw)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        said = err.stderr.decode() if isinstance(err.stderr, bytes) else (err.stderr or "")
        steps = [json.loads(line) for line in said.splitlines() if line.startswith("{")]
        out: dict[str, Any] = {"stopped_after_s": timeout, "steps_done": [x for x in steps if "shape" in x]}
        out.update(next((x for x in steps if "incremental" in x), {}))
        return out
    if proc.returncode != 0:
        raise RuntimeError(f"phase {phase} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- whole processes -----------------------------------------------------------------------


def time_process(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    samples = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)
        samples.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-2000:]}")
    return summary(samples)


_RAW_QUERY_SCRIPT = """
import sys, pyoxigraph
from pathlib import Path
store = pyoxigraph.Store()
for path, graph in zip(sys.argv[2::2], sys.argv[3::2]):
    fmt = pyoxigraph.RdfFormat.from_extension(Path(path).suffix[1:])
    store.load(path=path, format=fmt, base_iri=sys.argv[1], to_graph=pyoxigraph.NamedNode(graph))
for row in store.query(sys.stdin.read(), use_default_graph_as_union=True):
    print(*row)
"""


def phase_cli(home: Path, repeat: int, name: str = "parties") -> dict[str, Any]:
    from mou_graph.config import Settings
    from mou_graph.io.sparqltext import inject_values
    from mou_graph.query.catalogue import load_catalogue

    mou_graph = [sys.executable, "-m", "mou_graph", "--home", str(home)]
    out: dict[str, Any] = {"help": time_process([*mou_graph, "--help"], repeat),
                           "help_raw": time_process([sys.executable, "-c", "import pyoxigraph"], repeat)}
    out["help"]["ratio"] = ratio(out["help"]["median_ms"], out["help_raw"]["median_ms"])
    settings = Settings(root=home)
    entry = load_catalogue(home / "queries").get(name)
    text = inject_values(entry.text, entry.bind({}, "th", base=settings.base))
    files = [str(x) for g, paths in settings.files().items() for p in paths for x in (p, settings.graph_iri(g))]
    out["query"] = time_process([*mou_graph, "query", name], repeat)
    raw_cmd = [sys.executable, "-c", _RAW_QUERY_SCRIPT, settings.base, *files]
    samples = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(raw_cmd, input=text.encode(), capture_output=True, check=True, timeout=300)
        samples.append(time.perf_counter() - t0)
    out["query_raw"] = summary(samples)
    out["query"]["ratio"] = ratio(out["query"]["median_ms"], out["query_raw"]["median_ms"])
    out["query"]["name"] = name
    return out


# -- the endpoint --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(conn: Any, path: str) -> float:
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        raise RuntimeError(f"endpoint answered {resp.status}: {body[:300]!r}")
    return time.perf_counter() - t0


def phase_endpoint(home: Path, requests: int, clients: int, synthetic: bool) -> dict[str, Any]:
    import http.client

    from mou_graph.config import Settings
    from mou_graph.io.sparqltext import inject_values
    from mou_graph.query.catalogue import load_catalogue

    settings = Settings(root=home)
    entry = load_catalogue(home / "queries").get("labels")
    entity = BENCH_BASE + "org/c0-m0" if synthetic else entry.params[0].example
    text = inject_values(entry.text, entry.bind({"entity": entity}, "en", base=settings.base))
    path = "/sparql?" + urllib.parse.urlencode({"query": text})
    port = _free_port()
    cmd = [sys.executable, "-m", "mou_graph", "--home", str(home), "serve", "--no-validate", "--host", "127.0.0.1",
           "--port", str(port), "--workers", "2", "--timeout", "60", "--log-level", "warning"]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                _get(conn, path)
                break
            except (OSError, RuntimeError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for _i in range(5):  # warm-up
            _get(conn, path)
        single = [_get(conn, path) for _i in range(requests)]
        conn.close()
        latencies: list[float] = []
        lock = threading.Lock()
        per_client = max(1, requests // clients)

        def client() -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine = [_get(c, path) for _i in range(per_client)]
            c.close()
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client) for _i in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    raw = child("raw-engine", home=str(home), query=text, repeat=requests)["raw"]
    one = summary(single)
    return {"query": "labels", "single_client": one, "raw": raw,
            "added_ms_at_median": one["median_ms"] - raw["median_ms"],
            "concurrent": {**summary(latencies), "clients": clients, "throughput_rps": len(latencies) / wall}}


# -- the persistent store and the endpoint beside the Oxigraph server (issue 15) -------------
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def _until_ready(port: int, path: str, proc: subprocess.Popen, limit: float = 600) -> float:
    import http.client

    t0 = time.perf_counter()
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return time.perf_counter() - t0
        except OSError:
            pass
        if time.perf_counter() - t0 > limit:
            raise RuntimeError("the server did not answer in time")
        time.sleep(0.02)


def _bindings(body: bytes) -> list[Any]:
    rows = json.loads(body)["results"]["bindings"]
    return sorted(json.dumps({k: {"value": v["value"], "type": v["type"].replace("typed-literal", "literal")}
                              for k, v in row.items()}, sort_keys=True) for row in rows)


def _served(cmd: list[str], port: int, path: str, clients: tuple[int, ...], seconds: float) -> dict[str, Any]:
    """Start a server, time it to its first answer, then load it at each number of clients."""
    import http.client

    from bench.load import hammer

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready = _until_ready(port, path, proc)
        ready_total = time.perf_counter() - t0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        answer = _bindings(conn.getresponse().read())
        conn.close()
        out: dict[str, Any] = {"ready_s": ready_total, "ready_poll_s": ready, "rss_mib": _tree_rss_mib(proc.pid),
                               "answer": answer, "clients": {}}
        for n in clients:
            load = hammer("127.0.0.1", port, path, clients=n, seconds=seconds)
            lat = sorted(load.latencies)
            out["clients"][str(n)] = {
                "throughput_rps": load.throughput, "answered": load.answered, "statuses": load.statuses,
                "failed": load.failed(), "retry_after": sorted(load.retry_after),
                "median_ms": statistics.median(lat) * 1000 if lat else None,
                "p99_ms": pct(lat, 99) * 1000 if lat else None}
        out["rss_after_mib"] = _tree_rss_mib(proc.pid)
        return out
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def store_folder(home: Path, args: argparse.Namespace, synthetic: bool) -> Path:
    return args.out / f"store-{home.name.removeprefix('home-') if synthetic else 'real'}"


def phase_store(home: Path, args: argparse.Namespace, synthetic: bool) -> dict[str, Any]:
    """``build --store`` (timed; reused when up to date), then ``serve --store`` beside
    ``oxigraph serve-read-only`` on the same store (its ``public/``) and the same query, at 1, 4
    and 16 clients: the limits of before (2 workers, 4 waiting, no cache), today's defaults, and
    today's without the answer cache."""
    from mou_graph.config import Settings
    from mou_graph.io.sparqltext import inject_values
    from mou_graph.query.catalogue import load_catalogue

    folder = store_folder(home, args, synthetic)
    t0 = time.perf_counter()
    built = subprocess.run([sys.executable, "-m", "mou_graph", "--home", str(home), "build", "--store", str(folder),
                            "--lang", "en"], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if built.returncode != 0:
        raise RuntimeError(f"build --store failed: {built.stderr[-2000:]}")
    out: dict[str, Any] = {"build": {"seconds": time.perf_counter() - t0, "reused": "reused" in built.stderr,
                                     "peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                                     "disk_mib": sum(f.stat().st_size for f in folder.rglob("*")
                                                     if f.is_file()) / 2**20}}
    settings = Settings(root=home)
    entry = load_catalogue(home / "queries").get("labels")
    entity = BENCH_BASE + "org/c0-m0" if synthetic else entry.params[0].example
    text = inject_values(entry.text, entry.bind({"entity": entity}, "en", base=settings.base))
    query = urllib.parse.urlencode({"query": text})
    clients = (1, 4, 16)
    seconds = 2.0 if args.quick else 5.0
    port = _free_port()
    out["oxigraph"] = _served([str(OXIGRAPH), "serve-read-only", "-l", str(folder / "public"), "--union-default-graph",
                               "--bind", f"127.0.0.1:{port}"], port, "/query?" + query, clients, seconds)
    ours = [sys.executable, "-m", "mou_graph", "--home", str(home), "serve", "--store", str(folder), "--host",
            "127.0.0.1", "--timeout", "60", "--log-level", "warning"]
    for name, options in (("before_limits", ["--workers", "2", "--queue", "4", "--cache-mb", "0"]),
                          ("ours", ["--workers", "2"]), ("ours_no_cache", ["--workers", "2", "--cache-mb", "0"])):
        port = _free_port()
        out[name] = _served([*ours, "--port", str(port), *options], port, "/sparql?" + query, clients, seconds)
        out[name]["options"] = options
        out[name]["same_answer"] = out[name]["answer"] == out["oxigraph"]["answer"]
        for n in map(str, clients):
            mine, theirs = out[name]["clients"][n]["throughput_rps"], out["oxigraph"]["clients"][n]["throughput_rps"]
            out[name]["clients"][n]["ratio"] = ratio(mine, theirs)
    for side in ("oxigraph", "before_limits", "ours", "ours_no_cache"):
        out[side].pop("answer")
    return out


def store_table(st: dict[str, Any]) -> list[str]:
    b = st["build"]
    lines = [f"persistent store: build {b['seconds']:.1f} s ({'reused' if b['reused'] else 'written'}), "
             f"{b['disk_mib']:.0f} MiB on disk"]
    ox = st["oxigraph"]
    lines.append(f"{'server':<28} {'ready s':>8} {'RSS MiB':>8} " + " ".join(
        f"{n + ' cl req/s':>12} {'ratio':>5} {'fail':>5}" for n in ox["clients"]))
    for name in ("oxigraph", "before_limits", "ours", "ours_no_cache"):
        side = st[name]
        label = {"oxigraph": "oxigraph serve-read-only", "before_limits": "serve, limits of before",
                 "ours": "serve --store (defaults)", "ours_no_cache": "serve --store --cache-mb 0"}[name]
        cells = []
        for c in side["clients"].values():
            cells.append(f"{c['throughput_rps']:>12.0f} {_f(c.get('ratio'), '{:.2f}'):>5} {c['failed']:>5}")
        lines.append(f"{label:<28} {side['ready_s']:>8.2f} {side['rss_after_mib']:>8.0f} " + " ".join(cells))
    return lines


# -- the run -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from importlib import metadata

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    versions = {}
    for pkg in ("pyoxigraph", "pyshacl", "rdflib", "starlette", "uvicorn"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(int(mem) / 1024 / 1024, 1),
            "python": platform.python_version(), "versions": versions}


def run_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    synthetic = n > 1
    home = generate(n, seed=args.seed, out=args.out) if synthetic else ROOT
    big = n >= 5000
    repeat = 2 if args.quick else (5 if big else 15)
    res: dict[str, Any] = {"memoranda": n, "home": str(home), "synthetic": synthetic}
    def say(msg: str) -> None:
        print(f"[{n}] {msg}", file=sys.stderr, flush=True)
    only = set(args.only.split(",")) if args.only else None
    if only is not None and "load" not in only:
        res["load"] = None
    if only is None or "load" in only:
        say("load")
        res["load"] = {"ours": child("load-ours", home=str(home)), "raw_bulk_load": child("load-raw", home=str(home)),
                       "raw_load": child("load-raw", home=str(home), method="load")}
        res["triples"] = res["load"]["ours"]["triples"]
        lo = res["load"]
        lo["ratio"] = ratio(lo["ours"]["seconds"], lo["raw_bulk_load"]["seconds"])
        lo["cpu_ratio"] = ratio(lo["ours"]["cpu_seconds"], lo["raw_bulk_load"]["cpu_seconds"])
        lo["rss_ratio"] = ratio(lo["ours"]["peak_rss_mib"], lo["raw_bulk_load"]["peak_rss_mib"])
    if only is None or "queries" in only:
        say("queries")
        res["queries"] = child("queries", home=str(home), repeat=repeat, synthetic=synthetic,
                               limit=args.query_timeout)
    if only is None or "validate" in only:
        say("validation")
        res["validate"] = child("validate", timeout=args.validate_timeout, home=str(home),
                                pyshacl=n <= args.pyshacl_max, synthetic=synthetic)
    from mou_graph.publish.export import RDF_FORMATS
    from mou_graph.publish.graphs import GRAPH_FORMATS

    formats = [*sorted(RDF_FORMATS), *GRAPH_FORMATS]
    if args.formats:
        formats = [f for f in args.formats.split(",") if f.strip()]
    if only is None or "export" in only:
        say("export")
        res["export"] = bench_exports(home, formats, timeout=args.export_timeout)
    if only is None or "endpoint" in only:
        say("endpoint")
        res["endpoint"] = phase_endpoint(home, requests=10 if args.quick else 100, clients=4, synthetic=synthetic)
    if only is None or "store" in only:
        say("persistent store and the endpoint beside the Oxigraph server")
        res["store"] = phase_store(home, args, synthetic)
        if only is None or "export" in only:
            say("export from the persistent store")
            # every RDF syntax; of the graph files one (they share the projection, the part that reads the store)
            from_store = [f for f in formats if f in RDF_FORMATS or f == "graphml"]
            res["store"]["export"] = bench_exports(home, from_store, timeout=args.export_timeout,
                                                   folder=store_folder(home, args, synthetic))
    if only is None and (not synthetic or args.cli_all):
        say("whole processes")
        res["cli"] = phase_cli(home, repeat=2 if args.quick else 10)
    return res


def _f(x: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


def table(results: dict[str, Any]) -> str:
    lines = []
    for size in results["sizes"]:
        n, tr = size["memoranda"], size.get("triples")
        lines.append(f"\n== {n} memoranda ({tr or 0:,} triples) ==")
        lo = size.get("load")
        if lo:
            lines.append(f"load: ours {lo['ours']['seconds']:.3f} s, pyoxigraph bulk_load "
                         f"{lo['raw_bulk_load']['seconds']:.3f} s (load {lo['raw_load']['seconds']:.3f} s), ratio "
                         f"{_f(lo['ratio'], '{:.2f}')}x; CPU {lo['ours']['cpu_seconds']:.2f} s against "
                         f"{lo['raw_bulk_load']['cpu_seconds']:.2f} s, {_f(lo.get('cpu_ratio'), '{:.2f}')}x; peak RSS "
                         f"ours {lo['ours']['peak_rss_mib']:.0f} MiB, raw "
                         f"{lo['raw_bulk_load']['peak_rss_mib']:.0f} MiB, "
                         f"{_f(lo.get('rss_ratio'), '{:.2f}')}x")
        if size.get("queries"):
            lines += _queries_table(size)
        if size.get("endpoint"):
            lines += _endpoint_table(size)
        if size.get("validate"):
            lines += _validate_table(size)
        if size.get("export"):
            lines += export_table(size["export"])
        if size.get("store"):
            lines += store_table(size["store"])
            if size["store"].get("export"):
                lines += ["export from the persistent store (export --store; raw: Store.read_only + serialise)",
                          *export_table(size["store"]["export"])]
        if "cli" in size:
            c = size["cli"]
            lines.append(f"whole process: --help {c['help']['median_ms']:.0f} ms (python + import pyoxigraph "
                         f"{c['help_raw']['median_ms']:.0f} ms); query {c['query']['name']} "
                         f"{c['query']['median_ms']:.0f} ms (raw script {c['query_raw']['median_ms']:.0f} ms)")
    if "growth" in results:
        lines += growth_table(results["growth"])
    return "\n".join(lines) + "\n"


def export_table(exports: dict[str, Any]) -> list[str]:
    """Each export: ours (load + export, peak RSS) beside the raw engine's load + serialise."""
    lines = [f"{'export':<10} {'ours s':>8} {'(export)':>9} {'peak MiB':>9} {'raw s':>8} {'peak MiB':>9} "
             f"{'ratio':>6} {'MiB ratio':>9} {'dump+sort s':>11}"]
    for fmt, row in exports.items():
        o, r = row["ours"], row.get("raw", {})
        if "stopped_after_s" in o:
            lines.append(f"{fmt:<10} STOPPED after {o['stopped_after_s']:.0f} s")
            continue
        lines.append(f"{fmt:<10} {o['total_seconds']:>8.2f} {o['seconds']:>9.2f} {o['peak_rss_mib']:>9.0f} "
                     f"{_f(r.get('total_seconds'), '{:.2f}'):>8} {_f(r.get('peak_rss_mib'), '{:.0f}'):>9} "
                     f"{_f(row.get('ratio'), '{:.2f}'):>6} {_f(row.get('rss_ratio'), '{:.2f}'):>9} "
                     f"{_f(r.get('dump_sort_seconds'), '{:.2f}'):>11}")
    return lines


def growth_table(growth: dict[str, Any]) -> list[str]:
    """The growth check: every question's fastest time at each size and the ratio per doubling."""
    sizes = growth["sizes"]
    lines = [f"\n== growth of every catalogue question ({' / '.join(f'{n:,}' for n in sizes)} memoranda; "
             f"linear: ratio <= {growth['limit']} per doubling, or under {GROWTH_FLOOR_MS} ms) ==",
             f"{'query':<22}" + "".join(f"{f'{n:,} ms':>12}" for n in sizes)
             + "".join(f"{'ratio':>7}" for _n in sizes[1:]) + "  linear"]
    for name, g in sorted(growth["queries"].items()):
        lines.append(f"{name:<22}" + "".join(f"{_f(t, '{:.2f}'):>12}" for t in g["best_ms"])
                     + "".join(f"{_f(r, '{:.2f}'):>7}" for r in g["ratios"])
                     + ("  yes" if g["linear"] else "  NO" + (f" (stopped after {g['stopped_after_s']:.0f} s)"
                                                             if "stopped_after_s" in g else "")))
    bad = sorted(n for n, g in growth["queries"].items() if not g["linear"])
    lines.append(f"not linear: {', '.join(bad)}" if bad else "every question linear")
    return lines


def _queries_table(size: dict[str, Any]) -> list[str]:
    lines = [f"{'query':<20} {'rows':>7} {'ours med':>9} {'p95':>9} {'raw med':>9} {'p95':>9} {'ratio':>6}"]
    for name, q in sorted(size["queries"]["queries"].items()):
        if "stopped_after_s" in q:
            lines.append(f"{name:<20} STOPPED after {q['stopped_after_s']:.0f} s")
            continue
        lines.append(f"{name:<20} {q['rows']:>7} {q['ours']['median_ms']:>9.2f} {q['ours']['p95_ms']:>9.2f} "
                     f"{q['raw']['median_ms']:>9.2f} {q['raw']['p95_ms']:>9.2f} {_f(q['ratio'], '{:.2f}'):>6}")
    return lines


def _endpoint_table(size: dict[str, Any]) -> list[str]:
    ep = size["endpoint"]
    return [f"endpoint ({ep['query']}): one client median {ep['single_client']['median_ms']:.2f} ms, raw "
            f"{ep['raw']['median_ms']:.2f} ms, added {ep['added_ms_at_median']:.2f} ms; "
            f"{ep['concurrent']['clients']} clients median {ep['concurrent']['median_ms']:.2f} ms, "
            f"p99 {ep['concurrent']['p99_ms']:.2f} ms, {ep['concurrent']['throughput_rps']:.0f} req/s"]


def _validate_table(size: dict[str, Any]) -> list[str]:
    lines = []
    va = size["validate"]
    if "stopped_after_s" in va:
        done = va["steps_done"]
        slow = max(done, key=lambda d: d["seconds"], default=None)
        lines.append(f"validation: STOPPED after {va['stopped_after_s']:.0f} s with {len(done)} shapes done "
                     f"(slowest done: {slow and slow['shape']} {slow and slow['seconds']:.1f} s); one changed "
                     f"memorandum {va.get('incremental', {}).get('seconds', float('nan')) * 1000:.0f} ms")
        va = {}
    line = ("" if not va else f"validation: {va['seconds']:.2f} s "
            f"({'conforms' if va['conforms'] else str(va['results']) + ' results'})")
    if "incremental" in va:
        line += f"; one changed memorandum {va['incremental']['seconds'] * 1000:.0f} ms"
    if "raw" in va:
        line += (f"; pyshacl {va['raw']['seconds']:.2f} s, ratio {_f(va['ratio'], '{:.2f}')}x, "
                 f"same report: {va['raw']['same_report']}")
    if line:
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,1000,10000", help="memoranda per corpus, comma-separated (1 = real)")
    parser.add_argument("--quick", action="store_true", help="few repetitions (a smoke run)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT, help="folder for corpora and results.json")
    parser.add_argument("--pyshacl-max", type=int, default=3,
                        help="also run pyshacl over rdflib (the reference) up to this many memoranda")
    parser.add_argument("--validate-timeout", type=float, default=150, metavar="S",
                        help="stop whole-corpus validation of one size after this many seconds (default 150)")
    parser.add_argument("--query-timeout", type=float, default=60, metavar="S",
                        help="stop the timing of one catalogue query (all its repetitions) after S seconds")
    parser.add_argument("--export-timeout", type=float, default=900, metavar="S",
                        help="stop one export (or its raw reference) after this many seconds (default 900)")
    parser.add_argument("--growth", default=",".join(map(str, GROWTH_SIZES)), metavar="N,N,N",
                        help="corpus sizes (each double the last) for the growth check of every catalogue question "
                        "(default %(default)s; empty: skip it)")
    parser.add_argument("--cli-all", action="store_true", help="time whole processes on every size, not only 1")
    parser.add_argument("--only", metavar="PARTS",
                        help="only these parts, comma-separated: load, queries, validate, export, endpoint, store, "
                             "growth (the growth check runs only when named, or when --only is not given)")
    parser.add_argument("--formats", metavar="FMT,FMT",
                        help="export only these formats (names of `mou-graph export --format`); default: all")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(PHASES[args.child](**json.loads(args.child_args))))
        return 0
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes wants numbers separated by commas, not {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("sizes must be at least 1")
    if args.formats:
        from mou_graph.publish.export import RDF_FORMATS
        from mou_graph.publish.graphs import GRAPH_FORMATS

        unknown = sorted(set(args.formats.split(",")) - set(RDF_FORMATS) - set(GRAPH_FORMATS) - {""})
        if unknown:
            parser.error(f"--formats: unknown {', '.join(unknown)} (known: "
                         f"{', '.join([*sorted(RDF_FORMATS), *GRAPH_FORMATS])})")
    # the corpora are large on purpose (100,000 agreements: 9.6 M quads): lift the input gate's size
    # and triple limits for them (children inherit them)
    os.environ.setdefault("MOU_GRAPH_MAX_FILE_BYTES", str(4 << 30))
    os.environ.setdefault("MOU_GRAPH_MAX_FILE_TRIPLES", str(100_000_000))
    os.environ.setdefault("MOU_GRAPH_MAX_TRIPLES", str(100_000_000))
    from mou_graph.io.atomic import write_bytes

    t0 = time.perf_counter()
    target = args.out / "results.json"
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick, "sizes": []}
    for n in sizes:  # written after each size, so a failure later keeps what was measured
        results["sizes"].append(run_size(n, args))
        results["seconds"] = time.perf_counter() - t0
        write_bytes(target, (json.dumps(results, indent=2, ensure_ascii=False) + "\n").encode())
    growth = [int(g) for g in args.growth.split(",") if g.strip()] if args.growth else []
    if args.only and "growth" not in args.only.split(","):  # --only export measured the growth too
        growth = []
    if growth:
        print(f"[growth] {', '.join(map(str, growth))} memoranda", file=sys.stderr, flush=True)
        homes = [str(generate(n, seed=args.seed, out=args.out)) for n in growth]
        measured = child("growth", homes=homes, repeat=2 if args.quick else 5, limit=args.query_timeout * 2)
        results["growth"] = {"sizes": growth, "limit": GROWTH_LIMIT, **measured}
        results["seconds"] = time.perf_counter() - t0
        write_bytes(target, (json.dumps(results, indent=2, ensure_ascii=False) + "\n").encode())
    sys.stdout.write(table(results))
    print(f"\n{target} ({results['seconds']:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
