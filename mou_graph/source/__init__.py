"""The texts the project ships (``data/source/``): the article, read verbatim, and its sentences.

* :mod:`~mou_graph.source.sources`: reading a shipped text and checking it against its checksum;
* :mod:`~mou_graph.source.segment`: cutting a Thai text into sentences with their offsets;
* :mod:`~mou_graph.source.translation`: the project's English translation, aligned with the
  sentences phrase by phrase (``data/translation/`` -> ``data/translation.ttl``).

May import: the core and :mod:`mou_graph.io`.
"""
