"""``python -m mou_graph`` runs the command-line interface."""

from .cli import main

raise SystemExit(main())
