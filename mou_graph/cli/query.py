"""Commands for analysts: ``queries``, ``query``, ``push`` and ``serve``.

Thin: they parse options, call :mod:`mou_graph.query.catalogue`, :mod:`mou_graph.query.run`,
:mod:`mou_graph.publish.push` and the web app, and print. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from pathlib import Path

from mou_graph.cli.common import (
    LANG_CHOICES,
    add_label_lang,
    enter_sandbox,
    label_lang,
    load,
    load_validated,
    settings,
)

__all__ = ["add_commands"]


def _t(lang: str, th: str, en: str) -> str:
    from mou_graph.lang import pick

    return pick({"th": th, "en": en}, lang) or en


def _queries(args: argparse.Namespace) -> int:
    import json

    from mou_graph.query.catalogue import load_catalogue

    cat = load_catalogue(Path(args.catalogue) if args.catalogue else _root(args) / "queries")
    if args.format == "json":
        sys.stdout.write(json.dumps([e.to_dict(args.lang) for e in cat], ensure_ascii=False, indent=1) + "\n")
        return 0
    for entry in cat:
        print(f"{entry.name}  [{entry.form}]  {entry.title(args.lang)}")
        for p in entry.params:
            allowed = f"; {_t(args.lang, 'ค่าที่ใช้ได้', 'allowed')}: {', '.join(p.values)}" if p.values else ""
            example = f"; {_t(args.lang, 'ตัวอย่าง', 'example')}: {p.example}" if p.example else ""
            print(f"    --param {p.name}=…  ({p.type}{example}{allowed})")
    print(_t(args.lang, f"ทั้งหมด {len(cat)} คำถาม", f"{len(cat)} questions"))
    return 0


def _root(args: argparse.Namespace) -> Path:
    return settings(args).root


def _adhoc_params(values: dict[str, str]):  # a tuple of Param
    from mou_graph.query.catalogue import Param

    params = []
    for name, value in values.items():
        if value.startswith("<") and value.endswith(">"):
            kind = "iri"
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            kind = "date"
        elif re.fullmatch(r"[+-]?\d+", value):
            kind = "integer"
        else:
            kind = "string"
        try:
            params.append(Param.parse(f"{name} | type: {kind}"))
        except ValueError as err:
            from mou_graph.errors import UsageError

            raise UsageError(str(err)) from None
    return tuple(params)


def _query(args: argparse.Namespace) -> int:
    from mou_graph.errors import InputError, UsageError
    from mou_graph.query.catalogue import Entry, load_catalogue, parse_entry
    from mou_graph.query.run import format_results, run_local, run_remote, terminal_safe

    conf = settings(args)
    values: dict[str, str] = {}
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param wants NAME=VALUE, not {item!r}")
        values[name.strip()] = value
    if not args.endpoint:
        enter_sandbox("query")  # before any file is read: SERVICE in the text cannot connect
    if sum(x is not None for x in (args.name, args.file, args.expression)) != 1:
        raise UsageError("give one of NAME, -f FILE or -e 'SPARQL'")
    if args.name:
        entry = load_catalogue(Path(args.catalogue) if args.catalogue else conf.root / "queries").get(args.name)
    elif args.file:
        path = Path(args.file)
        try:
            entry = parse_entry(path)
        except InputError:
            if not path.is_file():
                raise
            from mou_graph.io.rdfio import read_text

            entry = Entry(path.stem, path, read_text(path, what="query file"), {}, {})
    else:
        entry = Entry("expression", Path("-e"), args.expression, {}, {})
    if not entry.titles:  # a query without a catalogue header: parameter types from the values
        entry = dataclasses.replace(entry, params=_adhoc_params(values))
        values = {k: (v[1:-1] if v.startswith("<") and v.endswith(">") else v) for k, v in values.items()}
    where = str(entry.path)
    notes: list = []  # how values were read (a Buddhist-Era date, an entity named by its label)
    if args.endpoint:
        bindings = entry.bind(values, label_lang(args), base=conf.base, notes=notes)
        _say_notes(notes, args.lang)
        graphs = [] if args.server_dataset else (args.graph or [conf.graph_iri(g) for g in _graph_names()])
        results = run_remote(args.endpoint, entry.text, bindings, timeout=args.timeout or 30.0, graphs=graphs,
                             path=where)
    else:
        from mou_graph.io.sparqltext import inspect

        if inspect(entry.text).service:  # the early, friendly refusal (the sandbox is the guarantee)
            raise InputError("SERVICE (federated query) is refused: queries on the embedded store make no network "
                             "connection (use --endpoint)\nไม่รับ SERVICE: การค้นในคลังข้อมูลภายในไม่เชื่อมต่อเครือข่าย "
                             "(ใช้ --endpoint)", path=where)
        from mou_graph.query.params import Labels

        store = load(args)
        labels = Labels.of(store) if any(p.type == "iri" for p in entry.params) else None  # read only when needed
        bindings = entry.bind(values, label_lang(args), base=conf.base, labels=labels, notes=notes)
        _say_notes(notes, args.lang)
        results = _with_timeout(lambda: run_local(store, entry.text, bindings, path=where), args.timeout)
    text = format_results(results, args.format, base=conf.base)  # tables show control characters escaped
    sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)  # other formats too, on a terminal
    return 0


def _say_notes(notes: list, lang: str) -> None:
    for note in notes:
        print(f"mou-graph: {_t(lang, 'หมายเหตุ', 'note')}: {note.text(lang)}", file=sys.stderr)


def _graph_names() -> list[str]:
    from mou_graph.config import GRAPHS

    return list(GRAPHS)


def _with_timeout(func, timeout: float | None):
    """Run ``func``; past ``timeout`` seconds end the process (pyoxigraph cannot cancel)."""
    if not timeout:
        return func()
    import os
    import threading

    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as err:  # noqa: BLE001 - re-raised in the main thread
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        print(f"mou-graph: error: the query ran past the {timeout:g} s time limit and was stopped",
              file=sys.stderr, flush=True)
        os._exit(2)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def _push(args: argparse.Namespace) -> int:
    from mou_graph.publish.push import PushFailed, push_store

    user = args.user or os.environ.get("MOU_GRAPH_USER") or None
    password = os.environ.get("MOU_GRAPH_PASSWORD")
    if user and password is None:
        if not sys.stdin.isatty():
            print(_t(args.lang, "mou-graph: ข้อผิดพลาด: --user ต้องมีรหัสผ่านในตัวแปร MOU_GRAPH_PASSWORD",
                     "mou-graph: error: --user needs the password in the MOU_GRAPH_PASSWORD variable"), file=sys.stderr)
            return 2
        import getpass

        password = getpass.getpass(_t(args.lang, f"รหัสผ่านของ {user}: ", f"password for {user}: "))
    store = load(args)
    try:
        results = push_store(store, gsp=args.endpoint, update=args.update, graph=args.graph, replace=not args.append,
                             include_personal=args.include_personal, timeout=args.timeout, query=args.query,
                             batch=args.batch, user=user, password=password)
    except PushFailed as err:
        if err.unknown:
            state_th = "ไม่ทราบผลของการสลับกราฟ: โปรดตรวจกราฟ " + ", ".join(f"<{g}>" for g in err.unchanged)
        elif err.changed:
            state_th = "กราฟที่เปลี่ยนแล้ว: " + ", ".join(f"<{g}>" for g in err.changed)
        else:
            state_th = "กราฟบนเซิร์ฟเวอร์ไม่ถูกเปลี่ยน"
        print(f"mou-graph: ข้อผิดพลาด: ส่งกราฟไม่สำเร็จ ({state_th})\nmou-graph: error: {err}", file=sys.stderr)
        return 2
    for r in results:
        if r.method == "drop":
            print(f"<{r.graph}>: {_t(args.lang, 'ลบออกแล้ว (ไม่ได้ส่ง)', 'dropped (left out of this push)')}",
                  file=sys.stderr)
            continue
        print(f"<{r.graph}>: {r.triples} {_t(args.lang, 'ทริเพิล', 'triples')} ({r.method})", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from mou_graph.web.app import WebSettings, create_app

    store = load_validated(args, {"th": "mou-graph: ไม่เปิดบริการ: กราฟไม่ผ่านการตรวจสอบ",
                                  "en": "mou-graph: not serving: the graph does not validate"})
    if store is None:
        return 1
    if args.require_sandbox:
        from mou_graph.errors import MouGraphError
        from mou_graph.io.sandbox import probe

        status = probe()
        if not status.enforced:
            raise MouGraphError(f"not serving: query workers cannot be cut off the network here ({status.reason})\n"
                                f"ไม่เปิดบริการ: ระบบนี้ตัดตัวประมวลผลคำค้นออกจากเครือข่ายไม่ได้ ({status.reason})")
    host = f"[{args.host}]" if ":" in args.host else args.host
    public_url = (args.public_url or f"http://{host}:{args.port}").rstrip("/")
    from mou_graph.web.server import server_config

    web = WebSettings(query_timeout=args.timeout, max_concurrent_queries=args.workers, default_lang=args.lang,
                      max_waiting=args.queue, answer_cache_bytes=args.cache_mb << 20,
                      max_query_memory=args.query_memory << 20, max_result_bytes=args.max_result_mb << 20,
                      require_sandbox=args.require_sandbox, header_timeout=args.header_timeout,
                      body_timeout=args.body_timeout, max_connections=args.max_connections,
                      max_body_bytes=args.max_body_bytes, http=args.http,
                      extra={"include_personal": args.include_personal, "public_url": public_url})
    app = create_app(store, settings(args), web)
    print(f"http://{args.host}:{args.port}/sparql", file=sys.stderr, flush=True)
    uvicorn.Server(server_config(app, web, host=args.host, port=args.port, log_level=args.log_level)).run()
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    from mou_graph.publish.push import BATCH

    def command(name: str, func, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        p.add_argument("--lang", choices=LANG_CHOICES, default="th",
                       help="language of titles and messages (default th)")
        return p

    p = command("queries", _queries, "list the catalogue of questions (queries/*.rq) with their parameters")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--catalogue", metavar="DIR", help="folder of .rq files (default: queries/)")

    p = command("query", _query, "run a catalogue question, a .rq file or a SPARQL text")
    p.add_argument("name", nargs="?", help="a question of the catalogue (see `mou-graph queries`)")
    p.add_argument("-f", "--file", metavar="FILE.rq")
    p.add_argument("-e", "--expression", metavar="SPARQL")
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="a parameter value; repeatable")
    add_label_lang(p, "the labels in the answer (a catalogue question's ?lang)")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "md"), default="table")
    p.add_argument("--endpoint", metavar="URL", help="run on this SPARQL endpoint instead of the embedded store")
    p.add_argument("--graph", action="append", metavar="IRI",
                   help="with --endpoint: a graph of the dataset (default: the five named graphs); repeatable")
    p.add_argument("--server-dataset", action="store_true",
                   help="with --endpoint: send no dataset, use the server's default graph")
    p.add_argument("--timeout", type=float, metavar="S", help="time limit in seconds (client and server)")
    p.add_argument("--catalogue", metavar="DIR", help="folder of .rq files (default: queries/)")

    p = command("push", _push, "load the graph into a SPARQL server (Graph Store Protocol, or SPARQL Update)")
    p.add_argument("--endpoint", metavar="URL", help="the Graph Store Protocol URL (e.g. http://host:7878/store)")
    p.add_argument("--update", metavar="URL",
                   help="a SPARQL Update URL: stage every graph, then swap them all in one request")
    p.add_argument("--graph", metavar="IRI", help="put everything into this one graph instead of five named graphs")
    p.add_argument("--append", action="store_true", help="add to the graphs instead of replacing them")
    p.add_argument("--include-personal", action="store_true", help="send the contact persons too")
    p.add_argument("--query", metavar="URL",
                   help="where staged counts are checked when staging uses SPARQL Update (default: the update URL)")
    p.add_argument("--batch", type=int, default=BATCH, metavar="N",
                   help=f"triples per staging request (default {BATCH}; Virtuoso refuses about 2,000)")
    p.add_argument("--user", metavar="NAME",
                   help="user for digest or basic authentication (or MOU_GRAPH_USER); "
                        "the password comes from MOU_GRAPH_PASSWORD")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S")

    p = command("serve", _serve, "serve the SPARQL endpoint, the query page and the browser over HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="time limit of a query")
    p.add_argument("--workers", type=int, default=2, help="query worker processes")
    p.add_argument("--queue", type=int, default=128, metavar="N",
                   help="queries that may wait for a worker (default 128): no query is refused while fewer than "
                        "workers + N run or wait; past that, 503 with Retry-After")
    p.add_argument("--cache-mb", type=int, default=32, metavar="MiB",
                   help="recent small answers kept and given again without a worker (default 32; 0: none)")
    p.add_argument("--query-memory", type=int, default=1024, metavar="MiB",
                   help="memory a query may add to a worker's copy of the store (default: 1024)")
    p.add_argument("--max-result-mb", type=int, default=64, metavar="MiB", help="largest answer (default: 64)")
    p.add_argument("--require-sandbox", action="store_true",
                   help="refuse to serve where query workers cannot be cut off the network (Linux seccomp)")
    p.add_argument("--no-validate", action="store_true", help="serve even if the graph does not validate")
    p.add_argument("--include-personal", action="store_true",
                   help="serve the contact persons' names and numbers too (left out of /sparql and pages by default)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address clients use (e.g. https://mou.example.go.th), for the service description; "
                        "default: http://HOST:PORT")
    p.add_argument("--header-timeout", type=float, default=10.0, metavar="S",
                   help="close a connection whose request head has not arrived in S seconds (default 10)")
    p.add_argument("--body-timeout", type=float, default=30.0, metavar="S",
                   help="close a connection whose request body has not arrived in S seconds (default 30)")
    p.add_argument("--max-connections", type=int, default=256, metavar="N",
                   help="open connections at most; past it requests are answered 503 (default 256)")
    p.add_argument("--max-body-bytes", type=int, metavar="N",
                   help="largest request body read (default: room for the longest query, 84,096 bytes)")
    p.add_argument("--http", default="auto", choices=("auto", "httptools", "h11"),
                   help="the HTTP/1.1 parser: httptools (auto: when installed; the faster) or h11; both keep the "
                        "deadlines and the 16 KiB bound on a request's head")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
