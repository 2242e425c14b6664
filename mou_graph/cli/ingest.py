"""Front end of ``mou-graph ingest`` (a news release to a draft record) and ``mou-graph review`` (the
draft in the browser, to accept, reject or edit each proposal and save it back)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mou_graph.lang import INGEST_LANGUAGES

__all__ = ["add_commands"]


def _count(node: object) -> int:
    if isinstance(node, dict):
        return (node.get("review") == "proposed") + sum(_count(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count(v) for v in node)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from mou_graph.cli.common import load, output_target
    from mou_graph.errors import UsageError

    if args.evaluate:
        from mou_graph.ingest.evaluate import run

        docs = None if args.no_docs else (Path(args.docs) if args.docs else None)
        if docs is None and not args.no_docs:
            from mou_graph.config import Settings

            docs = Settings().root / "docs" / "ingest.md"
        if not Path(args.evaluate).is_dir():
            raise UsageError(f"{args.evaluate}: ไม่ใช่โฟลเดอร์ / is not a folder (releases/ and gold/)")
        return run(Path(args.evaluate), docs)
    if not args.article:
        raise UsageError("ต้องระบุไฟล์ข่าว (ARTICLE) หรือ --evaluate DIR / give an ARTICLE or --evaluate DIR")
    from mou_graph.ingest.draft import build_draft, draft_yaml
    from mou_graph.ingest.intake import read_article
    from mou_graph.io.atomic import write_bytes

    target = output_target(args)
    article = read_article(Path(args.article), lang=args.lang)
    if args.url and not args.url.startswith(("http://", "https://")):
        raise UsageError(f"--url {args.url}: ต้องขึ้นต้นด้วย http:// หรือ https:// / must start with http:// or https://")
    draft = build_draft(article, store=load(args), url=args.url, publisher=args.publisher)
    write_bytes(target, draft_yaml(draft).encode("utf-8"))
    n, m = len(draft["records"]), _count(draft)
    where = "standard output / เอาต์พุตมาตรฐาน" if args.output == "-" else args.output
    print(f"{where}: ร่างบันทึก {n} ฉบับ ข้อเสนอ {m} ข้อ รอผู้ตรวจ / {n} record(s), {m} proposals to review",
          file=sys.stderr)
    return 0


def _review(args: argparse.Namespace) -> int:
    import uvicorn

    from mou_graph.ingest.draft import load_draft
    from mou_graph.web.app import WebSettings
    from mou_graph.web.review import create_review_app
    from mou_graph.web.server import server_config

    path = Path(args.draft)
    load_draft(path)  # a missing or broken draft is refused before the server starts
    app = create_review_app(path, lang=args.lang)
    url = f"http://127.0.0.1:{args.port}/"
    print(f"{url}  ตรวจร่าง {path} (Ctrl-C เพื่อหยุด) / reviewing {path} (Ctrl-C to stop)", file=sys.stderr)
    uvicorn.Server(server_config(app, WebSettings(), host="127.0.0.1", port=args.port, log_level="warning")).run()
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    help_ = "propose a draft record from a news release (UTF-8 text or HTML), every claim with its words"
    p = sub.add_parser("ingest", help=help_, description=help_)
    p.set_defaults(func=_ingest)
    p.add_argument("article", nargs="?", metavar="ARTICLE", help="the release: a UTF-8 text file or an HTML page")
    p.add_argument("-o", "--output", default="-", metavar="DRAFT", help="the draft to write (YAML; default: -, "
                   "standard output); replaced in one rename")
    p.add_argument("--lang", choices=INGEST_LANGUAGES, help="the release's language (default: from its script)")
    p.add_argument("--url", help="the release's public address (a release the project does not ship is cited by it "
                   "when the draft is compiled)")
    p.add_argument("--publisher", help="who published the release (its ministry or agency), for the citation")
    p.add_argument("--evaluate", metavar="DIR", help="instead: score the rules on a labelled set (releases/, gold/) "
                   "and rewrite the table of docs/ingest.md")
    p.add_argument("--docs", metavar="PAGE", help="with --evaluate: the page whose table to rewrite")
    p.add_argument("--no-docs", action="store_true", help="with --evaluate: only print the table")

    help_ = "review a draft in the browser (127.0.0.1): accept, reject or edit each proposal, save to the file"
    p = sub.add_parser("review", help=help_, description=help_)
    p.set_defaults(func=_review)
    p.add_argument("draft", metavar="DRAFT", help="the draft written by `mou-graph ingest`")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default: 8765)")
    p.add_argument("--lang", choices=INGEST_LANGUAGES, default="th", help="language of the page (default: th)")
