"""The ``mou-graph`` command: parses arguments, calls the core, turns errors into
messages and exit codes (0 success, 1 validation failure, 2 bad input or usage).

Heavy libraries are imported inside the commands, so ``mou-graph --help`` stays fast.
Each front-end module registers its commands through an ``add_commands(subparsers)``
function listed in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mou_graph import __version__
from mou_graph.cli.common import LANG_CHOICES, NOT_VALID, enter_sandbox, load, output_target, settings
from mou_graph.errors import MouGraphError

__all__ = ["COMMAND_MODULES", "build_parser", "main", "os_error_message"]

# modules that add sub-commands (each defines ``add_commands(subparsers)``)
COMMAND_MODULES: list[str] = ["mou_graph.cli.export", "mou_graph.cli.site", "mou_graph.cli.query",
                              "mou_graph.cli.register", "mou_graph.cli.ingest"]


def _validate(args: argparse.Namespace) -> int:
    from mou_graph.validation.validate import apply_file, validate_changes, validate_store

    if args.data:
        import tempfile

        from mou_graph.cli.register import compiled_data

        with tempfile.TemporaryDirectory(prefix="mou-graph-records-") as folder:
            store = load(args, data=compiled_data(args, [Path(p) for p in args.data], Path(folder)))
    else:
        store = load(args)
    if args.changed:
        added: list = []
        removed: list = []
        for path in args.changed:
            plus, minus = apply_file(store, Path(path))
            added += plus
            removed += minus
        report = validate_changes(store, added=added, removed=removed)
    else:
        report = validate_store(store)
    if args.format == "json":
        sys.stdout.write(report.to_json(args.lang))
    elif args.format == "turtle":
        sys.stdout.write(report.to_turtle())
    else:
        sys.stdout.write(report.to_text(args.lang))
    return 0 if report.conforms else 1


def _build(args: argparse.Namespace) -> int:
    from mou_graph.publish.export import export_rdf
    from mou_graph.publish.stats import graph_stats
    from mou_graph.validation.validate import validate_store

    if args.store:
        return _build_store(args)
    args.output = args.output or "out"
    output_target(args, folder=True)
    store = load(args)
    report = validate_store(store)
    sys.stdout.write(report.to_text(args.lang))
    if not report.conforms:
        sys.stderr.write("mou-graph: nothing written: the graph does not validate\n")
        return 1
    out = Path(args.output)
    for fmt, ext in (("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")):
        export_rdf(store, fmt, out / f"mou-graph{ext}")
    sys.stdout.write("\n" + graph_stats(store).to_text(args.lang))
    print(f"\n{out}/mou-graph.ttl, .nt, .jsonld")
    return 0


def _build_store(args: argparse.Namespace) -> int:
    """``build --store DIR``: write (or reuse) the persistent store; with ``-o`` also the files."""
    from mou_graph.lang import pick
    from mou_graph.publish.persistent import build_store
    from mou_graph.validation.validate import validate_store

    if args.output:
        output_target(args, folder=True)

    def validated(graph) -> bool:
        report = validate_store(graph)
        sys.stdout.write(report.to_text(args.lang))
        return report.conforms

    store, reused = build_store(Path(args.store), settings(args), validated)
    if store is None:
        print(pick(NOT_VALID, args.lang), file=sys.stderr)
        return 1
    said = ({"th": f"{args.store}: คลังข้อมูลเป็นปัจจุบันแล้ว ใช้ของเดิม", "en": f"{args.store}: up to date, reused"}
            if reused else {"th": f"{args.store}: เขียนคลังข้อมูลแล้ว ({len(store)} ควอด)",
                            "en": f"{args.store}: store written ({len(store)} quads)"})
    print(pick(said, args.lang), file=sys.stderr)
    if args.output:
        from mou_graph.publish.export import export_rdf

        for fmt, ext in (("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")):
            export_rdf(store, fmt, Path(args.output) / f"mou-graph{ext}")
        print(f"{args.output}/mou-graph.ttl, .nt, .jsonld", file=sys.stderr)
    return 0


def _sentences(args: argparse.Namespace) -> int:
    from mou_graph.io.atomic import write_bytes
    from mou_graph.io.rdfio import read_bounded
    from mou_graph.source.sources import read_source, sentences_turtle
    from mou_graph.source.translation import TSV, translation_turtle

    where = settings(args)
    source = read_source(where.source)
    alignment = where.root / TSV
    outputs = {
        where.root / "data" / "sentences.ttl": sentences_turtle(source).encode("utf-8"),
        where.root / "data" / "translation.ttl": translation_turtle(
            source, read_bounded(alignment, what="translation").decode("utf-8"), path=str(alignment)).encode("utf-8"),
    }
    if args.check:
        stale = [t for t, text in outputs.items() if not t.is_file() or read_bounded(t) != text]
        for target in stale:
            print(f"{target} is not what `mou-graph sentences` generates", file=sys.stderr)
        return 1 if stale else 0
    for target, text in outputs.items():
        write_bytes(target, text)
        print(target, file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mou-graph",
        description="A bilingual (Thai/English) knowledge graph of the 2022 Thailand–Lao PDR MoU on postal, "
        "telecommunications, ICT and digital technology cooperation.",
    )
    parser.add_argument("--version", action="version", version=f"mou-graph {__version__}")
    parser.add_argument("--base", metavar="IRI", help="base of entity IRIs (default: $MOU_GRAPH_BASE or "
                        "https://w3id.org/mou-graph/id/)")
    parser.add_argument("--home", metavar="DIR", help="folder holding ontology/ and data/ (default: $MOU_GRAPH_HOME "
                        "or the installed copy)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    p = command("build", _build, "load and validate the graph, write it to a folder, print a summary; with "
                "--store DIR, write it into a persistent store that the other commands open with --store DIR")
    p.add_argument("-o", "--output", help="output folder (default: out, or none with --store)")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th")

    p = command("validate", _validate, "validate the graph (or the given data files) against the SHACL shapes")
    p.add_argument("--data", action="append", metavar="PATH",
                   help="validate these files (Turtle, N-Triples, JSON-LD, RDF/XML, ..., or register records "
                   "*.yaml, compiled with the register's entities and sources) with the ontology instead of the "
                   "shipped data; repeatable")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th", help="language of the report")
    p.add_argument("--format", choices=("text", "turtle", "json"), default="text")
    p.add_argument("--changed", action="append", metavar="FILE",
                   help="validate only what this file adds or changes, against the rest of the graph "
                   "(incremental; the file's triples replace those of the subjects it describes); repeatable")

    p = command("sentences", _sentences,
                "regenerate data/sentences.ttl and data/translation.ttl from the article and its aligned translation")
    p.add_argument("--check", action="store_true", help="only check that the committed file is up to date")

    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    for name in STORE_COMMANDS:
        sub.choices[name].add_argument(
            "--store", metavar="DIR",
            help=("write the validated graph into this persistent store folder (rebuilt only when the files, "
                  "shapes or code changed)" if name == "build" else
                  "open the persistent store written by `mou-graph build --store DIR` (read-only) instead of "
                  "loading the files; refused when it was built from other files or versions"))
    return parser


# commands that read the graph and can open a persistent store instead of loading the files
STORE_COMMANDS = ("build", "query", "export", "stats", "serve", "release", "ontodoc", "push")


# commands that need no network: they run under the network sandbox (SPARQL-based SHACL
# constraints and queries cannot connect); ``query`` enters it itself unless --endpoint
OFFLINE_COMMANDS = frozenset({"build", "validate", "export", "stats", "release", "site", "ontodoc", "sentences",
                              "compile", "ingest"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if args.command in OFFLINE_COMMANDS:
            enter_sandbox(args.command)
        return int(args.func(args))
    except MouGraphError as err:
        print(f"mou-graph: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as err:  # a full disk, a read-only file system, a permission, a folder for a file...
        _silence_stdout()
        print(f"mou-graph: error: {os_error_message(err)}", file=sys.stderr)
        return 2
    except MemoryError:
        print("mou-graph: error: หน่วยความจำไม่พอ (ข้อมูลนำเข้าใหญ่เกินไป เช่น ลิเทอรัลยาวหลายสิบเมกะไบต์): "
              "ไม่ได้เขียนไฟล์ใด / out of memory (an input too large, such as a literal of tens of MiB): "
              "nothing written", file=sys.stderr)
        return 2
    except Exception as err:  # the front end turns every error into a message and exit 2
        if os.environ.get("MOU_GRAPH_TRACEBACK"):
            raise
        print(f"mou-graph: error: ข้อผิดพลาดที่ไม่คาดคิด / unexpected error ({type(err).__name__}): {err} "
              "(MOU_GRAPH_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        return 2


_ERRNO_TEXT = {
    errno.ENOSPC: ("พื้นที่บนอุปกรณ์เต็ม", "no space left on the device"),
    errno.EDQUOT: ("เกินโควตาพื้นที่", "disk quota exceeded"),
    errno.EROFS: ("ระบบไฟล์อ่านได้อย่างเดียว", "the file system is read-only"),
    errno.EACCES: ("ไม่มีสิทธิ์", "permission denied"),
    errno.EPERM: ("ไม่ได้รับอนุญาต", "operation not permitted"),
    errno.EISDIR: ("เป็นโฟลเดอร์ ไม่ใช่ไฟล์", "is a folder, not a file"),
    errno.ENOTDIR: ("ส่วนหนึ่งของเส้นทางไม่ใช่โฟลเดอร์", "a part of the path is not a folder"),
    errno.ENOENT: ("ไม่มีไฟล์หรือโฟลเดอร์นี้", "no such file or folder"),
}


def os_error_message(err: OSError) -> str:
    """A bilingual message naming the file of an OSError.

    >>> os_error_message(OSError(errno.ENOSPC, "No space left on device", "out.ttl"))
    'out.ttl: พื้นที่บนอุปกรณ์เต็ม / no space left on the device: the output is incomplete or not written'
    """
    th, en = _ERRNO_TEXT.get(err.errno or -1, ("ข้อผิดพลาดของระบบหรือเครือข่าย", err.strerror or str(err)))
    name = err.filename
    if name is None and err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
        name = "standard output / เอาต์พุตมาตรฐาน"
    if name is None:
        return f"{th} / {en}"
    return f"{name}: {th} / {en}: the output is incomplete or not written"


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
