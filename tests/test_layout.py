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
not import each other. No module takes another module's private names (``_x``), in its own subpackage
either, and no two modules import each other. ``import mou_graph`` itself (for ``__version__``) is allowed
everywhere.
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


def _borrowed(path: Path, imports: list[tuple[int, str, list[str]]]) -> list[str]:
    """The private names (``_x``) a module takes from another module of the package, in its own layer too:
    what two modules share is public in the one that owns it (e.g. :mod:`mou_graph.cli.common`)."""
    me = _module_name(path)
    return [
        f"{path.name}:{line} takes {name} from {module}"
        for line, module, names in imports
        if module.startswith("mou_graph") and module != me
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_names_across_modules(path):
    borrowed = _borrowed(path, _imports(path))
    assert not borrowed, "\n".join(borrowed)


def test_the_checker_sees_a_borrowed_private_name():
    """Within a layer too: the CLI's command modules took ``_settings`` and ``_NOT_VALID`` from ``cli.main``."""
    here = PACKAGE / "cli" / "query.py"
    assert _borrowed(here, [(47, "mou_graph.cli.main", ["_settings"])])
    assert _borrowed(here, [(3, "mou_graph.web.pool", ["Answer", "_idle"])])
    assert not _borrowed(here, [(1, "mou_graph.cli.common", ["settings", "NOT_VALID"]), (2, "argparse", ["_X"])])


def test_the_checker_sees_a_wrong_import():
    """The rule is live: a core module importing a front end, or a layer importing its peer, is caught."""
    assert _upward("core", [(1, "mou_graph.web.app", ["create_app"])])
    assert _upward("validation", [(1, "mou_graph.query.run", ["evaluate"])])
    assert _upward("store", [(3, "mou_graph.publish.export", ["export_quads"])])
    assert not _upward("web", [(1, "mou_graph.query.run", ["evaluate"]), (2, "mou_graph", ["__version__"])])


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import loops of a module graph (each loop once, from its smallest module)."""
    loops: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt == path[0]:
                loops.append(path[:])
            elif nxt not in path and nxt > path[0]:
                walk(nxt, [*path, nxt])

    for start in sorted(edges):
        walk(start, [start])
    return loops


def test_no_import_loops():
    """No two modules import each other, lazily (inside a function) or not: the CLI's command modules and
    ``cli.main``, and ``web.pool`` and ``web.results``, did."""
    names = {_module_name(p) for p in _modules()}
    edges = {
        _module_name(p): {m for _line, m, _names in _imports(p) if m in names and m != "mou_graph"} - {_module_name(p)}
        for p in _modules()
    }
    from mou_graph.cli.main import COMMAND_MODULES  # imported by name (importlib), unseen by the parser

    edges["mou_graph.cli.main"] |= set(COMMAND_MODULES)
    loops = _cycles(edges)
    assert not loops, "\n".join(" -> ".join([*loop, loop[0]]) for loop in loops)
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]


def _constants(path: Path) -> list[tuple[int, object]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.lineno, node.value) for node in ast.walk(tree) if isinstance(node, ast.Constant)]


def test_namespaces_have_one_home():
    """A namespace IRI is spelled in :mod:`mou_graph.vocab` only (SPARQL texts and XML markup aside; the
    project's own IRIs are settings, in :mod:`mou_graph.config`, which vocab re-exports)."""
    from mou_graph import vocab

    spaces = [v for k, v in vars(vocab).items() if k.isupper() and isinstance(v, str) and v.startswith("http")]
    spelled = [
        f"{path.relative_to(PACKAGE)}:{line}: {value}"
        for path in _modules() if path.name not in ("vocab.py", "config.py")
        for line, value in _constants(path)
        if isinstance(value, str) and any(value.startswith(ns) for ns in spaces)
    ]
    assert not spelled, "use mou_graph.vocab:\n" + "\n".join(spelled)


def test_languages_have_one_home():
    """The languages served are :data:`mou_graph.lang.LANGUAGES`: no module lists them again, and every
    ``--label-lang`` of the CLI offers exactly those; every ``--lang`` (the interface's language) offers
    :data:`mou_graph.lang.INTERFACE_LANGUAGES`, or (``ingest``, ``review``: Thai and English releases)
    :data:`mou_graph.lang.INGEST_LANGUAGES`, both defined beside them."""
    from mou_graph.cli.docgen import _subparsers
    from mou_graph.cli.main import build_parser
    from mou_graph.lang import INGEST_LANGUAGES, INTERFACE_LANGUAGES, LANGUAGES

    assert set(INGEST_LANGUAGES) < set(LANGUAGES) and set(INTERFACE_LANGUAGES) < set(LANGUAGES)
    subset = {"ingest": INGEST_LANGUAGES, "review": INGEST_LANGUAGES}  # the commands that take only the subset

    listed = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in _modules() if path.name != "lang.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Tuple | ast.List | ast.Set)
        and {getattr(e, "value", None) for e in node.elts} >= set(LANGUAGES)
    ]
    assert not listed, "use mou_graph.lang.LANGUAGES:\n" + "\n".join(listed)
    for name, sub in _subparsers(build_parser()).items():
        for action in sub._actions:
            if "--lang" in action.option_strings:
                assert tuple(action.choices) == subset.get(name, INTERFACE_LANGUAGES), name
            if "--label-lang" in action.option_strings:
                assert tuple(action.choices) == LANGUAGES, name


# private names of the standard library the package uses on purpose (argparse has no public API for them)
STDLIB_PRIVATE = {"_actions", "_SubParsersAction", "_exit"}


def _private_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """``x._name`` where ``x`` is not ``self`` or ``cls``: another object's private attribute."""
    return [
        (node.lineno, ast.unparse(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        and node.attr not in STDLIB_PRIVATE
    ]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_attributes_of_other_objects(path):
    """web/sparql.py read the pool's ``_idle``: a module asks an object through its public methods."""
    found = _private_reads(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, "\n".join(f"{path.name}:{line}: {text}" for line, text in found)


def test_the_checker_sees_a_private_attribute():
    assert _private_reads(ast.parse("def f(ctx):\n    return ctx.pool._idle is not None\n"))
    assert not _private_reads(ast.parse("class A:\n    def f(self):\n        return self._idle\n"))
