"""A fast SHACL validator for the constraint components our shapes use, on pyoxigraph.

pyshacl walks rdflib graphs in Python and evaluates ``sh:sparql`` with rdflib's engine; at
ten thousand memoranda that takes minutes. This module gives the same report (focus, path,
value, severity, source shape, constraint component, messages): it reads every predicate it
needs once into a dictionary, checks the core components in plain Python (literal values as
rdflib reads them, so an ill-typed ``"2022-02-30"^^xsd:date`` fails ``sh:datatype``), and runs
each SPARQL-based constraint once over the whole graph on pyoxigraph, ``$this`` left free and
the rows kept whose ``$this`` is a focus node, where :func:`_one_run_is_exact` shows that equals
pre-binding; other constraints run once per focus node with ``$this`` pre-bound.

:func:`unsupported` names what a shapes graph uses that this engine does not evaluate (a
complex path, ``sh:closed``, a SPARQL-based component, ...); :func:`compile_shapes` then
returns ``None`` and :mod:`mou_graph.validation.validate` runs pyshacl instead. tests/test_w3c_shacl.py
runs the W3C SHACL suite against both paths; tests/test_fastshacl.py compares the engines.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mou_graph.io.sparqltext import stray_escape
from mou_graph.vocab import OWL, RDF, RDFS, SH, XSD

__all__ = ["Engine", "compile_shapes", "unsupported"]

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


class Unsupported(Exception):
    """The shapes use something this engine does not evaluate."""


@dataclass
class Shape:
    iri: Any
    name: str | None  # the IRI reported as the shape (a blank shape takes its holder's)
    path: Any = None  # a NamedNode (property shapes only)
    params: dict[str, list[Any]] = field(default_factory=dict)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[Sparql] = field(default_factory=list)
    messages: dict[str, str] = field(default_factory=dict)
    severity: str = "Violation"
    targets: dict[str, list[Any]] = field(default_factory=dict)
    deactivated: bool = False


@dataclass
class Sparql:
    """One SPARQL-based constraint: its query ($PATH replaced), messages and node, and whether
    one run with $this free gives the same rows as one run per focus node with $this bound."""

    text: str
    messages: dict[str, str]
    node: Any
    one_run: bool


class _Shapes:
    def __init__(self, triples: Iterable[Any]) -> None:
        self.spo: dict[Any, dict[str, list[Any]]] = {}
        for t in triples:
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def subjects(self, p: str, o: str) -> list[Any]:
        return [s for s, po in self.spo.items() if any(getattr(x, "value", None) == o for x in po.get(p, []))]

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


def compile_shapes(triples: Iterable[Any], *, need_messages: bool = True) -> Engine | None:
    """An :class:`Engine` for these shape triples (pyoxigraph), or None if unsupported
    (see :func:`unsupported`)."""
    try:
        return Engine(_Shapes(triples), need_messages=need_messages)
    except Unsupported:
        return None


def unsupported(triples: Iterable[Any], *, need_messages: bool = True) -> str | None:
    """Why this engine does not evaluate these shapes (the first construct found that it
    does not support), or None when it does. Such shapes go to pyshacl."""
    try:
        Engine(_Shapes(triples), need_messages=need_messages)
    except Unsupported as err:
        return str(err)
    return None


def _refuse_unsupported(g: _Shapes) -> None:
    """Raise :class:`Unsupported` for what the shapes graph uses that this engine lacks:
    SPARQL-based constraint components (their parameters are not sh: terms, so they would
    otherwise pass silently)."""
    for po in g.spo.values():
        if any(t.value == SH + "ConstraintComponent" for t in po.get(_TYPE, [])) or any(
                SH + k in po for k in ("parameter", "validator", "nodeValidator", "propertyValidator")):
            raise Unsupported("a SPARQL-based constraint component (sh:ConstraintComponent)")


def _messages(g: _Shapes, node: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in g.objs(node, SH + "message"):
        out.setdefault(getattr(m, "language", None) or "en", m.value)
    return out


class Engine:
    """Compiled shapes; :meth:`validate` checks a store (all focus nodes, or some)."""

    def __init__(self, g: _Shapes, *, need_messages: bool = True) -> None:
        self.g = g
        _refuse_unsupported(g)
        self.cache: dict[Any, Shape] = {}
        self.classes = {t.value for t in (*g.subjects(RDFS + "subClassOf", RDFS + "Class"),)} | {
            RDFS + "Class", OWL + "Class"}
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
            if need_messages and (s.params or s.path is not None) and not s.messages:
                raise Unsupported("a shape without sh:message")  # pyshacl's wording is not ours to copy

    def shape(self, node: Any, holder: str | None, prefixes: dict[Any, str]) -> Shape:
        if node in self.cache:
            return self.cache[node]
        g = self.g
        po = g.spo.get(node, {})
        shape = Shape(iri=node, name=holder if _is_blank(node) else node.value)
        self.cache[node] = shape
        shape.deactivated = any(v.value == "true" for v in po.get(SH + "deactivated", []))
        for p, values in po.items():
            if not p.startswith(SH):
                continue
            local = p[len(SH):]
            if local not in _PARAMS and local not in _OTHER:
                raise Unsupported(f"sh:{local}")
            if local == "target":  # SHACL-AF SPARQL targets: the query text
                shape.targets[local] = [self.select(t) for t in values]
            elif local.startswith("target"):
                shape.targets[local] = values
            elif local in _PARAMS and local not in ("property", "sparql"):
                shape.params[local] = values
        if any(getattr(t, "value", None) in self.classes for t in po.get(_TYPE, [])):  # an implicit class target
            shape.targets.setdefault("targetClass", []).append(node)
        path = g.one(node, SH + "path")
        if path is not None:
            if type(path).__name__ != "NamedNode":
                raise Unsupported("a complex sh:path (sequence, inverse, alternative, *, +, ?)")
            shape.path = path
        shape.messages = _messages(g, node)
        severity = g.one(node, SH + "severity")
        shape.severity = severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation"
        for p in g.objs(node, SH + "property"):
            shape.properties.append(self.shape(p, shape.name, prefixes))
        for c in g.objs(node, SH + "sparql"):
            if any(v.value == "true" for v in g.objs(c, SH + "deactivated")):
                continue
            text = self.select(c)
            if stray_escape(text):  # rdflib decodes it before parsing, pyoxigraph refuses the text
                raise Unsupported("a codepoint escape (\\u) outside strings and IRIs in a SPARQL constraint")
            if _REFUSED.search(text):  # SHACL forbids these with pre-binding; pyshacl says so
                raise Unsupported("MINUS, VALUES, SERVICE, a subquery or a re-bound $this in a SPARQL constraint")
            if _PRE_BOUND_OTHER.search(text):
                raise Unsupported("$currentShape or $shapesGraph in a SPARQL constraint")
            if _PATH_VAR.search(text):
                if shape.path is None:
                    raise Unsupported("$PATH in a SPARQL constraint of a node shape")
                text = _PATH_VAR.sub(lambda m: m.group(1) + f"<{shape.path.value}>", text)
            shape.sparql.append(Sparql(text, _messages(g, c) or shape.messages, c, _one_run_is_exact(text)))
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
        sources, todo = [], list(g.objs(node, SH + "prefixes"))
        while todo:  # a source of prefixes, and the ontologies it imports
            src = todo.pop(0)
            if src not in sources:
                sources.append(src)
                todo += g.objs(src, OWL + "imports")
        head = "".join(f"PREFIX {g.one(d, SH + 'prefix').value}: <{g.one(d, SH + 'namespace').value}>\n"
                       for src in sources for d in g.objs(src, SH + "declare"))
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
                out += run.check(shape, node, top=True)
            if shape.sparql and nodes and not shape.deactivated:
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
        """The focus nodes of ``shape`` among ``focus`` (incremental runs: no full scans; a SPARQL
        target runs once for all of them, see :meth:`among`)."""
        t = shape.targets
        by_query: set[Any] = set()
        for text in t.get("target", []):
            by_query |= {row["this"] for row in self.among(text, focus) if row["this"] is not None}
        out = []
        for n in focus:
            hit = (any(self.is_instance(n, c) for c in t.get("targetClass", []))
                   or any(self.values(n, p.value) for p in t.get("targetSubjectsOf", []))
                   or any(next(iter(self.store.quads_for_pattern(None, p, n, None)), None) is not None
                          for p in t.get("targetObjectsOf", []))
                   or n in t.get("targetNode", [])
                   or n in by_query)
            if hit:
                out.append(n)
        return out

    def among(self, text: str, nodes: Iterable[Any]) -> list[Any]:
        """The rows of ``text`` whose ``$this`` is one of ``nodes``, set-based: the nodes travel in a
        ``VALUES`` block at the top of the query's group (a few hundred a query) where one run with
        $this free is exact (:func:`_one_run_is_exact`: then the block only keeps the rows of these
        nodes); otherwise, and for blank nodes (which have no name in a query), one query per node
        with $this pre-bound."""
        this = self.ox.Variable("this")
        named = sorted((n for n in nodes if not _is_blank(n)), key=str)
        blank = [n for n in nodes if _is_blank(n)]
        rows: list[Any] = []
        at = text.find("{")
        if _one_run_is_exact(text) and at >= 0:
            for i in range(0, len(named), _VALUES_CHUNK):
                block = "VALUES ?this { " + " ".join(map(str, named[i:i + _VALUES_CHUNK])) + " }\n"
                solutions = self.store.query(text[:at + 1] + block + text[at + 1:], use_default_graph_as_union=True)
                if this not in solutions.variables:  # $this not projected: the rows cannot say whose they are
                    rows, blank = [], blank + named
                    break
                rows += _rows(solutions)
        else:
            blank += named
        for n in blank:
            rows += [dict(r, this=n) for r in _rows(self.prebound(text, n, this))]
        return rows

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
        return not self.check(shape, node)

    def check(self, shape: Shape, focus: Any, top: bool = False) -> list[dict[str, Any]]:
        """The results of ``focus`` against ``shape`` (``top``: a targeted shape, whose own
        SPARQL constraints :meth:`Engine.validate` runs for all its focus nodes at once)."""
        if shape.deactivated:
            return []
        out: list[dict[str, Any]] = []
        values = self.values(focus, shape.path.value) if shape.path is not None else [focus]
        out += self.components(shape, focus, values)
        for prop in shape.properties:  # a property shape's own property shapes check its values
            for v in values:
                out += self.check(prop, v)
        if shape.sparql and not top:
            out += self.sparql(shape, {focus}, True)
        return out

    def result(self, shape: Shape, focus: Any, value: Any = None, component: str = "",
               messages: dict[str, str] | None = None, path: Any = None) -> dict[str, Any]:
        return {"focus": focus, "path": path if path is not None else shape.path, "value": value,
                "severity": shape.severity, "shape": shape.name, "source": shape.iri,
                "component": SH + component + "ConstraintComponent", "messages": messages or shape.messages}

    def components(self, shape: Shape, focus: Any, values: list[Any]) -> list[dict[str, Any]]:
        p = shape.params
        out: list[dict[str, Any]] = []

        def fail_each(ok: Any, component: str) -> None:
            for v in values:
                if not ok(v):
                    out.append(self.result(shape, focus, v, component))
        if "minCount" in p and len(values) < int(p["minCount"][0].value):
            out.append(self.result(shape, focus, None, "MinCount"))
        if "maxCount" in p and len(values) > int(p["maxCount"][0].value):
            out.append(self.result(shape, focus, None, "MaxCount"))
        for d in p.get("datatype", []):
            fail_each(lambda v, d=d: _has_datatype(v, d.value), "Datatype")
        for k in p.get("nodeKind", []):
            fail_each(lambda v, k=k: _kind_ok(v, k.value), "NodeKind")
        for c in p.get("class", []):
            fail_each(lambda v, c=c: not _is_literal(v) and self.is_instance(v, c), "Class")
        for lst in p.get("languageIn", []):
            langs = [x.value.lower() for x in self.engine.g.items(lst)]
            fail_each(lambda v, langs=langs: _lang_in(v, langs), "LanguageIn")
        if any(x.value == "true" for x in p.get("uniqueLang", [])):
            seen: dict[str, int] = {}
            for v in values:
                lang = (getattr(v, "language", None) or "").lower() if _is_literal(v) else ""
                if lang:
                    seen[lang] = seen.get(lang, 0) + 1
            out += [self.result(shape, focus, None, "UniqueLang") for lang, n in seen.items() if n > 1]
        flags = p.get("flags", [None])[0]
        for pat in p.get("pattern", []):
            rx = re.compile(pat.value, _re_flags(flags.value if flags is not None else ""))
            fail_each(lambda v, rx=rx: not _is_blank(v) and rx.search(v.value) is not None, "Pattern")
        for key, within in (("minLength", lambda n, m: n >= m), ("maxLength", lambda n, m: n <= m)):
            for lim in p.get(key, []):
                fail_each(lambda v, lim=lim, within=within: not _is_blank(v) and within(len(v.value), int(lim.value)),
                          key[0].upper() + key[1:])
        for key, test in (("minInclusive", lambda c: c >= 0), ("maxInclusive", lambda c: c <= 0),
                          ("minExclusive", lambda c: c > 0), ("maxExclusive", lambda c: c < 0)):
            for lim in p.get(key, []):
                fail_each(lambda v, lim=lim, test=test: _in_range(v, lim, test), key[0].upper() + key[1:])
        for h in p.get("hasValue", []):
            if h not in values:
                out.append(self.result(shape, focus, None, "HasValue"))
        for lst in p.get("in", []):
            allowed = self.engine.g.items(lst)
            fail_each(lambda v, allowed=allowed: v in allowed, "In")
        for key, strict in (("lessThan", True), ("lessThanOrEquals", False)):
            for other in p.get(key, []):
                others = self.values(focus, other.value)
                for v in values:
                    for o in others:
                        if not _less(v, o, strict):
                            out.append(self.result(shape, focus, v, key[0].upper() + key[1:]))
        cache = self.engine.cache
        for lst in p.get("or", []):
            members = [cache[s] for s in self.engine.g.items(lst)]
            fail_each(lambda v, ms=members: any(self.conforms(v, m) for m in ms), "Or")
        for lst in p.get("and", []):
            members = [cache[s] for s in self.engine.g.items(lst)]
            fail_each(lambda v, ms=members: all(self.conforms(v, m) for m in ms), "And")
        for lst in p.get("xone", []):
            members = [cache[s] for s in self.engine.g.items(lst)]
            fail_each(lambda v, ms=members: sum(self.conforms(v, m) for m in ms) == 1, "Xone")
        for s in p.get("not", []):
            fail_each(lambda v, m=cache[s]: not self.conforms(v, m), "Not")
        for s in p.get("node", []):
            fail_each(lambda v, m=cache[s]: self.conforms(v, m), "Node")
        for s in p.get("qualifiedValueShape", []):
            n = sum(self.conforms(v, cache[s]) for v in values)
            if "qualifiedMinCount" in p and n < int(p["qualifiedMinCount"][0].value):
                out.append(self.result(shape, focus, None, "QualifiedMinCount"))
            if "qualifiedMaxCount" in p and n > int(p["qualifiedMaxCount"][0].value):
                out.append(self.result(shape, focus, None, "QualifiedMaxCount"))
        return out

    # SPARQL-based constraints
    def prebound(self, text: str, node: Any, this: Any) -> Any:
        """The solutions of ``text`` with $this pre-bound to ``node``: written into the query
        after its first ``{`` (so that nested groups and filters see it too, as pyshacl's
        initial bindings do), or, for a blank node, which has no name in a query, passed to
        pyoxigraph as a substitution."""
        if not _is_blank(node):
            at = text.find("{")
            if at >= 0:
                body = _BOUND_THIS.sub("(true)", text[at:])  # bound($this) holds when pre-bound
                text = text[:at] + _THIS_VAR.sub(lambda m: m.group(1) + str(node), body)
        return self.store.query(text, use_default_graph_as_union=True, substitutions={this: node})

    def sparql(self, shape: Shape, nodes: set[Any], some: bool) -> list[dict[str, Any]]:
        """The results of the shape's SPARQL constraints for ``nodes``: for ``some`` of the graph's
        nodes (an incremental run, a nested shape) set-based (:meth:`among`); for all its focus
        nodes one run with $this free where that is exact, else one run per node."""
        out: list[dict[str, Any]] = []
        for c in shape.sparql:
            if some or not c.one_run:
                rows = self.among(c.text, nodes)
            else:  # all of them: one run, $this free, rows kept for the shape's focus nodes
                rows = _rows(self.store.query(c.text, use_default_graph_as_union=True))
            for binding in rows:
                focus = binding.get("this")
                if focus is None or focus not in nodes:
                    continue
                value = binding.get("value", focus)
                out.append(self.result(shape, focus, value, "SPARQL", _fill(c.messages, binding),
                                       path=binding.get("path")))
        return out


_VALUES_CHUNK = 500


def _rows(solutions: Any) -> list[dict[str, Any]]:
    """The solutions as dicts of the bound variables."""
    names = [v.value for v in solutions.variables]
    return [{k: row[k] for k in names if row[k] is not None} for row in solutions]


_BOUND_THIS = re.compile(r"\bbound\s*\(\s*[$?]this\s*\)", re.I)
_THIS_VAR = re.compile(r"([^\w$?])[$?]this\b")
_PATH_VAR = re.compile(r"([\s{}()])[$?]PATH\b")  # where pyshacl replaces $PATH with the path
_REFUSED = re.compile(  # SHACL forbids these in a constraint that gets $this pre-bound
    r"\b(MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b|\bAS\s+[$?](?-i:this|shapesGraph|currentShape)\b", re.I)
_PRE_BOUND_OTHER = re.compile(r"[$?](currentShape|shapesGraph)\b")


@functools.lru_cache(maxsize=256)
def _one_run_is_exact(text: str) -> bool:
    """See :func:`_one_run_is_exact_uncached` (kept in :mod:`mou_graph.validation.qcache`)."""
    from mou_graph.validation.qcache import cached

    return bool(cached("one-run", text, _one_run_is_exact_uncached))


def _one_run_is_exact_uncached(text: str) -> bool:
    """True when running the query once with $this free and keeping each row by its $this
    gives what a run per focus node with $this pre-bound gives: $this is bound by a triple
    pattern of the top-level group and appears only there, in that group's FILTER and BIND
    expressions or in an OPTIONAL after it (no UNION, nested FILTER, subquery, GROUP BY,
    ORDER BY or LIMIT holds it). Anything else runs once per focus node."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # noqa: BLE001 - rdflib's parser raises many types; pyoxigraph will say what is wrong
        return False
    this = Variable("this")

    def mentions(x: Any) -> bool:
        if x == this:
            return True
        if isinstance(x, dict):
            return any(mentions(v) for k, v in x.items() if k != "_vars")
        if isinstance(x, list | tuple | set):
            return any(mentions(v) for v in x)
        return False

    def walk(node: Any, top: bool) -> tuple[bool, bool]:  # (exact so far, binds $this)
        if not isinstance(node, CompValue):
            return not mentions(node), False
        name = node.name
        if name == "BGP":
            return True, any(this in triple for triple in node.triples)
        if name in ("SelectQuery", "Project", "Distinct", "Reduced", "ToMultiSet"):
            return walk(node.p, top)
        if name == "Filter":  # the group's own filters see the whole group; nested ones do not
            ok, binds = walk(node.p, top)
            return ok and (top or not mentions(node.expr)), binds
        if name == "Extend":
            ok, binds = walk(node.p, False)
            return ok and node.var != this and (binds or not mentions(node.expr)), binds
        if name == "Join":
            (ok1, b1), (ok2, b2) = walk(node.p1, False), walk(node.p2, False)
            return ok1 and ok2, b1 or b2
        if name == "LeftJoin":  # OPTIONAL: joined on $this when the left side binds it
            (ok1, b1), (ok2, _) = walk(node.p1, False), walk(node.p2, False)
            return ok1 and ok2 and (b1 or not (mentions(node.p2) or mentions(node.get("expr")))), b1
        return not mentions(node), False

    ok, binds = walk(algebra, True)
    return ok and binds


def _fill(messages: dict[str, str], binding: dict[str, Any]) -> dict[str, str]:
    def sub(m: re.Match[str]) -> str:
        term = binding.get(m.group(1))
        return m.group(0) if term is None else term.value

    return {lang: re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, text) for lang, text in messages.items()}


def _is_literal(v: Any) -> bool:
    return type(v).__name__ == "Literal"


def _is_blank(v: Any) -> bool:
    return type(v).__name__ == "BlankNode"


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


@functools.lru_cache(maxsize=1 << 16)
def _rdf(v: Any) -> Any:
    """The rdflib term for a pyoxigraph term: a literal's value (and whether it is ill-typed,
    such as "2022-02-30"^^xsd:date) as rdflib reads it, which is what pyshacl compares."""
    import rdflib

    if _is_literal(v):
        if v.language:
            return rdflib.Literal(v.value, lang=v.language)
        if v.datatype.value == XSD + "string":
            return rdflib.Literal(v.value)
        return rdflib.Literal(v.value, datatype=rdflib.URIRef(v.datatype.value))
    return rdflib.BNode(v.value) if _is_blank(v) else rdflib.URIRef(v.value)


def _has_datatype(v: Any, rule: str) -> bool:
    """sh:datatype: the literal has the datatype and its lexical form is valid for it."""
    if not _is_literal(v):
        return False
    lit = _rdf(v)
    dt = str(lit.datatype) if lit.datatype is not None else None
    if dt == rule:
        return getattr(lit, "ill_typed", None) is not True and _value_fits(lit.value, rule)
    if rule == RDFS + "Literal":
        return True
    if rule == RDFS + "Datatype":
        return dt is not None
    if rule == XSD + "string" and dt is None and not lit.language:
        return isinstance(lit.value, str)
    return rule == RDF + "langString" and bool(lit.language)


def _value_fits(value: Any, rule: str) -> bool:
    import datetime

    kinds = {XSD + "string": str, RDF + "langString": str, XSD + "integer": int, XSD + "float": float,
             XSD + "decimal": Decimal, XSD + "boolean": bool, XSD + "date": datetime.date,
             XSD + "time": datetime.time, XSD + "dateTime": datetime.datetime}
    kind = kinds.get(rule)
    return kind is None or isinstance(value, kind)


def _order(a: Any, b: Any) -> int:
    """-1, 0 or 1 for two rdflib literals; TypeError when they cannot be compared (a dateTime
    with a time zone and one without, a number and a date)."""
    import datetime

    if a.eq(b):
        return 0
    x: Any = a.value
    y: Any = b.value
    if isinstance(a.value, datetime.datetime | datetime.time) and type(x) is type(y):
        return 0 if x == y else 1 if x > y else -1
    return 1 if a > b else -1


def _in_range(v: Any, lim: Any, test: Callable[[int], bool]) -> bool:
    if not _is_literal(v):
        return False
    a, m = _rdf(v), _rdf(lim)
    if isinstance(a.value, str) != isinstance(m.value, str):
        return False
    try:
        return bool(test(_order(a, m)))
    except (TypeError, NotImplementedError):
        return False


def _less(v: Any, o: Any, strict: bool) -> bool:
    """sh:lessThan / sh:lessThanOrEquals for one pair (IRIs and strings compare as text)."""
    if _is_blank(v) or _is_blank(o):
        return False

    def side(x: Any) -> tuple[Any, bool]:
        if not _is_literal(x):
            return x.value, True
        lit = _rdf(x)
        return (lit.value, True) if isinstance(lit.value, str) else (lit, False)

    (a, a_text), (b, b_text) = side(v), side(o)
    if a_text != b_text:
        return False
    try:
        return bool(a < b if strict else a <= b)
    except (TypeError, NotImplementedError):
        return False
