"""The browser as static HTML files, for offline distribution (``mou-graph site -o DIR``).

Layout: ``DIR/index.html`` (choose a language), ``DIR/<lang>/index.html``, ``search.html``,
``area.html``, ``agreements.html`` (filtered and sorted in the page by ``agreements-0.1.0.js``),
``timeline.html``, ``query.html`` (the catalogue's questions and free SPARQL, run in the page by
Oxigraph compiled to WebAssembly: :mod:`mou_graph.present.query_page`), ``ontology.html`` (the types
and properties, which every type and property name links to) and ``id/<path>.html`` for every entity;
``DIR/data/id/<path>.ttl`` and ``.jsonld``, each entity's description as the server's
``/data/<path>.<ext>`` gives it (personal data left out by the one rule,
:func:`mou_graph.publish.personal.is_public`), linked from its pages; ``DIR/static/`` (style, scripts,
``search-index.js`` and ``query-data.js``). Links are relative, so the copy works from ``file://``;
search runs in the page over the index, which is a script setting ``window.MOU_GRAPH_INDEX`` because
pages opened from ``file://`` cannot ``fetch()`` JSON.

The site is built in a temporary folder beside ``DIR`` and installed by ``atomic.swap_folder``:
a reader (or a kill at any moment) sees the old site or the new one. ``DIR`` must be new, empty,
or an earlier site (it holds the marker file ``.mou-graph-site``); anything else is refused, so nothing is lost.

>>> site_path("https://w3id.org/mou-graph/id/", "https://w3id.org/mou-graph/id/area/cloud-computing")
'id/area/cloud-computing.html'
>>> site_path("https://x.test/", "https://x.test/a/../b")[:5]
'id/x/'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mou_graph.errors import UsageError
from mou_graph.io.atomic import check_output_folder, swap_folder, temp_folder
from mou_graph.lang import LANGUAGE_NAMES, pick
from mou_graph.present.pages import INTERFACE_LANGUAGES
from mou_graph.present.query_page import StaticQuery

if TYPE_CHECKING:
    from mou_graph.present.pages import PageData
    from mou_graph.store import GraphStore

__all__ = ["DATA_FORMATS", "MARKER", "build_site", "data_path", "site_path"]

MARKER = ".mou-graph-site"
_SEGMENT = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$")


def _put(path: Path, data: bytes) -> None:
    """Write a file inside the temporary folder (the folder as a whole is renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def data_path(base: str, iri: str, ext: str) -> str:
    """The file of an entity's RDF description (``ttl``, ``jsonld``), relative to ``DIR/data/``.

    >>> data_path("https://w3id.org/mou-graph/id/", "https://w3id.org/mou-graph/id/area/cloud-computing", "ttl")
    'id/area/cloud-computing.ttl'
    """
    return site_path(base, iri)[: -len(".html")] + "." + ext


# the RDF syntaxes written for every entity: short name -> export format name
DATA_FORMATS = {"ttl": "turtle", "jsonld": "jsonld"}


def site_path(base: str, iri: str) -> str:
    """The file of an entity's page, relative to a language folder."""
    rest = iri[len(base):]
    parts = rest.split("/")
    if all(_SEGMENT.match(p) for p in parts) and rest:
        return "id/" + rest + ".html"
    return "id/x/" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:24] + ".html"


class StaticLinks:
    """Relative URLs between the static pages of one language."""

    def __init__(self, data: PageData, lang: str, page: str) -> None:
        self.data, self.lang, self.page = data, lang, page
        self.up = "../" * page.count("/")

    def home(self) -> str:
        return self.up + "index.html"

    def areas(self) -> str:
        return self.up + "area.html"

    def agreements(self) -> str:
        return self.up + "agreements.html"

    def agreements_action(self) -> str:
        return self.up + "agreements.html"

    def timeline(self) -> str:
        return self.up + "timeline.html"

    def search(self) -> str:
        return self.up + "search.html"

    def query(self) -> str:
        return self.up + "query.html"

    def static(self, name: str) -> str:
        return self.up + "../static/" + quote(name)

    def ontology(self, anchor: str = "") -> str:
        return self.up + "ontology.html" + (f"#{anchor}" if anchor else "")

    def entity(self, iri: str) -> str | None:
        """As the server's links: entities to their page, documented terms to ``ontology.html``,
        other vocabularies' terms nowhere, other http(s) IRIs (sources) to themselves."""
        base = self.data.base
        if iri.startswith(base):
            if iri in self.data.hidden or len(iri) == len(base):
                return None
            return self.up + quote(site_path(base, iri))
        anchor = self.data.term_anchor(iri)
        if anchor:
            return self.ontology(anchor)
        if self.data.is_vocabulary(iri):
            return None
        return iri if iri.lower().startswith(("http://", "https://")) else None

    def data_file(self, iri: str, ext: str) -> str:
        """The entity's description as RDF (``ttl``, ``jsonld``), beside the site's pages."""
        return self.up + "../data/" + quote(data_path(self.data.base, iri, ext))

    def switch(self, code: str) -> str:
        return self.up + "../" + code + "/" + quote(self.page)


def _check_target(out: Path) -> None:
    check_output_folder(out)
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(f"{out} is not empty and was not written by `mou-graph site`: nothing written")


def build_site(store: GraphStore, out: Path, *, langs: Iterable[str] = INTERFACE_LANGUAGES,
               include_personal: bool = False,
               today: dt.date | None = None) -> int:
    """Write the static site of ``store`` into ``out``; returns the number of HTML pages."""
    from mou_graph.present.formatting import language_name
    from mou_graph.present.graph import neighbourhood
    from mou_graph.present.pages import STATIC, PageData, field_name, format_date, make_env, message
    from mou_graph.present.register import Register
    from mou_graph.present.search import FIELDS, SearchIndex
    from mou_graph.publish.export import RDF_FORMATS, describe_entity
    from mou_graph.publish.ontodoc import ontology_model
    from mou_graph.publish.personal import is_public

    out = Path(os.path.abspath(out))  # not resolve(): a link at ``out`` is swapped or refused, never followed
    _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    langs = list(dict.fromkeys(langs))
    today = today or dt.date.today()
    data = PageData(store, include_personal=include_personal)
    register = Register(data)
    env = make_env()
    entities = data.entities()
    query = StaticQuery(store, data, include_personal=include_personal)
    tmp = temp_folder(out)
    count = 0
    try:
        def write(lang: str, target: str, template: str, **context: Any) -> None:
            nonlocal count
            links = StaticLinks(data, lang, target)
            html = env.get_template(template).render(
                lang=lang, t=lambda key: message(key, lang), links=links,
                static_note=format_date(today.isoformat(), lang),
                languages=[(c, LANGUAGE_NAMES[c]) for c in langs], **context)
            _put(tmp / lang / target, html.encode("utf-8"))
            count += 1

        for lang in langs:
            write(lang, "index.html", "home.html", page=data.home(lang))
            write(lang, "search.html", "search.html", query="", client_side=True,
                  field_names={f: field_name(f, lang) for f in (*(n for n, _ in FIELDS.values()), "romanised")},
                  language_names={c: language_name(c, lang) for c in LANGUAGE_NAMES})
            write(lang, "area.html", "areas.html", page=data.area_tree(lang, details=True))
            write(lang, "agreements.html", "agreements.html", page=register.agreements(lang, day=today),
                  client_side=True)
            write(lang, "timeline.html", "timeline.html", page=register.timeline(lang))
            write(lang, "query.html", "query.html", client_side=True, **query.context(lang))
            write(lang, "ontology.html", "ontology.html", model=ontology_model(store, lang=lang, both=False),
                  base=data.base, name_terms=data.name_terms)
            for iri in entities:
                page = data.entity(iri, lang, today=today)
                if page is None:
                    continue
                path = site_path(data.base, iri)
                links = StaticLinks(data, lang, path)
                graph = neighbourhood(data, iri, lang, links.entity,
                                      title=f"{message('graph_desc', lang)} {page['label']}")
                rdf = [(f"{ext} ({RDF_FORMATS[name][1]})", links.data_file(iri, ext))
                       for ext, name in DATA_FORMATS.items()]
                write(lang, path, "entity.html", page=page, graph=graph, rdf_links=rdf,
                      register=register.agreement(iri, lang, day=today),
                      organisation=register.organisation(iri, lang, day=today))
        keep = None if include_personal else is_public(store)
        for iri in entities:
            for ext, name in DATA_FORMATS.items():
                _put(tmp / "data" / data_path(data.base, iri, ext), describe_entity(store, iri, name, keep=keep))
        for name in ("browse-0.1.0.css", "reader-0.1.0.css", "browse-0.1.0.js", "agreements-0.1.0.js",
                     "agreement-0.1.0.css", "print-0.1.0.css", "cite-0.1.0.js", "graph-0.1.0.css",
                     "graph-0.1.0.js", *query.assets):
            _put(tmp / "static" / name, (STATIC / name).read_bytes())
        _put(tmp / "static" / "query-data.js", query.data_file({i: quote(site_path(data.base, i)) for i in entities}))
        _put(tmp / "static" / "search-index.js", _index_script(store, data, SearchIndex))
        _put(tmp / "index.html", _root_page(langs, LANGUAGE_NAMES, message))
        _put(tmp / MARKER, b"written by mou-graph site\n")
        swap_folder(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)
        raise
    return count


def _index_script(store: GraphStore, data: PageData, index_cls: Any) -> bytes:
    from mou_graph.present.search import RULES

    index = index_cls.build(store, exclude=data.hidden)
    entities = {}
    for entry in index.entries:
        if entry.iri not in entities:
            labels = {lang: data.label(entry.iri, lang) for lang in INTERFACE_LANGUAGES}
            entities[entry.iri] = {"path": quote(site_path(data.base, entry.iri)), "labels": labels}
    payload = {"entries": index.to_json(), "entities": entities, "rules": RULES}
    text = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return ("/* generated by mou-graph site */\nwindow.MOU_GRAPH_INDEX = " + text + ";\n").encode("ascii")


def _root_page(langs: list[str], names: dict[str, str], message: Any) -> bytes:
    from markupsafe import escape

    first = langs[0]
    items = "".join(f'<li><a href="{c}/index.html" hreflang="{c}" lang="{c}">{escape(names[c])}</a></li>'
                    for c in langs)
    title = escape(pick({c: message("site", c) for c in langs}, first))
    html = (f'<!doctype html>\n<html lang="{first}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={first}/index.html"><title>{title}</title>'
            f'<link rel="stylesheet" href="static/browse-0.1.0.css"></head>'
            f'<body><main id="main"><h1>{title}</h1><ul>{items}</ul></main></body></html>\n')
    return html.encode("utf-8")
