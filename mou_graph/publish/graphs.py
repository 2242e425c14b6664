"""The graph as a network (networkx): two projections and byte-deterministic writers.

* The **entity** projection: every IRI that is the subject of a triple outside the
  ontology graph is a node; literals (and IRIs that are not entities, such as a web
  address) become node attributes; triples between two entities become edges.
* The **rdf** projection: every term of every triple is a node (literals too, named by
  their N-Triples text) and every triple is an edge, ``rdf:type`` and labels included.

Both are :class:`networkx.MultiDiGraph`\\s (two entities can be linked by several
properties); an edge's key is the property as a compact IRI (``mou:area``). Nodes carry
``iri``, ``type``, ``label_th`` / ``label_en`` / ``label_lo`` where the graph has them and
``label`` in the asked language by :func:`mou_graph.lang.pick`; edges carry ``property``
(the IRI), its labels and ``label``. Every attribute value is a string, so each format
reads back exactly what was written. Personal data is left out unless asked for, as in
:mod:`mou_graph.publish.export`.

>>> curie("http://www.w3.org/2004/02/skos/core#prefLabel")
'skos:prefLabel'
>>> curie("https://w3id.org/mou-graph/id/area/postal", base="https://w3id.org/mou-graph/id/")
'id:area/postal'
>>> curie("urn:x-unknown:thing")
'urn:x-unknown:thing'
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from xml.sax.saxutils import escape

from mou_graph.errors import UsageError
from mou_graph.io.rdfio import well_formed_xml
from mou_graph.lang import LANGUAGES, check_language, pick
from mou_graph.publish.export import iter_export_quads
from mou_graph.publish.personal import is_public
from mou_graph.vocab import DCTERMS, ONTOLOGY_IRI, PREFIXES, RDF_TYPE, RDFS, SKOS, curie

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = [
    "GRAPH_FORMATS",
    "PROJECTIONS",
    "entity_graph",
    "export_graph",
    "graph_files",
    "labels_by_iri",
    "project",
    "rankings",
    "rankings_text",
    "rdf_graph",
]

LABEL_PROPS = (SKOS + "prefLabel", RDFS + "label")
MODIFIED = DCTERMS + "modified"
SEP = " | "  # joins several values of one attribute

PROJECTIONS = ("entity", "rdf", "register")
# format -> (file name or suffix, what it is)
GRAPH_FORMATS: dict[str, str] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "nodelink": ".nodelink.json",
    "cytoscape": ".cyjs",
    "csv": "",  # a folder holding nodes.csv and edges.csv
}
_FIRST_NODE_COLUMNS = ("id", "iri", "kind", "type", "type_label", "label", "label_th", "label_en", "label_lo",
                       "lexical", "lang", "datatype")
_EDGE_COLUMNS = ("source", "target", "key", "property", "label", "label_th", "label_en", "label_lo")


# -- labels ------------------------------------------------------------------------
def labels_by_iri(quads: Iterable[pyoxigraph.Quad]) -> dict[str, dict[str, str]]:
    """IRI -> {language: label}: ``skos:prefLabel`` first, then ``rdfs:label`` (the
    model's look-up order); of several labels in one language, the smallest."""
    found: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for q in quads:
        p = q.predicate.value
        lang = getattr(q.object, "language", None)
        if p in LABEL_PROPS and lang:
            have = found[q.subject.value][p]
            if lang not in have or q.object.value < have[lang]:
                have[lang] = q.object.value
    out: dict[str, dict[str, str]] = {}
    for iri, by_prop in found.items():
        merged: dict[str, str] = {}
        for prop in reversed(LABEL_PROPS):
            merged.update(by_prop.get(prop, {}))
        out[iri] = merged
    return out


def _label_attrs(labels: dict[str, str], lang: str, fallback: str) -> dict[str, str]:
    attrs = {f"label_{code}": labels[code] for code in LANGUAGES if code in labels}
    attrs["label"] = pick(labels, lang) or fallback
    return attrs


# -- projections -------------------------------------------------------------------
def _new_graph(projection: str, lang: str, store: GraphStore, include_personal: bool) -> nx.MultiDiGraph:
    import networkx as nx
    import pyoxigraph

    from mou_graph.config import GRAPHS

    graph = nx.MultiDiGraph(projection=projection, lang=lang)
    rank = {store.settings.graph_iri(name): i for i, name in enumerate(GRAPHS)}
    found = [q for q in store.store.quads_for_pattern(pyoxigraph.NamedNode(ONTOLOGY_IRI),
                                                      pyoxigraph.NamedNode(MODIFIED), None, None)
             if include_personal or q.graph_name.value != store.settings.graph_iri("personal")]
    if found:  # of several, the last in the export's order
        graph.graph["modified"] = max(found, key=lambda q: (rank.get(q.graph_name.value, len(rank)),
                                                            q.graph_name.value, str(q.object))).object.value
    return graph


def entity_graph(store: GraphStore, *, lang: str = "th", include_personal: bool = False,
                 evidence: bool = True) -> nx.MultiDiGraph:
    """The entity projection of the store's graph (``evidence=False`` leaves the
    evidence graph out: the source's sentences and the evidence nodes)."""
    lang = check_language(lang)
    base = store.settings.base
    # the store is read twice, a quad at a time, rather than held as lists (every set below is sorted
    # when it is written out, so the store's order does not show): the labels and the entities, then
    # the values and the links. Each IRI and compact name is one string, however many edges name it.
    public = None if include_personal else is_public(store)  # (a query of the whole graph: made once)
    skip = {store.settings.graph_iri("ontology")}
    if not evidence:
        skip.add(store.settings.graph_iri("evidence"))
    known: dict[str, str] = {}  # the entities: IRI -> that IRI

    def quads() -> Iterator[pyoxigraph.Quad]:
        return iter_export_quads(store, include_personal=include_personal, public=public)

    def noting_entities(found: Iterable[pyoxigraph.Quad]) -> Iterator[pyoxigraph.Quad]:
        for q in found:
            if _is_iri(q.subject) and q.graph_name.value not in skip:
                iri = q.subject.value
                known.setdefault(iri, iri)
            yield q

    labels = labels_by_iri(noting_entities(quads()))
    entities = sorted(known)
    names: dict[str, str] = {}  # IRI -> its compact name, for predicates and classes
    props: dict[str, str] = {}

    def name(iri: str) -> str:
        found = names.get(iri)
        if found is None:
            found = names[iri] = curie(iri, base=base)
        return found

    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    edges: set[tuple[str, str, str]] = set()
    for t in quads():
        if t.graph_name.value in skip:
            continue
        s, p, o = t.subject.value, t.predicate.value, t.object
        if p == RDF_TYPE:
            values[s]["type"].add(name(o.value))
        elif p in LABEL_PROPS:
            continue  # carried by label_th / label_en / label_lo
        elif _is_iri(o) and o.value in known:
            edges.add((known.get(s, s), known[o.value], props.setdefault(p, p)))
        else:
            lang_tag = getattr(o, "language", None)
            key = name(p) + (f"@{lang_tag}" if lang_tag else "")
            values[s][key].add(o.value)
    graph = _new_graph("entity", lang, store, include_personal)
    for iri in entities:
        attrs = {"iri": iri, **_label_attrs(labels.get(iri, {}), lang, curie(iri, base=base))}
        mine = values.pop(iri, {})  # (each node's sets let go as its attributes are made)
        types = sorted(mine.pop("type", set()))
        if types:
            attrs["type"] = SEP.join(types)
            type_labels = [pick(labels.get(_expand(t, base), {}), lang) or t for t in types]
            attrs["type_label"] = SEP.join(type_labels)
        for key in sorted(mine):
            attrs[key] = SEP.join(sorted(mine[key]))
        graph.add_node(iri, **attrs)
    del values
    _add_edges(graph, edges, labels, lang, base)
    return graph


def rdf_graph(store: GraphStore, *, lang: str = "th", include_personal: bool = False) -> nx.MultiDiGraph:
    """The full RDF projection: every term a node, every triple an edge."""
    lang = check_language(lang)
    base = store.settings.base
    public = None if include_personal else is_public(store)
    labels = labels_by_iri(iter_export_quads(store, include_personal=include_personal, public=public))
    types: dict[str, set[str]] = defaultdict(set)
    terms: dict[str, Any] = {}
    for t in iter_export_quads(store, include_personal=include_personal, public=public):
        terms[_node_id(t.subject)] = t.subject
        terms[_node_id(t.object)] = t.object
        if t.predicate.value == RDF_TYPE:
            types[t.subject.value].add(curie(t.object.value, base=base))
    graph = _new_graph("rdf", lang, store, include_personal)
    for node_id in sorted(terms):
        term = terms[node_id]
        if _is_iri(term):
            attrs = {"kind": "iri", "iri": term.value,
                     **_label_attrs(labels.get(term.value, {}), lang, curie(term.value, base=base))}
            if types.get(term.value):
                attrs["type"] = SEP.join(sorted(types[term.value]))
        else:
            attrs = {"kind": "literal", "lexical": term.value, "label": term.value}
            if getattr(term, "language", None):
                attrs["lang"] = term.language
            else:
                attrs["datatype"] = curie(term.datatype.value, base=base)
        graph.add_node(node_id, **attrs)
    edges = {(t.subject.value, _node_id(t.object), t.predicate.value)
             for t in iter_export_quads(store, include_personal=include_personal, public=public)}
    _add_edges(graph, edges, labels, lang, base)
    return graph


def project(store: GraphStore, projection: str, *, lang: str = "th", include_personal: bool = False,
            evidence: bool = True) -> nx.MultiDiGraph:
    """The projection named ``projection`` (``entity``, ``rdf``, or ``register``: the agreements, parties,
    people, areas and countries only, see :mod:`mou_graph.publish.register_graph`)."""
    if projection == "entity":
        return entity_graph(store, lang=lang, include_personal=include_personal, evidence=evidence)
    if projection == "rdf":
        return rdf_graph(store, lang=lang, include_personal=include_personal)
    if projection == "register":
        from mou_graph.publish.register_graph import register_graph

        return register_graph(store, lang=lang, include_personal=include_personal)
    raise UsageError(f"unknown projection {projection!r}: use one of {', '.join(PROJECTIONS)}")


def _add_edges(graph: nx.MultiDiGraph, edges: set[tuple[str, str, str]], labels: dict[str, dict[str, str]],
               lang: str, base: str) -> None:
    keys = {p: curie(p, base=base) for p in {e[2] for e in edges}}  # (a few properties, many edges)
    attrs = {p: _label_attrs(labels.get(p, {}), lang, key) for p, key in keys.items()}
    ordered = sorted(edges, key=lambda e: (e[0], keys[e[2]], e[1]))
    edges.clear()  # (the caller's set, let go: the sorted list is the one copy)
    for s, o, p in ordered:
        graph.add_edge(s, o, key=keys[p], property=p, **attrs[p])


def _is_iri(term: Any) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.NamedNode)


def _node_id(term: Any) -> str:
    return term.value if _is_iri(term) else str(term)


def _expand(name: str, base: str) -> str:
    prefix, _, local = name.partition(":")
    ns = base if prefix == "id" else PREFIXES.get(prefix)
    return ns + local if ns else name


# -- writers -----------------------------------------------------------------------
def graph_files(graph: nx.MultiDiGraph, fmt: str) -> dict[str, bytes]:
    """The bytes of ``graph`` in ``fmt``: ``{"": data}`` for one-file formats,
    ``{"nodes.csv": ..., "edges.csv": ...}`` for CSV."""
    if fmt == "graphml":
        return {"": _graphml(graph)}
    if fmt == "gexf":
        return {"": _gexf(graph)}
    if fmt == "nodelink":
        import networkx as nx

        return {"": _json(nx.node_link_data(graph, edges="edges"))}
    if fmt == "cytoscape":
        import networkx as nx

        return {"": _json(nx.cytoscape_data(graph))}
    if fmt == "csv":
        return _csv(graph)
    raise UsageError(f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}")


def export_graph(graph: nx.MultiDiGraph, fmt: str, output: Path | BinaryIO) -> list[Path]:
    """Write ``graph`` in ``fmt`` to ``output`` atomically, streaming where the format allows (the
    bytes of :func:`graph_files`; GraphML, the JSON formats and CSV never hold the whole document
    in memory). CSV's ``nodes.csv`` and ``edges.csv`` go into the folder ``output`` as one unit (a
    folder swapped in), so the pair is always from one run; that folder must be new, empty or an
    earlier CSV export."""
    if fmt not in GRAPH_FORMATS:
        raise UsageError(f"unknown graph format {fmt!r}: use one of {', '.join(GRAPH_FORMATS)}")
    if fmt != "csv":
        if hasattr(output, "write"):
            _write_graph(graph, fmt, output)  # type: ignore[arg-type]
            output.flush()
            return []
        from mou_graph.io.atomic import atomic_output

        with atomic_output(Path(output)) as handle:
            _write_graph(graph, fmt, handle)
        return [Path(output)]
    if not isinstance(output, str | os.PathLike):
        raise UsageError(f"{fmt} writes a folder: it cannot go to standard output / {fmt} เขียนเป็นโฟลเดอร์ "
                         "ส่งออกทางเอาต์พุตมาตรฐานไม่ได้")
    import shutil

    from mou_graph.io.atomic import atomic_output, check_output_folder, swap_folder, temp_folder

    names = ("nodes.csv", "edges.csv")
    out = Path(os.path.abspath(output))
    check_output_folder(out)
    if out.is_dir() and not {p.name for p in out.iterdir()} <= set(names):
        raise UsageError(f"{out}: มีไฟล์อื่นนอกจาก {', '.join(names)}: ไม่ได้เขียน / holds files other than "
                         f"{', '.join(names)}: nothing written; choose a new or empty folder")
    tmp = temp_folder(out)  # as atomic.write_folder does, each file streamed instead of held as bytes
    try:
        for name, (columns, rows) in zip(names, _csv_tables(graph), strict=True):
            with atomic_output(tmp / name) as f:
                _write_csv(columns, rows, f)
        swap_folder(tmp, out)
    finally:
        if tmp.exists():  # a failure's half folder, or the old folder an exchange left here
            shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in names]


def _write_graph(graph: nx.MultiDiGraph, fmt: str, out: BinaryIO) -> None:
    if fmt == "graphml":
        _write_graphml(graph, out)
    elif fmt == "nodelink":
        import networkx as nx

        _write_json(nx.node_link_data(graph, edges="edges"), out)
    elif fmt == "cytoscape":
        import networkx as nx

        _write_json(nx.cytoscape_data(graph), out)
    else:
        out.write(_gexf(graph))


def _json(data: Any) -> bytes:
    buf = io.BytesIO()
    _write_json(data, buf)
    return buf.getvalue()


def _write_json(data: Any, out: BinaryIO) -> None:
    """``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)`` and a newline, written
    as the encoder makes it (a piece at a time, not one string of the whole)."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
    pending: list[str] = []
    size = 0
    for chunk in encoder.iterencode(data):
        pending.append(chunk)
        size += len(chunk)
        if size > 1 << 20:
            out.write("".join(pending).encode("utf-8"))
            pending, size = [], 0
    out.write(("".join(pending) + "\n").encode("utf-8"))


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    _write_graphml(graph, buf)
    return buf.getvalue()


def _write_graphml(graph: nx.MultiDiGraph, out: BinaryIO) -> None:
    """GraphML as networkx's ``write_graphml_xml(prettyprint=True)`` writes it, one element at a
    time: networkx builds the whole document as an element tree first (3 GiB at 10,000 agreements).
    Keys are numbered in the order that writer meets them (the graph's data, then the nodes', then
    the edges') and listed last first; every value here is a string (``attr.type`` string)."""
    from xml.etree.ElementTree import Element, tostring

    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    keys: dict[tuple[str, str], str] = {}

    def key(name: str, scope: str) -> str:
        found = keys.get((name, scope))
        if found is None:
            found = keys[(name, scope)] = f"d{len(keys)}"
        return found

    graph_data = {k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default", "id")}
    for k in graph_data:
        key(str(k), "graph")
    for _node, data in graph.nodes(data=True):
        for k in data:
            key(str(k), "node")
    for *_edge, data in graph.edges(keys=True, data=True):
        for k in data:
            key(str(k), "edge")

    def emit(element: Any, level: int) -> None:
        writer.indent(element, level)
        element.tail = None
        out.write(well_formed_xml(tostring(element, encoding="unicode").encode("utf-8"), "GraphML"))

    def with_data(element: Any, data: dict[str, Any], scope: str) -> Any:
        for k, v in data.items():
            d = Element("data", key=key(str(k), scope))
            d.text = str(v)
            element.append(d)
        return element

    root = tostring(Element("graphml", {"xmlns": writer.NS_GRAPHML, "xmlns:xsi": writer.NS_XSI,
                                        "xsi:schemaLocation": writer.SCHEMALOCATION}), encoding="unicode")
    out.write(b"<?xml version='1.0' encoding='utf-8'?>\n" + root[:-3].encode("utf-8") + b">\n  ")
    for (name, scope), ident in reversed(keys.items()):
        emit(Element("key", {"id": ident, "for": scope, "attr.name": name, "attr.type": "string"}), 1)
        out.write(b"\n  ")
    kind = "directed" if graph.is_directed() else "undirected"
    children = 0
    out.write(f'<graph edgedefault="{kind}"'.encode())
    pending: list[str] = []  # the nodes and edges, written (and checked) a megabyte or so at a time
    size = 0

    def element(tag: str, attrs: dict[str, str], data: dict[str, Any], scope: str) -> None:
        """``emit(with_data(...), 2)`` of a node or edge: the text ElementTree writes for it, indented
        (its escaping: :func:`xml.sax.saxutils.escape`, with :data:`_ATTR_REFS` in attributes)."""
        nonlocal children, size
        head = f"<{tag}" + "".join(f' {k}="{escape(v, _ATTR_REFS)}"' for k, v in attrs.items())
        text = [">\n    " if not children else "\n    ", head]
        if data:
            text.append(">")
            for k, v in data.items():
                value = str(v)
                text.append(f'\n      <data key="{escape(key(str(k), scope), _ATTR_REFS)}"')
                text.append(f">{escape(value)}</data>" if value else " />")
            text.append(f"\n    </{tag}>")
        else:
            text.append(" />")
        piece = "".join(text)
        pending.append(piece)
        size += len(piece)
        children += 1
        if size > 1 << 20:
            flush()

    def flush() -> None:
        nonlocal pending, size
        out.write(well_formed_xml("".join(pending).encode("utf-8"), "GraphML"))
        pending, size = [], 0

    for node, data in graph.nodes(data=True):
        element("node", {"id": str(node)}, data, "node")
    for u, v, k, data in graph.edges(keys=True, data=True):
        element("edge", {"source": str(u), "target": str(v), "id": str(k)}, data, "edge")
    flush()
    for element in with_data(Element("graph"), graph_data, "graph"):
        out.write(b">\n    " if not children else b"\n    ")
        emit(element, 2)
        children += 1
    out.write(b"\n  </graph>\n</graphml>\n" if children else b" />\n</graphml>\n")


_ATTR_REFS = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}  # what ElementTree writes in an attribute


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    _write_gexf(graph, buf)
    return buf.getvalue()


def _write_gexf(graph: nx.MultiDiGraph, out: BinaryIO) -> None:
    """GEXF 1.2 as networkx's ``GEXFWriter`` writes it, without the writer's clock
    (``lastmodifieddate`` is the ontology's ``dcterms:modified``, a date from the data, or absent),
    one node or edge at a time: the writer's own code makes each element (from a graph of that
    one node or edge), in a first pass that only names the attributes (their declarations come
    first in the document) and a second that writes; the frame around them is the writer's too."""
    import itertools
    from xml.etree.ElementTree import Element, ElementTree, tostring

    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if "modified" in graph.graph:
        meta.set("lastmodifieddate", graph.graph["modified"])
    else:
        del meta.attrib["lastmodifieddate"]
    kind = "directed" if graph.is_directed() else "undirected"
    mode = "dynamic" if graph.graph.get("mode") == "dynamic" else "static"
    writer.graph_element = Element("graph", defaultedgetype=kind, mode=mode, name=graph.graph.get("name", ""))
    for _u, _v, data in graph.edges(data=True):
        if data.get("id") is not None:
            writer.all_edge_ids.add(str(data["id"]))
    taken = set(writer.all_edge_ids)

    def elements() -> Iterator[tuple[str, Any]]:
        for node, data in graph.nodes(data=True):
            one = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if k == "node_default"})
            one.add_node(node, **data)
            holder = Element("nodes")
            writer.add_nodes(one, holder)
            yield "nodes", holder[0][0]
        for u, v, k, data in graph.edges(keys=True, data=True):
            one = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if k == "edge_default"})
            one.add_node(u, **graph.nodes[u])
            one.add_node(v, **graph.nodes[v])
            one.add_edge(u, v, key=k, **data)
            holder = Element("edges")
            writer.add_edges(one, holder)
            yield "edges", holder[0][0]

    counts = {"nodes": 0, "edges": 0}
    for part, _element in elements():  # first pass: the attributes' ids and declarations
        counts[part] += 1
    writer.edge_id, writer.all_edge_ids = itertools.count(), set(taken)
    frame = writer.graph_element
    for part in ("nodes", "edges"):
        holder = Element(part)
        if counts[part]:
            holder.append(Element(f"mou-graph-{part}"))
        frame.append(holder)
    writer.xml.append(frame)
    writer.indent(writer.xml)
    buf = io.BytesIO()
    ElementTree(writer.xml).write(buf, encoding="utf-8", xml_declaration=True)
    skeleton = well_formed_xml(buf.getvalue(), "GEXF")
    marks = [b"<mou-graph-nodes />", b"<mou-graph-edges />"]
    at = 0
    current = None
    for part, element in elements():
        if part != current:
            mark = marks[0] if part == "nodes" else marks[1]
            end = skeleton.index(mark, at)
            out.write(skeleton[at:end])
            at = end + len(mark)
            current = part
        else:
            out.write(b"\n      ")
        writer.indent(element, 3)
        element.tail = None
        out.write(well_formed_xml(tostring(element, encoding="unicode").encode("utf-8"), "GEXF"))
    out.write(skeleton[at:])


def _csv(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """nodes.csv and edges.csv, UTF-8 with a byte-order mark: Excel reads a CSV without
    one in the legacy code page of the machine and garbles Thai and Lao; with it, Excel,
    LibreOffice, Google Sheets and Python's ``utf-8-sig`` all read the text intact."""
    out = {}
    for name, (columns, rows) in zip(("nodes.csv", "edges.csv"), _csv_tables(graph), strict=True):
        buf = io.BytesIO()
        _write_csv(columns, rows, buf)
        out[name] = buf.getvalue()
    return out


def _csv_tables(graph: nx.MultiDiGraph) -> list[tuple[list[str], Iterable[dict[str, Any]]]]:
    """(columns, rows) of nodes.csv and of edges.csv; the rows are made as they are written."""
    keys = {k for _, data in graph.nodes(data=True) for k in data}
    node_cols = ["id", *[c for c in _FIRST_NODE_COLUMNS[1:] if c in keys],
                 *sorted(keys - set(_FIRST_NODE_COLUMNS))]
    rows = ({"id": n, **data} for n, data in graph.nodes(data=True))
    edge_keys = {k for *_, data in graph.edges(keys=True, data=True) for k in data}
    edge_cols = [*[c for c in _EDGE_COLUMNS if c in edge_keys or c in ("source", "target", "key")],
                 *sorted(edge_keys - set(_EDGE_COLUMNS))]
    edge_rows = ({"source": u, "target": v, "key": k, **data} for u, v, k, data in graph.edges(keys=True, data=True))
    return [(node_cols, rows), (edge_cols, edge_rows)]


def _write_csv(columns: list[str], rows: Iterable[dict[str, Any]], out: BinaryIO) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    text.flush()
    text.detach()


# -- rankings ----------------------------------------------------------------------
def rankings(graph: nx.MultiDiGraph, *, top: int = 10) -> list[tuple[str, list[tuple]]]:
    """Degree and centrality rankings of the nodes of ``graph``: ``[(measure, [(score,
    label, node), ...]), ...]``, best first, ties by label then node (labels are
    in the language the graph was projected in). Betweenness and
    closeness are computed on the undirected simple graph (who connects whom)."""
    import networkx as nx

    simple = nx.Graph(graph)
    measures = {
        "degree": dict(graph.degree()),
        "in_degree": dict(graph.in_degree()),
        "out_degree": dict(graph.out_degree()),
        "betweenness": nx.betweenness_centrality(simple),
        "closeness": nx.closeness_centrality(simple),
    }
    out = []
    for name, scores in measures.items():
        rows = [(scores[n], graph.nodes[n].get("label", n), n) for n in graph.nodes]
        rows.sort(key=lambda r: (-r[0], r[1], r[2]))
        out.append((name, rows[:top]))
    return out


_MEASURES = {
    "degree": {"th": "ดีกรี (จำนวนเส้นเชื่อมทั้งหมด)", "en": "Degree (all links)"},
    "in_degree": {"th": "ดีกรีเข้า", "en": "In-degree"},
    "out_degree": {"th": "ดีกรีออก", "en": "Out-degree"},
    "betweenness": {"th": "ความเป็นศูนย์กลางแบบคั่นกลาง", "en": "Betweenness centrality"},
    "closeness": {"th": "ความเป็นศูนย์กลางแบบใกล้ชิด", "en": "Closeness centrality"},
}


def rankings_text(graph: nx.MultiDiGraph, *, lang: str = "th", top: int = 10) -> str:
    """The rankings as text, headings and labels in ``lang`` by the fallback rule."""
    names = {"entity": ("กราฟเอนทิตี", "Entity graph"), "rdf": ("กราฟ RDF", "RDF graph"),
             "register": ("กราฟทะเบียน (ความตกลง ภาคี บุคคล สาขาความร่วมมือ ประเทศ)",
                          "Register graph (agreements, parties, people, areas, countries)")}
    th, en = names.get(graph.graph.get("projection", "entity"), names["entity"])
    head = {"th": f"{th}: {graph.number_of_nodes()} โหนด {graph.number_of_edges()} เส้นเชื่อม",
            "en": f"{en}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"}
    lines = [pick(head, lang) or ""]
    for name, rows in rankings(graph, top=top):
        lines += ["", f"{pick(_MEASURES[name], lang)}:"]
        for i, (score, label, node) in enumerate(rows, 1):
            value = f"{score:>6}" if isinstance(score, int) else f"{score:6.4f}"
            lines.append(f"  {i:>2}. {value}  {label}  <{node}>")
    return "\n".join(lines) + "\n"
