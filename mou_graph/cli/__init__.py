"""The ``mou-graph`` command: one module per command group over the library.

* :mod:`~mou_graph.cli.main`: the parser, the error-to-exit-code rule and the offline commands;
* :mod:`~mou_graph.cli.common`: the helpers every command shares (public names; it imports no other CLI module);
* :mod:`~mou_graph.cli.export`, :mod:`~mou_graph.cli.query`, :mod:`~mou_graph.cli.site`: command groups;
* :mod:`~mou_graph.cli.docgen`: ``docs/cli.md``, generated from the parser.

May import: every layer, :mod:`mou_graph.web` included (``serve``).
"""
