"""Validation: the SHACL shapes (fastshacl, or pyshacl as reference and fallback) plus the text
checks SHACL cannot express.

The report speaks the language asked for, by the package's one fallback rule.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mou_graph.errors import InputError, UsageError
from mou_graph.lang import pick
from mou_graph.vocab import RDFS, SHAPES_NS, SKOS

if TYPE_CHECKING:
    import rdflib

    from mou_graph.store import GraphStore

__all__ = ["Report", "Result", "apply_file", "text_problems", "validate_changes", "validate_file_changes",
           "validate_graph", "validate_store", "validate_store_pyshacl"]

_TEXT_SHAPE = SHAPES_NS + "TextNormalisation"
_LABEL_PROPS = (
    RDFS + "label",
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "definition",
)
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"
_LOWER_VOWELS = "\u0e38\u0e39\u0e3a"


@dataclass(frozen=True)
class Result:
    """One finding: the node it is about, the property, and a message per language."""

    focus: str
    path: str | None
    messages: dict[str, str]
    severity: str = "Violation"
    shape: str | None = None
    value: str | None = None

    def message(self, lang: str) -> str:
        return pick(self.messages, lang) or ""


@dataclass
class Report:
    """The outcome of a validation run."""

    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: rdflib.Graph | None = None
    engine: str = "fastshacl"  # or "pyshacl", the reference and fallback
    # the focus nodes (IRIs) the results are about, for an incremental run; None: the whole graph
    scope: set[str] | None = None

    def merged_into(self, previous: Report) -> Report:
        """The report of the whole graph, from ``previous`` (a whole run before the change) and this
        incremental one: the previous results about the nodes outside :attr:`scope`, and these."""
        if self.scope is None:
            return self
        kept = [r for r in previous.results if r.focus not in self.scope]
        results = kept + self.results
        return Report(conforms=not any(r.severity == "Violation" or r.shape == _TEXT_SHAPE for r in results),
                      results=results, engine=self.engine)

    def to_text(self, lang: str = "th") -> str:
        head = {
            True: {"th": "ผลการตรวจสอบ: ผ่าน", "en": "Validation: the graph conforms", "lo": "ຜົນການກວດສອບ: ຜ່ານ"},
            False: {"th": "ผลการตรวจสอบ: ไม่ผ่าน", "en": "Validation: the graph does not conform",
                    "lo": "ຜົນການກວດສອບ: ບໍ່ຜ່ານ"},
        }[self.conforms]
        lines = [pick(head, lang) or ""]
        if self.results:
            count = {"th": f"พบ {len(self.results)} รายการ", "en": f"{len(self.results)} result(s)"}
            lines.append(pick(count, lang) or "")
        words = {
            "focus": {"th": "โหนด", "en": "focus"},
            "path": {"th": "คุณสมบัติ", "en": "path"},
            "value": {"th": "ค่า", "en": "value"},
            "shape": {"th": "รูปร่าง", "en": "shape"},
        }
        for r in sorted(self.results, key=lambda r: (r.focus, r.path or "", r.message(lang))):
            lines.append("")
            lines.append(f"[{r.severity}] {r.message(lang)}")
            lines.append(f"  {pick(words['focus'], lang)}: <{r.focus}>")
            if r.path:
                lines.append(f"  {pick(words['path'], lang)}: <{r.path}>")
            if r.value is not None:
                lines.append(f"  {pick(words['value'], lang)}: {r.value}")
            if r.shape:
                lines.append(f"  {pick(words['shape'], lang)}: <{r.shape}>")
        return "\n".join(lines) + "\n"

    def to_json(self, lang: str = "th") -> str:
        rows = [dict(asdict(r), message=r.message(lang)) for r in self.results]
        return json.dumps({"conforms": self.conforms, "results": rows}, ensure_ascii=False, indent=2,
                          sort_keys=True) + "\n"

    def to_turtle(self) -> str:
        import rdflib
        from rdflib.namespace import SH

        g = rdflib.Graph()
        if self.graph is not None:
            g += self.graph
        else:
            report = rdflib.BNode()
            g.add((report, rdflib.RDF.type, SH.ValidationReport))
            g.add((report, SH.conforms, rdflib.Literal(self.conforms)))
        g.bind("sh", SH)
        return g.serialize(format="turtle")


def text_problems(store: GraphStore, subjects: Iterable[Any] | None = None) -> list[Result]:
    """Label-like literals that are not clean Unicode Thai: not NFC, sara am typed as
    nikhahit + sara aa (U+0E4D U+0E32), or a tone mark typed before its vowel (of the given
    subjects only, when given)."""
    out: list[Result] = []
    for prop in _LABEL_PROPS:
        quads = (store.match(None, prop) if subjects is None else
                 (q for s in subjects for q in store.match(s, prop)))
        for quad in quads:
            text = quad.object.value
            problems = []
            if unicodedata.normalize("NFC", text) != text:
                problems.append({"th": "ข้อความไม่อยู่ในรูป Unicode NFC", "en": "text is not in Unicode NFC"})
            if "\u0e4d\u0e32" in text:
                problems.append({"th": "สระอำพิมพ์เป็นนิคหิต (U+0E4D) ตามด้วยสระอา (U+0E32) แทน U+0E33",
                                 "en": "sara am typed as nikhahit U+0E4D + sara aa U+0E32 instead of U+0E33"})
            pairs = zip(text, text[1:], strict=False)
            if any(a in _TONE_MARKS and b in _UPPER_VOWELS + _LOWER_VOWELS for a, b in pairs):
                problems.append({"th": "วรรณยุกต์อยู่ก่อนสระ ลำดับอักขระไม่ถูกต้อง",
                                 "en": "a tone mark is typed before its vowel (wrong character order)"})
            for messages in problems:
                out.append(Result(focus=quad.subject.value, path=prop, messages=messages, shape=_TEXT_SHAPE,
                                  value=repr(text)))
    return out


def _text(node: rdflib.term.Node | None) -> str | None:
    return None if node is None else str(node)


def _named_shape(shapes: rdflib.Graph, node: rdflib.term.Node | None) -> str | None:
    """The IRI of the shape a result came from: a blank property shape is named by the
    node shape that holds it."""
    import rdflib
    from rdflib.namespace import SH

    seen = set()
    while isinstance(node, rdflib.BNode) and node not in seen:
        seen.add(node)
        node = next(iter(shapes.subjects(SH.property, node)), None) or next(
            iter(shapes.subjects(SH.sparql, node)), None)
    return None if node is None else str(node)


def validate_store(store: GraphStore) -> Report:
    """Validate the store's graph against ``ontology/shapes.ttl`` and the text checks.

    The shapes run on :mod:`mou_graph.validation.fastshacl` (pyoxigraph) when it supports all they use,
    otherwise (or with ``MOU_GRAPH_SHACL_ENGINE=pyshacl``) on pyshacl: the same report either
    way; ``Report.engine`` says which ran."""
    engine = _engine(store)
    if engine is None:
        return validate_store_pyshacl(store)
    return _report(engine.validate(store.store), text_problems(store))


def validate_changes(store: GraphStore, added: Iterable[Any] = (), removed: Iterable[Any] = ()) -> Report:
    """Validate only the focus nodes a change can affect (incremental validation).

    ``store`` already holds the change; ``added`` and ``removed`` are its quads (or triples).
    The nodes checked are those whose results the changed triples can alter, found from the
    shapes (:func:`mou_graph.validation.reach.affected`: the changed subjects, and the focus nodes
    whose property paths, ``sh:class`` checks and SPARQL patterns reach a changed triple, walked
    back through those predicates only). They are checked set-based (each SPARQL rule once for
    all of them). Where that set is unknown or large (:data:`INCREMENTAL_SHARE` of the typed
    nodes) the whole graph is validated instead, which is then cheaper. Either way the report
    holds the results of the whole graph about those nodes: with the results of an earlier run
    about all other nodes, it is the report of a whole run.
    """
    from mou_graph.validation.reach import TOO_MANY, affected

    engine = _engine(store)
    if engine is None:
        raise InputError("การตรวจเฉพาะส่วนที่เปลี่ยนต้องใช้ mou_graph.validation.fastshacl / incremental validation needs "
                         f"mou_graph.validation.fastshacl (shapes it supports, {ENGINE_VARIABLE} not pyshacl)",
                         path=str(store.settings.shapes))
    added, removed = list(added), list(removed)
    if not added and not removed:
        report = _report([], [])
        report.scope = set()
        return report
    changed = [*added, *removed]
    focus = affected(engine, store.store, changed, removed, limit=1000)
    if focus is TOO_MANY:  # only now is the graph's size worth counting
        focus = affected(engine, store.store, changed, removed,
                         limit=max(1000, int(INCREMENTAL_SHARE * _typed_nodes(store))))
    if focus is TOO_MANY:
        focus = None
    if focus is None:  # the whole graph: cheaper, or the only way to know
        return validate_store(store)
    report = _report(engine.validate(store.store, focus=focus), text_problems(store, subjects=focus))
    report.scope = {n.value for n in focus}
    return report


# past this share of the typed nodes, an incremental run validates the whole graph instead
INCREMENTAL_SHARE = 0.05


def _typed_nodes(store: GraphStore) -> int:
    rows = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }")
    return int(next(iter(rows))["n"].value)


def validate_file_changes(store: GraphStore, path: Path, graph: str = "data") -> Report:
    """Add (or replace) the triples of one file in ``store`` (see :func:`apply_file`) and
    validate what that touches."""
    added, removed = apply_file(store, path, graph)
    return validate_changes(store, added=added, removed=removed)


def apply_file(store: GraphStore, path: Path, graph: str = "data") -> tuple[list[Any], list[Any]]:
    """Put the triples of one file into ``store``: the triples (in ``graph``) of the subjects
    the file describes are replaced by the file's. Returns (added, removed) quads; a file
    that does not parse changes nothing."""
    import pyoxigraph

    from mou_graph.io.rdfio import check_total, parse_file

    target = pyoxigraph.NamedNode(graph if ":" in graph else store.settings.graph_iri(graph))
    triples = parse_file(Path(path), base=store.settings.base, graph=target.value)  # the one input gate
    check_total(store, len(triples), Path(path))
    subjects = {t.subject for t in triples}
    removed = [q for s in subjects for q in store.match(s, graph=target.value)]
    added = [pyoxigraph.Quad(t.subject, t.predicate, t.object, target) for t in triples]
    store.replace(removed, added)
    return added, removed


ENGINE_VARIABLE = "MOU_GRAPH_SHACL_ENGINE"


def _engine(store: GraphStore):  # a fastshacl.Engine, or None
    """The fast engine for the store's shapes, or None where pyshacl must run: the shapes use
    something :func:`mou_graph.validation.fastshacl.unsupported` names, or ``MOU_GRAPH_SHACL_ENGINE=pyshacl``
    asks for the reference (``auto``, the default, takes the fast engine where it can)."""
    import os

    choice = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower() or "auto"
    if choice not in ("auto", "pyshacl"):
        raise UsageError(f"{ENGINE_VARIABLE} ต้องเป็น auto หรือ pyshacl / {ENGINE_VARIABLE} must be auto or pyshacl,"
                         f" not {choice!r}")
    if choice == "pyshacl":
        return None
    path = Path(store.settings.shapes)
    try:
        seen = path.stat()
    except OSError:  # the input gate says what is wrong with it
        seen = None
    if seen is None:
        return _compiled(path, store.settings.base, store.settings.graph_iri("shapes"), None)
    return _compiled(path.resolve(), store.settings.base, store.settings.graph_iri("shapes"),
                     (seen.st_ino, seen.st_size, seen.st_mtime_ns))


@functools.lru_cache(maxsize=4)
def _compiled(path: Path, base: str, graph: str, version: tuple[int, int, int] | None) -> Any:
    """The engine for a shapes file, compiled once per version of the file (an engine is not changed by a
    run; compiling parses every SPARQL rule with rdflib, seconds, where a validation takes milliseconds)."""
    from mou_graph.io.rdfio import parse_file
    from mou_graph.validation.fastshacl import compile_shapes

    quads = parse_file(path, base=base, graph=graph)  # the input gate
    return compile_shapes([q.triple for q in quads])


def _report(found: list[dict[str, Any]], extra: list[Result]) -> Report:
    results = [Result(focus=r["focus"].value, path=r["path"].value if r["path"] is not None else None,
                      messages=dict(r["messages"]), severity=r["severity"], shape=r["shape"],
                      value=r["value"].value if r["value"] is not None else None) for r in found]
    conforms = not any(r.severity == "Violation" for r in results) and not extra
    return Report(conforms=conforms, results=results + extra, graph=_results_graph(conforms, results))


def _results_graph(conforms: bool, results: list[Result]) -> rdflib.Graph:
    """The SHACL validation report as RDF (for ``--format turtle``)."""
    import rdflib
    from rdflib.namespace import SH

    g = rdflib.Graph()
    report = rdflib.BNode()
    g.add((report, rdflib.RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, rdflib.Literal(conforms)))
    for r in results:
        node = rdflib.BNode()
        g.add((report, SH.result, node))
        g.add((node, rdflib.RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, rdflib.URIRef(r.focus)))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        if r.path:
            g.add((node, SH.resultPath, rdflib.URIRef(r.path)))
        if r.shape:
            g.add((node, SH.sourceShape, rdflib.URIRef(r.shape)))
        if r.value is not None:
            g.add((node, SH.value, rdflib.Literal(r.value)))
        for lang, text in sorted(r.messages.items()):
            g.add((node, SH.resultMessage, rdflib.Literal(text, lang=lang)))
    return g


def _pyshacl(data: Any, shapes: Any, *, path: str | None = None, **options: Any) -> tuple[bool, Any]:
    """``pyshacl.validate`` of ``data`` against ``shapes``: (conforms, the results graph), or an
    :class:`InputError` when the validation itself failed. pyshacl then returns its
    ``ValidationFailure`` in the graph's place (a shape's SPARQL it refuses), which the report must not
    read as a graph (that was an ``AttributeError``, exit 2 as an unexpected error), or lets an error
    out of its run (a shape's ``SERVICE`` the sandbox kept from connecting raises ``URLError``)."""
    import pyshacl
    from pyshacl.errors import ValidationFailure

    try:
        conforms, report, _ = pyshacl.validate(_queries_parsed_once(data), shacl_graph=shapes, inference="none",
                                               advanced=True, inplace=True, **options)
    except Exception as err:  # noqa: BLE001 - a shape's SPARQL may raise anything rdflib raises
        report = ValidationFailure(f"{type(err).__name__}: {err}")
    if isinstance(report, ValidationFailure):
        raise InputError(f"the shapes could not be evaluated (pyshacl: {report.message}) / "
                         f"ตรวจสอบข้อมูลตามรูปทรงไม่ได้ (pyshacl: {report.message})", path=path)
    return bool(conforms), report


def _queries_parsed_once(data: rdflib.Graph) -> rdflib.Graph:
    """``data`` (the same triples, not a copy) as a graph whose SPARQL queries are parsed once per text.
    pyshacl asks a rule's query once per focus node, the same text with ``$this`` pre-bound, and rdflib
    parses a text each time it is asked (0.08 s for one of our rules: 60 % of a pyshacl run on the shipped
    graph). A prepared query evaluated with the bindings is what rdflib does with the text, less the parse.
    Its triple patterns are also put in an order that knows the pre-bound variables (:func:`_bound_first`).
    pyshacl is then run ``inplace`` (it would copy the graph into a plain one); every caller hands it a graph
    made for the run, and our shapes have no ``sh:rule`` that could add to it."""
    import rdflib
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    prepared: dict[tuple[str, frozenset[str]], Any] = {}

    class Graph(rdflib.Graph):
        def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
                  initNs: Any = None, initBindings: Any = None,
                  use_store_provided: bool = True, **kwargs: Any) -> Any:
            if isinstance(query_object, str) and processor == "sparql" and not initNs and "base" not in kwargs:
                key = (query_object, frozenset(map(str, initBindings or ())))
                if key not in prepared:
                    query = prepareQuery(query_object)
                    _bound_first(query.algebra, {Variable(name) for name in key[1]})
                    prepared[key] = query
                query_object = prepared[key]
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)

    return Graph(store=data.store, identifier=data.identifier)


def _bound_first(node: Any, known: set[Any]) -> set[Any]:
    """Order the triple patterns of every basic graph pattern under ``node`` (rdflib's algebra, in place)
    so that each comes after the patterns that bind its variables, knowing the variables bound before it
    is evaluated: ``known`` (the query's pre-bound ones, pyshacl's ``$this``), those of a join's or an
    OPTIONAL's left side, and a row's for a ``FILTER (NOT) EXISTS``. rdflib orders a pattern on its own
    text: for ``OPTIONAL { ?e mou:about $this ; a mou:Evidence }`` it begins with every evidence node,
    once per row (200 s of a 220 s run of pySHACL on the broken corpus). The order of a basic graph
    pattern's triples never changes its solutions. Returns the variables bound after ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import BNode, Variable

    def variables(triple: Any) -> set[Any]:
        return {t for t in triple if isinstance(t, (Variable, BNode))}

    if isinstance(node, list):
        for item in node:
            _bound_first(item, known)
        return known
    if not isinstance(node, CompValue):
        return known
    if node.name == "BGP":
        todo, order, bound = list(node.triples), [], set(known)
        while todo:  # fewest unbound variables, then most bound ones, then the text's order
            best = min(range(len(todo)), key=lambda i: (len(variables(todo[i]) - bound),
                                                        -len(variables(todo[i]) & bound), i))
            order.append(todo.pop(best))
            bound |= variables(order[-1])
        node["triples"] = order
        return bound
    if node.name in ("Join", "LeftJoin", "Minus"):  # rdflib evaluates a MINUS's right side on its own
        left = _bound_first(node.p1, known)
        right = _bound_first(node.p2, known if node.name == "Minus" else left)
        if node.name == "LeftJoin":
            _bound_first(node.get("expr"), right)
        return right if node.name == "Join" else left
    if node.name == "Filter":
        inner = _bound_first(node.p, known)
        _bound_first(node.expr, inner)
        return inner
    if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        _bound_first(node.graph, known)
        return known
    after = known
    for key, value in node.items():
        if key == "p":
            after = _bound_first(value, known)
        elif isinstance(value, (CompValue, list)):
            _bound_first(value, known)
    return after


def validate_store_pyshacl(store: GraphStore) -> Report:
    """Validate with pyshacl over an rdflib copy of the graph (the reference, and the
    fallback for shapes :mod:`mou_graph.validation.fastshacl` does not support)."""
    import rdflib
    from rdflib.namespace import SH

    from mou_graph.io.rdfio import read_rdf

    shapes = rdflib.Graph()
    data = read_rdf(store.settings.shapes)  # the input gate's reading and checks
    try:
        shapes.parse(data=data, format="turtle", publicID=store.settings.base)
    except Exception as err:  # noqa: BLE001 - rdflib raises many types for bad input
        raise InputError(f"cannot read the shapes: {err}", path=str(store.settings.shapes)) from None
    graph = store.to_rdflib()
    conforms, results_graph = _pyshacl(graph, shapes, path=str(store.settings.shapes), allow_warnings=True)
    results: list[Result] = []
    for node in results_graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        messages: dict[str, str] = {}
        for msg in results_graph.objects(node, SH.resultMessage):
            lang = getattr(msg, "language", None) or "en"
            messages.setdefault(lang, str(msg))
        severity = results_graph.value(node, SH.resultSeverity)
        results.append(
            Result(
                focus=str(results_graph.value(node, SH.focusNode)),
                path=_text(results_graph.value(node, SH.resultPath)),
                messages=messages,
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=_named_shape(shapes, results_graph.value(node, SH.sourceShape)),
                value=_text(results_graph.value(node, SH.value)),
            )
        )
    extra = text_problems(store)
    return Report(conforms=bool(conforms) and not extra, results=results + extra, graph=results_graph,
                  engine="pyshacl")


def validate_graph(data: Any, shapes: Iterable[Any], *,
                   need_messages: bool = False) -> tuple[bool, list[dict[str, Any]], str]:
    """SHACL over ``data`` (a ``pyoxigraph.Store``, the union of its graphs) against the
    ``shapes`` triples: on :mod:`mou_graph.validation.fastshacl` when it supports every construct the
    shapes use, otherwise on pyshacl. Returns (conforms, results, engine name), each result a
    dict of pyoxigraph terms: focus, path, value, source (the shape), component, severity.
    As in the SHACL specification, the graph conforms only when there is no result at all
    (warnings included; :func:`validate_store` lets warnings pass)."""
    import pyoxigraph

    from mou_graph.validation.fastshacl import compile_shapes

    shapes = list(shapes)
    engine = compile_shapes(shapes, need_messages=need_messages)
    if engine is not None:
        found = engine.validate(data)
        return not found, found, "fastshacl"
    import rdflib
    from rdflib.namespace import SH

    def to_rdflib(triples: Iterable[Any]) -> rdflib.Graph:
        g = rdflib.Graph()
        g.parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
        return g

    conforms, report = _pyshacl(to_rdflib(q.triple for q in data), to_rdflib(shapes))
    results = []
    for node in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        def term(p: Any, node: Any = node) -> Any:
            value = report.value(node, p)
            return None if value is None else next(iter(pyoxigraph.parse(
                f"<x:s> <x:p> {value.n3()} .", format=pyoxigraph.RdfFormat.N_TRIPLES))).object
        severity = term(SH.resultSeverity)
        results.append({"focus": term(SH.focusNode), "path": term(SH.resultPath), "value": term(SH.value),
                        "source": term(SH.sourceShape),
                        "component": str(report.value(node, SH.sourceConstraintComponent)),
                        "severity": severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation"})
    return bool(conforms), results, "pyshacl"
