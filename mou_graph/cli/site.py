"""Front end of ``mou-graph site``: the browser as static HTML files for offline use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mou_graph.cli.common import LANG_CHOICES, load_validated, output_target
from mou_graph.lang import pick

__all__ = ["add_commands"]

_DONE = {"th": "{out}: เขียนหน้า HTML {n} หน้า (เปิด {out}/index.html)",
         "en": "{out}: {n} HTML pages written (open {out}/index.html)"}


def _site(args: argparse.Namespace) -> int:
    from mou_graph.present.site import build_site

    output_target(args, folder=True)
    store = load_validated(args)
    if store is None:
        return 1
    langs = args.languages.split(",") if args.languages else LANG_CHOICES
    unknown = [code for code in langs if code not in LANG_CHOICES]
    if unknown:
        from mou_graph.errors import UsageError

        raise UsageError(f"unknown language(s) {', '.join(unknown)}: use {', '.join(LANG_CHOICES)}")
    n = build_site(store, Path(args.output), langs=langs, include_personal=args.include_personal)
    print((pick(_DONE, args.lang) or _DONE["en"]).format(out=args.output, n=n), file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    help_ = "write the linked-data browser as static HTML files (with search) for offline use"
    p = sub.add_parser("site", help=help_, description=help_)
    p.set_defaults(func=_site)
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder to write (new, empty, or an earlier site; replaced in one rename)")
    p.add_argument("--languages", metavar="th,en,lo", help="languages of the pages (default: all)")
    p.add_argument("--include-personal", action="store_true", help="keep the contact persons' pages")
    p.add_argument("--no-validate", action="store_true", help="write even if the graph does not validate")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th", help="language of messages")
