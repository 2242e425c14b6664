"""The SPARQL 1.1 Protocol endpoint (``/sparql``) and the catalogue API (``/api/queries``); the query
page that uses them is :mod:`mou_graph.web.browse`'s.

Read-only and safe to expose: updates, ``SERVICE`` and ``FROM`` of graphs the store does
not hold are refused before evaluation, and the workers that evaluate queries cannot open
a network socket at all (:mod:`mou_graph.io.sandbox`); queries run in a pool of worker
processes with time and memory limits, shared fairly between clients (:mod:`mou_graph.web.pool`);
queries and results are capped; a malformed request gets a 4xx with the parser's message.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

from mou_graph.io.sparqltext import inspect
from mou_graph.vocab import FORMATS, RDF_TYPE, RDFS
from mou_graph.vocab import SD as _SD
from mou_graph.web.results import GRAPH_TYPES, RESULT_TYPES, format_name

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from mou_graph.web.app import WebContext

__all__ = ["negotiate", "routes"]

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "600",
        "Vary": "Accept, Origin"}
_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
            "application/x-turtle": "turtle", "text/plain": "nt"}
_BY_TYPE = {**{v: k for k, v in RESULT_TYPES.items()}, **{v: k for k, v in GRAPH_TYPES.items()}}


# parameters that name a results format: ours, and the ones SPARQLWrapper sends by default
FORMAT_PARAMS = ("format", "output", "results")


def _unknown_format(values: list[str]) -> str | None:
    for value in values:
        try:
            format_name(value, "SELECT")
        except ValueError:
            return value
    return None


def _msg(en: str, th: str) -> str:
    return f"{en}\n{th}\n"


def negotiate(accept: str, form: str) -> str | None:
    """The format for ``form`` that ``accept`` prefers (None if none is acceptable).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
    'xml'
    >>> negotiate("*/*", "CONSTRUCT")
    'turtle'
    >>> negotiate("image/png", "ASK") is None
    True

    A client that accepts only the other form's formats (rdflib's SPARQLStore asks for SPARQL
    results whatever the query) gets the form's default rather than a 406:

    >>> negotiate("application/sparql-results+json", "CONSTRUCT")
    'turtle'
    """
    if len(accept) > 1000:
        return _negotiate(accept, form)
    return _negotiate_cached(accept, form)  # clients send the same few Accept headers again and again


def _negotiate(accept: str, form: str) -> str | None:
    table = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    default = "turtle" if table is GRAPH_TYPES else "json"
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        fmt = _BY_TYPE.get(media) or _ALIASES.get(media)
        if media in ("*/*", "application/*", "text/*") or media == "text/html":
            fmt = default
        if fmt in table and q > 0:
            ranked.append((-q, i, fmt))
        elif fmt is not None and q > 0:
            ranked.append((1.0, i, default))  # below anything of this form that was asked for
    return min(ranked)[2] if ranked else None


_negotiate_cached = functools.lru_cache(maxsize=128)(_negotiate)


_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, fmt: str, *, base: str) -> bytes:
    """The SPARQL 1.1 Service Description of ``endpoint`` (the configured public URL, never
    the request's ``Host``), in the triple format ``fmt`` (turtle, nt, jsonld, rdfxml)."""
    import pyoxigraph as ox

    from mou_graph.publish.export import serialize_triples

    service, sd = ox.NamedNode(endpoint), (lambda name: ox.NamedNode(_SD + name))
    label = ox.NamedNode(RDFS + "label")
    triples = [
        ox.Triple(service, ox.NamedNode(RDF_TYPE), sd("Service")),
        ox.Triple(service, label, ox.Literal("จุดบริการ SPARQL ของกราฟความรู้บันทึกความเข้าใจไทย–ลาว", language="th")),
        ox.Triple(service, label, ox.Literal("SPARQL endpoint of the Thai–Lao MoU knowledge graph", language="en")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        *(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name))
          for name in _RESULT_FORMATS),
    ]
    return serialize_triples(triples, fmt, base=base)


def public_endpoint(ctx: WebContext, request: Request) -> str:
    """The endpoint's URL: ``serve --public-url`` (or the address it binds), else the address
    of the socket the request came in on; the ``Host`` header is never used."""
    configured = str(ctx.web.extra.get("public_url") or "").rstrip("/")
    if configured:
        return configured + "/sparql"
    host, port = request.scope.get("server") or ("127.0.0.1", 80)
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}:{port}/sparql"


def routes(ctx: WebContext) -> list[Any]:
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse
    from starlette.responses import Response as Resp
    from starlette.routing import Route

    from mou_graph.web.pool import Busy, QueryPool, Stopped

    web = ctx.web
    wait = web.extra.get("queue_wait")
    pool = QueryPool(ctx.store, size=web.max_concurrent_queries, timeout=web.query_timeout,
                     queue=int(web.extra.get("queue", web.max_waiting)),
                     wait=float(wait) if wait is not None else None, memory=web.max_query_memory,
                     max_bytes=web.max_result_bytes, per_client=web.max_queries_per_client,
                     require_sandbox=web.require_sandbox,
                     include_personal=bool(web.extra.get("include_personal", False)),
                     cache=web.answer_cache_bytes)
    ctx.state["query_pool"] = pool
    ctx.state.setdefault("lifespan", []).append((pool.start, pool.stop))
    # graphs a FROM or the protocol may name: the store's (the personal graph is one, but the
    # workers do not hold it unless serve --include-personal: there it is an empty graph)
    graphs = set(ctx.store.graph_names())
    import asyncio

    start_lock = asyncio.Lock()

    def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        return PlainTextResponse(message, status_code=status, headers={**CORS, **(headers or {})})

    def stopped(err: Stopped) -> Response:
        if err.limit == "time":
            en, th = (f"it ran past the {web.query_timeout:g} s time limit",
                      f"ใช้เวลาเกิน {web.query_timeout:g} วินาที")
        elif err.limit == "memory":
            en, th = (f"it needed more than the {web.max_query_memory >> 20} MiB memory limit",
                      f"ใช้หน่วยความจำเกิน {web.max_query_memory >> 20} MiB")
        elif err.limit == "bytes":
            return text(503, _msg(f"the answer was stopped: it is larger than the {web.max_result_bytes} byte "
                                  "limit (add LIMIT, or ask for fewer columns)",
                                  f"หยุดส่งผลลัพธ์แล้ว: ผลลัพธ์ใหญ่เกิน {web.max_result_bytes} ไบต์ "
                                  "(เพิ่ม LIMIT หรือขอคอลัมน์ให้น้อยลง)"))
        else:
            detail = f" ({err.detail})" if err.detail else ""
            en, th = f"it crashed its worker{detail}", f"ทำให้ตัวประมวลผลล่ม{detail}"
        return text(503, _msg(f"the query was stopped: {en}", f"หยุดคำค้นแล้ว: {th}"), {"Retry-After": "5"})

    async def answer(query: str, fmt_hints: list[str], accept: str, dataset: dict[str, list[str]],
                     client: str = "-", *, own: bool = False) -> Response:
        # the length limit is for clients' texts; the catalogue's own questions (``own``) are the server's files
        if len(query) > web.max_query_length and not own:
            return text(413, _msg(f"the query is longer than {web.max_query_length} characters",
                                  f"คำค้นยาวเกิน {web.max_query_length} อักขระ"))
        info = inspect(query)
        if info.is_update:
            return text(403, _msg("this endpoint is read-only: updates are refused",
                                  "จุดบริการนี้อ่านได้อย่างเดียว: ไม่รับคำสั่งแก้ไขข้อมูล"))
        if info.service:
            return text(403, _msg("SERVICE (federated query) is refused: this endpoint makes no outbound connection",
                                  "ไม่รับ SERVICE (การค้นข้ามจุดบริการ): จุดบริการนี้ไม่เชื่อมต่อออกไปภายนอก"))
        # (a FROM the reader cannot resolve, a relative IRI or an unknown prefix, is the parser's
        # error to report; the engine never fetches a graph, FROM names only graphs of the store)
        remote = [g for g in info.datasets if g not in graphs]
        remote += [g for gs in dataset.values() for g in gs if g not in graphs]
        if remote:
            names = ", ".join(remote)
            return text(403, _msg(f"FROM / dataset graphs that this store does not hold are refused: {names}",
                                  f"ไม่รับกราฟใน FROM หรือชุดข้อมูลที่คลังนี้ไม่มี: {names}"))
        form = info.form or "SELECT"
        # a format parameter that names a format of this form wins; one that names another
        # form's (SPARQLWrapper sends its setting to every form) leaves it to the Accept header
        hinted = [f for f in (format_name(h, form) for h in fmt_hints) if f]
        fmt = hinted[0] if hinted else negotiate(accept, form)
        table = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        if fmt not in table:
            return text(406, _msg(f"no acceptable format; this query gives {', '.join(table.values())}",
                                  f"ไม่มีรูปแบบที่รับได้ คำค้นนี้ให้ผลเป็น {', '.join(table.values())}"))
        if not pool.started:
            async with start_lock:
                if not pool.started:
                    await pool.start()
        request = {"query": query, "fmt": fmt, "max_results": web.max_results, "base": ctx.settings.base,
                   "default_graphs": dataset.get("default-graph-uri", []),
                   "named_graphs": dataset.get("named-graph-uri", [])}
        try:
            result = await pool.run(request, client)
        except Busy:
            limit = web.max_concurrent_queries + int(web.extra.get("queue", web.max_waiting))
            return text(503, _msg(f"too many queries at once (more than {limit} running or waiting: serve --workers "
                                  "and --queue): try again shortly",
                                  f"มีคำค้นพร้อมกันมากเกินไป (เกิน {limit} คำค้นที่ทำงานหรือรออยู่: ปรับได้ด้วย serve "
                                  "--workers และ --queue) โปรดลองใหม่อีกครั้ง"), {"Retry-After": "2"})
        except Stopped as err:
            return stopped(err)
        if result.chunks is not None:
            return StreamingResponse(result.chunks, status_code=result.status, media_type=result.media_type,
                                     headers={**CORS, **result.headers})
        return Resp(result.body, status_code=result.status, media_type=result.media_type,
                    headers={**CORS, **result.headers})

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Resp(status_code=204, headers=CORS)
        pairs = _query_pairs(request.scope.get("query_string", b""))
        query: str | None = None
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if len(body) > web.body_limit():  # (the HTTP layer refuses larger bodies before reading them)
                return text(413, _msg("the request body is too large", "คำขอมีขนาดใหญ่เกินไป"))
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return text(400, _msg("the request body is not UTF-8", "เนื้อหาคำขอไม่ใช่ UTF-8"))
            if ctype == "application/sparql-update":
                return text(403, _msg("this endpoint is read-only: updates are refused",
                                      "จุดบริการนี้อ่านได้อย่างเดียว: ไม่รับคำสั่งแก้ไขข้อมูล"))
            if ctype == "application/sparql-query":
                query = decoded
            elif ctype == "application/x-www-form-urlencoded":
                pairs += parse_qsl(decoded, keep_blank_values=True)
            else:
                return text(415, _msg("send application/sparql-query or an HTML form",
                                      "โปรดส่ง application/sparql-query หรือแบบฟอร์ม HTML"))
        names = [k for k, _ in pairs]
        if "update" in names:
            return text(403, _msg("this endpoint is read-only: updates are refused",
                                  "จุดบริการนี้อ่านได้อย่างเดียว: ไม่รับคำสั่งแก้ไขข้อมูล"))
        queries = [v for k, v in pairs if k == "query"]
        if query is None:
            if len(queries) > 1:
                return text(400, _msg("give exactly one query parameter", "โปรดให้พารามิเตอร์ query เพียงหนึ่งค่า"))
            query = queries[0] if queries else None
        if query is None and request.method == "POST":
            return text(400, _msg("the request has no query parameter", "คำขอไม่มีพารามิเตอร์ query"))
        if query is None:
            accept = request.headers.get("accept", "")
            if "text/html" in accept:
                return RedirectResponse("/query", status_code=303)
            fmt = negotiate(accept, "DESCRIBE")
            if fmt is None:
                kinds = ", ".join(GRAPH_TYPES.values())
                return text(406, _msg(f"no acceptable format; the service description is in {kinds}",
                                      f"ไม่มีรูปแบบที่รับได้ คำอธิบายบริการมีในรูปแบบ {kinds}"))
            body = service_description(public_endpoint(ctx, request), fmt, base=ctx.settings.base)
            return Resp(body, media_type=GRAPH_TYPES[fmt], headers=CORS)
        dataset = {k: [v for n, v in pairs if n == k] for k in ("default-graph-uri", "named-graph-uri")}
        hints = [v for k, v in pairs if k in FORMAT_PARAMS and v.strip()]
        bad = _unknown_format(hints)
        if bad is not None:
            return text(400, _msg(f"unknown format {bad!r}", f"ไม่รู้จักรูปแบบ {bad!r}"))
        return await answer(query, hints, request.headers.get("accept", ""), dataset,
                            request.client.host if request.client else "-")

    async def catalogue_list(request: Request) -> Response:
        from mou_graph.lang import check_language
        from mou_graph.query.catalogue import load_catalogue

        try:
            lang = check_language(request.query_params.get("lang", web.default_lang))
        except ValueError as err:
            return text(400, str(err))
        cat = load_catalogue(ctx.settings.root / "queries")
        return JSONResponse([e.to_dict(lang) for e in cat])

    async def catalogue_run(request: Request) -> Response:
        from mou_graph.errors import MouGraphError
        from mou_graph.io.sparqltext import inject_values
        from mou_graph.query.catalogue import load_catalogue

        params = dict(request.query_params)
        lang = params.pop("lang", web.default_lang)
        fmt = params.pop("format", None)
        notes: list[Any] = []  # how values were read (a Buddhist-Era date, an entity named by its label)
        try:
            entry = load_catalogue(ctx.settings.root / "queries").get(request.path_params["name"])
            labels = query_labels(ctx) if any(p.type == "iri" for p in entry.params) else None
            bound = entry.bind(params, lang, base=ctx.settings.base, labels=labels, notes=notes)
            query = inject_values(entry.text, bound)
        except MouGraphError as err:
            return text(400, str(err) + "\n")
        if fmt and _unknown_format([fmt]) is not None:
            return text(400, _msg(f"unknown format {fmt!r}", f"ไม่รู้จักรูปแบบ {fmt!r}"))
        response = await answer(query, [fmt] if fmt else [], request.headers.get("accept", ""), {},
                                request.client.host if request.client else "-", own=True)
        if notes:  # said in the language asked for, percent-encoded UTF-8 (a header is ASCII)
            response.headers["mou-graph-note"] = quote("\n".join(n.text(lang) for n in notes), safe=" :/()=,'")
            response.headers["access-control-expose-headers"] = "mou-graph-note"
        return response

    ctx.state.setdefault("fast", {})["/sparql"] = sparql  # a plain GET skips the router (mou_graph.web.app)
    return [
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/api/queries", catalogue_list, methods=["GET"]),
        Route("/api/queries/{name}", catalogue_run, methods=["GET"]),
    ]


def _query_pairs(raw: bytes) -> list[tuple[str, str]]:
    """The parameters of a query string, as Starlette's ``request.query_params.multi_items()``;
    the readings of the last few hundred short query strings are kept (the same question is
    often asked again, and decoding a long query text is a good part of answering it)."""
    if len(raw) > _PAIRS_MAX:
        return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return list(_pairs_cached(raw))


_PAIRS_MAX = 8192


@functools.lru_cache(maxsize=256)
def _pairs_cached(raw: bytes) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl(raw.decode("latin-1"), keep_blank_values=True))


def query_labels(ctx: WebContext) -> Any:
    """The graph's labels for reading an entity parameter given by name (read once; the personal
    nodes left out unless the server serves them)."""
    with _LABELS_LOCK:
        if "query_labels" not in ctx.state:
            from mou_graph.publish.personal import personal_nodes
            from mou_graph.query.params import Labels

            hidden = set() if ctx.web.extra.get("include_personal") else personal_nodes(ctx.store)
            ctx.state["query_labels"] = Labels.of(ctx.store, exclude=hidden)
        return ctx.state["query_labels"]


_LABELS_LOCK = threading.Lock()
