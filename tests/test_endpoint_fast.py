"""The light path of ``GET /sparql`` (:class:`mou_graph.web.app._FastPaths`): a plain GET from a
client that does not accept gzip is answered by the endpoint's handler directly, past the router
and the middleware, with the same answer as the whole stack gives, headers and all; anything else
(a body, gzip, another method or path) takes the whole stack."""

from __future__ import annotations

import pytest
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

PREFIX = "PREFIX mou: <https://w3id.org/mou-graph/ontology#>\n"
GETS = [
    ({"query": PREFIX + "SELECT ?d WHERE { ?m mou:signingDate ?d } LIMIT 1"}, {}),  # a small answer
    ({"query": "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 40"}, {}),  # > 1 KiB
    ({"query": "SELECT * WHERE { ?s ?p ?o }"}, {}),  # 10,000 rows: streamed in chunks
    ({"query": "ASK { ?s ?p ?o }", "format": "csv"}, {}),
    ({"query": "CONSTRUCT WHERE { ?s a ?o } LIMIT 30"}, {"accept": "text/turtle"}),
    ({"query": "SELECT * WHERE { ?s"}, {}),  # a syntax error: 400
    ({"query": "SELECT * WHERE { ?s ?p ?o }", "format": "exe"}, {}),  # 400
    ({"query": "ASK {}"}, {"accept": "image/png"}),  # 406
    ({"query": "CLEAR ALL"}, {}),  # 403
    ({"query": "SELECT * WHERE { SERVICE <http://192.0.2.1/> { ?s ?p ?o } }"}, {}),  # 403
    ({"query": "ASK {}", "default-graph-uri": "http://example.org/elsewhere"}, {}),  # 403
    ({}, {"accept": "text/turtle"}),  # the service description
    ({}, {"accept": "text/html"}),  # 303 to the query page
    ({"query": ["ASK {}", "ASK {}"]}, {}),  # 400
]


@pytest.fixture(scope="module")
def clients(store):
    """The same app twice: as it is, and with no light path (every request through the whole stack)."""
    from mou_graph.web.app import create_app

    fast, whole = create_app(store), create_app(store)
    whole.state.ctx.state["fast"].clear()
    with TestClient(fast) as a, TestClient(whole) as b:
        yield a, b


def _seen(response):
    return response.status_code, response.headers.multi_items(), response.content


@pytest.mark.parametrize(("params", "headers"), GETS)
def test_the_light_path_answers_as_the_whole_stack(clients, params, headers):
    fast, whole = clients
    headers = {"accept-encoding": "identity", **headers}
    a = fast.get("/sparql", params=params, headers=headers, follow_redirects=False)
    b = whole.get("/sparql", params=params, headers=headers, follow_redirects=False)
    assert _seen(a) == _seen(b)


def test_gzip_a_body_head_and_other_paths_take_the_whole_stack(store):
    """A handler named for a path answers a plain GET of it; a client that accepts gzip, a request
    with a body, a HEAD, a POST or another path reach the router (which knows no such route: 404/405)."""
    from mou_graph.web.app import SECURITY_HEADERS, create_app

    app = create_app(store)

    async def light(request):
        return PlainTextResponse("light " + request.query_params.get("x", ""), headers={"vary": "Accept"})

    app.state.ctx.state["fast"]["/light"] = light
    with TestClient(app) as client:
        got = client.get("/light", params={"x": "1"}, headers={"accept-encoding": "identity"})
        assert got.status_code == 200 and got.text == "light 1"
        for key, value in SECURITY_HEADERS.items():
            assert got.headers[key] == value
        assert got.headers["vary"] == "Accept"  # under 1 KiB: as GZipMiddleware leaves it
        assert client.get("/light", headers={"accept-encoding": "gzip"}).status_code == 404
        assert client.request("GET", "/light", content=b"x", headers={"accept-encoding": "identity"}).status_code == 404
        assert client.head("/light", headers={"accept-encoding": "identity"}).status_code == 404
        assert client.post("/light", headers={"accept-encoding": "identity"}).status_code == 404
        assert client.get("/light/", headers={"accept-encoding": "identity"}).status_code == 404


def test_a_large_light_answer_varies_on_accept_encoding_as_gzip_middleware_makes_it(store):
    from mou_graph.web.app import create_app

    app = create_app(store)

    async def light(request):
        return PlainTextResponse("x" * 2000, headers={"vary": "Accept, Origin"})

    app.state.ctx.state["fast"]["/light"] = light
    with TestClient(app) as client:
        got = client.get("/light", headers={"accept-encoding": "identity"})
    assert got.headers.get_list("vary") == ["Accept, Origin, Accept-Encoding"]
