"""A fast SHACL validator for the constraint components our shapes use, on pyoxigraph.

pyshacl walks rdflib graphs in Python and evaluates ``sh:sparql`` with rdflib's engine; at
ten thousand memoranda that takes minutes. This module gives the same report (focus, path,
value, severity, shape, messages): it reads every predicate it needs once into a dictionary,
checks the core components in plain Python, and runs each SPARQL-based constraint ONCE over
the whole graph on pyoxigraph, ``$this`` left free and the rows kept whose ``$this`` is a
focus node of the shape (the same as pre-binding for constraints where ``$this`` is bound by a
triple pattern of the top-level group, as in ours; tests/test_fastshacl.py compares the two
reports on the real graph, on every broken fixture and on a synthetic corpus).

:func:`compile_shapes` returns ``None`` for shapes it does not fully support (a component or
path it does not know, a shape without ``sh:message``): :mod:`mou_graph.validate` then runs
pyshacl instead, so the answer is always right, if slower.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["Engine", "compile_shapes"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE = RDF + "type"
_PARAMS = {  # constraint parameters we evaluate
    "minCount", "maxCount", "datatype", "nodeKind", "class", "languageIn", "uniqueLang", "pattern", "flags",
    "minLength", "maxLength", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "hasValue", "in",
    "lessThan", "lessThanOrEquals", "or", "and", "not", "xone", "node", "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "sparql", "property",
}
_OTHER = {  # shape vocabulary that is not a constraint
    "path", "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "name", "description", "message",
    "severity", "order", "group", "defaultValue", "declare", "prefixes", "deactivated", "target",
}
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                              "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                              "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class Unsupported(Exception):
    """The shapes use something this engine does not evaluate."""


@dataclass
class Shape:
    iri: Any
    name: str | None  # the IRI reported as the shape (a blank shape takes its holder's)
    path: Any = None  # a NamedNode (property shapes only)
    params: dict[str, list[Any]] = field(default_factory=dict)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (query text, messages)
    messages: dict[str, str] = field(default_factory=dict)
    severity: str = "Violation"
    targets: dict[str, list[Any]] = field(default_factory=dict)


class _Shapes:
    def __init__(self, triples: Iterable[Any]) -> None:
        self.spo: dict[Any, dict[str, list[Any]]] = {}
        for t in triples:
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def objs(self, s: Any, p: str) -> list[Any]:
        return self.spo.get(s, {}).get(p, [])

    def one(self, s: Any, p: str) -> Any:
        values = self.objs(s, p)
        return values[0] if values else None

    def items(self, head: Any) -> list[Any]:
        out = []
        while head is not None and getattr(head, "value", None) != RDF + "nil":
            out.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return out


def compile_shapes(triples: Iterable[Any]) -> Engine | None:
    """An :class:`Engine` for these shape triples (pyoxigraph), or None if unsupported."""
    try:
        return Engine(_Shapes(triples))
    except Unsupported:
        return None


def _messages(g: _Shapes, node: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in g.objs(node, SH + "message"):
        out.setdefault(getattr(m, "language", None) or "en", m.value)
    return out


class Engine:
    """Compiled shapes; :meth:`validate` checks a store (all focus nodes, or some)."""

    def __init__(self, g: _Shapes) -> None:
        self.g = g
        self.cache: dict[Any, Shape] = {}
        prefixes: dict[Any, str] = {}
        roots = [s for s, po in g.spo.items()
                 if any(t.value in (SH + "NodeShape", SH + "PropertyShape") for t in po.get(_TYPE, []))
                 or any(SH + k in po for k in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"))]
        self.shapes = [self.shape(s, None, prefixes) for s in roots]
        self.shapes = [s for s in self.shapes if s.targets]
        todo = list(self.shapes)
        while todo:  # every shape that reports must say what is wrong in its own words
            s = todo.pop()
            todo += s.properties
            if (s.params or s.path is not None) and not s.messages:
                raise Unsupported("a shape without sh:message")  # pyshacl's wording is not ours to copy

    def shape(self, node: Any, holder: str | None, prefixes: dict[Any, str]) -> Shape:
        if node in self.cache:
            return self.cache[node]
        g = self.g
        po = g.spo.get(node, {})
        is_blank = not hasattr(node, "value") or type(node).__name__ == "BlankNode"
        shape = Shape(iri=node, name=holder if is_blank else node.value)
        self.cache[node] = shape
        if any(v.value == "true" for v in po.get(SH + "deactivated", [])):
            raise Unsupported("sh:deactivated")
        for p, values in po.items():
            if not p.startswith(SH):
                continue
            local = p[len(SH):]
            if local not in _PARAMS and local not in _OTHER:
                raise Unsupported(local)
            if local == "target":  # SHACL-AF SPARQL targets: the query text
                shape.targets[local] = [self.select(t) for t in values]
            elif local.startswith("target"):
                shape.targets[local] = values
            elif local in _PARAMS and local not in ("property", "sparql"):
                shape.params[local] = values
        path = g.one(node, SH + "path")
        if path is not None:
            if type(path).__name__ != "NamedNode":
                raise Unsupported("complex sh:path")
            shape.path = path
        shape.messages = _messages(g, node)
        severity = g.one(node, SH + "severity")
        shape.severity = severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation"
        for p in g.objs(node, SH + "property"):
            shape.properties.append(self.shape(p, shape.name, prefixes))
        for c in g.objs(node, SH + "sparql"):
            if any(v.value == "true" for v in g.objs(c, SH + "deactivated")):
                continue
            shape.sparql.append((self.select(c), _messages(g, c) or shape.messages))
        for nested in ("or", "and", "xone"):
            for lst in shape.params.get(nested, []):
                for s in g.items(lst):
                    self.shape(s, shape.name, prefixes)
        for nested in ("not", "node", "qualifiedValueShape"):
            for s in shape.params.get(nested, []):
                self.shape(s, shape.name, prefixes)
        if shape.params.get("qualifiedValueShape") and any(
                v.value == "true" for v in g.objs(node, SH + "qualifiedValueShapesDisjoint")):
            raise Unsupported("sh:qualifiedValueShapesDisjoint")
        return shape

    def select(self, node: Any) -> str:
        """The text of an ``sh:select`` with the PREFIX lines its ``sh:prefixes`` declare."""
        g = self.g
        select = g.one(node, SH + "select")
        if select is None:
            raise Unsupported("a SPARQL constraint or target without sh:select")
        head = "".join(f"PREFIX {g.one(d, SH + 'prefix').value}: <{g.one(d, SH + 'namespace').value}>\n"
                       for src in g.objs(node, SH + "prefixes") for d in g.objs(src, SH + "declare"))
        return head + select.value

    # -- the run -------------------------------------------------------------------------
    def validate(self, store: Any, focus: set[Any] | None = None,
                 progress: Callable[[str | None, float], None] | None = None) -> list[dict[str, Any]]:
        """Results as dicts (focus, path, value, severity, shape, messages: pyoxigraph terms
        and strings); with ``focus``, only those focus nodes are checked. ``progress`` is
        called after each shape with its name and the seconds it took."""
        run = _Run(self, store, focus)
        out: list[dict[str, Any]] = []
        for shape in self.shapes:
            t0 = time.perf_counter()
            nodes = run.targets(shape)
            for node in nodes:
                out += run.check(shape, node)
            if shape.sparql and nodes:
                out += run.sparql(shape, set(nodes), focus is not None)
            if progress is not None:
                progress(shape.name, time.perf_counter() - t0)
        return out


class _Run:
    def __init__(self, engine: Engine, store: Any, focus: set[Any] | None) -> None:
        import pyoxigraph

        self.ox = pyoxigraph
        self.engine = engine
        self.store = store
        self.index: dict[str, dict[Any, list[Any]]] = {}
        self.supers: dict[Any, set[Any]] = {}
        self.narrow = focus is not None
        self.focus = focus
        self._instances: dict[Any, list[Any]] | None = None

    # data access: one pass per predicate (distinct triples of the union of the graphs)
    def by_subject(self, pred: str) -> dict[Any, list[Any]]:
        found = self.index.get(pred)
        if found is None:
            found = {}
            for q in self.store.quads_for_pattern(None, self.ox.NamedNode(pred), None, None):
                values = found.setdefault(q.subject, [])
                if q.object not in values:
                    values.append(q.object)
            self.index[pred] = found
        return found

    def values(self, node: Any, pred: str) -> list[Any]:
        if self.narrow and pred not in self.index:  # a few nodes only: ask the store
            out: list[Any] = []
            for q in self.store.quads_for_pattern(node, self.ox.NamedNode(pred), None, None):
                if q.object not in out:
                    out.append(q.object)
            return out
        return self.by_subject(pred).get(node, [])

    def superclasses(self, cls: Any) -> set[Any]:
        found = self.supers.get(cls)
        if found is None:
            found, todo = set(), [cls]
            sub = self.by_subject(RDFS + "subClassOf")
            while todo:
                c = todo.pop()
                if c not in found:
                    found.add(c)
                    todo += sub.get(c, [])
            self.supers[cls] = found
        return found

    def is_instance(self, node: Any, cls: Any) -> bool:
        return any(cls in self.superclasses(t) for t in self.values(node, _TYPE))

    def targets(self, shape: Shape) -> list[Any]:
        if self.focus is not None:
            return self.targets_among(shape, self.focus)
        nodes: dict[Any, None] = {}
        for cls in shape.targets.get("targetClass", []):
            nodes.update(dict.fromkeys(self.instances().get(cls, ())))
        for p in shape.targets.get("targetSubjectsOf", []):
            nodes.update(dict.fromkeys(self.by_subject(p.value)))
        for p in shape.targets.get("targetObjectsOf", []):
            for vs in self.by_subject(p.value).values():
                nodes.update(dict.fromkeys(vs))
        nodes.update(dict.fromkeys(shape.targets.get("targetNode", [])))
        for text in shape.targets.get("target", []):
            for row in self.store.query(text, use_default_graph_as_union=True):
                if row["this"] is not None:
                    nodes[row["this"]] = None
        return list(nodes)

    def targets_among(self, shape: Shape, focus: set[Any]) -> list[Any]:
        """The focus nodes of ``shape`` among ``focus`` (incremental runs: no full scans)."""
        out = []
        this = self.ox.Variable("this")
        for n in focus:
            t = shape.targets
            hit = (any(self.is_instance(n, c) for c in t.get("targetClass", []))
                   or any(self.values(n, p.value) for p in t.get("targetSubjectsOf", []))
                   or any(next(iter(self.store.quads_for_pattern(None, p, n, None)), None) is not None
                          for p in t.get("targetObjectsOf", []))
                   or n in t.get("targetNode", [])
                   or any(any(row["this"] == n for row in self.store.query(
                       text, use_default_graph_as_union=True, substitutions={this: n}))
                       for text in t.get("target", [])))
            if hit:
                out.append(n)
        return out

    def instances(self) -> dict[Any, list[Any]]:
        """class -> its instances (rdf:type/rdfs:subClassOf*), built once per run."""
        if self._instances is None:
            self._instances = {}
            for s, ts in self.by_subject(_TYPE).items():
                for cls in {c for t in ts for c in self.superclasses(t)}:
                    self._instances.setdefault(cls, []).append(s)
        return self._instances

    # core components
    def conforms(self, node: Any, shape: Shape) -> bool:
        return not self.check(shape, node, sparql=True)

    def check(self, shape: Shape, focus: Any, sparql: bool = False) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        values = self.values(focus, shape.path.value) if shape.path is not None else [focus]
        out += self.components(shape, focus, values)
        for prop in shape.properties:
            out += self.check(prop, focus)
        if sparql and shape.sparql:  # inside sh:or/sh:node only
            out += self.sparql(shape, {focus}, True)
        return out

    def result(self, shape: Shape, focus: Any, value: Any = None, messages: dict[str, str] | None = None,
               path: Any = None) -> dict[str, Any]:
        return {"focus": focus, "path": path if path is not None else shape.path, "value": value,
                "severity": shape.severity, "shape": shape.name, "messages": messages or shape.messages}

    def components(self, shape: Shape, focus: Any, values: list[Any]) -> list[dict[str, Any]]:  # noqa: C901
        p = shape.params
        out: list[dict[str, Any]] = []

        def fail_each(ok: Any) -> None:
            for v in values:
                if not ok(v):
                    out.append(self.result(shape, focus, v))
        if "minCount" in p and len(values) < int(p["minCount"][0].value):
            out.append(self.result(shape, focus))
        if "maxCount" in p and len(values) > int(p["maxCount"][0].value):
            out.append(self.result(shape, focus))
        for d in p.get("datatype", []):
            fail_each(lambda v, d=d: _is_literal(v) and _datatype(v) == d.value)
        for k in p.get("nodeKind", []):
            fail_each(lambda v, k=k: _kind_ok(v, k.value))
        for c in p.get("class", []):
            fail_each(lambda v, c=c: not _is_literal(v) and self.is_instance(v, c))
        for lst in p.get("languageIn", []):
            langs = [x.value.lower() for x in self.engine.g.items(lst)]
            fail_each(lambda v, langs=langs: _lang_in(v, langs))
        if any(x.value == "true" for x in p.get("uniqueLang", [])):
            seen: dict[str, int] = {}
            for v in values:
                lang = (getattr(v, "language", None) or "").lower()
                if lang:
                    seen[lang] = seen.get(lang, 0) + 1
            out += [self.result(shape, focus) for lang, n in seen.items() if n > 1]
        flags = p.get("flags", [None])[0]
        for pat in p.get("pattern", []):
            rx = re.compile(pat.value, _re_flags(flags.value if flags is not None else ""))
            fail_each(lambda v, rx=rx: not _is_blank(v) and rx.search(v.value) is not None)
        for key, test in (("minLength", lambda n, m: n >= m), ("maxLength", lambda n, m: n <= m)):
            for lim in p.get(key, []):
                fail_each(lambda v, lim=lim, test=test: not _is_blank(v) and test(len(v.value), int(lim.value)))
        for key, test in (("minInclusive", lambda a, b: a >= b), ("maxInclusive", lambda a, b: a <= b),
                          ("minExclusive", lambda a, b: a > b), ("maxExclusive", lambda a, b: a < b)):
            for lim in p.get(key, []):
                fail_each(lambda v, lim=lim, test=test: _compare(v, lim, test))
        for h in p.get("hasValue", []):
            if h not in values:
                out.append(self.result(shape, focus))
        for lst in p.get("in", []):
            allowed = self.engine.g.items(lst)
            fail_each(lambda v, allowed=allowed: v in allowed)
        for key, test in (("lessThan", lambda a, b: a < b), ("lessThanOrEquals", lambda a, b: a <= b)):
            for other in p.get(key, []):
                others = self.values(focus, other.value)
                for v in values:
                    for o in others:
                        if not _compare(v, o, test):
                            out.append(self.result(shape, focus, v))
        cache = self.engine.cache
        for lst in p.get("or", []):
            members = [cache[s] for s in self.engine.g.items(lst)]
            fail_each(lambda v, ms=members: any(self.conforms(v, m) for m in ms))
        for lst in p.get("and", []):
            members = [cache[s] for s in self.engine.g.items(lst)]
            fail_each(lambda v, ms=members: all(self.conforms(v, m) for m in ms))
        for lst in p.get("xone", []):
            members = [cache[s] for s in self.engine.g.items(lst)]
            fail_each(lambda v, ms=members: sum(self.conforms(v, m) for m in ms) == 1)
        for s in p.get("not", []):
            fail_each(lambda v, m=cache[s]: not self.conforms(v, m))
        for s in p.get("node", []):
            fail_each(lambda v, m=cache[s]: self.conforms(v, m))
        for s in p.get("qualifiedValueShape", []):
            n = sum(self.conforms(v, cache[s]) for v in values)
            if "qualifiedMinCount" in p and n < int(p["qualifiedMinCount"][0].value):
                out.append(self.result(shape, focus))
            if "qualifiedMaxCount" in p and n > int(p["qualifiedMaxCount"][0].value):
                out.append(self.result(shape, focus))
        return out

    # SPARQL-based constraints
    def sparql(self, shape: Shape, nodes: set[Any], per_node: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        this = self.ox.Variable("this")
        for text, messages in shape.sparql:
            if per_node:  # a few focus nodes: pre-bind $this, as the SHACL specification says
                runs = [self.store.query(text, use_default_graph_as_union=True, substitutions={this: n})
                        for n in nodes]
            else:  # all of them: one run, $this free, rows kept for the shape's focus nodes
                runs = [self.store.query(text, use_default_graph_as_union=True)]
            for solutions in runs:
                names = [v.value for v in solutions.variables]
                for row in solutions:
                    focus = row["this"]
                    if focus is None or focus not in nodes:
                        continue
                    binding = {n: row[n] for n in names if row[n] is not None}
                    value = binding.get("value", focus)
                    out.append(self.result(shape, focus, value, _fill(messages, binding), path=binding.get("path")))
        return out


def _fill(messages: dict[str, str], binding: dict[str, Any]) -> dict[str, str]:
    def sub(m: re.Match[str]) -> str:
        term = binding.get(m.group(1))
        return m.group(0) if term is None else term.value

    return {lang: re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, text) for lang, text in messages.items()}


def _is_literal(v: Any) -> bool:
    return type(v).__name__ == "Literal"


def _is_blank(v: Any) -> bool:
    return type(v).__name__ == "BlankNode"


def _datatype(v: Any) -> str:
    return RDF + "langString" if getattr(v, "language", None) else v.datatype.value


def _kind_ok(v: Any, kind: str) -> bool:
    k = type(v).__name__
    allowed = {SH + "IRI": {"NamedNode"}, SH + "Literal": {"Literal"}, SH + "BlankNode": {"BlankNode"},
               SH + "BlankNodeOrIRI": {"BlankNode", "NamedNode"}, SH + "BlankNodeOrLiteral": {"BlankNode", "Literal"},
               SH + "IRIOrLiteral": {"NamedNode", "Literal"}}
    return k in allowed.get(kind, set())


def _lang_in(v: Any, langs: list[str]) -> bool:
    lang = (getattr(v, "language", None) or "").lower() if _is_literal(v) else ""
    return bool(lang) and any(lang == x or lang.startswith(x + "-") or x == "*" for x in langs)


def _re_flags(flags: str) -> int:
    out = 0
    for f, bit in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if f in flags:
            out |= bit
    return out


def _key(v: Any) -> tuple[str, Any] | None:
    if not _is_literal(v) or getattr(v, "language", None):
        return None
    dt = v.datatype.value
    if dt in _NUMERIC:
        try:
            return ("n", Decimal(v.value))
        except InvalidOperation:
            return None
    if dt in (XSD + "date", XSD + "dateTime", XSD + "string", XSD + "time", XSD + "gYear"):
        return (dt, v.value)
    return None


def _compare(a: Any, b: Any, test: Any) -> bool:
    ka, kb = _key(a), _key(b)
    return ka is not None and kb is not None and ka[0] == kb[0] and bool(test(ka[1], kb[1]))
