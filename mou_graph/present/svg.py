"""A neighbourhood graph drawn on the server as SVG: no script, no network.

The entity sits in the middle; the things it links to and the things linking to it sit on
a circle around it, each a link (``<a href>``) when the caller gives one. Every text is
escaped; styling is by presentation attributes and classes, never ``style`` attributes, so
a strict Content Security Policy lets it render.

>>> page = {"iri": "https://x.test/a", "label": "A <b>", "outgoing": [
...     {"label": "knows", "values": [{"iri": "https://x.test/b", "label": "B"}]}], "incoming": []}
>>> svg = neighbourhood_svg(page, lambda iri: "/page/" + iri.rsplit("/", 1)[1], title="graph of A")
>>> "A &lt;b&gt;" in svg and 'href="/page/b"' in svg and "<script" not in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from typing import Any

__all__ = ["MAX_NODES", "neighbourhood_svg"]

MAX_NODES = 24
_W, _H = 960, 640
_LABEL_CHARS = 26


def _short(text: str, n: int = _LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _edges(page: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(direction, property label, iri, label) for each linked entity, deduplicated."""
    seen: set[tuple[str, str]] = set()
    edges = []
    for direction in ("outgoing", "incoming"):
        for group in page.get(direction) or []:
            for v in group["values"]:
                if "iri" not in v or (direction, v["iri"]) in seen:
                    continue
                seen.add((direction, v["iri"]))
                edges.append((direction, group["label"], v["iri"], v["label"]))
    return edges


def neighbourhood_svg(page: dict[str, Any], href: Callable[[str], str | None], *, title: str = "") -> str:
    """The SVG (a string of markup, already escaped) of ``page``'s neighbourhood."""
    from markupsafe import Markup

    edges = _edges(page)
    shown, rest = edges[:MAX_NODES], len(edges) - MAX_NODES
    cx, cy = _W / 2, _H / 2
    rx, ry = _W / 2 - 130, _H / 2 - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="graph-title"><title id="graph-title">{escape(title or page["label"])}</title>'
    ]
    nodes = []
    for i, (direction, prop, iri, label) in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        mx, my = (cx + x) / 2, (cy + y) / 2
        arrow = "→" if direction == "outgoing" else "←"
        parts.append(f'<line class="edge edge-{direction}" x1="{cx:.0f}" y1="{cy:.0f}" x2="{x:.0f}" y2="{y:.0f}" '
                     'stroke="#7a8799" stroke-width="1.5"/>')
        parts.append(f'<text class="edge-label" x="{mx:.0f}" y="{my:.0f}" text-anchor="middle" font-size="12" '
                     f'fill="#44506a">{escape(arrow + " " + _short(prop, 22))}</text>')
        nodes.append((x, y, iri, label, "node"))
    nodes.append((cx, cy, page["iri"], page["label"], "node node-centre"))
    for x, y, iri, label, cls in nodes:
        text = _short(label)
        width = max(60, min(230, 9 * len(text) + 20))
        box = (f'<rect x="{x - width / 2:.0f}" y="{y - 17:.0f}" width="{width}" height="34" rx="8" '
               f'fill="{"#0b5394" if "centre" in cls else "#ffffff"}" stroke="#0b5394" stroke-width="1.5"/>'
               f'<text x="{x:.0f}" y="{y + 5:.0f}" text-anchor="middle" font-size="14" '
               f'fill="{"#ffffff" if "centre" in cls else "#0b2a4a"}">{escape(text)}</text>')
        link = href(iri) if "centre" not in cls else None
        if link:
            parts.append(f'<a class="{cls}" href="{escape(link)}"><title>{escape(label)}</title>{box}</a>')
        else:
            parts.append(f'<g class="{cls}"><title>{escape(label)}</title>{box}</g>')
    if rest > 0:
        parts.append(f'<text x="10" y="{_H - 10}" font-size="13" fill="#44506a">+{rest}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through html.escape
