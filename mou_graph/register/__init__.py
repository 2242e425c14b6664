"""The register: agreement records (YAML under ``data/agreements/``, entities under ``data/entities/``,
citations under ``data/sources/``) checked against their JSON Schema and compiled into the RDF of
ontology 0.2 (claims with their supports, events, shortcuts, change events).

* :mod:`~mou_graph.register.records`: YAML read safely with the line of every value;
* :mod:`~mou_graph.register.schema`: the record schema (``ontology/record.schema.json``) and its check;
* :mod:`~mou_graph.register.quotes`: verbatim quotes found in the shipped texts (offsets, sentences);
* :mod:`~mou_graph.register.compiler`: records to triples, one named graph per kind of fact;
* :mod:`~mou_graph.register.turtle`: the generated Turtle (stable order, relative IRIs).

May import: the core, :mod:`mou_graph.io`, :mod:`mou_graph.source` and :mod:`mou_graph.store`
(rank 5, beside :mod:`mou_graph.publish`, which it does not import).
"""

from mou_graph.register.compiler import RecordError, Register, compile_paths, register_files

__all__ = ["RecordError", "Register", "compile_paths", "register_files"]
