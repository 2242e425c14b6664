"""Generated documentation: the CLI reference comes from the real ``--help`` output.

``python -m mou_graph.cli.docgen`` rewrites ``docs/cli.md``; a test fails when the committed
file differs, so the reference cannot drift from the code.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["cli_reference"]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public API for this
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_reference() -> str:
    """The markdown CLI reference."""
    from mou_graph.cli.main import build_parser

    os.environ["COLUMNS"] = "100"
    parser = build_parser()
    parts = [
        "# Command-line reference",
        "",
        "Generated from the real `--help` output by `python -m mou_graph.cli.docgen`; do not edit by hand.",
        "Exit codes: 0 success, 1 the graph does not validate (or a query found a problem it reports),",
        "2 unreadable input or a wrong parameter.",
        "",
        "## mou-graph",
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
    ]
    for name, sub in sorted(_subparsers(parser).items()):
        parts += ["", f"## mou-graph {name}", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
    target.write_text(cli_reference(), encoding="utf-8")
    print(target, file=sys.stderr)
