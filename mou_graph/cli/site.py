"""Front end of ``mou-graph site``: the browser as static HTML files for offline use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mou_graph.cli.common import LANG_CHOICES, load_validated, output_target
from mou_graph.lang import pick
from mou_graph.present.pages import INTERFACE_LANGUAGES, check_interface_language

__all__ = ["add_commands"]

_DONE = {"th": "{out}: เขียนหน้า HTML {n} หน้า (เปิด {out}/index.html)",
         "en": "{out}: {n} HTML pages written (open {out}/index.html)"}


def _site(args: argparse.Namespace) -> int:
    from mou_graph.present.site import build_site

    output_target(args, folder=True)
    store = load_validated(args)
    if store is None:
        return 1
    langs = args.languages.split(",") if args.languages else list(INTERFACE_LANGUAGES)
    for code in langs:
        try:
            check_interface_language(code)
        except ValueError as err:
            from mou_graph.errors import UsageError

            raise UsageError(f"--languages {code}: {err}") from None
    n = build_site(store, Path(args.output), langs=langs, include_personal=args.include_personal)
    print((pick(_DONE, args.lang) or _DONE["en"]).format(out=args.output, n=n), file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    help_ = "write the linked-data browser as static HTML files (with search) for offline use"
    p = sub.add_parser("site", help=help_, description=help_)
    p.set_defaults(func=_site)
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder to write (new, empty, or an earlier site; replaced in one rename)")
    p.add_argument("--languages", metavar="th,en",
                   help="languages of the pages, Thai and English (default: both; there are no Lao pages)")
    p.add_argument("--include-personal", action="store_true", help="keep the contact persons' pages")
    p.add_argument("--no-validate", action="store_true", help="write even if the graph does not validate")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th", help="language of messages")
