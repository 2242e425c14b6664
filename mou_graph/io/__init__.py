"""The gates between the program and the machine: what comes in, what goes out.

* :mod:`~mou_graph.io.rdfio`: the one input gate (every RDF file is read, bounded and checked here);
* :mod:`~mou_graph.io.netguard`: the audit-hook network guard around loading and validating;
* :mod:`~mou_graph.io.sparqltext`: the lexical reader of SPARQL text (``SERVICE``, remote ``FROM``, update forms,
  codepoint escapes), the early check before the sandbox;
* :mod:`~mou_graph.io.sandbox`: the seccomp filter that takes IP sockets away from a process;
* :mod:`~mou_graph.io.atomic`: atomic files and folders, written with the user's umask, swapped whole.

May import: the core (``config``, ``errors``, ``lang``, ``vocab``) only.
"""
