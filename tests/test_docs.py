"""Docs that cannot drift: the CLI reference is the real --help, every command is in it."""

from __future__ import annotations

from mou_graph.cli.docgen import _subparsers, cli_reference, module_list, with_module_list

from .conftest import ROOT


def test_cli_reference_is_up_to_date():
    committed = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    assert committed == cli_reference(), "run: python -m mou_graph.cli.docgen"


def test_the_readmes_module_list_is_the_package():
    """The README's list of modules is generated from the package (every subpackage, by its docstring)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_module_list(readme) == readme, "run: python -m mou_graph.cli.docgen"
    listed = module_list()
    for init in (ROOT / "mou_graph").glob("*/__init__.py"):
        if not init.parent.name.startswith("_"):
            assert f"mou_graph/{init.parent.name}/" in listed


def test_every_command_is_in_the_readme():
    from mou_graph.cli.main import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _subparsers(build_parser()):
        assert f"mou-graph {name}" in readme, name


def test_readme_quick_start_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nrun:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


# one Thai word for each notion: the word on the left, never the variants on the right
THAI_TERMS = {"ทริเพิล": ("ทริพเพิล",), "ระยะเวลาเริ่มต้น": ("ระยะเวลาเริ่มแรก",), "สาขาความร่วมมือ": ("ด้านความร่วมมือ",)}


def test_one_thai_word_for_each_notion():
    files = [p for d in ("mou_graph", "ontology", "queries", "docs", "data") for p in (ROOT / d).rglob("*")
             if p.suffix in {".py", ".js", ".html", ".ttl", ".rq", ".md", ".json"} and p.is_file()]
    assert len(files) > 50
    found = [(str(p.relative_to(ROOT)), bad) for p in files for bad in sum(THAI_TERMS.values(), ())
             if bad in p.read_text(encoding="utf-8")]
    assert found == []
