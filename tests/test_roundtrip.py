"""Property tests: literals in Thai, Lao and English, with language tags or datatypes,
survive serialise -> parse in every RDF export format, with rdflib and with pyoxigraph."""

from __future__ import annotations

import datetime

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mou_graph.publish.export import QUAD_FORMATS, RDF_FORMATS, rdf_bytes
from tests.conftest import BASE, OX_FORMAT, RDFLIB_FORMAT

GRAPH = pyoxigraph.NamedNode("https://w3id.org/mou-graph/graph/data")
XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
LAO = st.characters(min_codepoint=0x0E81, max_codepoint=0x0EDF)
ENGLISH = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
SPECIAL = st.sampled_from(list("\r\n\t\"'\\<>&{}@#:;.,|\u2013\u00e9"))
TEXT = st.text(st.one_of(THAI, LAO, ENGLISH, SPECIAL), max_size=40)

LANG_LITERALS = st.builds(lambda text, lang: pyoxigraph.Literal(text, language=lang), TEXT,
                          st.sampled_from(["th", "en", "lo"]))
TYPED_LITERALS = st.one_of(
    st.builds(lambda t: pyoxigraph.Literal(t), TEXT),  # xsd:string
    st.integers(-10**12, 10**12).map(lambda n: pyoxigraph.Literal(str(n), datatype=pyoxigraph.NamedNode(
        XSD + "integer"))),
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(
        lambda d: pyoxigraph.Literal(d.isoformat(), datatype=pyoxigraph.NamedNode(XSD + "date"))),
    st.booleans().map(lambda b: pyoxigraph.Literal(str(b).lower(), datatype=pyoxigraph.NamedNode(XSD + "boolean"))),
    st.sampled_from(["P5Y", "P3Y", "P8Y", "P6M"]).map(
        lambda d: pyoxigraph.Literal(d, datatype=pyoxigraph.NamedNode(XSD + "duration"))),
)
PROPS = st.sampled_from(["https://w3id.org/mou-graph/ontology#quotation", "http://www.w3.org/2000/01/rdf-schema#label",
                         "https://schema.org/startDate", "http://www.w3.org/2004/02/skos/core#definition"])
QUADS = st.lists(
    st.builds(lambda n, p, o: pyoxigraph.Quad(pyoxigraph.NamedNode(f"{BASE}thing/t{n}"), pyoxigraph.NamedNode(p), o,
                                              GRAPH),
              st.integers(0, 5), PROPS, st.one_of(LANG_LITERALS, TYPED_LITERALS)),
    min_size=1, max_size=8, unique_by=lambda q: str(q),
)


def _norm(subject: str, predicate: str, value: str, lang: str | None, datatype: str | None) -> tuple:
    lang = lang.lower() if lang else None
    return subject, predicate, value, lang, LANG_STRING if lang else (datatype or XSD + "string")


def _ox(data: bytes, fmt: str) -> set[tuple]:
    out = set()
    for item in pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, OX_FORMAT[fmt])):
        o = item.object
        out.add(_norm(item.subject.value, item.predicate.value, o.value, o.language, o.datatype.value))
    return out


def _rdflib(data: bytes, fmt: str) -> set[tuple]:
    graph = rdflib.Dataset() if fmt in QUAD_FORMATS else rdflib.Graph()
    graph.parse(data=data, format=RDFLIB_FORMAT[fmt])
    rows = graph.quads((None, None, None, None)) if fmt in QUAD_FORMATS else ((*t, None) for t in graph)
    return {_norm(str(s), str(p), str(o), o.language, str(o.datatype) if o.datatype else None) for s, p, o, _ in rows}


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads=QUADS)
def test_literals_survive_a_round_trip(fmt, quads):
    expected = {_norm(q.subject.value, q.predicate.value, q.object.value, q.object.language, q.object.datatype.value)
                for q in quads}
    data = rdf_bytes(quads, fmt, base=BASE)
    assert _ox(data, fmt) == expected
    assert _rdflib(data, fmt) == expected
    if fmt != "trig":  # TriG keeps the order of the (already canonical) quads it is given
        assert rdf_bytes(list(reversed(quads)), fmt, base=BASE) == data
