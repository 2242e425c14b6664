"""Paths with characters that cannot be in an IRI get a 404, never a 500 (issue 10, item 21)."""

from __future__ import annotations

import http.client
import logging
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import running_server

BAD = [" ", '"', "<", ">", "\x00", "{", "}", "|", "\\", "^", "`", "\n", "\x7f"]


@pytest.fixture(scope="module")
def server(store):
    from mou_graph.web.app import WebSettings, create_app

    with running_server(create_app(store, web=WebSettings(max_concurrent_queries=1))) as url:
        yield url


def status_of(server: str, path: str) -> int:
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", urllib.parse.quote(path, safe="/"), headers={"Accept": "text/html"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("prefix", ["/page/", "/data/", "/id/", "/graph/"])
@pytest.mark.parametrize("bad", BAD, ids=[f"U+{ord(c):04X}" for c in BAD])
def test_invalid_iri_characters_get_404(server, prefix, bad, caplog):
    caplog.set_level(logging.ERROR)
    for path in (f"org/md{bad}es", f"{bad}", f"org/mdes{bad}.ttl"):
        assert status_of(server, prefix + path) in (400, 404), (prefix, path)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(["/page/", "/data/", "/id/", "/graph/"]),
       head=st.sampled_from(["", "org/mdes", "mou/th-la-digital-2022", "area/"]),
       tail=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
       .filter(lambda t: any(c in t for c in BAD) or any(ord(c) < 0x20 for c in t)),
       ext=st.sampled_from(["", ".ttl", ".nt", ".jsonld", ".rdf", ".html"]))
def test_generated_paths_never_500(server, prefix, head, tail, ext):
    assert status_of(server, prefix + head + tail + ext) in (200, 303, 400, 404, 406)
