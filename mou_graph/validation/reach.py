"""What a change can affect: the focus nodes whose validation results a set of changed triples
can alter, found from the shapes themselves (incremental validation).

Each targeted shape is read once into *chains*: the links a focus node's results depend on, as
steps from the focus (``(predicates, forward)``; ``None`` for any predicate). A property shape on
``p`` depends on the triples ``focus p ?v``; its ``sh:class`` on ``?v rdf:type``; a nested shape on
what that shape depends on from ``?v``; a class target on ``focus rdf:type``; a SPARQL constraint or
target on every triple pattern of its query reachable from ``$this`` through variables (in
``FILTER EXISTS`` and ``OPTIONAL`` too), through patterns of its own group or the groups around
it only (not a sibling ``OPTIONAL``, which may not match). A changed triple matching the last step
of a chain is walked back along the chain, through those predicates only, to the focus nodes it
reaches; where several chains lead to one pattern, every one bounds them and the narrowest is
taken. A pattern that no such path joins to ``$this`` (or a path with ``*``, ``+`` or ``?``) could
affect any focus node of its shape: the change is then *global* and the whole graph is validated.

>>> chains = query_chains("SELECT $this WHERE { $this <http://x/p> ?v . ?v <http://x/q> ?w }")
>>> sorted((len(c), c[-1][0]) for alternatives in chains.linked for c in alternatives)
[(1, frozenset({'http://x/p'})), (2, frozenset({'http://x/q'}))]
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mou_graph.vocab import RDF, RDFS

__all__ = ["TOO_MANY", "Chains", "affected", "query_chains", "shape_chains"]

_TYPE = RDF + "type"
Step = tuple[frozenset[str] | None, bool]  # (the predicates, or None for any; forward: focus side is the subject)
Chain = tuple[Step, ...]
_MAX_DEPTH = 6  # nested shapes (and query patterns) followed this deep; deeper is global
_ANY = (None, None, None)  # a loose pattern that every change matches


@dataclass
class Chains:
    """The chains of one shape: ``linked``, the links walked back to the focus, each the
    alternative chains to one pattern (the change's focus nodes are in what every one of them
    reaches, so the walk takes the narrowest); ``loose``, patterns not joined to ``$this`` (a
    matching change is global)."""

    linked: list[tuple[Chain, ...]] = field(default_factory=list)
    loose: list[tuple[str | None, frozenset[str] | None, str | None]] = field(default_factory=list)

    def add(self, other: Chains, prefix: Chain = ()) -> None:
        self.linked += [tuple(prefix + c for c in alternatives) for alternatives in other.linked]
        self.loose += other.loose


# -- SPARQL -------------------------------------------------------------------------------------------
Scope = tuple[int, ...]  # the groups a pattern sits in, outermost first (an OPTIONAL, a UNION branch, an EXISTS)


def _patterns(algebra: Any) -> list[tuple[tuple[Any, Any, Any], Scope]]:
    """Every triple pattern of an rdflib algebra (BGPs, EXISTS groups, OPTIONALs), with its scope.

    A pattern binds together with the patterns of its own group and of the groups around it, not
    with those of a sibling (another OPTIONAL, the other side of a UNION): a path of patterns from
    ``$this`` bounds the focus nodes of its last pattern only when every pattern on it is in one of
    those groups. A subquery (its variables are its own) is one pattern on anything."""
    found: list[tuple[tuple[Any, Any, Any], Scope]] = []
    seen: set[int] = set()
    groups = [0]

    def group(scope: Scope) -> Scope:
        groups[0] += 1
        return (*scope, groups[0])

    def walk(x: Any, scope: Scope) -> None:
        if id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, dict):
            name = getattr(x, "name", None)
            if name in ("ToMultiSet", "SubSelect"):
                found.append(((None, None, None), scope))
                return
            inner = group(scope) if name in _GROUPS else scope
            optional = group(scope) if name == "LeftJoin" else scope  # the OPTIONAL side and its filter
            for k, v in x.items():
                if k == "_vars":
                    continue
                if k == "triples" and isinstance(v, list | tuple):
                    for t in v:  # a BGP's triples; an untranslated block (in EXISTS) lists them flat
                        if isinstance(t, list | tuple) and len(t) % 3 == 0:
                            found.extend((tuple(t[i:i + 3]), scope) for i in range(0, len(t), 3))
                        else:
                            found.append(((None, None, None), scope))
                elif name == "LeftJoin" and k in ("p2", "expr"):
                    walk(v, optional)
                elif (name == "Union" and k in ("p1", "p2")) or (name == "Minus" and k == "p2"):
                    walk(v, group(scope))
                elif name == "GroupOrUnionGraphPattern" and isinstance(v, list | tuple):
                    for branch in v:
                        walk(branch, group(scope))
                else:
                    walk(v, inner)
        elif isinstance(x, list | tuple):
            for v in x:
                walk(v, scope)

    walk(algebra, ())
    return found


# the algebra's nodes (translated or, inside EXISTS, not) whose contents are a group of their own
_GROUPS = frozenset({"Builtin_EXISTS", "Builtin_NOTEXISTS", "OptionalGraphPattern",
                     "MinusGraphPattern", "GraphGraphPattern", "ServiceGraphPattern", "Graph", "Service"})


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
        return {"linked": [[[[sorted(p) if p is not None else None, f] for p, f in chain] for chain in alternatives]
                           for alternatives in c.linked],
                "loose": [[s, sorted(p) if p is not None else None, o] for s, p, o in c.loose]}

    data = cached("chains", text, compute)
    return Chains(linked=[tuple(tuple((preds(p), bool(f)) for p, f in chain) for chain in alternatives)
                          for alternatives in data["linked"]],
                  loose=[(s, preds(p), o) for s, p, o in data["loose"]])


def _query_chains(text: str) -> Chains:
    from rdflib import BNode, URIRef, Variable
    from rdflib.plugins.sparql import prepareQuery

    out = Chains()
    try:
        fresh = [0]
        simple = [(*e, scope) for t, scope in _patterns(prepareQuery(text).algebra) for e in _expand(*t, fresh)]
    except _Unbounded:
        out.loose.append(_ANY)
        return out
    except Exception:  # noqa: BLE001 - a query rdflib cannot read: nothing is known of it
        out.loose.append(_ANY)
        return out

    def joins(term: Any) -> bool:
        return isinstance(term, Variable | BNode)

    def around(outer: Scope, inner: Scope) -> bool:
        return inner[:len(outer)] == outer

    this = Variable("this")
    chains: dict[int, list[Chain]] = {}  # pattern -> the chains that bound it

    def visit(node: Any, path: Chain, used: tuple[int, ...]) -> None:
        for i, (s, preds, o, scope) in enumerate(simple):
            if i in used:
                continue
            for near, far, forward in ((s, o, True), (o, s, False)):
                if near != node or not joins(near):
                    continue
                if far == this and path:  # a pattern on $this itself: its own chain (from $this) is exact
                    continue
                chain = (*path, (preds, forward))
                if all(around(simple[j][3], scope) for j in used):
                    chains.setdefault(i, []).append(chain)
                if joins(far) and far != this and len(path) < _MAX_DEPTH:
                    visit(far, chain, (*used, i))

    visit(this, (), ())

    def const(term: Any) -> str | None:
        return str(term) if isinstance(term, URIRef) else None

    out.linked += [tuple(dict.fromkeys(chains[i])) for i in sorted(chains)]
    out.loose += [(const(s), p, const(o)) for i, (s, p, o, _scope) in enumerate(simple) if i not in chains]
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
            out.linked.append((((frozenset({_TYPE}), True),),))
        for p in t.get("targetSubjectsOf", []):
            out.linked.append((((frozenset({p.value}), True),),))
        for p in t.get("targetObjectsOf", []):
            out.linked.append((((frozenset({p.value}), False),),))
        for text in t.get("target", []):
            out.add(query_chains(text))
    on_values: tuple[Step, ...] = ((frozenset({shape.path.value}), True),) if shape.path is not None else ()
    if on_values:
        out.linked.append((on_values,))
    params = shape.params
    if params.get("class"):
        out.linked.append(((*on_values, (frozenset({_TYPE}), True)),))
    for key in ("lessThan", "lessThanOrEquals"):
        for other in params.get(key, []):
            out.linked.append((((frozenset({other.value}), True),),))
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
    when that is unknown (validate the whole graph), :data:`TOO_MANY` past ``limit`` nodes.

    Where a pattern is bound to ``$this`` by several chains, each bounds the nodes: they are
    walked with a growing bound (:data:`_FIRST_BOUND`, then 16 times more) until one or more
    end within it, and what those reach in common is taken. A chain through a term that many
    share (a property named by every claim, a date) is then left for the narrow one beside it."""
    import pyoxigraph

    gone = list(removed)
    changed = list(changed)
    by_object: dict[Any, list[Any]] = {}
    by_subject: dict[Any, list[Any]] = {}
    for t in gone:
        by_object.setdefault(t.object, []).append(t)
        by_subject.setdefault(t.subject, []).append(t)
    cache: dict[tuple[Any, frozenset[str] | None, bool], set[Any]] = {}
    over: dict[tuple[Any, frozenset[str] | None, bool], float] = {}  # the bound a step went past

    def back(node: Any, preds: frozenset[str] | None, forward: bool, bound: float) -> set[Any]:
        """The nodes one step before ``node``: subjects of ``? p node`` (forward) or objects of
        ``node p ?``; :class:`_Over` past ``bound`` of them."""
        key = (node, preds, forward)
        found = cache.get(key)
        if found is not None:
            if len(found) > bound:
                raise _Over
            return found
        if over.get(key, -1) >= bound:
            raise _Over
        found = set()
        plist = [pyoxigraph.NamedNode(p) for p in preds] if preds is not None else [None]
        for p in plist:
            if not forward and isinstance(node, pyoxigraph.Literal):
                continue  # a literal is no subject
            quads = (store.quads_for_pattern(None, p, node, None) if forward
                     else store.quads_for_pattern(node, p, None, None))
            for q in quads:
                found.add(q.subject if forward else q.object)
                if len(found) > bound:
                    over[key] = bound
                    raise _Over
        for t in (by_object if forward else by_subject).get(node, ()):
            if _matches(preds, t.predicate.value):
                found.add(t.subject if forward else t.object)
                if len(found) > bound:
                    over[key] = bound
                    raise _Over
        cache[key] = found
        return found

    def walk(t: Any, chain: Chain, bound: float) -> set[Any]:
        nodes = {t.subject if chain[-1][1] else t.object}
        for step_preds, step_forward in reversed(chain[:-1]):
            ahead: set[Any] = set()
            for n in nodes:
                ahead |= back(n, step_preds, step_forward, bound)
                if len(ahead) > bound:
                    raise _Over
            nodes = ahead
        return nodes

    ceiling = math.inf if limit is None else limit

    def reach(t: Any, chains: tuple[Chain, ...]) -> set[Any]:
        """What ``t`` reaches back along ``chains`` (the alternatives to one pattern)."""
        bound = min(_FIRST_BOUND, ceiling) if len(chains) > 1 else ceiling
        while True:
            ended = []
            for chain in chains:
                with contextlib.suppress(_Over):
                    ended.append(walk(t, chain, bound))
            if ended:
                return set.intersection(*ended)
            if bound >= ceiling:
                raise _TooMany
            bound = min(bound * 16, ceiling)

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
                for alternatives in ch.linked:  # each ends at one pattern: its last step is theirs
                    if not _matches(alternatives[0][-1][0], p):
                        continue
                    out |= {n for n in reach(t, alternatives) if not isinstance(n, pyoxigraph.Literal)}
                    if len(out) > ceiling:
                        return TOO_MANY
    except _TooMany:
        return TOO_MANY
    return out


_FIRST_BOUND = 16  # nodes a chain may reach before a narrower alternative is looked for


class _TooMany(Exception):
    pass


class _Over(Exception):
    pass
