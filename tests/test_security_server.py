"""The server under hostile use, on a real uvicorn server on loopback: bounded concurrency,
malformed SPARQL Protocol requests, fuzzed user parameters, security headers and CORS
(docs/security.md)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import running_server

PREFIX = "PREFIX mou: <https://w3id.org/mou-graph/ontology#>\n"
SIGNING = PREFIX + "SELECT ?d WHERE { ?m mou:signingDate ?d }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIME_LIMIT = 1.5
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture(scope="session")
def hardened(store):
    """A server with small limits: 2 query workers, 2 waiting places, 1.5 s per query."""
    from mou_graph.web.app import WebSettings, create_app

    web = WebSettings(query_timeout=TIME_LIMIT, max_concurrent_queries=2, max_results=100, max_query_length=5000,
                      extra={"queue": 2, "queue_wait": 0.5})
    with running_server(create_app(store, web=web)) as url, httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/sparql", params={"query": SIGNING}).status_code == 200  # workers up
        yield client


# -- the SPARQL 1.1 Protocol: every malformed request class gets its 4xx ------------------------
def test_malformed_protocol_requests(hardened):
    form = "application/x-www-form-urlencoded"
    cases = {
        "wrong method PUT": (hardened.put("/sparql", content=SIGNING), 405),
        "wrong method DELETE": (hardened.delete("/sparql", params={"query": SIGNING}), 405),
        "repeated query": (hardened.get("/sparql", params=[("query", SIGNING), ("query", SIGNING)]), 400),
        "repeated query, form": (hardened.post("/sparql", content="query=a&query=b", headers={"content-type": form}),
                                 400),
        "wrong media type": (hardened.post("/sparql", content=SIGNING, headers={"content-type": "text/plain"}), 415),
        "non-UTF-8 body": (hardened.post("/sparql", content=b"SELECT \xff\xfe",
                                         headers={"content-type": "application/sparql-query"}), 400),
        "non-UTF-8 form": (hardened.post("/sparql", content=b"query=\xff", headers={"content-type": form}), 400),
        "missing query, form": (hardened.post("/sparql", content="format=json", headers={"content-type": form}), 400),
        "empty query": (hardened.get("/sparql", params={"query": ""}), 400),
        "query and update": (hardened.get("/sparql", params={"query": SIGNING, "update": "CLEAR ALL"}), 403),
        "update by POST": (hardened.post("/sparql", content="CLEAR ALL",
                                         headers={"content-type": "application/sparql-update"}), 403),
        "syntax error": (hardened.get("/sparql", params={"query": "SELECT * WHERE { ?s"}), 400),
        "unknown format": (hardened.get("/sparql", params={"query": SIGNING, "format": "exe"}), 400),
        "nothing acceptable": (hardened.get("/sparql", params={"query": SIGNING}, headers={"accept": "image/png"}),
                               406),
        "too long": (hardened.get("/sparql", params={"query": SIGNING + " #" + "x" * 6000}), 413),
    }
    got = {name: response.status_code for name, (response, _) in cases.items()}
    assert got == {name: code for name, (_, code) in cases.items()}
    for name, (response, code) in cases.items():
        assert all(h in response.headers for h in HEADERS), name
        if code != 405:
            assert response.text.strip(), name  # a message, not an empty error


# -- security headers on every page, CORS only for reads and never with credentials -------------
def test_security_headers_on_every_kind_of_response(hardened):
    paths = ["/", "/search?q=x", "/area", "/page/org/mtc-lao", "/id/org/mtc-lao", "/query", "/api/queries",
             "/sparql", "/sparql?query=" + quote(SIGNING), "/static/browse-0.1.0.css", "/static/query-0.2.1.js",
             "/static/missing.css", "/no/such/page", "/page/no/such", "/page/org/mtc-lao?lang=xx"]
    seen = set()
    for path in paths:
        response = hardened.get(path, follow_redirects=False)
        seen.add(response.status_code)
        for header in HEADERS:
            assert header in response.headers, (path, header)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-credentials" not in response.headers, path
    assert {200, 303, 400, 404} <= seen


def test_cors_for_reads_only_and_without_credentials(hardened):
    origin = {"origin": "https://evil.example", "cookie": "session=1"}
    pre = hardened.options("/sparql", headers={**origin, "access-control-request-method": "PUT"})
    methods = {m.strip() for m in pre.headers.get("access-control-allow-methods", "").split(",")}
    assert methods <= {"GET", "POST", "OPTIONS", "HEAD"} and "PUT" not in methods
    read = hardened.get("/sparql", params={"query": SIGNING}, headers=origin)
    assert read.headers["access-control-allow-origin"] == "*"  # never the caller's origin echoed back
    for response in (pre, read, hardened.post("/sparql", content="CLEAR ALL", headers={
            **origin, "content-type": "application/sparql-update"})):
        assert "access-control-allow-credentials" not in response.headers
    # browsing pages are not for other origins' scripts
    assert "access-control-allow-origin" not in hardened.get("/", headers=origin).headers


# -- fuzzed user parameters ---------------------------------------------------------------------
NASTY = st.sampled_from(['">}', "\\u0022", "\\u003E", '"', ">", "}", "<script>alert(1)</script>", "'", "#", "\n",
                         " } UNION { ?s ?p ?o } #", '" } ; DROP ALL ; #', "\u0e33", "\u0e4d\u0e32", "\u0e48\u0e35",
                         "\u0e31\u0e48\u0e49", "\u0301", "%00", "\x00", "..", "/", "?", "&", "org/mtc-lao"])
PARAM = st.lists(st.one_of(NASTY, st.text(max_size=6)), max_size=5).map("".join)


def no_script(response: httpx.Response) -> bool:
    """No script from the input in an HTML page; anything else is served as inert, unsniffable text."""
    if "text/html" in response.headers.get("content-type", ""):
        return "<script>alert" not in response.text and "alert(1)</script>" not in response.text
    return response.headers.get("x-content-type-options") == "nosniff"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=PARAM, lang=PARAM)
def test_fuzz_search_and_language(hardened, q, lang):
    response = hardened.get("/search", params={"q": q, "lang": lang})
    assert response.status_code in (200, 400), response.text
    assert no_script(response)
    page = hardened.get("/page/org/mtc-lao", params={"lang": lang})
    assert page.status_code in (200, 400) and no_script(page)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entity=PARAM, fmt=PARAM, lang=st.one_of(st.just("en"), PARAM))
def test_fuzz_catalogue_api_and_format(hardened, entity, fmt, lang):
    params = {"entity": entity, "lang": lang, **({"format": fmt} if fmt else {})}
    response = hardened.get("/api/queries/labels", params=params)
    assert response.status_code in (200, 400, 406), response.text
    if response.status_code == 200 and fmt in ("", "json"):
        rows = json.loads(response.text)["results"]["bindings"]
        assert rows == [] or entity in ("org/mtc-lao",)  # an injected UNION would return rows
    redirect = hardened.get("/id/org/mtc-lao", params={"format": fmt, "lang": lang}, follow_redirects=False)
    assert redirect.status_code in (303, 400, 406) and no_script(redirect)
    assert "\n" not in redirect.headers.get("location", "")
    sparql = hardened.get("/sparql", params={"query": SIGNING, "format": fmt})
    assert sparql.status_code in (200, 400, 406)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=PARAM)
def test_fuzz_catalogue_params_in_the_core(store, value):
    """What ``mou-graph query NAME --param`` does: values become RDF terms or a UsageError."""
    from mou_graph.errors import UsageError
    from mou_graph.query.catalogue import load_catalogue
    from mou_graph.query.run import run_local

    catalogue = load_catalogue(store.settings.root / "queries")
    for name, param in (("labels", "entity"), ("activities-in-area", "area"), ("in-force-on", "date")):
        entry = catalogue.get(name)
        try:
            bindings = entry.bind({param: value}, "th", base=store.settings.base)
        except UsageError:
            continue
        results = run_local(store, entry.text, bindings, path=name)
        rows = list(getattr(results, "rows", []) or [])
        assert rows == [] or value.strip("/") in ("org/mtc-lao",) or name == "in-force-on"


# -- bounded concurrency: a flood on loopback, bounded and self-stopping -------------------------
def test_flood_is_bounded_and_simple_queries_keep_being_answered(hardened, capsys):
    runaway_count, deadline = 8, time.monotonic() + 3 * TIME_LIMIT
    simple: list[int] = []
    pages: list[tuple[int, int]] = []  # (status, runaway requests still unanswered when the page came)
    floods: list = []

    def probe():
        while time.monotonic() < deadline:
            p = hardened.get("/")
            pages.append((p.status_code, sum(not f.done() for f in floods)))
            r = hardened.get("/sparql", params={"query": SIGNING})
            simple.append(r.status_code)
            assert r.status_code == 200 or r.headers.get("retry-after"), r.text
            time.sleep(0.1)

    with ThreadPoolExecutor(runaway_count + 1) as pool:
        floods += [pool.submit(hardened.get, "/sparql", params={"query": RUNAWAY}) for _ in range(runaway_count)]
        prober = pool.submit(probe)
        results = [f.result() for f in floods]  # the client's timeout turns a hanging request into an error
        prober.result()
    codes = [r.status_code for r in results]
    busy = [r for r in results if b"too many" in r.content]
    stopped = [r for r in results if b"time limit" in r.content]
    assert set(codes) == {503} and busy and stopped  # refused past the bound, and stopped at the limit
    assert all(r.headers["retry-after"].isdigit() for r in results)
    assert pages and all(code == 200 for code, _ in pages)  # the server stays responsive...
    assert any(unanswered for _, unanswered in pages)  # ...while runaway queries are running
    # once the runaway queries are stopped and their workers replaced, simple queries are answered
    end = time.monotonic() + 30
    while hardened.get("/sparql", params={"query": SIGNING}).status_code != 200 and time.monotonic() < end:
        time.sleep(0.2)
    assert hardened.get("/sparql", params={"query": SIGNING}).status_code == 200
    with capsys.disabled():
        print(f"\nflood: {runaway_count} runaway queries -> {len(busy)} refused at once (503 busy), "
              f"{len(stopped)} stopped at {TIME_LIMIT} s (503); {len(simple)} simple queries meanwhile: "
              f"{sum(c == 200 for c in simple)} answered, {sum(c == 503 for c in simple)} told to retry; "
              f"{len(pages)} pages, {sum(1 for _, u in pages if u)} of them while runaway queries ran")


def test_an_unhandled_error_is_a_plain_500_with_the_security_headers(store):
    from starlette.testclient import TestClient

    from mou_graph.web.app import SECURITY_HEADERS, create_app

    app = create_app(store)

    async def boom(request):
        raise RuntimeError("secret detail")

    app.add_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert "secret detail" not in response.text
    for key, value in SECURITY_HEADERS.items():
        assert response.headers.get(key) == value
