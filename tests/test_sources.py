"""The source copy and its sentences: verbatim, checked, and in step with the text."""

from __future__ import annotations

import hashlib

import pytest

from mou_graph.config import Settings
from mou_graph.source.sources import SOURCE_SHA256, SourceError, read_source, sentences_turtle

from .conftest import ROOT


def test_project_copy_is_the_shared_source_byte_for_byte():
    copy = (ROOT / "data/source/thaigov-61364.th.txt").read_bytes()
    assert hashlib.sha256(copy).hexdigest() == SOURCE_SHA256
    shared = ROOT.parent / "shared/sources/thaigov-61364.th.txt"
    if shared.is_file():
        assert shared.read_bytes() == copy


def test_a_changed_copy_is_refused(tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_bytes((ROOT / "data/source/thaigov-61364.th.txt").read_bytes().replace(b"2565", b"2566", 1))
    with pytest.raises(SourceError, match="sha256"):
        read_source(bad)


def test_committed_sentences_are_what_the_segmenter_makes():
    text = read_source(Settings().source)
    assert (ROOT / "data/sentences.ttl").read_text(encoding="utf-8") == sentences_turtle(text)


def test_sentence_offsets_point_at_their_text(store):
    text = read_source(Settings().source)
    rows = list(store.query("""
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?b ?e ?t WHERE { ?s a nif:Sentence ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?t }"""))
    assert len(rows) > 20
    for row in rows:
        assert text[int(row["b"].value):int(row["e"].value)] == row["t"].value


def test_every_character_of_the_article_body_is_in_some_sentence():
    from mou_graph.source.segment import segment

    text = read_source(Settings().source)
    covered = set()
    for span in segment(text):
        covered.update(range(span.start, span.end))
    missing = [i for i, ch in enumerate(text) if ch.isalpha() and i not in covered]
    assert missing == []


def test_abbreviations_do_not_end_sentences():
    from mou_graph.source.segment import segment

    texts = [s.text for s in segment(read_source(Settings().source))]
    assert not any(t.endswith(("ศ.", "ดร.", "สปป.")) for t in texts)
    assert any(t.startswith("ศ.ดร.\u00a0บ่อเวียงคำ") for t in texts)
