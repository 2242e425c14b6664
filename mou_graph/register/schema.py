"""The record schema (``ontology/record.schema.json``, JSON Schema 2020-12, hand-written, with Thai and
English descriptions) and the check every record passes before it is compiled.

Editors point their YAML plugin at the same file (``# yaml-language-server: $schema=...``) and see the
descriptions as they type; the compiler checks with :mod:`jsonschema` and names the file and line.
"""

from __future__ import annotations

import datetime
import functools
import json
from pathlib import Path
from typing import Any

from mou_graph.register.records import Record

__all__ = ["SCHEMA_FILE", "check", "schema"]

SCHEMA_FILE = "ontology/record.schema.json"
_ROOT_DEFS = {"agreement": "agreement", "entities": "entities", "sources": "sources-file"}


@functools.cache
def schema(root: str | None = None) -> dict[str, Any]:
    from mou_graph.config import default_root

    path = Path(root) if root else default_root()
    return json.loads((path / SCHEMA_FILE).read_text(encoding="utf-8"))


def _jsonable(value: Any) -> Any:
    """YAML dates as the ISO strings the schema describes."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def check(record: Record, kind: str) -> None:
    """Raise the record's first schema error (the deepest, most specific one) with its file and line."""
    import jsonschema

    full = schema()
    sub = {"$schema": full["$schema"], "$defs": full["$defs"], "$ref": f"#/$defs/{_ROOT_DEFS[kind]}"}
    validator = jsonschema.Draft202012Validator(sub)
    errors = sorted(validator.iter_errors(_jsonable(record.data)), key=lambda e: (-len(e.absolute_path), str(e.path)))
    if not errors:
        return
    err = jsonschema.exceptions.best_match(errors) or errors[0]
    where = tuple(err.absolute_path)
    field = "/".join(str(p) for p in where) or "(top)"
    raise record.error(where, f"{field}: {_english(err)} (ontology/record.schema.json)",
                       f"{field}: ไม่ตรงตามสคีมาของระเบียน: {_english(err)}")


def _english(err: Any) -> str:
    if err.validator == "additionalProperties":
        return f"unknown field ({err.message.split('(')[-1].rstrip(')')})"
    return err.message if len(err.message) < 300 else err.message[:300] + "..."
