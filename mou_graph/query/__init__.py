"""SPARQL: reading a query's text, the documented catalogue, running a query, writing its results.

* :mod:`~mou_graph.query.sparqltext`: the lexer-level checks (``SERVICE``, ``LOAD``, update forms);
* :mod:`~mou_graph.query.catalogue`: the questions of ``queries/``, their typed parameters and titles;
* :mod:`~mou_graph.query.run`: the one dataset rule, evaluation, and the one results writer used by
  the command line and the HTTP endpoint alike.

May import: the core, :mod:`mou_graph.io` and :mod:`mou_graph.store`.
"""
