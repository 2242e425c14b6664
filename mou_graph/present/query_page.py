"""The query page's view model, shared by the server's ``/query`` and the static site's ``query.html``.

Each question of the catalogue becomes a form whose fields are labelled in the page's language:
an entity parameter offers, as a list to pick from, the labels (in that language) of the entities
that share a type with its example, built from the graph; a date field takes a Common-Era or a
Buddhist-Era date (read by :mod:`mou_graph.query.params`, which says how it read it).

The static site has no server: :func:`static_payload` gives its page the catalogue (texts, where
each question's VALUES block goes), the labels to read an entity by name, each entity's page, and
the graph's public quads (``query-data.js``) for Oxigraph compiled to WebAssembly
(``oxigraph-VERSION.js``, vendored by ``scripts/vendor-oxigraph``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mou_graph.io.sparqltext import inspect
from mou_graph.present.pages import message
from mou_graph.query.params import BE_FROM, BE_OFFSET, Labels, looks_like_iri

if TYPE_CHECKING:
    from mou_graph.query.catalogue import Catalogue, Entry, Param
    from mou_graph.store import GraphStore

__all__ = ["OXIGRAPH", "QUERY_ASSETS", "questions", "static_payload"]

OXIGRAPH = "oxigraph-0.5.11.js"  # the vendored engine (npm "oxigraph" 0.5.11, MIT OR Apache-2.0)
QUERY_ASSETS = ("query-0.2.0.css", "query-0.2.1.js")

# the page's texts that its script shows (the rest are in the template)
SCRIPT_MESSAGES = ("q_running", "q_rows", "q_triples", "q_true", "q_false", "q_download", "q_error",
                   "q_be_note", "q_label_note", "q_not_date", "q_no_label", "q_many_labels", "q_not_iri",
                   "q_not_integer", "q_not_value", "q_missing", "q_loading", "q_table")


def _field(entry: Entry, param: Param, labels: Labels, lang: str, base: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": param.name, "type": param.type, "id": f"q-{entry.name}-{param.name}",
                             "kind": message(f"q_type_{param.type}", lang), "choices": [], "values": list(param.values),
                             "value": param.default or param.example or ""}
    if param.type == "iri" and param.example and looks_like_iri(param.example):
        example = param.iri(param.example, base=base)
        field["value"] = labels.name(example, lang) or param.example
        seen: set[str] = set()
        for iri in labels.kin(example):
            name = labels.name(iri, lang)
            if name and name not in seen:
                seen.add(name)
                field["choices"].append(name)
        field["choices"].sort(key=str.casefold)
    return field


def questions(catalogue: Catalogue, labels: Labels, lang: str, *, base: str) -> list[dict[str, Any]]:
    """One form per question: name, title, description, form (SELECT, CONSTRUCT, ...), fields, text."""
    return [{"name": e.name, "title": e.title(lang), "description": e.description(lang), "form": e.form,
             "text": e.text, "fields": [_field(e, p, labels, lang, base) for p in e.params]} for e in catalogue]


def script_messages(lang: str) -> str:
    """The script's texts in ``lang``, as JSON for a ``data-`` attribute."""
    return json.dumps({key: message(key, lang) for key in SCRIPT_MESSAGES}, ensure_ascii=False)


def static_payload(store: GraphStore, catalogue: Catalogue, labels: Labels, pages: dict[str, str], *,
                   quads: str) -> bytes:
    """``query-data.js``: what the static page needs to ask the catalogue's questions itself.

    ``pages`` maps an entity's IRI to its page (relative to a language folder), ``quads`` is the
    public graph as N-Quads. A script that sets ``window.MOU_GRAPH_QUERY`` (pages opened from
    ``file://`` cannot ``fetch()``)."""
    base = store.settings.base
    entries = {}
    for e in catalogue:
        where = inspect(e.text).where
        fixed = [{"name": p.name, "type": p.type, "value": v} for p, v in zip(e.fixed_params, dict(e.fixed).values(),
                                                                                 strict=True)]
        entries[e.name] = {"text": e.text, "where": None if where is None else where + 1, "form": e.form,
                           "params": [{"name": p.name, "type": p.type, "values": list(p.values), "default": p.default,
                                       "example": p.example} for p in e.params], "fixed": fixed}
    keys: dict[str, list[str]] = {}
    for key, iris in labels.by_key.items():
        keys[key] = sorted(iris)
    from mou_graph.vocab import PREFIXES

    payload = {"base": base, "prefixes": PREFIXES, "questions": entries, "labels": keys,
               "types": {iri: sorted(t) for iri, t in labels.types.items() if iri in labels.names},
               "pages": pages, "be": {"from": BE_FROM, "offset": BE_OFFSET}, "quads": quads}
    text = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return ("/* generated by mou-graph site */\nwindow.MOU_GRAPH_QUERY = " + text + ";\n").encode("ascii")



class StaticQuery:
    """The static site's query page: its template context per language, its assets and its data."""

    assets = (*QUERY_ASSETS, OXIGRAPH)

    def __init__(self, store: GraphStore, data: Any, *, include_personal: bool = False) -> None:
        from mou_graph.query.catalogue import catalogue_of

        self.store = store
        self.include_personal = include_personal
        self.catalogue = catalogue_of(store.settings.root)
        self.labels = Labels.of(store, exclude=data.hidden)

    def context(self, lang: str) -> dict[str, Any]:
        base = self.store.settings.base
        return {"questions": questions(self.catalogue, self.labels, lang, base=base),
                "messages": script_messages(lang), "base": base}

    def data_file(self, pages: dict[str, str]) -> bytes:
        """``query-data.js``: the public quads, the catalogue, the labels and ``pages`` (entity -> its page)."""
        from mou_graph.publish.export import export_quads, serialize_quads

        quads = export_quads(self.store, include_personal=self.include_personal)
        text = serialize_quads(quads, "nquads", base=self.store.settings.base).decode("utf-8")
        return static_payload(self.store, self.catalogue, self.labels, pages, quads=text)
