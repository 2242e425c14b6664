"""``mou-graph release``: reproducible to the byte, validated first, installed atomically."""

from __future__ import annotations

import hashlib
import html.parser

import pyoxigraph
import pytest

from mou_graph.publish.export import export_triples
from mou_graph.publish.release import SUMS, build_files, sha256sums
from tests.conftest import make_home, tree


@pytest.fixture(scope="module")
def released(cli, tmp_path_factory):
    """Two releases of the fixture graph in two fresh processes with different hash seeds."""
    home = make_home(tmp_path_factory.mktemp("home"))
    outs = []
    for seed in ("1", "2"):
        out = tmp_path_factory.mktemp(f"rel{seed}") / "release"
        run = cli("--home", str(home), "release", "-o", str(out), "--lang", "en", env={"PYTHONHASHSEED": seed})
        assert run.code == 0, run.err
        outs.append(out)
    return home, outs


def test_two_releases_are_identical_to_the_byte(released):
    _, (one, two) = released
    assert (one / SUMS).read_bytes() == (two / SUMS).read_bytes()
    assert tree(one) == tree(two)


def test_sha256sums_lists_every_file_with_its_hash(released):
    _, (one, _) = released
    files = tree(one)
    listed = {}
    for line in files.pop(SUMS).decode("ascii").splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    assert listed == {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    for expected in ("mou-graph.ttl", "mou-graph.trig", "mou-graph.nq", "mou-graph.rdf", "mou-graph.jsonld",
                     "mou-graph.nt", "void.ttl", "data-dictionary.md", "data-dictionary.csv", "ontology.html",
                     "graphs/entity.gexf", "graphs/entity.graphml", "graphs/entity-nodes.csv", "graphs/rdf.cyjs"):
        assert expected in listed
    assert not [p for p in one.parent.iterdir() if p.name != one.name]  # no temporary folders left


def test_void_describes_the_release(released):
    from mou_graph import __version__

    _, (one, _) = released
    void = {(str(t.subject), str(t.predicate), str(t.object))
            for t in pyoxigraph.parse((one / "void.ttl").read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)}
    ds = "<https://w3id.org/mou-graph/dataset>"
    count = len(set(pyoxigraph.parse((one / "mou-graph.nt").read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES)))
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert (ds, "<http://rdfs.org/ns/void#triples>", f'"{count}"^^{integer}') in void
    assert (ds, "<http://purl.org/dc/terms/license>", "<https://creativecommons.org/licenses/by/4.0/>") in void
    assert (ds, "<http://www.w3.org/ns/dcat#version>", f'"{__version__}"') in void
    langs = {o for s, p, o in void if s == ds and p == "<http://purl.org/dc/terms/language>"}
    assert langs == {f"<http://id.loc.gov/vocabulary/iso639-1/{c}>" for c in ("en", "lo", "th")}
    # the only date is the one in the data (the fixture ontology's dcterms:modified)
    dates = {o for *_, o in void if "XMLSchema#date" in o}
    assert dates == {'"2022-11-07"^^<http://www.w3.org/2001/XMLSchema#date>'}


def test_a_failing_validation_writes_nothing_and_keeps_the_previous_release(cli, released, tmp_path):
    home, (one, _) = released
    before = tree(one)
    broken = make_home(tmp_path / "broken")
    mou = broken / "data" / "mou.ttl"
    mou.write_text(mou.read_text(encoding="utf-8").replace(', "Test memorandum"@en', ""), encoding="utf-8")
    run = cli("--home", str(broken), "release", "-o", str(one), "--lang", "en")
    assert run.code == 1, run.err
    assert "nothing written" in run.err
    assert tree(one) == before
    assert not [p for p in one.parent.iterdir() if p.name != one.name]
    run = cli("--home", str(broken), "release", "-o", str(tmp_path / "new"))
    assert run.code == 1 and not (tmp_path / "new").exists()
    assert "ไม่ได้เขียนไฟล์ใด" in run.err


def test_release_replaces_a_previous_release_but_not_other_folders(cli, released, tmp_path):
    home, (one, _) = released
    before = tree(one)
    (one / "stale.txt").write_text("from an older release")
    run = cli("--home", str(home), "release", "-o", str(one))
    assert run.code == 0, run.err
    assert not (one / "stale.txt").exists()
    after = tree(one)
    assert sha256sums({k: v for k, v in after.items() if k != SUMS}) == after[SUMS]
    assert after["mou-graph.ttl"] == before["mou-graph.ttl"]  # the RDF does not depend on --lang
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    run = cli("--home", str(home), "release", "-o", str(mine))
    assert run.code == 2 and SUMS in run.err
    assert tree(mine) == {"notes.txt": b"keep me"}


def test_ontology_page_is_bilingual_offline_and_escaped(released):
    _, (_, two) = released  # the second release is never touched by other tests
    page = (two / "ontology.html").read_text(encoding="utf-8")

    class Scan(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.lang, self.remote, self.langs = None, [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "html":
                self.lang = a.get("lang")
            if "lang" in a:
                self.langs.add(a["lang"])
            if tag in ("script", "link", "img", "iframe") or (tag == "style" and a.get("src")):
                self.remote.append((tag, a))

    scan = Scan()
    scan.feed(page)
    assert scan.lang == "en" and {"th", "en", "lo"} <= scan.langs
    assert scan.remote == []  # no script, stylesheet or image to fetch
    assert "@import" not in page and "url(" not in page
    assert '"Noto Sans Thai"' in page and '"Noto Sans Lao"' in page
    assert "สาขาที่ความตกลงครอบคลุม" in page and "A field that an agreement covers." in page
    assert "letters &amp; parcels &lt;by post&gt;" in page  # autoescaped
    assert "<by post>" not in page


def test_release_files_of_the_shipped_graph(store):
    files = build_files(store)
    assert files == build_files(store)
    assert sha256sums(files) == sha256sums(dict(reversed(list(files.items()))))
    void = pyoxigraph.parse(files["void.ttl"], format=pyoxigraph.RdfFormat.TURTLE)
    counts = [t.object.value for t in void if t.subject.value == "https://w3id.org/mou-graph/dataset"
              and t.predicate.value == "http://rdfs.org/ns/void#triples"]
    assert counts == [str(len(export_triples(store)))]
    dictionary = files["data-dictionary.csv"].decode("utf-8-sig")
    assert "mou:MemorandumOfUnderstanding" in dictionary and "บันทึกความเข้าใจ" in dictionary


def test_the_data_dictionary_names_the_end_date_exclusive_and_gives_the_last_day(store):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(build_files(store)["data-dictionary.csv"].decode("utf-8-sig"))))
    (end,) = [r for r in rows if r["name"] == "schema:endDate"]
    assert end["label_en"] == "end date (exclusive)" and end["label_th"] == "วันสิ้นสุด (ไม่นับรวม)"
    assert "last day in force is the day before" in end["definition_en"]
    assert "วันสุดท้ายที่มีผลคือวันก่อนหน้า" in end["definition_th"]
