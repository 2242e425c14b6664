"""``mou-graph validate --changed FILE``: incremental validation of an edited or added file.

The graph is loaded as usual; the file's triples replace what the graph said about the
subjects the file describes (or are added), and only the focus nodes that change touches
are validated (see :func:`mou_graph.validate.validate_changes`), so a curator gets an answer
while editing. The option is added to the ``validate`` command; nothing else changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_commands"]


def _changed(args: argparse.Namespace) -> int:
    from .cli import load
    from .validate import apply_file, validate_changes

    store = load(args, data=[Path(p) for p in args.data] if args.data else None)
    added: list = []
    removed: list = []
    for path in args.changed:
        plus, minus = apply_file(store, Path(path))
        added += plus
        removed += minus
    report = validate_changes(store, added=added, removed=removed)
    if args.format == "json":
        sys.stdout.write(report.to_json(args.lang))
    elif args.format == "turtle":
        sys.stdout.write(report.to_turtle())
    else:
        sys.stdout.write(report.to_text(args.lang))
    return 0 if report.conforms else 1


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.choices.get("validate")
    if parser is None:
        return
    parser.add_argument("--changed", action="append", metavar="FILE",
                        help="validate only what this file adds or changes, against the rest of the graph "
                        "(incremental; the file's triples replace those of the subjects it describes); repeatable")
    whole = parser.get_default("func")

    def run(args: argparse.Namespace) -> int:
        return _changed(args) if args.changed else whole(args)

    parser.set_defaults(func=run)
