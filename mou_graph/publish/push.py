"""Loading the graph into a SPARQL server, all or nothing.

With a SPARQL Update URL, a push stages every graph into a fresh temporary graph (Graph
Store Protocol PUT then POSTs, or ``INSERT DATA``, in batches small enough for Virtuoso),
checks the staged counts, then swaps them in with one update request (``MOVE``, or ``ADD``
when appending) that also drops a graph the push leaves out, so the server sees either the
old graphs or the new ones. On any failure the staging graphs are dropped and the server's
graphs are as they were. With only a Graph Store Protocol URL no swap is possible: each graph
is PUT in turn, and a failure says exactly which graphs were replaced.

Empty graphs are never sent. Personal data stays out unless asked for, as in exports; when it
is left out, a replacing push removes the personal graph a previous push may have left.
Credentials (``user``/``password``) answer HTTP digest or basic authentication.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mou_graph.config import GRAPHS
from mou_graph.errors import UsageError
from mou_graph.publish.personal import public_triples

if TYPE_CHECKING:
    import pyoxigraph

    from mou_graph.store import GraphStore

__all__ = ["BATCH", "PushFailed", "PushResult", "push_store"]

BATCH = 500
"""Triples per staging request: Virtuoso 7 refuses an ``INSERT DATA`` of about 2,000 (its
generated SQL passes 10,000 lines); 1,000 pass."""


@dataclass(frozen=True)
class PushResult:
    graph: str
    triples: int
    method: str  # "update" or "gsp+update" (staged, then swapped); "gsp-put"/"gsp-post" (no swap); "drop"


class PushFailed(UsageError):
    """A push that stopped; ``changed`` lists the graphs it did change (empty: none)."""

    def __init__(self, reason: str, *, changed: list[str] | None = None, unchanged: list[str] | None = None,
                 unknown: bool = False) -> None:
        self.reason = reason
        self.changed = list(changed or [])
        self.unchanged = list(unchanged or [])
        self.unknown = unknown  # the swap's answer was lost: the server may or may not have applied it
        super().__init__(self.summary())

    def summary(self) -> str:
        if self.unknown:
            state = "the swap's answer was lost: check the graphs " + ", ".join(f"<{g}>" for g in self.unchanged)
        elif self.changed:
            state = ("graphs changed: " + ", ".join(f"<{g}>" for g in self.changed)
                     + "; not changed: " + (", ".join(f"<{g}>" for g in self.unchanged) or "none"))
        else:
            state = "the server's graphs were not changed"
        return f"{self.reason} ({state})"


class _Client:
    """HTTP to one server, answering digest or basic authentication when given credentials."""

    def __init__(self, timeout: float, user: str | None, password: str | None, urls: list[str]) -> None:
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:
                passwords.add_password(None, url, user, password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                         urllib.request.HTTPBasicAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def send(self, url: str, data: bytes | None, method: str, headers: dict[str, str]) -> tuple[str, bytes]:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise UsageError(f"not an http(s) URL: {url}")
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - scheme checked
        with self.opener.open(request, timeout=self.timeout) as response:
            return response.headers.get("Content-Type", ""), response.read()

    def update(self, url: str, text: str) -> None:
        self.send(url, urllib.parse.urlencode({"update": text}).encode(), "POST",
                  {"Content-Type": "application/x-www-form-urlencoded"})

    def count(self, url: str, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        _, body = self.send(url, urllib.parse.urlencode({"query": query}).encode(), "POST",
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": "application/sparql-results+json"})
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    def gsp_count(self, gsp: str, iri: str) -> int:
        import pyoxigraph

        kind, body = self.send(_graph_url(gsp, iri), None, "GET", {"Accept": "application/n-triples"})
        fmt = pyoxigraph.RdfFormat.RDF_XML if "rdf+xml" in kind else pyoxigraph.RdfFormat.TURTLE
        return len({q.triple for q in pyoxigraph.parse(body, format=fmt)})


def _graph_url(gsp: str, iri: str) -> str:
    return f"{gsp}{'&' if '?' in gsp else '?'}graph={urllib.parse.quote(iri, safe='')}"


def _why(err: BaseException) -> str:
    if isinstance(err, urllib.error.HTTPError):
        detail = ""
        with contextlib.suppress(OSError, IndexError):
            detail = err.read(300).decode("utf-8", "replace").strip().splitlines()[0]
        return f"HTTP {err.code} {err.reason}" + (f": {detail}" if detail else "")
    return str(getattr(err, "reason", err))


def _term(iri: str) -> str:
    import pyoxigraph

    try:
        return str(pyoxigraph.NamedNode(iri))
    except ValueError as err:
        raise UsageError(f"not an IRI: {iri!r}: {err}") from None


def _batches(triples: list[pyoxigraph.Triple], size: int) -> list[list[pyoxigraph.Triple]]:
    """Batches of at most ``size`` triples; triples with blank nodes travel together (a blank
    node is scoped to one request).

    >>> import pyoxigraph as o
    >>> p, b = o.NamedNode("http://e/p"), o.BlankNode("b")
    >>> triples = [o.Triple(o.NamedNode(f"http://e/{i}"), p, b) for i in range(3)]
    >>> triples += [o.Triple(o.NamedNode("http://e/x"), p, o.Literal(str(i))) for i in range(3)]
    >>> [len(part) for part in _batches(triples, 2)]
    [3, 2, 1]
    """
    import pyoxigraph

    def has_blank(t: pyoxigraph.Triple) -> bool:
        return isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode)

    blank = [t for t in triples if has_blank(t)]
    plain = [t for t in triples if not has_blank(t)]
    out = [plain[i:i + size] for i in range(0, len(plain), size)]
    return ([blank] if blank else []) + out


def _ntriples(triples: list[pyoxigraph.Triple]) -> bytes:
    import pyoxigraph

    from mou_graph.io.rdfio import serialized

    return serialized(triples, pyoxigraph.RdfFormat.N_TRIPLES)


def push_store(store: GraphStore, *, gsp: str | None, update: str | None, graph: str | None = None,
               replace: bool = True, include_personal: bool = False, timeout: float = 60.0,
               query: str | None = None, batch: int = BATCH, user: str | None = None,
               password: str | None = None) -> list[PushResult]:
    """Send the store's graphs to a server; ``graph`` puts them all into one graph.

    ``query`` is where staged counts are checked when staging went through SPARQL Update
    (default: the update URL, which Virtuoso answers). Raises :class:`PushFailed`.
    """
    if not gsp and not update:
        raise UsageError("give a Graph Store Protocol URL or a SPARQL Update URL")
    if batch < 1:
        raise UsageError(f"the batch size must be at least 1, not {batch}")
    plan: list[tuple[str, list]] = []
    if graph:
        plan.append((graph, store.triples() if include_personal else public_triples(store)))
    else:
        for name in GRAPHS:
            triples = store.triples([name]) if include_personal else public_triples(store, [name])
            plan.append((store.settings.graph_iri(name), triples))
    for iri, _ in plan:
        _term(iri)
    client = _Client(timeout, user, password, [u for u in (gsp, update, query) if u])
    send = [(iri, triples) for iri, triples in plan if triples]
    # a graph this push leaves empty (the personal graph when it is left out) must not stay stale
    drop = [iri for iri, triples in plan if not triples] if replace else []
    if update:
        return _staged(client, send, drop, gsp=gsp, update=update, query=query or update, replace=replace,
                       batch=batch)
    return _in_turn(client, send, drop, gsp=gsp or "", replace=replace)


def _staged(client: _Client, send: list[tuple[str, list]], drop: list[str], *, gsp: str | None, update: str,
            query: str, replace: bool, batch: int) -> list[PushResult]:
    token = uuid.uuid4().hex
    staging = {iri: f"urn:mou-graph:staging:{token}:{i}" for i, (iri, _) in enumerate(send)}
    use_gsp = bool(gsp)
    methods: dict[str, str] = {}
    try:
        for iri, triples in send:
            stage = staging[iri]
            for i, part in enumerate(_batches(triples, batch)):
                if use_gsp:
                    try:
                        client.send(_graph_url(gsp or "", stage), _ntriples(part), "PUT" if i == 0 else "POST",
                                    {"Content-Type": "application/n-triples"})
                        methods[iri] = "gsp+update"
                        continue
                    except (urllib.error.URLError, OSError):
                        if methods:  # the Graph Store Protocol worked before: this is a refusal, not a missing service
                            raise
                        use_gsp = False  # no Graph Store Protocol there: stage with SPARQL Update
                text = f"INSERT DATA {{ GRAPH {_term(stage)} {{\n{_ntriples(part).decode('utf-8')}}} }}"
                client.update(update, text)
                methods[iri] = "update"
        for iri, triples in send:
            stage = staging[iri]
            held = (client.gsp_count(gsp or "", stage) if methods[iri] == "gsp+update"
                    else client.count(query, _term(stage)))
            if held != len(triples):
                raise PushFailed(f"the staged copy of <{iri}> holds {held} triples, not {len(triples)}",
                                 unchanged=[i for i, _ in send] + drop)
    except BaseException as err:
        _clean(client, update, staging.values())
        if isinstance(err, PushFailed):
            raise
        if isinstance(err, (urllib.error.URLError, OSError)):
            raise PushFailed(f"the server did not take the staged graphs: {_why(err)}",
                             unchanged=[i for i, _ in send] + drop) from None
        if isinstance(err, (ValueError, KeyError, IndexError, SyntaxError)):  # an answer that is no count
            raise PushFailed(f"the staged counts could not be checked: {err}",
                             unchanged=[i for i, _ in send] + drop) from None
        raise
    verb = "MOVE" if replace else "ADD"
    swap = [f"{verb} SILENT GRAPH {_term(staging[iri])} TO GRAPH {_term(iri)}" for iri, _ in send]
    if not replace:
        swap += [f"DROP SILENT GRAPH {_term(staging[iri])}" for iri, _ in send]
    swap += [f"DROP SILENT GRAPH {_term(iri)}" for iri in drop]
    try:
        client.update(update, " ;\n".join(swap))
    except urllib.error.HTTPError as err:  # the server answered: it refused the whole request
        _clean(client, update, staging.values())
        raise PushFailed(f"the server refused the swap: {_why(err)}", unchanged=[i for i, _ in send] + drop) from None
    except (urllib.error.URLError, OSError) as err:
        raise PushFailed(f"the swap request failed: {_why(err)}; staging graphs "
                         + ", ".join(f"<{s}>" for s in staging.values()) + " may remain",
                         unchanged=[i for i, _ in send] + drop, unknown=True) from None
    return [PushResult(iri, len(triples), methods[iri]) for iri, triples in send] + \
        [PushResult(iri, 0, "drop") for iri in drop]


def _clean(client: _Client, update: str, graphs) -> None:  # an iterable of IRIs
    text = " ;\n".join(f"DROP SILENT GRAPH {_term(g)}" for g in graphs)
    if text:
        with contextlib.suppress(urllib.error.URLError, OSError):
            client.update(update, text)  # best effort: nothing a query of the real graphs sees


def _in_turn(client: _Client, send: list[tuple[str, list]], drop: list[str], *, gsp: str,
             replace: bool) -> list[PushResult]:
    """Graph Store Protocol only: no swap is possible, so say exactly what changed on failure."""
    done: list[str] = []
    results: list[PushResult] = []
    steps = [(iri, triples) for iri, triples in send] + [(iri, None) for iri in drop]
    for iri, triples in steps:
        try:
            if triples is None:
                try:
                    client.send(_graph_url(gsp, iri), None, "DELETE", {})
                except urllib.error.HTTPError as err:
                    if err.code != 404:
                        raise
                results.append(PushResult(iri, 0, "drop"))
            else:
                method = "PUT" if replace else "POST"
                client.send(_graph_url(gsp, iri), _ntriples(triples), method, {"Content-Type": "application/n-triples"})
                results.append(PushResult(iri, len(triples), f"gsp-{method.lower()}"))
        except (urllib.error.URLError, OSError) as err:
            raise PushFailed(f"the server did not take graph <{iri}>: {_why(err)}", changed=done,
                             unchanged=[i for i, _ in steps if i not in done]) from None
        done.append(iri)
    return results
