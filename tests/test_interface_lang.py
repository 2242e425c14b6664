"""The interface speaks Thai and English in full; Lao is a language of the graph's labels, not of the interface.

A language is offered in the interface only when all of it is translated: every ``--lang`` of the CLI (the
language of messages, reports, titles and documents) offers Thai and English only, and a Lao label is asked
for with ``--label-lang``, which falls back by the one rule (:mod:`mou_graph.lang`).
"""

from __future__ import annotations

import argparse
import json

import pytest

from mou_graph.lang import INTERFACE_LANGUAGES, LANGUAGES


def _lang_options():
    from mou_graph.cli.docgen import _subparsers
    from mou_graph.cli.main import build_parser

    for name, parser in _subparsers(build_parser()).items():
        for action in parser._actions:
            if isinstance(action, argparse._StoreAction) and action.dest in ("lang", "label_lang"):
                yield name, action


def test_every_lang_option_offers_only_the_interfaces_languages():
    seen = {}
    for name, action in _lang_options():
        wanted = INTERFACE_LANGUAGES if action.dest == "lang" else LANGUAGES
        assert tuple(action.choices) == wanted, (name, action.option_strings, action.choices)
        seen.setdefault(action.dest, set()).add(name)
    assert {"validate", "ontodoc", "release", "query", "export", "serve"} <= seen["lang"]
    assert {"query", "export", "stats"} <= seen["label_lang"]


@pytest.mark.parametrize("command", [["ontodoc", "-o", "-"], ["validate"], ["queries"]])
def test_a_lao_interface_is_refused_as_a_usage_error(cli, command):
    run = cli(*command, "--lang", "lo")
    assert run.code == 2 and "--lang" in run.err and "invalid choice" in run.err


def test_the_documentation_is_not_written_in_lao(store):
    from mou_graph.publish.ontodoc import ontology_doc, ontology_model

    with pytest.raises(ValueError, match="no Lao pages"):
        ontology_model(store, lang="lo")
    page = ontology_doc(store, lang="th")
    assert '<html lang="th">' in page and "ຄລາສ" not in page  # no Lao heading in a Thai/English page


def test_lao_labels_are_asked_for_with_label_lang(cli, tmp_path):
    out = tmp_path / "g.json"
    run = cli("export", "--format", "nodelink", "-o", str(out), "--label-lang", "lo", "--no-validate")
    assert run.code == 0, run.err
    nodes = {n["iri"]: n for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]}
    lao = nodes["https://w3id.org/mou-graph/id/country/thailand"]
    assert lao["label"] == lao["label_lo"] == "ປະເທດໄທ"
    mou = nodes["https://w3id.org/mou-graph/id/mou/th-la-digital-2022"]
    assert "label_lo" not in mou and mou["label"] == mou["label_th"]  # no Lao label: Thai, by the rule
    assert "โหนด" in run.err  # the message is in the interface's language (--lang th), not Lao
    answer = cli("query", "parties", "--label-lang", "lo", "--format", "csv")
    assert answer.code == 0, answer.err
    assert "/org/mtc-lao,ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ," in answer.out  # a Lao label where the graph has one
    assert "/org/la-mict,กระทรวงแถลงข่าว วัฒนธรรม และการท่องเที่ยว," in answer.out  # else Thai, by the rule
