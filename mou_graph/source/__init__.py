"""The texts the project ships (``data/source/``): the article, read verbatim, and its sentences.

* :mod:`~mou_graph.source.sources`: reading a shipped text and checking it against its checksum;
* :mod:`~mou_graph.source.segment`: cutting a Thai text into sentences with their offsets.

May import: the core and :mod:`mou_graph.io`.
"""
