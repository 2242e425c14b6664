"""Checking the graph against its shapes, and the report a person reads.

* :mod:`~mou_graph.validation.validate`: the run (engine choice, the network guard) and the bilingual report;
* :mod:`~mou_graph.validation.fastshacl`: the SHACL engine on pyoxigraph (pySHACL is the reference and fallback).

May import: the core, :mod:`mou_graph.io`, :mod:`mou_graph.source` and :mod:`mou_graph.store`.
"""
