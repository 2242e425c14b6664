"""The embedded store: one loading path for every command.

The ontology and the data are read into named graphs of a pyoxigraph store (see
:data:`mou_graph.config.GRAPHS`); queries see their union as the default graph.

>>> store = load_store()
>>> store.ask("ASK { ?m a <https://w3id.org/mou-graph/ontology#MemorandumOfUnderstanding> }")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mou_graph.config import Settings
from mou_graph.errors import InputError
from mou_graph.io.rdfio import load_into
from mou_graph.source.sources import SourceError, read_source

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

__all__ = ["GraphStore", "load_store"]


class GraphStore:
    """A pyoxigraph store holding the graph, with the settings it was loaded under."""

    def __init__(self, settings: Settings | None = None) -> None:
        import pyoxigraph

        self.settings = settings or Settings()
        self.store = pyoxigraph.Store()

    # -- loading -----------------------------------------------------------------
    def load_file(self, path: Path, graph: str) -> None:
        """Load one RDF file into the named graph ``graph`` (a short name or an IRI)."""
        iri = graph if ":" in graph else self.settings.graph_iri(graph)
        load_into(self.store, Path(path), base=self.settings.base, graph=iri)

    def load_shipped(self, *, data: Iterable[Path] | None = None) -> GraphStore:
        """Load the ontology, and either the shipped data or the given data files."""
        files = self.settings.files()
        if not files["ontology"]:
            raise InputError("no ontology files found", path=str(self.settings.root / "ontology"))
        if data is None:
            try:
                read_source(self.settings.source)
            except (OSError, SourceError) as err:
                raise InputError(str(err), path=str(self.settings.source)) from None
            for graph, paths in files.items():
                for path in paths:
                    self.load_file(path, graph)
        else:
            for path in files["ontology"]:
                self.load_file(path, "ontology")
            for path in data:
                self.load_file(Path(path), "data")
        self._stamp_version()
        return self

    def _stamp_version(self) -> None:
        """Give the ontology the package's version: one source of truth, stamped at load."""
        import pyoxigraph

        from mou_graph import __version__
        from mou_graph.config import ONTOLOGY_IRI
        from mou_graph.vocab import OWL
        ontology = pyoxigraph.NamedNode(ONTOLOGY_IRI)
        graph = pyoxigraph.NamedNode(self.settings.graph_iri("ontology"))
        for prop in ("versionInfo", "versionIRI"):
            for quad in list(self.store.quads_for_pattern(ontology, pyoxigraph.NamedNode(OWL + prop), None, None)):
                self.store.remove(quad)
        self.store.add(pyoxigraph.Quad(ontology, pyoxigraph.NamedNode(OWL + "versionInfo"),
                                       pyoxigraph.Literal(__version__), graph))
        self.store.add(pyoxigraph.Quad(ontology, pyoxigraph.NamedNode(OWL + "versionIRI"),
                                       pyoxigraph.NamedNode(f"{ONTOLOGY_IRI}/{__version__}"), graph))

    # -- reading -----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.store)

    def query(self, sparql: str, *, substitutions: Mapping[str, Any] | None = None) -> Any:
        """Run a SPARQL query over the union of the graphs; ``substitutions`` binds
        variables (by name, without ``?``) to RDF terms before evaluation."""
        import pyoxigraph

        subs = {pyoxigraph.Variable(k): v for k, v in (substitutions or {}).items()}
        return self.store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)

    def ask(self, sparql: str, **kw: Any) -> bool:
        return bool(self.query(sparql, **kw))

    def match(self, subject: Any = None, predicate: str | None = None, obj: Any = None,
              graph: str | None = None) -> Iterator[pyoxigraph.Quad]:
        """The quads matching a pattern: ``subject`` and ``obj`` are terms, ``predicate`` an IRI and
        ``graph`` a short name or an IRI; None matches anything."""
        import pyoxigraph

        p = None if predicate is None else pyoxigraph.NamedNode(predicate)
        g = None if graph is None else pyoxigraph.NamedNode(graph if ":" in graph else self.settings.graph_iri(graph))
        return self.store.quads_for_pattern(subject, p, obj, g)

    def replace(self, removed: Iterable[pyoxigraph.Quad], added: Iterable[pyoxigraph.Quad]) -> None:
        """Take the ``removed`` quads out of the store, then put the ``added`` ones in."""
        for quad in removed:
            self.store.remove(quad)
        for quad in added:
            self.store.add(quad)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self, graphs: Iterable[str] | None = None) -> Iterator[pyoxigraph.Quad]:
        """Quads of the given named graphs (short names or IRIs), or of all."""
        import pyoxigraph

        if graphs is None:
            yield from self.store.quads_for_pattern(None, None, None, None)
            return
        for g in graphs:
            iri = g if ":" in g else self.settings.graph_iri(g)
            yield from self.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(iri))

    def triples(self, graphs: Iterable[str] | None = None) -> list[pyoxigraph.Triple]:
        """The distinct triples of the given graphs, in a stable (sorted) order."""
        import pyoxigraph

        seen = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in self.quads(graphs)}
        return sorted(seen, key=str)

    def to_rdflib(self, graphs: Iterable[str] | None = None) -> rdflib.Graph:
        """The union of the given graphs as an rdflib graph (for pyshacl and serialisers)."""
        import pyoxigraph
        import rdflib

        data = pyoxigraph.serialize(self.triples(graphs), format=pyoxigraph.RdfFormat.N_TRIPLES)
        graph = rdflib.Graph()
        graph.parse(data=data, format="nt")
        return graph


def load_store(settings: Settings | None = None, *, data: Iterable[Path] | None = None) -> GraphStore:
    """Load the shipped graph (or the ontology with ``data`` files) into a new store."""
    return GraphStore(settings).load_shipped(data=data)
