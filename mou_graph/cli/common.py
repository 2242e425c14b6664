"""What every command of the CLI shares: the languages offered, the settings from the global options,
the one loading path, ``-o`` checked before any work, and the network sandbox.

Every command module (:mod:`mou_graph.cli.main`, :mod:`mou_graph.cli.export`, :mod:`mou_graph.cli.site`,
:mod:`mou_graph.cli.query`) imports these from here; this module imports no other module of the CLI, so
there is no import loop. Heavy libraries are imported inside the functions (``mou-graph --help`` stays fast).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mou_graph.errors import MouGraphError
from mou_graph.lang import INTERFACE_LANGUAGES, LANGUAGES

if TYPE_CHECKING:
    from mou_graph.config import Settings
    from mou_graph.store import GraphStore

__all__ = ["LABEL_LANG_CHOICES", "LANG_CHOICES", "NOT_VALID", "add_label_lang", "enter_sandbox", "label_lang", "load",
           "load_validated", "output_target", "settings"]

# ``--lang``: the language of messages, reports, titles and documents, one the interface speaks in full
LANG_CHOICES: tuple[str, ...] = INTERFACE_LANGUAGES
# ``--label-lang``: the language of the graph's labels in an answer or a graph file (Lao included)
LABEL_LANG_CHOICES: tuple[str, ...] = LANGUAGES

NOT_VALID = {"th": "mou-graph: ไม่ได้เขียนไฟล์ใด: กราฟไม่ผ่านการตรวจสอบ",
             "en": "mou-graph: nothing written: the graph does not validate"}


def add_label_lang(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--label-lang``: the labels of ``what`` in this language (default: ``--lang``), by the fallback rule."""
    parser.add_argument("--label-lang", choices=LABEL_LANG_CHOICES, metavar="{" + ",".join(LABEL_LANG_CHOICES) + "}",
                        help=f"language of {what} (default: --lang); where the graph has no label in it, "
                        "the fallback rule chooses (Thai, then English, then Lao)")


def label_lang(args: argparse.Namespace) -> str:
    """The language of labels a command was asked for: ``--label-lang``, else ``--lang``."""
    return getattr(args, "label_lang", None) or args.lang


def settings(args: argparse.Namespace) -> Settings:
    """The settings of the global options ``--base`` and ``--home`` (a wrong value is a usage error)."""
    from mou_graph.config import Settings

    kw: dict[str, Any] = {}
    if args.base:
        kw["base"] = args.base
    if args.home:
        kw["root"] = Path(args.home)
    try:
        return Settings(**kw)
    except ValueError as err:
        from mou_graph.errors import UsageError

        raise UsageError(str(err)) from None


def load(args: argparse.Namespace, data: Sequence[Path] | None = None) -> GraphStore:
    """The one loading path of every command: the files through the input gate into memory, or,
    with ``--store DIR``, the persistent store opened read-only (refused when it is stale)."""
    folder = getattr(args, "store", None)
    if folder and data is None:
        from mou_graph.publish.persistent import open_store

        return open_store(Path(folder), settings(args))
    from mou_graph.store import load_store

    return load_store(settings(args), data=data)


def load_validated(args: argparse.Namespace, refusal: dict[str, str] | None = None) -> GraphStore | None:
    """Load the graph and, unless ``--no-validate``, validate it: the GraphStore, or None after
    printing the report and ``refusal`` (what the command will not do) when it does not validate."""
    from mou_graph.lang import pick
    from mou_graph.validation.validate import validate_store

    store = load(args)
    if getattr(args, "no_validate", False) or getattr(args, "store", None):
        return store  # a persistent store is written only once its graph validates
    report = validate_store(store)
    if not report.conforms:
        sys.stderr.write(report.to_text(args.lang))
        print(pick(refusal or NOT_VALID, args.lang), file=sys.stderr)
        return None
    return store


def output_target(args: argparse.Namespace, *, folder: bool = False) -> Path | BinaryIO:
    """``-o`` checked before any work: ``-`` is standard output (for one file), and a target that is
    not a regular file (or, for folders, not a folder) is refused with exit 2."""
    from mou_graph.errors import UsageError
    from mou_graph.io.atomic import check_output_file, check_output_folder

    if args.output == "-":
        if folder:
            raise UsageError("-o -: ผลลัพธ์นี้เป็นโฟลเดอร์ ส่งออกทางเอาต์พุตมาตรฐานไม่ได้ / this output is a folder; "
                             "it cannot go to standard output")
        return sys.stdout.buffer
    path = Path(args.output)
    (check_output_folder if folder else check_output_file)(path)
    return path


def enter_sandbox(where: str) -> None:
    """Cut this process (and its children) off the network; warn loudly where the platform
    cannot, or refuse (exit 2) with ``MOU_GRAPH_REQUIRE_SANDBOX=1``."""
    from mou_graph.io.sandbox import deny_network, warn_if_unenforced

    status = deny_network()
    if not status.enforced:
        if os.environ.get("MOU_GRAPH_REQUIRE_SANDBOX", "") not in ("", "0"):
            raise MouGraphError(f"{where}: the network sandbox cannot be enforced here ({status.reason}) and "
                                f"MOU_GRAPH_REQUIRE_SANDBOX is set\n{where}: บังคับใช้แซนด์บ็อกซ์เครือข่ายไม่ได้ "
                                f"({status.reason}) และตั้ง MOU_GRAPH_REQUIRE_SANDBOX ไว้")
        warn_if_unenforced(status, f"mou-graph {where}")
