"""The generated Turtle of the register: stable order, the project's prefixes, IRIs relative to the base
(as the hand-written files were), a header saying where it comes from."""

from __future__ import annotations

from typing import Any

from mou_graph.vocab import PREFIXES

__all__ = ["GENERATED", "to_turtle"]

# named graph -> the generated file under data/ (the config's GRAPHS load them)
GENERATED = {
    "data": "data/mou.ttl",
    "areas": "data/areas.ttl",
    "personal": "data/contacts.ttl",
    "evidence": "data/evidence.ttl",
}


def to_turtle(triples: list[Any], base: str, header: str) -> bytes:
    import pyoxigraph

    prefixes = dict(PREFIXES)
    prefixes["nif"] = PREFIXES.get("nif", "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes, base_iri=base)
    assert body is not None  # serialize returns the bytes when given no output
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    text = body.decode("utf-8")
    # the base is the reader's (the loader resolves relative IRIs against its own base): no @base line
    text = "\n".join(line for line in text.split("\n") if not line.startswith("@base "))
    return (lines + text).encode("utf-8")
