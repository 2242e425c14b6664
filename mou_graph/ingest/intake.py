"""Text intake: a release as UTF-8 plain text or an HTML page, normalised to NFC.

The text kept is the text every offset refers to: it is stored in the draft (or, for a text the
project ships, named by its sha256 and path) so that each span can be checked. Only NFC is applied
(and a byte-order mark dropped); Thai digits, no-break spaces and the source's spelling are kept.

From HTML the article's text is taken, not the page's menus: ``<article>`` or ``<main>`` when the page
has one, else the block element holding the most paragraph text; ``nav``, ``header``, ``footer``,
``aside``, ``form``, ``script``, ``style`` and elements whose class or id names a menu are skipped.

>>> html = ("<html><body><nav><a href='/'>หน้าแรก</a></nav><div class='content'><h1>ลงนาม MoU</h1>"
...         "<p>วันนี้ (7 พ.ย. 65)</p></div><footer>ติดต่อ</footer></body></html>")
>>> html_text(html)
'ลงนาม MoU\\nวันนี้ (7 พ.ย. 65)'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError

__all__ = ["Article", "html_text", "read_article"]

MAX_BYTES = 5 << 20
_SKIP = {
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "button",
    "select",
    "iframe",
    "menu",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "br",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "body",
}
_MENU = re.compile(
    r"(?:^|[-_ ])(?:nav|menu|breadcrumbs?|sidebar|footer|header|share|social|related|banner|"
    r"cookie|skip)(?:$|[-_ ])",
    re.I,
)
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LAO = re.compile(r"[\u0e80-\u0eff]")


@dataclass(frozen=True)
class Article:
    """A release: its text (NFC) and where it came from."""

    text: str
    path: str
    sha256: str  # of the stored text, UTF-8
    lang: str
    kind: str  # text | html


class _Node:
    __slots__ = ("children", "skip", "tag", "text")

    def __init__(self, tag: str, skip: bool) -> None:
        self.tag = tag
        self.skip = skip
        self.children: list[_Node | str] = []


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", False)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        skip = tag in _SKIP or bool(_MENU.search(names)) or ("navigation" in names.lower())
        node = _Node(tag, skip)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _render(node: _Node, out: list[str]) -> None:
    if node.skip:
        return
    block = node.tag in _BLOCK
    if block:
        out.append("\n")
    for child in node.children:
        if isinstance(child, str):
            out.append(re.sub(r"[ \t\r\n]+", " ", child))
        else:
            _render(child, out)
    if block:
        out.append("\n")


def _text_of(node: _Node) -> str:
    out: list[str] = []
    _render(node, out)
    lines = (line.strip(" ") for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _paragraph_weight(node: _Node) -> int:
    if node.skip:
        return 0
    total = 0
    for child in node.children:
        if isinstance(child, _Node):
            total += len(_text_of(child)) if child.tag == "p" else _paragraph_weight(child)
    return total


def _find(node: _Node, tags: set[str]) -> _Node | None:
    for child in node.children:
        if isinstance(child, _Node) and not child.skip:
            if child.tag in tags:
                return child
            found = _find(child, tags)
            if found is not None:
                return found
    return None


def _best_block(node: _Node) -> tuple[int, _Node]:
    best = (_paragraph_weight(node), node)
    for child in node.children:
        if isinstance(child, _Node) and not child.skip and child.tag not in ("p",):
            cand = _best_block(child)
            # a child keeping nearly all the paragraph text is the tighter container
            if cand[0] >= 0.8 * best[0] and cand[0] > 0:
                best = cand
    return best


def html_text(html: str) -> str:
    """The article text of an HTML page (see the module's docstring)."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    body = _find(tree.root, {"body"}) or tree.root
    main = _find(body, {"article", "main"})
    if main is None:
        weight, main = _best_block(body)
        if weight == 0:
            main = body
    heading = None
    if _find(main, {"h1"}) is None:
        heading = _find(body, {"h1"})
    text = _text_of(main)
    if heading is not None:
        text = _text_of(heading) + "\n" + text
    return text


def _language(text: str) -> str:
    thai, lao = len(_THAI.findall(text)), len(_LAO.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    if lao > thai and lao > latin:
        return "lo"
    return "th" if thai >= latin / 3 else "en"


def read_article(path: str | Path, *, lang: str | None = None) -> Article:
    """Read a release; a missing, empty, non-UTF-8 or oversized file is an :class:`InputError` naming it."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("ไม่พบไฟล์ / no such file", path=str(p)) from None
    except IsADirectoryError:
        raise InputError("เป็นโฟลเดอร์ ไม่ใช่ไฟล์ / is a folder, not a file", path=str(p)) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"ไฟล์ใหญ่เกิน {MAX_BYTES >> 20} MiB / larger than {MAX_BYTES >> 20} MiB", path=str(p))
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"ไม่ใช่ UTF-8 (ไบต์ที่ {err.start}) / not UTF-8 (byte {err.start})", path=str(p), line=line
        ) from None
    raw = raw.removeprefix("\ufeff")
    is_html = p.suffix.lower() in (".html", ".htm", ".xhtml") or bool(
        re.match(r"\s*(?:<!doctype html|<html)", raw[:500], re.I)
    )
    text = html_text(raw) if is_html else raw
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError("ไฟล์ว่าง ไม่มีข้อความ / the file is empty (no text)", path=str(p))
    if lang is None:
        lang = _language(text)
    return Article(
        text=text,
        path=str(p),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        lang=lang,
        kind="html" if is_html else "text",
    )
