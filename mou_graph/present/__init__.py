"""What a reader sees, shared by the web server and the static site.

* :mod:`~mou_graph.present.pages`: view models and the Jinja environment (templates in ``templates/``,
  versioned assets in ``static/``);
* :mod:`~mou_graph.present.graph`: the neighbourhood graph (links ranked by importance, data for the drawing);
* :mod:`~mou_graph.present.search`: search forms and scoring;
* :mod:`~mou_graph.present.site`: the static site, written from the same view models.

May import: every layer below the front ends (core, io, source, store, validation, query, publish);
never :mod:`mou_graph.web` or :mod:`mou_graph.cli`.
"""
