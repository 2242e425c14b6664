"""The ``mou-graph`` command: one module per command group over the library.

* :mod:`~mou_graph.cli.main`: the parser, the shared helpers (public names) and the offline commands;
* :mod:`~mou_graph.cli.export`, :mod:`~mou_graph.cli.query`, :mod:`~mou_graph.cli.site`: command groups;
* :mod:`~mou_graph.cli.docgen`: ``docs/cli.md``, generated from the parser.

May import: every layer, :mod:`mou_graph.web` included (``serve``).
"""
