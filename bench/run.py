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


def phase_load_ours(home: str, **_: Any) -> dict[str, Any]:
    seconds, store = timed(lambda: _load_ours(home))
    return {"seconds": seconds, "triples": len(store), "peak_rss_mib": peak_rss_mib()}


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
    seconds, store = timed(lambda: _raw_store(home, method))
    return {"seconds": seconds, "triples": len(store), "peak_rss_mib": peak_rss_mib()}


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
    from mou_graph.query.catalogue import load_catalogue
    from mou_graph.query.sparqltext import inject_values

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


def phase_export(home: str, **_: Any) -> dict[str, Any]:
    import pyoxigraph

    from mou_graph.publish.export import QUAD_FORMATS, RDF_FORMATS, export_rdf

    store = _load_ours(home)
    names = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "trig": "TRIG",
             "nquads": "N_QUADS"}
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="mou-bench-") as tmp:
        for fmt, (ext, _mime) in sorted(RDF_FORMATS.items()):
            seconds, count = timed(lambda f=fmt, e=ext: export_rdf(store, f, Path(tmp) / f"ours{e}"))
            target = Path(tmp) / f"raw{ext}"
            rdf_format = getattr(pyoxigraph.RdfFormat, names[fmt])
            if fmt in QUAD_FORMATS:
                def raw(t: Path = target, f: Any = rdf_format) -> None:
                    pyoxigraph.serialize(store.store, t, f)
            else:
                def raw(t: Path = target, f: Any = rdf_format) -> None:
                    triples = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store.store}
                    pyoxigraph.serialize(triples, t, f)
            try:
                raw_seconds, _ = timed(raw)
            except (ValueError, OSError) as err:
                raw_seconds = None
                out.setdefault("notes", []).append(f"{fmt}: raw serialiser failed: {err}")
            out[fmt] = {"seconds": seconds, "written": count, "bytes": (Path(tmp) / f"ours{ext}").stat().st_size,
                        "raw_seconds": raw_seconds, "ratio": ratio(seconds, raw_seconds)}
    out["peak_rss_mib"] = peak_rss_mib()
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


PHASES = {"load-ours": phase_load_ours, "load-raw": phase_load_raw, "queries": phase_queries,
          "validate": phase_validate, "export": phase_export, "raw-engine": phase_raw_engine}


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
    from mou_graph.query.catalogue import load_catalogue
    from mou_graph.query.sparqltext import inject_values

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
    from mou_graph.query.catalogue import load_catalogue
    from mou_graph.query.sparqltext import inject_values

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
    say("load")
    res["load"] = {"ours": child("load-ours", home=str(home)), "raw_bulk_load": child("load-raw", home=str(home)),
                   "raw_load": child("load-raw", home=str(home), method="load")}
    res["triples"] = res["load"]["ours"]["triples"]
    res["load"]["ratio"] = ratio(res["load"]["ours"]["seconds"], res["load"]["raw_bulk_load"]["seconds"])
    say("queries")
    res["queries"] = child("queries", home=str(home), repeat=repeat, synthetic=synthetic, limit=args.query_timeout)
    say("validation")
    res["validate"] = child("validate", timeout=args.validate_timeout, home=str(home),
                            pyshacl=n <= args.pyshacl_max, synthetic=synthetic)
    say("export")
    res["export"] = child("export", home=str(home))
    say("endpoint")
    res["endpoint"] = phase_endpoint(home, requests=10 if args.quick else 100, clients=4, synthetic=synthetic)
    if not synthetic or args.cli_all:
        say("whole processes")
        res["cli"] = phase_cli(home, repeat=2 if args.quick else 10)
    return res


def _f(x: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


def table(results: dict[str, Any]) -> str:
    lines = []
    for size in results["sizes"]:
        n, tr = size["memoranda"], size["triples"]
        lines.append(f"\n== {n} memoranda ({tr:,} triples) ==")
        lo = size["load"]
        lines.append(f"load: ours {lo['ours']['seconds']:.3f} s, pyoxigraph bulk_load "
                     f"{lo['raw_bulk_load']['seconds']:.3f} s (load {lo['raw_load']['seconds']:.3f} s), ratio "
                     f"{_f(lo['ratio'], '{:.2f}')}x; peak RSS ours {lo['ours']['peak_rss_mib']:.0f} MiB, raw "
                     f"{lo['raw_bulk_load']['peak_rss_mib']:.0f} MiB")
        lines.append(f"{'query':<20} {'rows':>7} {'ours med':>9} {'p95':>9} {'raw med':>9} {'p95':>9} {'ratio':>6}")
        for name, q in sorted(size["queries"]["queries"].items()):
            if "stopped_after_s" in q:
                lines.append(f"{name:<20} STOPPED after {q['stopped_after_s']:.0f} s")
                continue
            lines.append(f"{name:<20} {q['rows']:>7} {q['ours']['median_ms']:>9.2f} {q['ours']['p95_ms']:>9.2f} "
                         f"{q['raw']['median_ms']:>9.2f} {q['raw']['p95_ms']:>9.2f} {_f(q['ratio'], '{:.2f}'):>6}")
        ep = size["endpoint"]
        lines.append(f"endpoint ({ep['query']}): one client median {ep['single_client']['median_ms']:.2f} ms, raw "
                     f"{ep['raw']['median_ms']:.2f} ms, added {ep['added_ms_at_median']:.2f} ms; "
                     f"{ep['concurrent']['clients']} clients median {ep['concurrent']['median_ms']:.2f} ms, "
                     f"p99 {ep['concurrent']['p99_ms']:.2f} ms, {ep['concurrent']['throughput_rps']:.0f} req/s")
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
        ex = size["export"]
        lines.append("export: " + ", ".join(
            f"{fmt} {v['seconds']:.2f} s ({_f(v['ratio'], '{:.1f}')}x)" for fmt, v in sorted(ex.items())
            if isinstance(v, dict) and "seconds" in v))
        if "cli" in size:
            c = size["cli"]
            lines.append(f"whole process: --help {c['help']['median_ms']:.0f} ms (python + import pyoxigraph "
                         f"{c['help_raw']['median_ms']:.0f} ms); query {c['query']['name']} "
                         f"{c['query']['median_ms']:.0f} ms (raw script {c['query_raw']['median_ms']:.0f} ms)")
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--cli-all", action="store_true", help="time whole processes on every size, not only 1")
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
    sys.stdout.write(table(results))
    print(f"\n{target} ({results['seconds']:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
