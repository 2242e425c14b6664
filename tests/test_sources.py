"""The source copy and its sentences: verbatim, checked, and in step with the text."""

from __future__ import annotations

import hashlib

import pytest

from mou_graph.config import Settings
from mou_graph.source.segment import segment
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
    assert len(rows) == len(segment(text))
    for row in rows:
        assert text[int(row["b"].value):int(row["e"].value)] == row["t"].value


def test_every_character_of_the_article_body_is_in_some_sentence():
    text = read_source(Settings().source)
    covered = set()
    for span in segment(text):
        covered.update(range(span.start, span.end))
    missing = [i for i, ch in enumerate(text) if ch.isalpha() and i not in covered]
    assert missing == []


def test_abbreviations_do_not_end_sentences():
    texts = [s.text for s in segment(read_source(Settings().source))]
    assert not any(t.endswith(("ศ.", "ดร.", "สปป.")) for t in texts)
    assert any(t.startswith("ศ.ดร.\u00a0บ่อเวียงคำ") for t in texts)


def _sentence_with(texts: list[str], words: str) -> list[str]:
    return [t for t in texts if words in t]


def test_a_name_stays_with_the_post_that_follows_it():
    texts = [s.text for s in segment(read_source(Settings().source))]
    assert not any(t.endswith("ธนาคมานุสรณ์") for t in texts)
    assert not any(t.startswith("รัฐมนตรี") for t in texts)
    assert _sentence_with(texts, "นายชัยวุฒิ\u00a0ธนาคมานุสรณ์\u00a0 รัฐมนตรีว่าการกระทรวงดิจิทัล")


@pytest.mark.parametrize("item", [
    "โครงสร้างพื้นฐานด้านบรอดแบนด์\nและการพัฒนาการให้บริการ",  # a list item the source breaks across lines
    "การวิจัย\u00a0พัฒนา\nและนวัตกรรม",
])
def test_a_line_break_inside_a_list_item_does_not_end_a_sentence(item):
    texts = [s.text for s in segment(read_source(Settings().source))]
    assert len(_sentence_with(texts, item)) == 1, item


def test_the_breadcrumb_is_apart_from_the_headline_and_the_headline_is_one_sentence():
    texts = [s.text for s in segment(read_source(Settings().source))]
    assert texts[0] == "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล"
    headline = "ดีอีเอส ร่วมกับ กระทรวงเทคโนโลยีและการสื่อสารแห่งสปป.ลาว  ลงนามด้านไปรษณีย์ โทรคมนาคม และไอที" \
               " รองรับการพัฒนาดิจิทัล และอีคอมเมิร์ซ ระยะเวลา 8 ปี"
    assert texts[1] == headline
    assert texts.count(headline) == 3  # the page prints it three times


def test_the_sentence_marked_personal_is_the_one_that_prints_the_contacts(store):
    rows = list(store.query("""
        PREFIX mou: <https://w3id.org/mou-graph/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?t WHERE { ?s a nif:Sentence ; mou:personalData true ; nif:anchorOf ?t }"""))
    assert len(rows) == 1
    assert "083-0981034" in rows[0]["t"].value and "กัญญาภัค" in rows[0]["t"].value
