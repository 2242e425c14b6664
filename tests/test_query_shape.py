"""The catalogue has no question shaped to grow faster than the graph: no OPTIONAL nested in the group
of another OPTIONAL (Oxigraph evaluated the inner one once per row of the outer: summary.rq rebuilt a
table of every term once per agreement, 10.8 s at 1,000 agreements and 55.8 s at 2,000). The timings
themselves are bench/run.py's growth check."""

from __future__ import annotations

import functools

import pytest

from mou_graph.query.catalogue import load_catalogue

from .conftest import ROOT


def _nested_optional(node, inside: bool = False) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "LeftJoin":
            return inside or _nested_optional(node.p1, inside) or _nested_optional(node.p2, True)
        return any(_nested_optional(v, inside) for k, v in node.items() if k != "_vars")
    if isinstance(node, list | tuple):
        return any(_nested_optional(v, inside) for v in node)
    return False


def _values_joined_in_optional(node, outside: frozenset | None = None) -> bool:
    """Inside an OPTIONAL, a VALUES block joined to triple patterns none of which holds a variable
    bound outside the OPTIONAL. Oxigraph evaluates such a group once per row of the left side,
    starting from the VALUES, so it scans every match of those patterns (every event of a kind)
    once per agreement: status-on.rq took 2.5 / 7.5 / 46.9 s at 1,000 / 2,000 / 4,000 agreements.
    Joined to a pattern on a variable of the left side (summary.rq's ``VALUES ?p`` with
    ``?mou ?p ?o``), it is a look-up per row, and linear; a VALUES alone (a table of labels) too."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "LeftJoin":
            return (_values_joined_in_optional(node.p1, outside)
                    or _values_joined_in_optional(node.p2, frozenset(node.p1._vars)))
        if outside is not None and node.name == "Join":
            for values, other in ((node.p1, node.p2), (node.p2, node.p1)):
                if _is_values(values) and _triples(other):
                    names = {v for row in values.p.res for v in row}
                    with_values = [tr for tr in _triples(other) if names & set(tr)]
                    if with_values and not any(outside & set(tr) for tr in with_values):
                        return True
        return any(_values_joined_in_optional(v, outside) for k, v in node.items() if k != "_vars")
    if isinstance(node, list | tuple):
        return any(_values_joined_in_optional(v, outside) for v in node)
    return False


def _is_values(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    return isinstance(node, CompValue) and node.name == "ToMultiSet"


def _triples(node) -> list:
    """The triple patterns of a group (its BGPs, through joins and filters)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return []
    if node.name == "BGP":
        return list(node.triples)
    if node.name in {"Join", "Filter"}:
        return [tr for k in ("p", "p1", "p2") if k in node for tr in _triples(node[k])]
    return []


# every question of the catalogue as it runs: a preset (expiring, in-force-on) is its base's text
ENTRIES = list(load_catalogue(ROOT / "queries"))


def _algebra(entry):
    return _parsed(entry.text)


@functools.cache
def _parsed(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text).algebra


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_no_optional_nested_in_an_optional(entry):
    assert not _nested_optional(_algebra(entry)), (
        f"{entry.name}: an OPTIONAL inside an OPTIONAL; join on a key variable bound outside it (see summary.rq)")


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_no_values_joined_inside_an_optional(entry):
    assert not _values_joined_in_optional(_algebra(entry)), (
        f"{entry.name}: a VALUES joined to a pattern inside an OPTIONAL; use FILTER (?x IN (...)) (see status-on.rq)")


def test_the_check_sees_the_old_status_rule():
    from rdflib.plugins.sparql import prepareQuery

    old = ("SELECT * WHERE { ?m a ?c OPTIONAL { ?m ?p ?e . ?e a ?k VALUES ?k { <a:x> <a:y> } FILTER (?e != 1) } "
           "OPTIONAL { VALUES (?c ?t) { (<a:x> 'x') } } }")
    new = ("SELECT * WHERE { ?m a ?c OPTIONAL { ?m ?p ?e . ?e a ?k FILTER (?k IN (<a:x>, <a:y>) && ?e != 1) } "
           "OPTIONAL { VALUES (?c ?t) { (<a:x> 'x') } } }")
    lookup = "SELECT * WHERE { ?m a ?c OPTIONAL { VALUES ?p { <a:x> <a:y> } ?m ?p ?o } }"  # summary.rq's
    assert _values_joined_in_optional(prepareQuery(old).algebra)
    assert not _values_joined_in_optional(prepareQuery(new).algebra)
    assert not _values_joined_in_optional(prepareQuery(lookup).algebra)


def test_the_check_sees_the_old_summary():
    from rdflib.plugins.sparql import prepareQuery

    old = "SELECT * WHERE { ?m a ?c OPTIONAL { ?m ?p ?o OPTIONAL { ?o ?q ?start } } }"
    new = "SELECT * WHERE { ?m a ?c OPTIONAL { ?m ?p ?o } BIND (COALESCE(?o, '') AS ?k) OPTIONAL { ?k ?q ?start } }"
    assert _nested_optional(prepareQuery(old).algebra) and not _nested_optional(prepareQuery(new).algebra)
