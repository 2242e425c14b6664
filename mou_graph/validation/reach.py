"""What a change can affect: the focus nodes whose validation results a set of changed triples
can alter, found from the shapes themselves (incremental validation).

Each targeted shape is read once into *chains*: the links a focus node's results depend on, as
steps from the focus (``(predicates, forward)``; ``None`` for any predicate). A property shape on
``p`` depends on the triples ``focus p ?v``; its ``sh:class`` on ``?v rdf:type``; a nested shape on
what that shape depends on from ``?v``; a class target on ``focus rdf:type``; a SPARQL constraint or
target on every triple pattern of its query reachable from ``$this`` through variables (in
``FILTER EXISTS`` and ``OPTIONAL`` too). A changed triple matching the last step of a chain is
walked back along the chain, through those predicates only, to the focus nodes it reaches. A
pattern that no variable path joins to ``$this`` (or a path with ``*``, ``+`` or ``?``) could
affect any focus node of its shape: the change is then *global* and the whole graph is validated.

>>> from rdflib.plugins.sparql import prepareQuery
>>> chains = query_chains("SELECT $this WHERE { $this <http://x/p> ?v . ?v <http://x/q> ?w }")
>>> sorted((len(c), c[-1][0]) for c in chains.linked)
[(1, frozenset({'http://x/p'})), (2, frozenset({'http://x/q'}))]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mou_graph.vocab import RDF, RDFS

__all__ = ["TOO_MANY", "Chains", "affected", "query_chains", "shape_chains"]

_TYPE = RDF + "type"
Step = tuple[frozenset[str] | None, bool]  # (the predicates, or None for any; forward: focus side is the subject)
_MAX_DEPTH = 6  # nested shapes (and query patterns) followed this deep; deeper is global
_ANY = (None, None, None)  # a loose pattern that every change matches


@dataclass
class Chains:
    """The chains of one shape: ``linked`` (walked back to the focus), ``loose`` (patterns not
    joined to ``$this``: a matching change is global)."""

    linked: list[tuple[Step, ...]] = field(default_factory=list)
    loose: list[tuple[str | None, frozenset[str] | None, str | None]] = field(default_factory=list)

    def add(self, other: Chains, prefix: tuple[Step, ...] = ()) -> None:
        self.linked += [prefix + c for c in other.linked]
        self.loose += other.loose


# -- SPARQL -------------------------------------------------------------------------------------------
def _triples(node: Any) -> list[tuple[Any, Any, Any]]:
    """Every triple pattern anywhere in an rdflib algebra (BGPs, EXISTS groups, OPTIONALs)."""
    found: list[tuple[Any, Any, Any]] = []
    seen: set[int] = set()

    def walk(x: Any) -> None:
        if id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "triples" and isinstance(v, list | tuple):
                    for t in v:  # a BGP's triples; an untranslated block (in EXISTS) lists them flat
                        if isinstance(t, list | tuple) and len(t) % 3 == 0:
                            found.extend(tuple(t[i:i + 3]) for i in range(0, len(t), 3))
                        else:
                            found.append((None, None, None))
                elif k != "_vars":
                    walk(v)
        elif isinstance(x, list | tuple):
            for v in x:
                walk(v)

    walk(node)
    return found


class _Unbounded(Exception):
    pass


def _expand(s: Any, p: Any, o: Any, fresh: list[int]) -> list[tuple[Any, frozenset[str] | None, Any]]:
    """A pattern with a property path as simple patterns (sequence, inverse, alternative of IRIs)."""
    from rdflib import URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(p, URIRef):
        return [(s, frozenset({str(p)}), o)]
    if isinstance(p, Variable):
        return [(s, None, o)]
    if isinstance(p, InvPath):
        return _expand(o, p.arg, s, fresh)
    if isinstance(p, SequencePath):
        out, left = [], s
        for i, part in enumerate(p.args):
            if i == len(p.args) - 1:
                right = o
            else:
                fresh[0] += 1
                right = Variable(f"_seq{fresh[0]}")
            out += _expand(left, part, right, fresh)
            left = right
        return out
    if isinstance(p, AlternativePath) and all(isinstance(a, URIRef) for a in p.args):
        return [(s, frozenset(str(a) for a in p.args), o)]
    if isinstance(p, AlternativePath):
        return [(s, None, o)]
    if isinstance(p, MulPath):
        raise _Unbounded
    return [(s, None, o)]


@functools.lru_cache(maxsize=256)
def query_chains(text: str) -> Chains:
    """The chains of a SPARQL constraint or target: each triple pattern reached from ``$this``
    (``?this``) through variables, by every simple path of patterns (kept in
    :mod:`mou_graph.validation.qcache`: rdflib's parser is slow)."""
    from mou_graph.validation.qcache import cached

    def preds(x: Any) -> frozenset[str] | None:
        return None if x is None else frozenset(x)

    def compute(text: str) -> dict[str, Any]:
        c = _query_chains(text)
        return {"linked": [[[sorted(p) if p is not None else None, f] for p, f in chain] for chain in c.linked],
                "loose": [[s, sorted(p) if p is not None else None, o] for s, p, o in c.loose]}

    data = cached("chains", text, compute)
    return Chains(linked=[tuple((preds(p), bool(f)) for p, f in chain) for chain in data["linked"]],
                  loose=[(s, preds(p), o) for s, p, o in data["loose"]])


def _query_chains(text: str) -> Chains:
    from rdflib import BNode, URIRef, Variable
    from rdflib.plugins.sparql import prepareQuery

    out = Chains()
    try:
        patterns = _triples(prepareQuery(text).algebra)
        fresh = [0]
        simple = [e for t in patterns for e in _expand(*t, fresh)]
    except _Unbounded:
        out.loose.append(_ANY)
        return out
    except Exception:  # noqa: BLE001 - a query rdflib cannot read: nothing is known of it
        out.loose.append(_ANY)
        return out

    def joins(term: Any) -> bool:
        return isinstance(term, Variable | BNode)

    this = Variable("this")
    reached: set[int] = set()

    def visit(node: Any, path: tuple[Step, ...], used: frozenset[int]) -> None:
        for i, (s, preds, o) in enumerate(simple):
            if i in used:
                continue
            for near, far, forward in ((s, o, True), (o, s, False)):
                if near != node or not joins(near):
                    continue
                reached.add(i)
                if far == this and path:  # a pattern on $this itself: its own chain (from $this) is exact
                    continue
                out.linked.append((*path, (preds, forward)))
                if joins(far) and far != this and len(path) < _MAX_DEPTH:
                    visit(far, (*path, (preds, forward)), used | {i})

    visit(this, (), frozenset())
    def const(term: Any) -> str | None:
        return str(term) if isinstance(term, URIRef) else None

    out.loose += [(const(s), p, const(o)) for i, (s, p, o) in enumerate(simple) if i not in reached]
    return out


# -- shapes -------------------------------------------------------------------------------------------
def shape_chains(engine: Any, shape: Any, depth: int = 0) -> Chains:
    """The chains of ``shape`` (a :class:`mou_graph.validation.fastshacl.Shape`), its targets included
    when it is a targeted shape (``depth`` 0)."""
    out = Chains()
    if depth > _MAX_DEPTH:
        out.loose.append(_ANY)
        return out
    if depth == 0:
        t = shape.targets
        if t.get("targetClass"):
            out.linked.append(((frozenset({_TYPE}), True),))
        for p in t.get("targetSubjectsOf", []):
            out.linked.append(((frozenset({p.value}), True),))
        for p in t.get("targetObjectsOf", []):
            out.linked.append(((frozenset({p.value}), False),))
        for text in t.get("target", []):
            out.add(query_chains(text))
    on_values: tuple[Step, ...] = ((frozenset({shape.path.value}), True),) if shape.path is not None else ()
    if on_values:
        out.linked.append(on_values)
    params = shape.params
    if params.get("class"):
        out.linked.append((*on_values, (frozenset({_TYPE}), True)))
    for key in ("lessThan", "lessThanOrEquals"):
        for other in params.get(key, []):
            out.linked.append(((frozenset({other.value}), True),))
    nested = [engine.cache[s] for key in ("or", "and", "xone") for lst in params.get(key, [])
              for s in engine.g.items(lst)]
    nested += [engine.cache[s] for key in ("not", "node", "qualifiedValueShape") for s in params.get(key, [])]
    for n in nested:
        out.add(shape_chains(engine, n, depth + 1), on_values)
    for prop in shape.properties:
        if depth == 0 or not on_values:
            out.add(shape_chains(engine, prop, depth + 1))
        else:  # a property shape of a property shape: its results are about the values
            out.loose.append(_ANY)
    for c in shape.sparql:
        out.add(query_chains(c.text))
    return out


# -- walking a change back to its focus nodes ----------------------------------------------------------
def _matches(preds: frozenset[str] | None, p: str) -> bool:
    return preds is None or p in preds


def _same(iri: str | None, term: Any) -> bool:
    """A pattern's constant IRI (None: a variable, or a constant not compared) matches ``term``."""
    return iri is None or (type(term).__name__ == "NamedNode" and term.value == iri)


TOO_MANY = frozenset({"more nodes than the limit"})


def affected(engine: Any, store: Any, changed: Iterable[Any], removed: Iterable[Any] = (),
             limit: int | None = None) -> set[Any] | frozenset[str] | None:
    """The nodes whose results ``changed`` triples (added and removed, the store holding the
    new state; ``removed`` again so that paths through them are walked too) can alter; None
    when that is unknown (validate the whole graph), :data:`TOO_MANY` past ``limit`` nodes."""
    import pyoxigraph

    gone = list(removed)
    changed = list(changed)
    by_object: dict[Any, list[Any]] = {}
    by_subject: dict[Any, list[Any]] = {}
    for t in gone:
        by_object.setdefault(t.object, []).append(t)
        by_subject.setdefault(t.subject, []).append(t)
    cache: dict[tuple[Any, frozenset[str] | None, bool], set[Any]] = {}

    def back(node: Any, preds: frozenset[str] | None, forward: bool) -> set[Any]:
        """The nodes one step before ``node``: subjects of ``? p node`` (forward) or objects of ``node p ?``."""
        key = (node, preds, forward)
        found = cache.get(key)
        if found is None:
            found = set()
            plist = [pyoxigraph.NamedNode(p) for p in preds] if preds is not None else [None]
            for p in plist:
                if not forward and isinstance(node, pyoxigraph.Literal):
                    continue  # a literal is no subject
                quads = (store.quads_for_pattern(None, p, node, None) if forward
                         else store.quads_for_pattern(node, p, None, None))
                for q in quads:
                    found.add(q.subject if forward else q.object)
                    if limit is not None and len(found) > limit:
                        raise _TooMany
            for t in (by_object if forward else by_subject).get(node, ()):
                if _matches(preds, t.predicate.value):
                    found.add(t.subject if forward else t.object)
            cache[key] = found
        return found

    chains = [shape_chains(engine, s) for s in engine.shapes if not s.deactivated]
    out: set[Any] = set()
    try:
        for t in changed:
            p = t.predicate.value
            if p == RDFS + "subClassOf":  # class targets and sh:class of every node may change
                return None
            out.add(t.subject)
            for ch in chains:
                if any(_matches(preds, p) and _same(sc, t.subject) and _same(oc, t.object)
                       for sc, preds, oc in ch.loose):
                    return None
                for chain in ch.linked:
                    preds, forward = chain[-1]
                    if not _matches(preds, p):
                        continue
                    nodes = {t.subject if forward else t.object}
                    for step_preds, step_forward in reversed(chain[:-1]):
                        nodes = set().union(*(back(n, step_preds, step_forward) for n in nodes)) if nodes else set()
                        if limit is not None and len(nodes) > limit:
                            return TOO_MANY
                    out |= {n for n in nodes if not isinstance(n, pyoxigraph.Literal)}
                    if limit is not None and len(out) > limit:
                        return TOO_MANY
    except _TooMany:
        return TOO_MANY
    return out


class _TooMany(Exception):
    pass
