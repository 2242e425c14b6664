"""What leaves the project for others: RDF and graph exports, the release, ontology docs, push, stats.

* :mod:`~mou_graph.publish.export`: RDF in every common syntax, byte-stable;
* :mod:`~mou_graph.publish.graphs`: networkx projections and GraphML, GEXF, Cytoscape JSON, CSV;
* :mod:`~mou_graph.publish.personal`: the one personal-data filter every output goes through;
* :mod:`~mou_graph.publish.release`, :mod:`~mou_graph.publish.ontodoc`, :mod:`~mou_graph.publish.push`,
  :mod:`~mou_graph.publish.stats`.

May import: the core, :mod:`mou_graph.io`, :mod:`mou_graph.source`, :mod:`mou_graph.store`,
:mod:`mou_graph.validation` and :mod:`mou_graph.query`.
"""
