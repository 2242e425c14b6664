"""Settings: where the ontology and data live, and the base of entity IRIs."""

from __future__ import annotations

import functools
import importlib.resources
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_BASE", "GRAPHS", "ONTOLOGY_IRI", "ONTOLOGY_NS", "Settings", "default_root"]

DEFAULT_BASE = "https://w3id.org/mou-graph/id/"
ONTOLOGY_IRI = "https://w3id.org/mou-graph/ontology"
ONTOLOGY_NS = ONTOLOGY_IRI + "#"
GRAPH_NS = "https://w3id.org/mou-graph/graph/"

# named graph -> the files that go into it, relative to the project root
GRAPHS: dict[str, tuple[str, ...]] = {
    "ontology": ("ontology/*.ttl",),
    "areas": ("data/areas.ttl",),
    "data": ("data/mou.ttl",),
    "personal": ("data/contacts.ttl",),
    "evidence": ("data/source.ttl", "data/sentences.ttl", "data/translation.ttl", "data/evidence.ttl"),
}
SHAPES_FILE = "ontology/shapes.ttl"
SOURCE_FILE = "data/source/thaigov-61364.th.txt"
# the repository's top-level folders that an installed package carries as package data
SHIPPED = ("ontology", "data", "queries")


def default_root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``: ``MOU_GRAPH_HOME`` if set, else
    the source checkout this package runs from (its own folders win there, editable installs
    included), else the copy shipped inside the installed package (``mou_graph/_shipped``)."""
    env = os.environ.get("MOU_GRAPH_HOME")
    if env:
        return Path(env)
    return _checkout_root() or _shipped_root()


@functools.cache
def _checkout_root() -> Path | None:
    """The repository around this package, if it runs from one: the folder above ``mou_graph/``
    with this project's ``pyproject.toml`` and the graph's folders beside it."""
    top = Path(__file__).resolve().parent.parent
    if not all((top / name).is_dir() for name in SHIPPED):
        return None
    try:
        head = (top / "pyproject.toml").read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return None
    return top if 'name = "mou-graph"' in head else None


@functools.cache
def _shipped_root() -> Path:
    """Where the installed package keeps its copy of the graph's folders: wheel package data that
    ``pyproject.toml`` maps from the repository's top level into ``mou_graph/_shipped``.
    (A package imported from a zip is not supported: the store reads real files.)"""
    return Path(str(importlib.resources.files("mou_graph") / "_shipped"))


def _default_base() -> str:
    return os.environ.get("MOU_GRAPH_BASE", DEFAULT_BASE)


@dataclass(frozen=True)
class Settings:
    """What every command needs to find and name the graph."""

    root: Path = field(default_factory=default_root)
    base: str = field(default_factory=_default_base)

    def __post_init__(self) -> None:
        if not (self.base.startswith(("http://", "https://")) and self.base.endswith(("/", "#"))):
            raise ValueError(f"the base IRI must be http(s) and end with / or #: {self.base!r}")

    def graph_iri(self, name: str) -> str:
        """The IRI of a named graph of the store.

        >>> Settings().graph_iri("data")
        'https://w3id.org/mou-graph/graph/data'
        """
        return GRAPH_NS + name

    def files(self) -> dict[str, list[Path]]:
        """Named graph -> the files loaded into it, sorted, shapes excluded."""
        out: dict[str, list[Path]] = {}
        for graph, patterns in GRAPHS.items():
            paths: list[Path] = []
            for pattern in patterns:
                paths += sorted(p for p in self.root.glob(pattern) if p.name != Path(SHAPES_FILE).name)
            out[graph] = paths
        return out

    @property
    def shapes(self) -> Path:
        return self.root / SHAPES_FILE

    @property
    def source(self) -> Path:
        return self.root / SOURCE_FILE
