"""Hostile input files: the strict parse gate of :mod:`mou_graph.rdfio`, the network guard
of :mod:`mou_graph.netguard`, normalisation at load and the limits (docs/security.md)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from mou_graph.errors import InputError
from mou_graph.netguard import NetworkRefused, no_network
from mou_graph.rdfio import parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "security"
BASE = "https://w3id.org/mou-graph/id/"
GRAPH = "https://w3id.org/mou-graph/graph/data"
RDF_HEAD = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n')
TRIX_HEAD = '<TriX xmlns="http://www.w3.org/2004/03/trix/trix-1/">\n'


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


# -- XML: no DOCTYPE, no entities, whatever the XML parser would do ---------------------------
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY a "ha">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n'
          ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n' + RDF_HEAD
          + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&c;</ex:p></rdf:Description>\n</rdf:RDF>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY pw SYSTEM "file:///etc/passwd"> ]>\n' + RDF_HEAD
       + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&pw;</ex:p></rdf:Description>\n</rdf:RDF>\n')
PARAMETER = ('<?xml version="1.0"?>\n' + RDF_HEAD.replace(">\n", ">\n<!ENTITY % x SYSTEM \"http://127.0.0.1:9/\">\n", 1)
             + "</rdf:RDF>\n")
TRIX = ('<?xml version="1.0"?>\n<!DOCTYPE TriX [ <!ENTITY a "ha"> ]>\n' + TRIX_HEAD
        + '<graph><triple><uri>http://example.org/a</uri><uri>http://example.org/p</uri>'
        '<plainLiteral>&a;</plainLiteral></triple></graph></TriX>\n')


@pytest.mark.parametrize(("name", "text", "line"), [
    ("laughs.rdf", LAUGHS, 2), ("xxe.owl", XXE, 2), ("parameter.xml", PARAMETER, 3), ("entity.trix", TRIX, 2),
    ("bare.rdf", "<!DOCTYPE x>" + RDF_HEAD + "</rdf:RDF>", 1),
])
def test_xml_with_declarations_is_refused_with_position(tmp_path, name, text, line):
    path = write(tmp_path, name, text)
    with pytest.raises(InputError, match="DOCTYPE, ENTITY") as err:
        parse_file(path, base=BASE, graph=GRAPH)
    assert (err.value.path, err.value.line) == (str(path), line) and err.value.column >= 1


def test_xml_in_another_encoding_cannot_hide_a_doctype(tmp_path):
    utf16 = write(tmp_path, "u16.rdf", XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                  .encode("utf-16"))
    with pytest.raises(InputError, match="UTF-8"):
        parse_file(utf16, base=BASE, graph=GRAPH)
    latin = write(tmp_path, "latin.rdf", '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + RDF_HEAD + "</rdf:RDF>")
    with pytest.raises(InputError, match="declares encoding"):
        parse_file(latin, base=BASE, graph=GRAPH)


def test_cli_refuses_xxe_and_loads_trix_without_one(tmp_path, cli):
    run = cli("validate", "--data", str(write(tmp_path, "evil.rdf", XXE)))
    assert run.code == 2 and f"{tmp_path / 'evil.rdf'}:2:1:" in run.err and "root:" not in run.out + run.err
    clean = write(tmp_path, "ok.trix", TRIX.replace('<!DOCTYPE TriX [ <!ENTITY a "ha"> ]>\n', "").replace("&a;", "ok"))
    quads = parse_file(clean, base=BASE, graph=GRAPH)
    assert [q.object.value for q in quads] == ["ok"]


# -- JSON-LD: no remote context, ever ----------------------------------------------------------
@pytest.fixture
def listener():
    """A real socket on loopback that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.1)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                seen.append(conn.recv(2048))
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\n\r\n"
                             b'{"@context": {"name": "http://example.org/name"}}')

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    time.sleep(0.2)
    stop.set()
    thread.join(2)
    sock.close()


@pytest.mark.parametrize("shape", [
    '{{"@context": "{url}/c", "@id": "http://example.org/a", "name": "x"}}',
    '{{"@context": [{{"ex": "http://example.org/"}}, "{url}/c"], "@id": "http://example.org/a", "name": "x"}}',
    '{{"@context": {{"@import": "{url}/c"}}, "@id": "http://example.org/a", "name": "x"}}',
    '{{"@context": {{"p": {{"@id": "http://example.org/p", "@context": "{url}/c"}}}}, "@id": "http://example.org/a",'
    ' "p": {{"name": "x"}}}}',
    '{{"@graph": [{{"@context": "{url}/c", "@id": "http://example.org/a", "name": "x"}}]}}',
])
def test_jsonld_remote_context_is_refused_and_never_fetched(tmp_path, listener, shape):
    url, seen = listener
    path = write(tmp_path, "remote.jsonld", shape.format(url=url))
    with pytest.raises(InputError, match="remote JSON-LD context refused"):
        parse_file(path, base=BASE, graph=GRAPH)
    time.sleep(0.1)
    assert seen == []


def test_jsonld_with_the_shipped_context_inline_loads(tmp_path):
    import json

    from mou_graph.export import jsonld_context

    doc = {"@context": jsonld_context(), "@id": "http://example.org/a",
           "rdfs:label": {"@value": "x", "@language": "en"}}
    quads = parse_file(write(tmp_path, "ok.jsonld", json.dumps(doc)), base=BASE, graph=GRAPH)
    assert [(q.predicate.value, q.object.value) for q in quads] == [("http://www.w3.org/2000/01/rdf-schema#label", "x")]


# -- the network guard: load, validate and query make no network access at all ----------------
def test_load_validate_query_touch_no_network():
    from mou_graph import load_store
    from mou_graph.validate import validate_store

    with no_network(loopback=False) as seen:
        store = load_store()
        assert validate_store(store).conforms
        assert store.ask("ASK { ?s ?p ?o }")
        store.to_rdflib(["areas"])
        with pytest.raises(NetworkRefused):  # and the guard does catch what Python tries
            urllib.request.urlopen("http://192.0.2.1/", timeout=1)  # noqa: S310 - the point of the test
    assert [event for event, _ in seen] == ["urllib.Request"]


def test_guard_allows_only_loopback_when_asked(listener):
    url, seen_by_server = listener
    with no_network() as seen:
        urllib.request.urlopen(url + "/ok", timeout=5).read()  # noqa: S310 - loopback only
        with pytest.raises(NetworkRefused):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert len(seen_by_server) == 1 and any(event == "socket.connect" for event, _ in seen)


# -- the strict gate: one parser refusing is enough --------------------------------------------
RDFLIB_ONLY_REFUSES = {
    "bagid.rdf": RDF_HEAD + '<rdf:Description rdf:about="http://example.org/a" rdf:bagID="b">\n'
                 '<ex:p>a</ex:p></rdf:Description></rdf:RDF>',
    "about-on-property.rdf": RDF_HEAD + '<rdf:Description rdf:about="http://example.org/a">\n'
                             '  <ex:p rdf:about="http://example.org/b">a</ex:p></rdf:Description></rdf:RDF>',
}


@pytest.mark.parametrize("name", sorted(RDFLIB_ONLY_REFUSES))
def test_rdfxml_that_only_rdflib_refuses_is_refused_with_position(tmp_path, name):
    import pyoxigraph

    text = RDFLIB_ONLY_REFUSES[name]
    assert list(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.RDF_XML, base_iri=BASE))
    with pytest.raises(InputError, match="rdflib") as err:
        parse_file(write(tmp_path, name, text), base=BASE, graph=GRAPH)
    assert err.value.line == {"bagid.rdf": 2, "about-on-property.rdf": 3}[name] and err.value.column is not None


# the reason rdflib is not run on the Turtle family: pyoxigraph already refuses what it refuses
TURTLE_SAMPLE = [
    '<http://x/a b> <http://x/p> "a" .', '<http://x/a> <http://x/p> "a"@en- .', '<http://x/a> <http://x/p> 1. .',
    '<http://x/a> _:p "a" .', '"s" <http://x/p> "a" .', '<http://x/a> <http://x/p> "a" , .',
    '<http://x/\\u0020> <http://x/p> "a" .', '<http://x/a> <http://x/p> "\\uD800" .', '<1x:y> <http://x/p> "a" .',
    '@prefix ex: <http://x/> . ex:a%zz ex:p ex:c .', '<http://x/a> <http://x/p> "a"@abcdefghi .',
]


@pytest.mark.parametrize("ext", [".ttl", ".nt"])
def test_turtle_family_gate_refuses_what_rdflib_refuses(tmp_path, ext):
    import logging

    import rdflib

    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    for i, text in enumerate(TURTLE_SAMPLE):
        path = write(tmp_path, f"s{i}{ext}", text + "\n")
        try:
            rdflib.Graph().parse(path, format="turtle" if ext == ".ttl" else "nt")
            rdflib_ok = True
        except Exception:  # noqa: BLE001 - any refusal
            rdflib_ok = False
        try:
            parse_file(path, base=BASE, graph=GRAPH)
            gate_ok = True
        except InputError as err:
            gate_ok = False
            assert err.line is not None, text
        assert rdflib_ok or not gate_ok, text


def test_a_bad_file_loads_nothing(tmp_path, store):
    from mou_graph.store import GraphStore

    fresh = GraphStore(store.settings)
    good = write(tmp_path, "good.ttl", '<http://x/a> <http://x/p> "a" .\n')
    fresh.load_file(good, "data")
    bad = write(tmp_path, "bad.ttl", '<http://x/b> <http://x/p> "b" .\n' * 50 + '<http://x/c> <http://x/p> .\n')
    with pytest.raises(InputError) as err:
        fresh.load_file(bad, "data")
    assert (err.value.line, len(fresh)) == (51, 1)


# -- normalisation at load, and the Thai typing checks of validation --------------------------
def test_labels_nfc_and_language_tags_normalised_at_load(store):
    from mou_graph.store import GraphStore

    fresh = GraphStore(store.settings)
    fresh.load_file(FIXTURES / "thai-typing.ttl", "data")
    labels = {(q.subject.value.rsplit("/", 1)[1], q.object.language): q.object.value for q in fresh.quads()
              if q.predicate.value.endswith("#label")}
    assert labels[("tone-lower-vowel", "th")] == "\u0e1b\u0e39\u0e48"  # canonical order: vowel, then tone
    assert ("tone-first", "en") in labels  # @EN -> en
    assert all(lang == lang.lower() for _, lang in labels)


def test_validation_reports_sara_am_and_tone_before_vowel(store):
    from mou_graph.store import GraphStore
    from mou_graph.validate import text_problems

    fresh = GraphStore(store.settings)
    fresh.load_file(FIXTURES / "thai-typing.ttl", "data")
    found = sorted((r.focus.rsplit("/", 1)[1], r.message("en").split(" ")[0]) for r in text_problems(fresh))
    assert found == [("tone-first", "a"), ("typed-sara-am", "sara")]
    assert all(r.message("th") != r.message("en") for r in text_problems(fresh))


# -- size limits --------------------------------------------------------------------------------
def test_file_and_literal_limits(tmp_path, monkeypatch):
    big = write(tmp_path, "big.nt", '<http://x/a> <http://x/p> "' + "x" * 5000 + '" .\n')
    assert len(parse_file(big, base=BASE, graph=GRAPH)) == 1
    monkeypatch.setenv("MOU_GRAPH_MAX_LITERAL_CHARS", "4000")
    with pytest.raises(InputError, match="literal of 5000 characters .* limit of 4000"):
        parse_file(big, base=BASE, graph=GRAPH)
    monkeypatch.setenv("MOU_GRAPH_MAX_FILE_BYTES", "1000")
    with pytest.raises(InputError, match=r"is 50\d\d bytes, larger than the limit of 1000"):
        parse_file(big, base=BASE, graph=GRAPH)
    monkeypatch.setenv("MOU_GRAPH_MAX_FILE_BYTES", "lots")
    with pytest.raises(InputError, match="whole number"):
        parse_file(big, base=BASE, graph=GRAPH)
