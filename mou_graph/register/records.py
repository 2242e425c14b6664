"""Records as YAML 1.2-ish safe loads that remember where every value was written.

PyYAML's composer gives each node its line; :func:`load_record` turns the node tree into plain
``dict``/``list`` values (so the JSON Schema check sees ordinary data) and keeps a side table from the
path of every value (``("events", 0, "date")``) to its line, for messages that name the file and line.

>>> rec = load_text("agreement: x\\nparties:\\n  - org: org/a\\n", "r.yaml")
>>> rec.data["parties"][0]["org"], rec.line(("parties", 0, "org"))
('org/a', 3)
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mou_graph.errors import InputError

__all__ = ["Record", "bilingual", "load_record", "load_text"]

Path_ = tuple[Any, ...]


def bilingual(en: str, th: str) -> str:
    """A message in English and Thai on one line, as the rest of the package writes them."""
    return f"{en} / {th}"


@dataclass
class Record:
    """One YAML file: its data and the line of each value (1-based)."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, where: Path_) -> int:
        """The line of the value at ``where``, or of its nearest written ancestor."""
        where = tuple(where)
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)

    def error(self, where: Path_, en: str, th: str) -> InputError:
        return InputError(bilingual(en, th), path=str(self.path), line=self.line(where))


def _construct(node: Any, where: Path_, lines: dict[Path_, int], name: str) -> Any:
    import yaml

    lines.setdefault(where, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if not isinstance(key_node, yaml.ScalarNode) or key == "<<":
                raise InputError(bilingual("keys must be plain words (no merge keys, no complex keys)",
                                           "คีย์ต้องเป็นคำธรรมดา (ห้ามใช้ merge key หรือคีย์ซับซ้อน)"),
                                 path=name, line=key_node.start_mark.line + 1)
            if key in out:
                raise InputError(bilingual(f"the key {key!r} is written twice", f"คีย์ {key!r} เขียนซ้ำ"),
                                 path=name, line=key_node.start_mark.line + 1)
            lines[(*where, key)] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, (*where, key), lines, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*where, i), lines, name) for i, item in enumerate(node.value)]
    value = _scalar(node)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return value



def _scalar(node: Any) -> Any:
    """The value of a scalar node under YAML's safe (core schema) resolution; dates stay ISO strings
    with a type: ``2022-11-07`` is a :class:`datetime.date`, ``2018-02`` and ``2018`` are what they say."""
    import yaml

    tag = node.tag
    text = node.value
    if tag == "tag:yaml.org,2002:timestamp":
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:int":
        return int(text.replace("_", ""), 0) if text[:2] in ("0x", "0o") else int(text.replace("_", ""))
    if tag == "tag:yaml.org,2002:float":
        return float(text)
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag in ("tag:yaml.org,2002:str", None) or isinstance(node, yaml.ScalarNode):
        return text
    return text


def load_text(text: str, name: str) -> Record:
    """Parse YAML text (safe: no tags, no Python objects) into a :class:`Record`."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise InputError(bilingual(f"not YAML: {err.problem or err}", f"ไม่ใช่ YAML ที่ถูกต้อง: {err.problem or err}"),
                         path=name, line=(mark.line + 1) if mark else None) from None
    except yaml.YAMLError as err:
        raise InputError(bilingual(f"not YAML: {err}", f"ไม่ใช่ YAML ที่ถูกต้อง: {err}"), path=name) from None
    lines: dict[Path_, int] = {}
    data = None if node is None else _construct(node, (), lines, name)
    return Record(Path(name), data, lines)


def load_record(path: Path) -> Record:
    """Read one record file through the input gate (size limit, UTF-8) and parse it."""
    from mou_graph.io.rdfio import read_text

    text = read_text(Path(path), what="record")
    record = load_text(text, str(path))
    if not isinstance(record.data, dict):
        raise InputError(bilingual("a record is a mapping of fields", "ระเบียนต้องเป็นแผนที่ของฟิลด์ (mapping)"),
                         path=str(path), line=1)
    return record
