"""SPARQL: the documented catalogue, running a query, writing its results.

A query's text is read by :mod:`mou_graph.io.sparqltext` (the lexer-level checks: ``SERVICE``, ``LOAD``,
update forms), below this layer, so that validation reads SPARQL constraints the same way.

* :mod:`~mou_graph.query.catalogue`: the questions of ``queries/``, their typed parameters and titles;
* :mod:`~mou_graph.query.run`: the one dataset rule, evaluation, and the one results writer used by
  the command line and the HTTP endpoint alike.

May import: the core, :mod:`mou_graph.io` and :mod:`mou_graph.store`.
"""
