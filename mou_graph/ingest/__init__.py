"""From a news release to a draft record: ``mou-graph ingest`` (issue 11).

What lives here: reading a release (:mod:`.intake`: UTF-8 text or an HTML page's article text),
the rule-based extractors (:mod:`.dates`, :mod:`.terms`, :mod:`.entities`: instruments, parties,
people, areas and activities, resolved against the register's own labels, :mod:`.lexicon`), the
draft writer (:mod:`.draft`, the YAML record format of ``RECORD-FORMAT.md`` with a support,
confidence, rule and review state on every proposal) and the evaluation over the labelled set
(:mod:`.evaluate`).

May import: the core (``config``, ``errors``, ``lang``, ``vocab``), :mod:`mou_graph.io` (atomic files), the
source layer (``sources``, ``segment``), the store and the register. Never ``web`` or ``cli``: the front ends
(``mou-graph ingest``, ``mou-graph review``) import this package, not the other way round. Everything
runs offline, on rules, the register's labels and PyThaiNLP's offline functions.
"""

from __future__ import annotations

__all__ = ["ingest_file"]


def ingest_file(path, *, lang=None, store=None):
    """Read ``path`` and return the draft (a dict in the record format)."""
    from .draft import build_draft
    from .intake import read_article

    return build_draft(read_article(path, lang=lang), store=store)
