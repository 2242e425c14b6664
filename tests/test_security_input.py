"""Hostile input files: the strict parse gate of :mod:`mou_graph.io.rdfio`, the network guard
of :mod:`mou_graph.io.netguard`, normalisation at load and the limits (docs/security.md)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mou_graph.errors import InputError
from mou_graph.io.netguard import NetworkRefused, no_network
from mou_graph.io.rdfio import parse_file
from tests.conftest import BASE

FIXTURES = Path(__file__).parent / "fixtures" / "security"
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

    from mou_graph.publish.export import jsonld_context

    doc = {"@context": jsonld_context(), "@id": "http://example.org/a",
           "rdfs:label": {"@value": "x", "@language": "en"}}
    quads = parse_file(write(tmp_path, "ok.jsonld", json.dumps(doc)), base=BASE, graph=GRAPH)
    assert [(q.predicate.value, q.object.value) for q in quads] == [("http://www.w3.org/2000/01/rdf-schema#label", "x")]


# -- the network guard: load, validate and query make no network access at all ----------------
def test_load_validate_query_touch_no_network():
    from mou_graph import load_store
    from mou_graph.validation.validate import validate_store

    with no_network(loopback=False) as seen:
        store = load_store()
        assert validate_store(store).conforms
        assert store.ask("ASK { ?s ?p ?o }")
        store.to_rdflib(["areas"])
        with pytest.raises(NetworkRefused):  # and the guard does catch what Python tries
            urllib.request.urlopen("http://192.0.2.1/", timeout=1)  # the point of the test
    assert [event for event, _ in seen] == ["urllib.Request"]


def test_guard_allows_only_loopback_when_asked(listener):
    url, seen_by_server = listener
    with no_network() as seen:
        urllib.request.urlopen(url + "/ok", timeout=5).read()  # loopback only
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
    from mou_graph.validation.validate import text_problems

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


# -- one gate for every file a command reads (issue 10, item 17) ------------------------------
def test_validate_changed_goes_through_the_gate(tmp_path, cli):
    evil = write(tmp_path, "laughs.rdf", LAUGHS)
    run = cli("validate", "--changed", str(evil))
    assert run.code == 2 and f"{evil}:2:1:" in run.err and "DOCTYPE" in run.err, run.err


def _home(tmp_path: Path) -> Path:
    import shutil

    from .conftest import ROOT

    home = tmp_path / "home"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, home / folder, symlinks=True)
    return home


@pytest.fixture
def fifo(tmp_path):
    import os

    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


def test_no_command_hangs_on_a_fifo_or_reads_a_device(tmp_path, cli, fifo):
    """Each of these used to block forever on the FIFO (or read /dev/zero until memory ran
    out); each is refused at once, naming the file. (The wait is generous: 120 s a command.)"""
    import os

    home = _home(tmp_path)
    os.remove(home / "data" / "areas.ttl")
    os.mkfifo(home / "data" / "areas.ttl")
    catalogue = tmp_path / "cat"
    catalogue.mkdir()
    os.mkfifo(catalogue / "q.rq")
    cases = {
        "--data": ("validate", "--data", str(fifo("d.ttl"))),
        "--changed": ("validate", "--changed", str(fifo("c.ttl"))),
        "query -f FIFO": ("query", "-f", str(fifo("q.rq"))),
        "query -f /dev/zero": ("query", "-f", "/dev/zero"),
        "--catalogue": ("queries", "--catalogue", str(catalogue)),
        "--home": ("--home", str(home), "stats"),
        "push": ("--home", str(home), "push", "--endpoint", "http://127.0.0.1:9/store"),
    }
    for name, args in cases.items():
        run = cli(*args, timeout=120)
        assert run.code == 2 and "not a regular file" in run.err and "ไม่ใช่ไฟล์ปกติ" in run.err, (name, run.err)
        assert "Traceback" not in run.err, name


def test_reads_are_bounded(tmp_path, cli):
    big = write(tmp_path, "big.rq", "# " + "x" * 5000 + "\nASK {}\n")
    run = cli("query", "-f", str(big), env={"MOU_GRAPH_MAX_FILE_BYTES": "1000"})
    assert run.code == 2 and f"{big}:" in run.err and "MOU_GRAPH_MAX_FILE_BYTES" in run.err, run.err


# -- XML in another encoding (item 18) ----------------------------------------------------------
NESTED = ('<?xml version="1.0"?>\n<!DOCTYPE TriX [ <!ENTITY a "ha"> <!ENTITY b "&a;&a;"> ]>\n' + TRIX_HEAD
          + '<graph><triple><uri>http://example.org/a</uri><uri>http://example.org/p</uri>'
          '<plainLiteral>&b;</plainLiteral></triple></graph></TriX>\n')


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("name", ["nested.trix", "nested.rdf"])
def test_xml_without_a_byte_order_mark_in_utf16_or_utf32_is_refused(tmp_path, codec, name):
    text = NESTED if name.endswith(".trix") else LAUGHS
    path = write(tmp_path, name, text.encode(codec))  # Python's utf-16-le / -be write no byte-order mark
    with pytest.raises(InputError, match="must be UTF-8.*without a byte-order mark|must be UTF-8.*UCS-4") as err:
        parse_file(path, base=BASE, graph=GRAPH)
    assert err.value.path == str(path) and "UTF-8" in str(err.value) and "ต้องเป็น UTF-8" in str(err.value)


def test_xml_encoding_follows_appendix_f():
    from mou_graph.io.rdfio import xml_encoding

    doc = '<?xml version="1.0"?><a/>'
    assert xml_encoding(doc.encode("utf-8")) is None and xml_encoding(b"\xef\xbb\xbf" + doc.encode()) is None
    assert xml_encoding(doc.encode("utf-16")).startswith("UTF-16")  # with its byte-order mark
    assert xml_encoding(doc.encode("utf-16-be")) == "UTF-16BE without a byte-order mark"
    assert "declared" in xml_encoding(b'<?xml version="1.0" encoding="EBCDIC-US"?><a/>')
    assert xml_encoding(doc.encode("cp500")) == "EBCDIC"


# -- what one input may cost (item 19) ----------------------------------------------------------
def test_triples_per_file_are_limited_as_the_parse_streams(tmp_path, monkeypatch):
    nt = write(tmp_path, "many.nt", "".join(f'<http://x/s{i}> <http://x/p> "v" .\n' for i in range(300)))
    blank = write(tmp_path, "blank.ttl", "<http://x/a> <http://x/p> " + "[ <http://x/q> 1 ], " * 299 + "[] .\n")
    escaped = write(tmp_path, "escaped.ttl", "".join(f'<http://x/s{i}> <http://x/p> "\\u00e9" .\n' for i in range(300)))
    for path in (nt, blank, escaped):
        assert len(parse_file(path, base=BASE, graph=GRAPH)) >= 300
    monkeypatch.setenv("MOU_GRAPH_MAX_FILE_TRIPLES", "200")
    from mou_graph.config import Settings
    from mou_graph.store import GraphStore

    for path in (nt, blank, escaped):
        with pytest.raises(InputError, match="more than 200 triples in one file.*MOU_GRAPH_MAX_FILE_TRIPLES") as err:
            GraphStore(Settings()).load_file(path, "data")  # the fast path (Turtle, N-Triples) and the slow one
        assert err.value.path == str(path)


def test_triples_per_store_are_limited_and_nothing_is_lost(tmp_path, monkeypatch):
    from mou_graph.config import Settings
    from mou_graph.store import GraphStore

    store = GraphStore(Settings())
    first = write(tmp_path, "first.nt", "".join(f'<http://x/a{i}> <http://x/p> "v" .\n' for i in range(150)))
    second = write(tmp_path, "second.nt", "".join(f'<http://x/b{i}> <http://x/p> "v" .\n' for i in range(100)))
    monkeypatch.setenv("MOU_GRAPH_MAX_TRIPLES", "200")
    store.load_file(first, "data")
    with pytest.raises(InputError, match="more than 200 triples in the store.*MOU_GRAPH_MAX_TRIPLES"):
        store.load_file(second, "data")
    assert len(store) == 150


def test_the_defaults_admit_a_register_of_ten_thousand_agreements():
    """bench/generate.py at 10,000 agreements: 1.25 M quads, files of 0.7 M triples and 115 MB."""
    from mou_graph.io import rdfio

    assert rdfio.max_file_triples() >= 700_000 * 2 and rdfio.max_triples() >= 1_250_000 * 3
    assert rdfio.max_file_bytes() >= 115_000_000 * 2


@pytest.mark.parametrize(("text", "depth"), [
    ("<http://x/a> <http://x/p> " + "[ <http://x/p> " * 70 + "1" + " ]" * 70 + " .\n", 70),
    ("<http://x/a> <http://x/p> " + "(" * 65 + ")" * 65 + " .\n", 65),
    ("<http://x/a> <http://x/p> " + "[ <http://x/p> " * 100_000, 100_000),  # never closed: no triple at all
])
def test_nesting_is_limited_before_the_parser_runs(tmp_path, text, depth):
    path = write(tmp_path, "deep.ttl", text)
    with pytest.raises(InputError, match=f"nested {depth} deep.*limit of 64.*MOU_GRAPH_MAX_NESTING"):
        parse_file(path, base=BASE, graph=GRAPH)


def test_brackets_in_strings_iris_and_comments_are_not_nesting(tmp_path, monkeypatch):
    text = ('@prefix ex: <http://x/> .\n# ' + "[" * 100 + '\nex:a ex:p "' + "[(" * 100 + '", """' + "[\n" * 100
            + '""", \'' + "(" * 100 + "', <http://x/" + "(" * 100 + "> ; ex:q [ ex:r ( 1 2 ) ] .\n"
            + "ex:b\\#c ex:p 1 .\n")
    path = write(tmp_path, "flat.ttl", text)
    assert len(parse_file(path, base=BASE, graph=GRAPH)) == 11
    monkeypatch.setenv("MOU_GRAPH_MAX_NESTING", "1")
    with pytest.raises(InputError, match="nested 2 deep"):
        parse_file(path, base=BASE, graph=GRAPH)


# -- control characters (item 20) ---------------------------------------------------------------
@pytest.mark.parametrize(("name", "text", "line"), [
    ("raw.ttl", '<http://x/a> <http://x/p> "ok" .\n<http://x/a> <http://x/p> "red \x1b[31m" .\n', 2),
    ("raw.nt", '<http://x/a> <http://x/p> "bell \x07" .\n', 1),
    ("nul.nt", '<http://x/a> <http://x/p> "\x00" .\n', 1),
    ("escaped.ttl", '<http://x/a> <http://x/p> "esc \\u001B[2J" .\n', None),
    ("echar.ttl", '<http://x/a> <http://x/p> "back\\bspace" .\n', None),
    ("vt.jsonld", '{"@id": "http://x/a", "http://x/p": "vertical \\u000b tab"}', None),
    ("ref.rdf", RDF_HEAD + '<rdf:Description rdf:about="http://x/a"><ex:p>&#27;</ex:p></rdf:Description></rdf:RDF>',
     None),
])
def test_control_characters_no_xml_can_carry_are_refused(tmp_path, name, text, line):
    path = write(tmp_path, name, text)
    with pytest.raises(InputError) as err:
        parse_file(path, base=BASE, graph=GRAPH)
    assert err.value.path == str(path)
    if line:
        assert err.value.line == line and "control character U+00" in str(err.value)


def test_tab_lf_cr_and_c1_load(tmp_path):
    path = write(tmp_path, "ok.ttl", '<http://x/a> <http://x/p> "tab\\t lf\\n cr\\r csi \\u009b" .\n')
    assert [q.object.value for q in parse_file(path, base=BASE, graph=GRAPH)] == ["tab\t lf\n cr\r csi \x9b"]


def test_query_table_shows_control_characters_escaped(cli):
    run = cli("query", "-e", 'SELECT ?x WHERE { BIND ("red \x1b[31m bell \x07 csi \x9b" AS ?x) }',
              "--format", "table")
    assert run.code == 0, run.err
    assert "\x1b" not in run.out and "\x07" not in run.out and "\x9b" not in run.out
    assert "red \\x1b[31m bell \\x07 csi \\x9b" in run.out


XML_EXPORTS = ["rdfxml", "graphml-entity", "gexf-entity", "graphml-rdf", "gexf-rdf"]


def _xml_exports(store) -> dict[str, bytes]:
    from mou_graph.publish.export import export_triples, serialize_triples
    from mou_graph.publish.graphs import graph_files, project

    out = {"rdfxml": serialize_triples(export_triples(store), "rdfxml", base=BASE)}
    for projection in ("entity", "rdf"):
        graph = project(store, projection, lang="en")
        for fmt in ("graphml", "gexf"):
            out[f"{fmt}-{projection}"] = graph_files(graph, fmt)[""]
    return out


@given(text=st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Ll", "Zs", "Lo")), max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_xml_export_is_well_formed_whatever_the_literal(text):
    """Literals put straight into a store (no gate): each XML export is well-formed for a
    strict parser (Expat), or refused with a clear error; never ill-formed."""
    import xml.parsers.expat

    import pyoxigraph

    from mou_graph.config import Settings
    from mou_graph.io.rdfio import xml_unsafe
    from mou_graph.store import GraphStore

    store = GraphStore(Settings())
    g = pyoxigraph.NamedNode(store.settings.graph_iri("data"))
    a, b = pyoxigraph.NamedNode(BASE + "a"), pyoxigraph.NamedNode(BASE + "b")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.store.extend([pyoxigraph.Quad(a, label, pyoxigraph.Literal("x" + text, language="en"), g),
                        pyoxigraph.Quad(a, pyoxigraph.NamedNode("http://x/p"), b, g),
                        pyoxigraph.Quad(a, pyoxigraph.NamedNode("http://x/q"), pyoxigraph.Literal(text), g)])
    try:
        exports = _xml_exports(store)
    except InputError as err:
        assert xml_unsafe(text) >= 0 and "no XML can carry" in str(err)
        return
    for name, data in exports.items():
        xml.parsers.expat.ParserCreate().Parse(data, True)  # raises ExpatError if ill-formed
        assert name in XML_EXPORTS


def test_xml_nesting_is_limited_before_the_parsers_run(tmp_path):
    """200,000 nested property elements (6 MB) kept the two XML parsers busy for over 5 minutes."""
    deep = (RDF_HEAD + '<rdf:Description rdf:about="http://x/a">' + '<ex:p rdf:parseType="Resource">' * 100
            + "</ex:p>" * 100 + "</rdf:Description></rdf:RDF>\n")
    with pytest.raises(InputError, match="XML elements nested 102 deep.*MOU_GRAPH_MAX_NESTING"):
        parse_file(write(tmp_path, "deep.rdf", deep), base=BASE, graph=GRAPH)
    flat = (RDF_HEAD + "<!-- <a><a><a> -->" * 30 + "".join(  # comments, '>' in attributes and empty elements
        f'<rdf:Description rdf:about="http://x/{i}" ex:q="a > b"><ex:p>t &lt;x&gt;</ex:p><ex:r rdf:resource="http://x/"/>'
        "</rdf:Description>" for i in range(100)) + "</rdf:RDF>\n")
    assert len(parse_file(write(tmp_path, "flat.rdf", flat), base=BASE, graph=GRAPH)) == 300
