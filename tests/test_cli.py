"""The command line: exit codes, messages, and that it changes no file it reads."""

from __future__ import annotations

import hashlib

import pytest

from .conftest import ROOT


def _digest_tree() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
            for d in ("data", "ontology") for p in sorted((ROOT / d).rglob("*")) if p.is_file()}


def test_help_lists_the_commands(cli):
    run = cli("--help")
    assert run.code == 0
    for name in ("build", "validate", "export", "stats", "sentences"):
        assert name in run.out


def test_validate_exits_0_on_the_shipped_graph_and_changes_nothing(cli):
    before = _digest_tree()
    run = cli("validate", "--lang", "en")
    assert run.code == 0, run.out + run.err
    assert "conforms" in run.out
    assert _digest_tree() == before


def test_validate_report_speaks_thai_by_default(cli):
    run = cli("validate")
    assert run.code == 0
    assert "ผลการตรวจสอบ: ผ่าน" in run.out


def test_syntax_error_exits_2_naming_file_and_line(cli, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "unterminated .\n', encoding="utf-8")
    run = cli("validate", "--data", str(bad))
    assert run.code == 2
    assert f"{bad}:3:" in run.err
    assert "syntax error" in run.err


def test_unknown_extension_and_missing_file_exit_2(cli, tmp_path):
    odd = tmp_path / "x.docx"
    odd.write_text("x")
    run = cli("validate", "--data", str(odd))
    assert run.code == 2 and "unknown RDF file extension" in run.err
    run = cli("validate", "--data", str(tmp_path / "nope.ttl"))
    assert run.code == 2 and "no such file" in run.err


def test_wrong_option_value_is_a_usage_error(cli):
    run = cli("validate", "--lang", "fr")
    assert run.code == 2
    assert "invalid choice" in run.err


def test_bad_base_is_a_clear_error(cli):
    run = cli("--base", "ftp://x/", "stats")
    assert run.code == 2
    assert "base IRI" in run.err


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_validate_machine_formats(cli, fmt):
    run = cli("validate", "--format", fmt)
    assert run.code == 0
    if fmt == "json":
        import json

        assert json.loads(run.out)["conforms"] is True
    else:
        import rdflib

        g = rdflib.Graph().parse(data=run.out, format="turtle")
        assert (None, rdflib.URIRef("http://www.w3.org/ns/shacl#conforms"), rdflib.Literal(True)) in g


def test_sentences_check_passes_on_the_committed_file(cli):
    assert cli("sentences", "--check").code == 0


def test_build_writes_outputs_and_summary(cli, tmp_path):
    run = cli("build", "-o", str(tmp_path / "out"), "--lang", "en")
    assert run.code == 0, run.err
    assert (tmp_path / "out/mou-graph.ttl").stat().st_size > 1000
    assert "Entities per class" in run.out


def test_validate_changed_checks_one_edited_subject_against_the_rest(cli, store, tmp_path):
    import pyoxigraph

    term = pyoxigraph.NamedNode("https://w3id.org/mou-graph/id/mou/th-la-digital-2022/term/initial")
    triples = sorted({pyoxigraph.Triple(q.subject, q.predicate, q.object)
                      for q in store.store.quads_for_pattern(term, None, None, None)}, key=str)
    same = tmp_path / "same.nt"
    same.write_bytes(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    run = cli("validate", "--changed", str(same), "--lang", "en")
    assert run.code == 0, run.out + run.err

    wrong = tmp_path / "wrong.nt"
    wrong.write_text(same.read_text(encoding="utf-8").replace('"2027-11-07"', '"2027-11-08"'), encoding="utf-8")
    assert wrong.read_text(encoding="utf-8") != same.read_text(encoding="utf-8")
    run = cli("validate", "--changed", str(wrong), "--lang", "en", "--format", "json")
    assert run.code == 1
    import json

    shapes = {r["shape"] for r in json.loads(run.out)["results"] if r["focus"] == term.value}
    assert "https://w3id.org/mou-graph/shapes#TermEndRule" in shapes
