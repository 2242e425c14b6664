"""Front end of the researchers' commands: ``export``, ``stats``, ``release`` and
``ontodoc``. Arguments in, the core called, messages out (in the asked language)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mou_graph.cli.common import (
    LANG_CHOICES,
    NOT_VALID,
    add_label_lang,
    label_lang,
    load,
    load_validated,
    output_target,
)
from mou_graph.lang import pick

__all__ = ["add_commands"]

# kept here so that ``mou-graph --help`` imports nothing heavy (tests check they match the core)
RDF_FORMAT_NAMES = ("turtle", "nt", "jsonld", "rdfxml", "trig", "nquads")
GRAPH_FORMAT_NAMES = ("graphml", "gexf", "nodelink", "cytoscape", "csv")
PROJECTIONS = ("entity", "rdf", "register")


def _export(args: argparse.Namespace) -> int:
    output = output_target(args, folder=args.format == "csv")
    store = load_validated(args)
    if store is None:
        return 1
    if args.format in RDF_FORMAT_NAMES:
        from mou_graph.publish.export import export_rdf

        n = export_rdf(store, args.format, output, include_personal=args.include_personal)
        done = {"th": f"{args.output}: {n} ทริเพิล ({args.format})", "en": f"{args.output}: {n} triples ({args.format})"}
        if args.format in ("trig", "nquads"):
            done = {"th": f"{args.output}: {n} ควอด ({args.format})", "en": f"{args.output}: {n} quads ({args.format})"}
    else:
        from mou_graph.publish.graphs import export_graph, project

        graph = project(store, args.projection, lang=label_lang(args), include_personal=args.include_personal,
                        evidence=not args.no_evidence)
        written = export_graph(graph, args.format, output)
        names = ", ".join(str(p) for p in written) or "-"
        done = {"th": f"{names}: {graph.number_of_nodes()} โหนด {graph.number_of_edges()} เส้นเชื่อม "
                      f"({args.format}, {args.projection})",
                "en": f"{names}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
                      f"({args.format}, {args.projection})"}
    print(pick(done, args.lang), file=sys.stderr)
    return 0


def _stats(args: argparse.Namespace) -> int:
    from mou_graph.publish.stats import graph_stats

    store = load(args)
    sys.stdout.write(graph_stats(store).to_text(args.lang))
    if args.graph:
        from mou_graph.publish.graphs import project, rankings_text

        graph = project(store, args.projection, lang=label_lang(args), evidence=not args.no_evidence)
        sys.stdout.write("\n" + rankings_text(graph, lang=args.lang, top=args.top))
    return 0


def _release(args: argparse.Namespace) -> int:
    from mou_graph.errors import ValidationFailed
    from mou_graph.publish.release import SUMS, release

    output_target(args, folder=True)
    store = load(args)
    try:
        files = release(store, Path(args.output), lang=args.lang)
    except ValidationFailed as err:
        sys.stderr.write(err.report.to_text(args.lang))
        print(pick(NOT_VALID, args.lang), file=sys.stderr)
        return 1
    done = {"th": f"{args.output}: {len(files)} ไฟล์ ตรวจได้ด้วย sha256sum -c {SUMS}",
            "en": f"{args.output}: {len(files)} files, check them with sha256sum -c {SUMS}"}
    print(pick(done, args.lang), file=sys.stderr)
    return 0


def _ontodoc(args: argparse.Namespace) -> int:
    from mou_graph.io.atomic import write_bytes
    from mou_graph.publish.ontodoc import ontology_doc

    output = output_target(args)
    write_bytes(output, ontology_doc(load(args), lang=args.lang).encode("utf-8"))
    print(args.output, file=sys.stderr)
    return 0


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register export, stats, release and ontodoc."""

    def command(name: str, func, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    p = command("export", _export, "export the graph in an RDF syntax or, with networkx, in a graph format; "
                "deterministic and atomic")
    p.add_argument("--format", required=True, choices=RDF_FORMAT_NAMES + GRAPH_FORMAT_NAMES,
                   help="RDF: " + ", ".join(RDF_FORMAT_NAMES) + "; graph: " + ", ".join(GRAPH_FORMAT_NAMES)
                   + " (csv writes nodes.csv and edges.csv into the folder PATH)")
    p.add_argument("-o", "--output", required=True, metavar="PATH",
                   help="file to write (- for standard output); a FIFO, device, link or folder is refused")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th", help="language of messages (default th)")
    add_label_lang(p, "the graph formats' `label` (every node also has label_th, label_en, label_lo)")
    p.add_argument("--include-personal", action="store_true", help="keep the contact persons' names and numbers")
    p.add_argument("--projection", choices=PROJECTIONS, default="entity",
                   help="graph formats: entities as nodes (default), every RDF term as a node (rdf), or the "
                        "register's agreements, parties, people, areas and countries only (register: for Gephi)")
    p.add_argument("--no-evidence", action="store_true",
                   help="entity projection: leave out the evidence graph (sentences and evidence nodes)")
    p.add_argument("--no-validate", action="store_true", help="export even if the graph does not validate")

    p = command("stats", _stats, "count triples, entities per class and labels per language; with --graph, "
                "rank the entities of the entity graph by degree and centrality")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th", help="language of the report (default th)")
    add_label_lang(p, "the rankings' labels")
    p.add_argument("--graph", action="store_true", help="add degree and centrality rankings of the entity graph")
    p.add_argument("--top", type=_positive, default=10, help="how many nodes per ranking (default 10)")
    p.add_argument("--no-evidence", action="store_true", help="rank without the evidence graph")
    p.add_argument("--projection", choices=PROJECTIONS, default="entity",
                   help="the graph to rank: entity (default), rdf, or register (agreements, parties, people, "
                        "areas, countries)")

    p = command("release", _release, "validate, then write every format, VoID/DCAT, a data dictionary, the "
                "ontology documentation and SHA256SUMS into a folder, atomically and reproducibly")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th",
                   help="language of messages, of the graph formats' `label` and of the documents (default th)")

    p = command("ontodoc", _ontodoc, "write the bilingual HTML documentation of the ontology and the areas scheme")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write (- for standard output)")
    p.add_argument("--lang", choices=LANG_CHOICES, default="th", help="language of the page (default th)")
