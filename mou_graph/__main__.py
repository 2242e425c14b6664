"""``python -m mou_graph`` runs the command-line interface."""

from mou_graph.cli.main import main

raise SystemExit(main())
