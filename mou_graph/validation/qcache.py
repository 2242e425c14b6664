"""A cache on disk of what the validator learns from reading a SPARQL text with rdflib's parser
(whether one run is exact, the patterns' chains): that parser takes 0.1-0.2 s a query, seconds
for our shapes, and the answer depends on the text alone.

An entry is a JSON file named by the SHA-256 of the kind of answer, :data:`VERSION` and the text,
so a changed text or a changed analysis never reads an old answer. The folder is
``MOU_GRAPH_CACHE`` or ``$XDG_CACHE_HOME/mou-graph`` (``~/.cache/mou-graph``); where it cannot be
written the answer is computed each time, and an unreadable or malformed entry is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["VERSION", "cache_folder", "cached"]

VERSION = "2"  # raise when an analysis changes what it answers


def cache_folder() -> Path:
    env = os.environ.get("MOU_GRAPH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mou-graph"


def cached(kind: str, text: str, compute: Callable[[str], Any]) -> Any:
    """``compute(text)`` (a JSON value), from the cache when it holds it."""
    from mou_graph.io.atomic import write_bytes

    key = hashlib.sha256(f"{kind}\0{VERSION}\0{text}".encode()).hexdigest()
    path = cache_folder() / f"{kind}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["value"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = compute(text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, json.dumps({"kind": kind, "value": value}).encode("utf-8"))
    except OSError:
        pass
    return value
