"""The package's layers, checked: every import points down, and no layer borrows another's private names.

The layers, lowest first (each subpackage's ``__init__`` docstring says the same in words):

====  ==========================================================
rank  modules
====  ==========================================================
0     the core: ``config``, ``errors``, ``lang``, ``vocab``
1     ``io``: the input gate, the network guard, the sandbox, atomic files
2     ``source``: the shipped texts and their sentences
3     ``store``: the graph in an embedded store
4     ``validation``, ``query``
5     ``publish``, ``register``
6     ``present``, ``ingest``
7     ``web``
8     ``cli``
====  ==========================================================

A module may import from its own subpackage and from lower ranks only; two subpackages of the same rank do
not import each other. ``import mou_graph`` itself (for ``__version__``) is allowed everywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mou_graph"

CORE = {"config", "errors", "lang", "vocab"}
RANKS = {
    "core": 0,
    "io": 1, "source": 2, "store": 3,
    "validation": 4, "query": 4,
    "publish": 5, "register": 5,
    "present": 6, "ingest": 6,
    "web": 7, "cli": 8,
}


def _unit(module: str) -> str | None:
    """``mou_graph.io.rdfio`` -> ``io``; ``mou_graph`` -> None (the package facade)."""
    parts = module.split(".")
    if parts[0] != "mou_graph" or len(parts) == 1:
        return None
    return "core" if parts[1] in CORE else parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) for every import in the file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_shipped" not in p.parts)


def test_every_unit_has_a_rank():
    units = {_unit(_module_name(p)) for p in _modules()} - {None, "__main__"}
    assert units <= set(RANKS), f"give these a rank (and a docstring saying so): {sorted(units - set(RANKS))}"


def test_every_subpackage_says_what_lives_there_and_what_it_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{init}: its docstring must say what it may import"


def _upward(me: str, imports: list[tuple[int, str, list[str]]]) -> list[str]:
    """The imports of a module of unit ``me`` that do not point down."""
    wrong = []
    for line, module, _names in imports:
        other = _unit(module)
        if other is None or other == me:
            continue
        if RANKS[other] >= RANKS[me]:
            wrong.append(f"line {line} imports {module} ({other}, rank {RANKS[other]} >= {me}'s {RANKS[me]})")
    return wrong


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    me = _unit(_module_name(path))
    if me in (None, "__main__"):
        return
    wrong = _upward(me, _imports(path))
    assert not wrong, f"{path}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_names_across_subpackages(path):
    me = _unit(_module_name(path))
    borrowed = [
        f"{path.name}:{line} takes {name} from {module}"
        for line, module, names in _imports(path)
        if _unit(module) not in (None, me)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not borrowed, "\n".join(borrowed)


def test_the_checker_sees_a_wrong_import():
    """The rule is live: a core module importing a front end, or a layer importing its peer, is caught."""
    assert _upward("core", [(1, "mou_graph.web.app", ["create_app"])])
    assert _upward("validation", [(1, "mou_graph.query.run", ["evaluate"])])
    assert _upward("store", [(3, "mou_graph.publish.export", ["export_quads"])])
    assert not _upward("web", [(1, "mou_graph.query.run", ["evaluate"]), (2, "mou_graph", ["__version__"])])
