"""A reproducible release: every export format, a VoID/DCAT description, a data
dictionary, the ontology documentation and ``SHA256SUMS``, in one folder.

* The graph is validated first; if it does not conform, nothing is written.
* The release is built in a temporary sibling folder and installed by ``atomic.swap_folder``,
  so readers (and a kill at any moment) see the previous release or the new one; if anything
  fails, the previous release is left as it was.
* Two runs over the same graph give the same bytes, ``SHA256SUMS`` included: every file
  is a deterministic serialisation, and the only dates are ones taken from the data.
* A release is public: personal data is never in it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mou_graph.errors import Report, UsageError, ValidationFailed
from mou_graph.io.atomic import check_output_folder, write_folder
from mou_graph.io.rdfio import serialized
from mou_graph.lang import check_interface_language, pick
from mou_graph.publish.export import RDF_FORMATS, export_quads, rdf_bytes
from mou_graph.publish.graphs import GRAPH_FORMATS, PROJECTIONS, curie, graph_files, labels_by_iri, project
from mou_graph.vocab import DCAT, ONTOLOGY_IRI, OWL, PREFIXES, SCHEMA, SD, SKOS, VOID, XSD
from mou_graph.vocab import DCTERMS as DCT
from mou_graph.vocab import RDF_TYPE as _RDF_TYPE

if TYPE_CHECKING:
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = ["DATASET_IRI", "LICENCE", "build_files", "release", "sha256sums"]

DATASET_IRI = "https://w3id.org/mou-graph/dataset"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SUMS = "SHA256SUMS"
STEM = "mou-graph"
_TITLE = {"th": "กราฟความรู้บันทึกความเข้าใจไทย–ลาวด้านดิจิทัล",
          "en": "Thai–Lao digital cooperation MoU knowledge graph"}
_DESCRIPTION = {
    "th": "กราฟความรู้สองภาษาของบันทึกความเข้าใจว่าด้วยความร่วมมือด้านไปรษณีย์ โทรคมนาคม เทคโนโลยีสารสนเทศ"
          "และการสื่อสาร และเทคโนโลยีดิจิทัล ระหว่างกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมกับกระทรวงเทคโนโลยี"
          "และการสื่อสารแห่ง สปป.ลาว พร้อมหลักฐานจากข่าวต้นทาง ไม่รวมข้อมูลส่วนบุคคล",
    "en": "A bilingual knowledge graph of the MoU on postal, telecommunications, ICT and digital technology "
          "cooperation between Thailand's Ministry of Digital Economy and Society and the Lao PDR's Ministry of "
          "Technology and Communications, with the evidence from the source article; personal data left out.",
}


# -- the files -------------------------------------------------------------------------
def build_files(store: GraphStore, *, lang: str = "th") -> dict[str, bytes]:
    """Relative path -> bytes of every file of the release except ``SHA256SUMS``."""
    from mou_graph.publish.ontodoc import ontology_doc

    lang = check_interface_language(lang)
    base = store.settings.base
    quads = export_quads(store)
    files: dict[str, bytes] = {}
    for fmt, (ext, _) in RDF_FORMATS.items():
        files[STEM + ext] = rdf_bytes(quads, fmt, base=base)
    for projection in PROJECTIONS:
        graph = project(store, projection, lang=lang)
        for fmt, ext in GRAPH_FORMATS.items():
            for name, data in graph_files(graph, fmt).items():
                path = f"graphs/{projection}-{name}" if name else f"graphs/{projection}{ext}"
                files[path] = data
    files["ontology.html"] = ontology_doc(store, lang=lang).encode("utf-8")
    dictionary = _dictionary(store, quads)
    files["data-dictionary.csv"] = _dictionary_csv(dictionary)
    files["data-dictionary.md"] = _dictionary_md(dictionary, lang)
    files["void.ttl"] = _void(store, quads, files)
    return dict(sorted(files.items()))


def sha256sums(files: dict[str, bytes]) -> bytes:
    """``sha256sum -c`` compatible lines, sorted by path.

    >>> sha256sums({"b.txt": b"", "a.txt": b"a"}).decode().splitlines()[1]
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  b.txt'
    """
    lines = [f"{hashlib.sha256(data).hexdigest()}  {path}" for path, data in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode("ascii")


# -- data dictionary -------------------------------------------------------------------
def _dictionary(store: GraphStore, quads: list[pyoxigraph.Quad]) -> list[dict[str, str]]:
    """One row per class with instances and per property in use, outside the ontology graph."""
    ontology = store.settings.graph_iri("ontology")
    triples = {q.triple for q in quads if q.graph_name.value != ontology}
    classes = Counter(t.object.value for t in triples if t.predicate.value == _RDF_TYPE)
    props = Counter(t.predicate.value for t in triples)
    labels = labels_by_iri(quads)
    definitions: dict[str, dict[str, str]] = {}
    for q in quads:
        if q.predicate.value == SKOS + "definition" and q.graph_name.value == ontology:
            definitions.setdefault(q.subject.value, {}).setdefault(q.object.language or "", q.object.value)
    rows = []
    for kind, counter in (("class", classes), ("property", props)):
        for iri in sorted(counter):
            lab, defs = labels.get(iri, {}), definitions.get(iri, {})
            rows.append({"kind": kind, "name": curie(iri, base=store.settings.base), "iri": iri,
                         "label_th": lab.get("th", ""), "label_en": lab.get("en", ""),
                         "definition_th": defs.get("th", ""), "definition_en": defs.get("en", ""),
                         "count": str(counter[iri])})
    return rows


_DICT_COLUMNS = ("kind", "name", "iri", "label_th", "label_en", "definition_th", "definition_en", "count")


def _dictionary_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=_DICT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")  # spreadsheets keep Thai intact with the BOM (see graphs._csv)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _dictionary_md(rows: list[dict[str, str]], lang: str) -> bytes:
    heads = {
        "title": {"th": "พจนานุกรมข้อมูล", "en": "Data dictionary"},
        "class": {"th": "คลาส (จำนวนสมาชิก)", "en": "Classes (instances)"},
        "property": {"th": "คุณสมบัติ (จำนวนทริเพิล)", "en": "Properties (triples)"},
        "cols": {"th": "| ชื่อ | ป้ายชื่อ (ไทย) | ป้ายชื่อ (อังกฤษ) | นิยาม | จำนวน |",
                 "en": "| name | label (Thai) | label (English) | definition | count |"},
    }
    other = "en" if lang != "en" else "th"
    lines = [f"# {pick(heads['title'], lang)} · {pick(heads['title'], other)}", ""]
    for kind in ("class", "property"):
        lines += [f"## {pick(heads[kind], lang)} · {pick(heads[kind], other)}", "",
                  pick(heads["cols"], lang) or "", "|---|---|---|---|---:|"]
        for r in (r for r in rows if r["kind"] == kind):
            definition = pick({k: r[f"definition_{k}"] for k in ("th", "en") if r[f"definition_{k}"]}, lang) or ""
            lines.append(f"| `{_md(r['name'])}` | {_md(r['label_th'])} | {_md(r['label_en'])} | {_md(definition)} | "
                         f"{r['count']} |")
        lines.append("")
    return "\n".join(lines).encode("utf-8")


# -- VoID and DCAT ---------------------------------------------------------------------
def _void(store: GraphStore, quads: list[pyoxigraph.Quad], files: dict[str, bytes]) -> bytes:
    import pyoxigraph
    from pyoxigraph import BlankNode, Literal, NamedNode, Triple

    from mou_graph import __version__

    base = store.settings.base
    ds = NamedNode(DATASET_IRI)
    out: list[Triple] = []

    def add(s, p: str, o) -> None:  # pyoxigraph terms
        out.append(Triple(s, NamedNode(p), o))

    def integer(n: int) -> Literal:
        return Literal(str(n), datatype=NamedNode(XSD + "integer"))

    triples = sorted({q.triple for q in quads}, key=str)
    languages = sorted({tag.split("-")[0] for q in quads if (tag := getattr(q.object, "language", None))})
    add(ds, _RDF_TYPE, NamedNode(VOID + "Dataset"))
    add(ds, _RDF_TYPE, NamedNode(DCAT + "Dataset"))
    for code, text in _TITLE.items():
        add(ds, DCT + "title", Literal(text, language=code))
    for code, text in _DESCRIPTION.items():
        add(ds, DCT + "description", Literal(text, language=code))
    add(ds, DCT + "license", NamedNode(LICENCE))
    add(ds, DCAT + "version", Literal(__version__))
    add(ds, OWL + "versionInfo", Literal(__version__))
    for code in languages:
        add(ds, DCT + "language", NamedNode(f"http://id.loc.gov/vocabulary/iso639-1/{code}"))
    for q in quads:  # dates and sources come from the data only
        if q.subject.value == ONTOLOGY_IRI and q.predicate.value == DCT + "modified":
            add(ds, DCT + "modified", q.object)
        if q.predicate.value == SCHEMA + "url" and q.graph_name.value == store.settings.graph_iri(
                "evidence"):
            add(ds, DCT + "source", NamedNode(q.object.value))
    add(ds, VOID + "uriSpace", Literal(base))
    add(ds, VOID + "triples", integer(len(triples)))
    add(ds, VOID + "entities", integer(len({t.subject.value for t in triples if isinstance(t.subject, NamedNode)
                                            and t.subject.value.startswith(base)})))
    add(ds, VOID + "distinctSubjects", integer(len({t.subject for t in triples})))
    add(ds, VOID + "properties", integer(len({t.predicate for t in triples})))
    add(ds, VOID + "distinctObjects", integer(len({t.object for t in triples})))
    for ns in sorted(set(PREFIXES.values())):
        if any(t.predicate.value.startswith(ns) for t in triples):
            add(ds, VOID + "vocabulary", NamedNode(ns))
    graphs = {q.graph_name.value for q in quads}
    for graph in sorted(graphs):
        sub = NamedNode(f"{DATASET_IRI}/graph/{graph.rsplit('/', 1)[-1]}")
        add(ds, VOID + "subset", sub)
        add(sub, _RDF_TYPE, NamedNode(VOID + "Dataset"))
        add(sub, SD + "name", NamedNode(graph))
        add(sub, VOID + "triples", integer(len([q for q in quads if q.graph_name.value == graph])))
    counts = Counter(t.object.value for t in triples if t.predicate.value == _RDF_TYPE)
    for i, cls in enumerate(sorted(counts), 1):
        part = BlankNode(f"class{i:03d}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", NamedNode(cls))
        add(part, VOID + "entities", integer(counts[cls]))
    pcounts = Counter(t.predicate.value for t in triples)
    for i, prop in enumerate(sorted(pcounts), 1):
        part = BlankNode(f"property{i:03d}")
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", NamedNode(prop))
        add(part, VOID + "triples", integer(pcounts[prop]))
    media = {STEM + ext: mt for ext, mt in RDF_FORMATS.values()}
    for path, data in sorted(files.items()):
        dist = NamedNode(f"{DATASET_IRI}/{__version__}/{path}")
        add(ds, DCAT + "distribution", dist)
        add(dist, _RDF_TYPE, NamedNode(DCAT + "Distribution"))
        add(dist, DCT + "identifier", Literal(path))
        add(dist, DCT + "license", NamedNode(LICENCE))
        add(dist, DCAT + "byteSize", integer(len(data)))
        add(dist, DCAT + "mediaType", NamedNode("https://www.iana.org/assignments/media-types/" +
                                                 media.get(path, _media_type(path))))
        if path in media:
            add(ds, VOID + "dataDump", dist)
    prefixes = dict(PREFIXES, void=VOID, dcat=DCAT, sd=SD)
    head = b"# VoID and DCAT description of this release, generated by mou-graph release.\n"
    ordered = sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return head + serialized(ordered, pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


def _media_type(path: str) -> str:
    for suffix, media in ((".graphml", "application/graphml+xml"), (".gexf", "application/gexf+xml"),
                          (".json", "application/json"), (".cyjs", "application/json"), (".csv", "text/csv"),
                          (".html", "text/html"), (".md", "text/markdown"), (".ttl", "text/turtle")):
        if path.endswith(suffix):
            return media
    return "application/octet-stream"


# -- writing ---------------------------------------------------------------------------
def _check_target(out: Path) -> None:
    check_output_folder(out)
    if out.is_dir() and any(out.iterdir()) and not (out / SUMS).is_file():
        raise UsageError(f"{out} is a folder that holds something other than a release (no {SUMS}); "
                         "choose an empty or new folder")


def release(store: GraphStore, output: Path, *, lang: str = "th",
            validate: Callable[[GraphStore], Report] | None = None) -> dict[str, bytes]:
    """Validate, build and install a release in ``output``; returns the files written
    (``SHA256SUMS`` included). Raises :class:`ValidationFailed` (nothing written) if the
    graph does not conform."""
    out = Path(os.path.abspath(output))
    _check_target(out)
    if validate is None:
        from mou_graph.validation.validate import validate_store

        validate = validate_store
    report = validate(store)
    if not report.conforms:
        raise ValidationFailed(report)
    files = build_files(store, lang=lang)
    files[SUMS] = sha256sums(files)
    write_folder(out, files)
    return files
