"""The web front end: a SPARQL 1.1 endpoint and a bilingual linked-data browser (ASGI).

* :mod:`~mou_graph.web.app`: the application and its settings;
* :mod:`~mou_graph.web.sparql`: the SPARQL protocol, the service description and the catalogue API;
* :mod:`~mou_graph.web.browse`: the browser's routes over :mod:`mou_graph.present`;
* :mod:`~mou_graph.web.pool`: the sandboxed, memory-bounded query workers;
* :mod:`~mou_graph.web.results`: content negotiation for results;
* :mod:`~mou_graph.web.server`: uvicorn with header and body time limits.

May import: every layer but :mod:`mou_graph.cli`.
"""

from mou_graph.web.app import create_app

__all__ = ["create_app"]
