"""Reading RDF files: one place that knows formats and turns parser errors into
:class:`InputError` with file, line and column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["FORMATS", "format_for", "load_into"]

# extension -> pyoxigraph format name
FORMATS: dict[str, str] = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
}
_POSITION = re.compile(r"line (\d+) column (\d+)")


def format_for(path: Path) -> pyoxigraph.RdfFormat:
    """The RDF format of a file, from its extension.

    >>> format_for(Path("a.ttl")).name
    'Turtle'
    """
    import pyoxigraph

    name = FORMATS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown RDF file extension {path.suffix!r} (known: {known})", path=str(path))
    return getattr(pyoxigraph.RdfFormat, name)


def load_into(store: pyoxigraph.Store, path: Path, *, base: str, graph: str) -> None:
    """Parse ``path`` into the named graph ``graph`` of ``store``, all or nothing."""
    import pyoxigraph

    fmt = format_for(path)
    if not path.is_file():
        raise InputError("no such file", path=str(path))
    try:
        store.load(path=path, format=fmt, base_iri=base, to_graph=pyoxigraph.NamedNode(graph))
    except SyntaxError as err:
        line, column = err.lineno, err.offset
        found = _POSITION.search(str(err.msg or err))
        if found and line is None:
            line, column = int(found.group(1)), int(found.group(2))
        message = str(err.msg or err)
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", message)
        raise InputError(f"syntax error: {message}", path=str(path), line=line, column=column) from None
    except (OSError, ValueError) as err:
        raise InputError(str(err), path=str(path)) from None
