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
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mou_graph.errors import UsageError
from mou_graph.io.atomic import write_bytes
from mou_graph.io.rdfio import well_formed_xml
from mou_graph.lang import LANGUAGES, check_language, pick
from mou_graph.publish.export import export_quads
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

PROJECTIONS = ("entity", "rdf")
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
def _new_graph(projection: str, lang: str, quads: list[pyoxigraph.Quad]) -> nx.MultiDiGraph:
    import networkx as nx

    graph = nx.MultiDiGraph(projection=projection, lang=lang)
    for q in quads:
        if q.subject.value == ONTOLOGY_IRI and q.predicate.value == MODIFIED:
            graph.graph["modified"] = q.object.value
    return graph


def entity_graph(store: GraphStore, *, lang: str = "th", include_personal: bool = False,
                 evidence: bool = True) -> nx.MultiDiGraph:
    """The entity projection of the store's graph (``evidence=False`` leaves the
    evidence graph out: the source's sentences and the evidence nodes)."""
    lang = check_language(lang)
    base = store.settings.base
    quads = export_quads(store, include_personal=include_personal)
    labels = labels_by_iri(quads)
    skip = {store.settings.graph_iri("ontology")}
    if not evidence:
        skip.add(store.settings.graph_iri("evidence"))
    triples = sorted({q.triple for q in quads if q.graph_name.value not in skip}, key=str)
    entities = sorted({t.subject.value for t in triples if _is_iri(t.subject)})
    known = set(entities)
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    edges: list[tuple[str, str, str]] = []
    for t in triples:
        s, p, o = t.subject.value, t.predicate.value, t.object
        if p == RDF_TYPE:
            values[s]["type"].add(curie(o.value, base=base))
        elif p in LABEL_PROPS:
            continue  # carried by label_th / label_en / label_lo
        elif _is_iri(o) and o.value in known:
            edges.append((s, o.value, p))
        else:
            lang_tag = getattr(o, "language", None)
            key = curie(p, base=base) + (f"@{lang_tag}" if lang_tag else "")
            values[s][key].add(o.value)
    graph = _new_graph("entity", lang, quads)
    for iri in entities:
        attrs = {"iri": iri, **_label_attrs(labels.get(iri, {}), lang, curie(iri, base=base))}
        types = sorted(values[iri].pop("type", set()))
        if types:
            attrs["type"] = SEP.join(types)
            type_labels = [pick(labels.get(_expand(t, base), {}), lang) or t for t in types]
            attrs["type_label"] = SEP.join(type_labels)
        for key in sorted(values[iri]):
            attrs[key] = SEP.join(sorted(values[iri][key]))
        graph.add_node(iri, **attrs)
    _add_edges(graph, edges, labels, lang, base)
    return graph


def rdf_graph(store: GraphStore, *, lang: str = "th", include_personal: bool = False) -> nx.MultiDiGraph:
    """The full RDF projection: every term a node, every triple an edge."""
    lang = check_language(lang)
    base = store.settings.base
    quads = export_quads(store, include_personal=include_personal)
    labels = labels_by_iri(quads)
    triples = sorted({q.triple for q in quads}, key=str)
    types: dict[str, set[str]] = defaultdict(set)
    terms: dict[str, Any] = {}
    for t in triples:
        terms[_node_id(t.subject)] = t.subject
        terms[_node_id(t.object)] = t.object
        if t.predicate.value == RDF_TYPE:
            types[t.subject.value].add(curie(t.object.value, base=base))
    graph = _new_graph("rdf", lang, quads)
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
    edges = [(t.subject.value, _node_id(t.object), t.predicate.value) for t in triples]
    _add_edges(graph, edges, labels, lang, base)
    return graph


def project(store: GraphStore, projection: str, *, lang: str = "th", include_personal: bool = False,
            evidence: bool = True) -> nx.MultiDiGraph:
    """The projection named ``projection`` (``entity`` or ``rdf``)."""
    if projection == "entity":
        return entity_graph(store, lang=lang, include_personal=include_personal, evidence=evidence)
    if projection == "rdf":
        return rdf_graph(store, lang=lang, include_personal=include_personal)
    raise UsageError(f"unknown projection {projection!r}: use one of {', '.join(PROJECTIONS)}")


def _add_edges(graph: nx.MultiDiGraph, edges: list[tuple[str, str, str]], labels: dict[str, dict[str, str]],
               lang: str, base: str) -> None:
    for s, o, p in sorted(set(edges), key=lambda e: (e[0], curie(e[2], base=base), e[1])):
        key = curie(p, base=base)
        graph.add_edge(s, o, key=key, property=p, **_label_attrs(labels.get(p, {}), lang, key))


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
    """Write ``graph`` in ``fmt`` to ``output`` atomically. CSV's ``nodes.csv`` and ``edges.csv``
    go into the folder ``output`` as one unit (a folder swapped in), so the pair is always from
    one run; that folder must be new, empty or an earlier CSV export."""
    files = graph_files(graph, fmt)
    if "" in files:
        write_bytes(output, files[""])
        return [Path(output)] if isinstance(output, (str, Path)) else []
    from mou_graph.io.atomic import check_output_folder, write_folder

    if not isinstance(output, str | os.PathLike):
        raise UsageError(f"{fmt} writes a folder: it cannot go to standard output / {fmt} เขียนเป็นโฟลเดอร์ "
                         "ส่งออกทางเอาต์พุตมาตรฐานไม่ได้")
    out = Path(os.path.abspath(output))
    check_output_folder(out)
    if out.is_dir() and not {p.name for p in out.iterdir()} <= set(files):
        raise UsageError(f"{out}: มีไฟล์อื่นนอกจาก {', '.join(files)}: ไม่ได้เขียน / holds files other than "
                         f"{', '.join(files)}: nothing written; choose a new or empty folder")
    write_folder(out, files)
    return [out / name for name in files]


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml_xml(graph, buf, encoding="utf-8", prettyprint=True)
    return well_formed_xml(buf.getvalue(), "GraphML")


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 without the writer's clock: ``lastmodifieddate`` is the ontology's
    ``dcterms:modified`` (a date from the data) or absent."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if "modified" in graph.graph:
        meta.set("lastmodifieddate", graph.graph["modified"])
    else:
        del meta.attrib["lastmodifieddate"]
    writer.add_graph(graph)
    buf = io.BytesIO()
    writer.write(buf)
    return well_formed_xml(buf.getvalue(), "GEXF")


def _csv(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """nodes.csv and edges.csv, UTF-8 with a byte-order mark: Excel reads a CSV without
    one in the legacy code page of the machine and garbles Thai and Lao; with it, Excel,
    LibreOffice, Google Sheets and Python's ``utf-8-sig`` all read the text intact."""
    keys = {k for _, data in graph.nodes(data=True) for k in data}
    node_cols = ["id", *[c for c in _FIRST_NODE_COLUMNS[1:] if c in keys],
                 *sorted(keys - set(_FIRST_NODE_COLUMNS))]
    rows = [{"id": n, **data} for n, data in graph.nodes(data=True)]
    edge_keys = {k for *_, data in graph.edges(keys=True, data=True) for k in data}
    edge_cols = [*[c for c in _EDGE_COLUMNS if c in edge_keys or c in ("source", "target", "key")],
                 *sorted(edge_keys - set(_EDGE_COLUMNS))]
    edge_rows = [{"source": u, "target": v, "key": k, **data} for u, v, k, data in graph.edges(keys=True, data=True)]
    return {"nodes.csv": _csv_bytes(node_cols, rows), "edges.csv": _csv_bytes(edge_cols, edge_rows)}


def _csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


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
    head = {"th": f"กราฟเอนทิตี: {graph.number_of_nodes()} โหนด {graph.number_of_edges()} เส้นเชื่อม",
            "en": f"Entity graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"}
    lines = [pick(head, lang) or ""]
    for name, rows in rankings(graph, top=top):
        lines += ["", f"{pick(_MEASURES[name], lang)}:"]
        for i, (score, label, node) in enumerate(rows, 1):
            value = f"{score:>6}" if isinstance(score, int) else f"{score:6.4f}"
            lines.append(f"  {i:>2}. {value}  {label}  <{node}>")
    return "\n".join(lines) + "\n"
