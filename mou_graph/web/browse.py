"""The linked-data browser's routes: home, search, entity pages, the area tree, graphs, static files.

Entity IRIs are ``<base><path>``; the server answers for them at ``/id/<path>``. These IRIs
name things (ministries, people, areas), not documents, so ``/id/<path>`` follows the
"303 See Other" pattern of *Cool URIs for the Semantic Web*: it looks at ``Accept`` (or the
``?format=`` fallback: ``html``, ``ttl``, ``nt``, ``jsonld``, ``rdf``) and redirects to a
document about the thing, ``/page/<path>`` (HTML) or ``/data/<path>.<ext>`` (RDF), with
``Vary: Accept``. The documents themselves answer 200 with their one media type.

The language of a page comes from ``?lang=`` (remembered in a cookie), else the cookie,
else the server's default; every internal link carries ``?lang=`` so a URL says what it shows.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from mou_graph.lang import LANGUAGE_NAMES
from mou_graph.present.graph import neighbourhood
from mou_graph.present.pages import (
    INTERFACE_LANGUAGES,
    STATIC,
    PageData,
    check_interface_language,
    make_env,
    message,
)
from mou_graph.publish.export import QUAD_FORMATS, RDF_FORMATS

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from mou_graph.present.register import Register
    from mou_graph.present.search import SearchIndex
    from mou_graph.web.app import WebContext

__all__ = ["FORMATS", "negotiate", "routes"]

# short name -> (extension, media type): HTML, and the triple syntaxes of the exports
FORMATS: dict[str, tuple[str, str]] = {
    "html": ("html", "text/html"),
    **{ext[1:]: (ext[1:], media) for name, (ext, media) in RDF_FORMATS.items() if name not in QUAD_FORMATS},
}
_EXPORT_NAME = {ext[1:]: name for name, (ext, _) in RDF_FORMATS.items()}  # "ttl" -> "turtle"
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "json": "jsonld",
            "xml": "rdf", "rdfxml": "rdf", "rdf-xml": "rdf", **{k: k for k in FORMATS}}
_MEDIA = {media: name for name, (_ext, media) in FORMATS.items()} | {"application/xhtml+xml": "html"}
_EXT = {ext: name for name, (ext, _media) in FORMATS.items()}
COOKIE = "mou_graph_lang"


def negotiate(accept: str | None) -> str | None:
    """The format (a key of :data:`FORMATS`) that best fits an ``Accept`` header, or None.

    >>> negotiate("text/turtle;q=0.9, application/ld+json")
    'jsonld'
    >>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    'html'
    >>> negotiate(None), negotiate("image/png") is None
    ('html', True)
    """
    if not accept:
        return "html"
    best: tuple[float, int, str] | None = None
    for order, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.replace(" ", "").lower().startswith("q="):
                try:
                    q = float(p.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        media = media.lower()
        name: str | None
        if media in ("*/*", "text/*"):
            name, q = ("html" if media == "*/*" else "ttl"), q - 0.001  # a specific type wins a tie
        else:
            name = _MEDIA.get(media)
        if name and q > 0 and (best is None or (q, -order) > (best[0], best[1])):
            best = (q, -order, name)
    return best[2] if best else None


class BadLanguage(ValueError):
    """A ``?lang=`` the browser does not serve."""


class BadDate(ValueError):
    """A ``?date=`` that is not a date."""


class WebLinks:
    """URLs of the server's pages, in the request's language."""

    def __init__(self, data: PageData, lang: str, request: Request) -> None:
        self.data, self.lang, self.request = data, lang, request

    def _q(self, **extra: str) -> str:
        return "?" + urlencode({**extra, "lang": self.lang})

    def home(self) -> str:
        return "/" + self._q()

    def areas(self) -> str:
        return "/area" + self._q()

    def agreements(self) -> str:
        return "/agreements" + self._q()

    def agreements_action(self) -> str:
        return "/agreements"

    def timeline(self) -> str:
        return "/timeline" + self._q()

    def search(self) -> str:
        return "/search"

    def query(self) -> str:
        return "/query" + self._q()

    def static(self, name: str) -> str:
        return "/static/" + quote(name)

    def path(self, iri: str) -> str | None:
        base = self.data.base
        if iri.startswith(base) and len(iri) > len(base) and iri not in self.data.hidden:
            return quote(iri[len(base):], safe="/")
        return None

    def ontology(self, anchor: str = "") -> str:
        return "/ontology" + self._q() + (f"#{anchor}" if anchor else "")

    def entity(self, iri: str) -> str | None:
        """Our own entities link to their page, types and properties to the ontology page; other
        vocabularies' terms not at all (their sites are not ours); other http(s) IRIs (sources) to
        themselves."""
        path = self.path(iri)
        if path is not None:
            return f"/page/{path}" + self._q()
        if iri.startswith(self.data.base):
            return None
        anchor = self.data.term_anchor(iri)
        if anchor:
            return self.ontology(anchor)
        if self.data.is_vocabulary(iri):
            return None
        return iri if iri.lower().startswith(("http://", "https://")) else None

    def switch(self, code: str) -> str:
        params = dict(self.request.query_params)
        params["lang"] = code
        return self.request.url.path + "?" + urlencode(params)


class Browser:
    """The route handlers, around one context (the store is read once, lazily)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        self.env = make_env()
        self._lock = threading.Lock()

    @property
    def data(self) -> PageData:
        with self._lock:
            if "browse_data" not in self.ctx.state:
                include = bool(self.ctx.web.extra.get("include_personal", False))
                self.ctx.state["browse_data"] = PageData(self.ctx.store, include_personal=include)
            return self.ctx.state["browse_data"]

    @property
    def keep(self) -> Any:
        """The personal-data rule as a test of a quad (None with ``--include-personal``), made once."""
        with self._lock:
            if "browse_keep" not in self.ctx.state:
                from mou_graph.publish.personal import is_public

                include = bool(self.ctx.web.extra.get("include_personal", False))
                self.ctx.state["browse_keep"] = None if include else is_public(self.ctx.store)
            return self.ctx.state["browse_keep"]

    @property
    def register(self) -> Register:
        data = self.data
        with self._lock:
            if "register" not in self.ctx.state:
                from mou_graph.present.register import Register

                self.ctx.state["register"] = Register(data)
            return self.ctx.state["register"]

    @property
    def index(self) -> SearchIndex:
        data = self.data
        with self._lock:
            if "search_index" not in self.ctx.state:
                from mou_graph.present.search import SearchIndex

                self.ctx.state["search_index"] = SearchIndex.build(self.ctx.store, exclude=data.hidden)
            return self.ctx.state["search_index"]

    # -- helpers ----------------------------------------------------------------------
    def _lang(self, request: Request) -> tuple[str, bool]:
        asked = request.query_params.get("lang")
        if asked is not None:
            try:
                return check_interface_language(asked), True
            except ValueError as err:
                raise BadLanguage(str(err)) from None
        try:
            return check_interface_language(request.cookies.get(COOKIE) or ""), False
        except ValueError:
            return check_interface_language(self.ctx.web.default_lang), False

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        from starlette.responses import HTMLResponse

        lang, asked = self._lang(request)
        links = WebLinks(self.data, lang, request)
        html = self.env.get_template(template).render(
            lang=lang, t=lambda key: message(key, lang), links=links,
            languages=[(c, LANGUAGE_NAMES[c]) for c in INTERFACE_LANGUAGES], **context)
        response = HTMLResponse(html, status_code=status, headers={"content-language": lang, "vary": "Cookie"})
        if asked:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        return response

    def _entity_or_404(self, request: Request, path: str) -> tuple[str, Response | None]:
        iri = self.ctx.settings.base + path
        if path and _valid_iri(iri) and self.data.is_entity(iri):
            return iri, None
        return iri, self.render(request, "error.html", status=404, missing=iri)

    # -- routes -----------------------------------------------------------------------
    def home(self, request: Request) -> Response:
        return self._page(request, "home.html", lambda lang: self.data.home(lang))

    def areas(self, request: Request) -> Response:
        return self._page(request, "areas.html", lambda lang: self.data.area_tree(lang, details=True))

    def agreements(self, request: Request) -> Response:
        """``/agreements``: every agreement, filtered (partner, area, status, year) and sorted; the
        status is the catalogue's rule on ``?date=`` (default today)."""
        import datetime as dt

        q = request.query_params
        try:
            day = dt.date.fromisoformat(q["date"]) if q.get("date") else dt.date.today()
        except ValueError:
            raise BadDate(q.get("date", "")) from None
        filters = {k: q.get(k, "").strip() for k in ("partner", "area", "status", "year")}
        return self._page(request, "agreements.html", lambda lang: self.register.agreements(
            lang, day=day, sort=q.get("sort", "signed"), **filters))

    def timeline(self, request: Request) -> Response:
        return self._page(request, "timeline.html", lambda lang: self.register.timeline(lang))

    def _page(self, request: Request, template: str, build: Any, **extra: Any) -> Response:
        lang, _ = self._lang(request)
        return self.render(request, template, page=build(lang), **extra)

    def ontology(self, request: Request) -> Response:
        """``/ontology``: the documentation of the types and properties, in the page's language; every
        type and property name on the other pages links to its anchor here."""
        from mou_graph.publish.ontodoc import ontology_model

        lang, _ = self._lang(request)
        with self._lock:
            key = f"ontology-{lang}"
            if key not in self.ctx.state:
                self.ctx.state[key] = ontology_model(self.ctx.store, lang=lang, both=False)
        return self.render(request, "ontology.html", model=self.ctx.state[key], base=self.ctx.settings.base,
                           name_terms=self.data.name_terms)

    def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        hits = []
        if query:
            lang, _ = self._lang(request)
            hits = [{"iri": h.iri, "label": self.data.label(h.iri, lang), "field": h.field, "lang": h.lang,
                     "text": h.text} for h in self.index.search(query)]
        return self.render(request, "search.html", query=query, hits=hits)

    def query_page(self, request: Request) -> Response:
        """``/query``: the catalogue's questions as forms, and free SPARQL (answered by
        :mod:`mou_graph.web.sparql`)."""
        from mou_graph.present.query_page import questions, script_messages
        from mou_graph.query.catalogue import load_catalogue
        from mou_graph.web.sparql import query_labels

        lang, _ = self._lang(request)
        catalogue = load_catalogue(self.ctx.settings.root / "queries")
        base = self.ctx.settings.base
        forms = questions(catalogue, query_labels(self.ctx), lang, base=base)
        return self.render(request, "query.html", questions=forms, messages=script_messages(lang), base=base)

    def page(self, request: Request) -> Response:
        iri, missing = self._entity_or_404(request, request.path_params["path"])
        if missing:
            return missing
        lang, _ = self._lang(request)
        page = self.data.entity(iri, lang)
        assert page is not None  # _entity_or_404 answered for an entity that is not there
        links = WebLinks(self.data, lang, request)
        path = links.path(iri)
        rdf = [(f"{name} ({media})", f"/data/{path}.{ext}") for name, (ext, media) in FORMATS.items() if name != "html"]
        graph = neighbourhood(self.data, iri, lang, links.entity,
                              title=f"{message('graph_desc', lang)} {page['label']}")
        import datetime as dt

        today = dt.date.today()
        return self.render(request, "entity.html", page=page, graph=graph, rdf_links=rdf,
                           register=self.register.agreement(iri, lang, day=today),
                           organisation=self.register.organisation(iri, lang, day=today))

    def resource(self, request: Request) -> Response:
        """``/id/<path>``: 303 See Other to the HTML page or the RDF document."""
        from starlette.responses import PlainTextResponse, RedirectResponse

        path = request.path_params["path"]
        iri, missing = self._entity_or_404(request, path)
        if missing:
            return missing
        asked = request.query_params.get("format")
        fmt = _ALIASES.get(asked.lower()) if asked else negotiate(request.headers.get("accept"))
        if fmt is None:
            offered = ", ".join(media for _ext, media in FORMATS.values())
            what = f"unknown format {asked!r}" if asked else "no acceptable representation"
            return PlainTextResponse(f"{what}; available: {offered} (or ?format={'|'.join(FORMATS)})",
                                     status_code=400 if asked else 406, headers={"vary": "Accept"})
        quoted = quote(path, safe="/")
        if fmt == "html":
            lang = request.query_params.get("lang")
            target = f"/page/{quoted}" + (f"?{urlencode({'lang': lang})}" if lang else "")
        else:
            target = f"/data/{quoted}.{FORMATS[fmt][0]}"
        return RedirectResponse(target, status_code=303, headers={"vary": "Accept"})

    def document(self, request: Request) -> Response:
        """``/data/<path>.<ext>``: the triples about an entity in one RDF syntax."""
        from starlette.responses import Response as Plain

        path, _, ext = request.path_params["path"].rpartition(".")
        fmt = _EXT.get(ext)
        if fmt is None or fmt == "html":
            return self.render(request, "error.html", status=404, missing=request.url.path)
        iri, missing = self._entity_or_404(request, path)
        if missing:
            return missing
        body = describe(self.ctx.store, iri, fmt, keep=self.keep)
        media = FORMATS[fmt][1]
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return Plain(body, media_type=media + charset)

    def graph(self, request: Request) -> Response:
        """``/graph/<path>``: the neighbourhood graph alone, as the JSON the entity page's drawing reads
        (present/graph.py: nodes, ranked links, each linked entity's first links)."""
        from starlette.responses import Response as Plain

        iri, missing = self._entity_or_404(request, request.path_params["path"])
        if missing:
            return missing
        lang, _ = self._lang(request)
        graph = neighbourhood(self.data, iri, lang, WebLinks(self.data, lang, request).entity,
                              title=self.data.label(iri, lang))
        return Plain(str(graph["data"]), media_type="application/json")


def describe(store: Any, iri: str, fmt: str, *, keep: Any) -> bytes:
    """The triples with ``iri`` as subject or object (kept by ``keep``: the personal-data rule), serialised
    (:func:`mou_graph.publish.export.describe_entity`, which the static site writes too)."""
    from mou_graph.publish.export import describe_entity

    return describe_entity(store, iri, _EXPORT_NAME[fmt], keep=keep)


def _valid_iri(iri: str) -> bool:
    """Whether ``iri`` is an IRI at all (a path may hold a space, ``"``, ``<`` or NUL): such a
    path names no entity, and gets the 404 page rather than an error from the store."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def _guard(handler: Any) -> Any:
    """Turn a bad ``?lang=`` into a clear 400 answer (in both languages)."""
    import functools

    @functools.wraps(handler)
    def run(request: Request) -> Response:
        from starlette.responses import PlainTextResponse

        try:
            return handler(request)
        except BadLanguage as err:
            text = f"ภาษาที่ขอไม่มีให้บริการ: ใช้ th, en หรือ lo\n{err}\n"
            return PlainTextResponse(text, status_code=400)
        except BadDate as err:
            text = (f"วันที่ไม่ถูกต้อง: ใช้รูปแบบ YYYY-MM-DD\nnot a date (use YYYY-MM-DD): {str(err)[:40]!r}\n")
            return PlainTextResponse(text, status_code=400)

    return run


def routes(ctx: WebContext) -> list[Any]:
    """The browser's routes for the app factory."""
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    b = Browser(ctx)
    return [
        Route("/", _guard(b.home), name="home"),
        Route("/search", _guard(b.search), name="search"),
        Route("/query", _guard(b.query_page), name="query"),
        Route("/area", _guard(b.areas), name="areas"),
        Route("/agreements", _guard(b.agreements), name="agreements"),
        Route("/timeline", _guard(b.timeline), name="timeline"),
        Route("/ontology", _guard(b.ontology), name="ontology"),
        Route("/id/{path:path}", _guard(b.resource), name="resource"),
        Route("/page/{path:path}", _guard(b.page), name="page"),
        Route("/data/{path:path}", _guard(b.document), name="document"),
        Route("/graph/{path:path}", _guard(b.graph), name="graph"),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
