"""The web front end: a SPARQL 1.1 endpoint and a bilingual linked-data browser."""

from .app import create_app

__all__ = ["create_app"]
