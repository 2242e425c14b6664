"""mou-graph: a bilingual knowledge graph of the Thailand–Lao PDR digital cooperation MoU.

The public API is small: load the graph into an embedded store, validate it, query it,
export it. Front ends (the ``mou-graph`` command, the web server) are thin layers on it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mou_graph.config import Settings
from mou_graph.errors import InputError, MouGraphError, ValidationFailed
from mou_graph.lang import LANGUAGES, fallback_order, pick
from mou_graph.store import GraphStore, load_store

__all__ = [
    "LANGUAGES",
    "GraphStore",
    "InputError",
    "MouGraphError",
    "Settings",
    "ValidationFailed",
    "__version__",
    "fallback_order",
    "load_store",
    "pick",
]
