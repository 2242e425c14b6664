"""Loading the graph into a SPARQL server: the Graph Store Protocol (PUT, or POST to add)
of N-Triples per named graph, falling back to SPARQL Update ``INSERT DATA``.

Personal data stays out unless asked for, as in exports.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import GRAPHS
from .errors import UsageError
from .personal import public_triples

if TYPE_CHECKING:
    from .store import GraphStore

__all__ = ["PushResult", "push_store"]


@dataclass(frozen=True)
class PushResult:
    graph: str
    triples: int
    method: str  # "gsp-put", "gsp-post" or "update"


def _send(url: str, data: bytes, method: str, content_type: str, timeout: float) -> int:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https"):
        raise UsageError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=data, method=method, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
        return response.status


def push_store(store: GraphStore, *, gsp: str | None, update: str | None, graph: str | None = None,
               replace: bool = True, include_personal: bool = False, timeout: float = 60.0) -> list[PushResult]:
    """Send the store's graphs to a server; ``graph`` puts them all into one graph."""
    import pyoxigraph

    plan: list[tuple[str, list]] = []
    if graph:
        triples = store.triples() if include_personal else public_triples(store)
        plan.append((graph, triples))
    else:
        for name in GRAPHS:
            triples = store.triples([name]) if include_personal else public_triples(store, [name])
            plan.append((store.settings.graph_iri(name), triples))
    results = []
    for iri, triples in plan:
        try:
            graph_term = str(pyoxigraph.NamedNode(iri))
        except ValueError as err:
            raise UsageError(f"not an IRI: {iri!r}: {err}") from None
        body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        error: Exception | None = None
        if gsp:
            url = f"{gsp}{'&' if '?' in gsp else '?'}graph={urllib.parse.quote(iri, safe='')}"
            method = "PUT" if replace else "POST"
            try:
                _send(url, body, method, "application/n-triples", timeout)
                results.append(PushResult(iri, len(triples), f"gsp-{method.lower()}"))
                continue
            except (urllib.error.URLError, OSError) as err:
                error = err
        if update:
            text = (f"DROP SILENT GRAPH {graph_term} ;\n" if replace else "") + \
                f"INSERT DATA {{ GRAPH {graph_term} {{\n{body.decode('utf-8')}}} }}"
            try:
                _send(update, urllib.parse.urlencode({"update": text}).encode(), "POST",
                      "application/x-www-form-urlencoded", timeout)
                results.append(PushResult(iri, len(triples), "update"))
                continue
            except (urllib.error.URLError, OSError) as err:
                error = err
        if error is None:
            raise UsageError("give a Graph Store Protocol URL or a SPARQL Update URL")
        raise UsageError(f"the server did not take graph <{iri}>: {error}")
    return results
