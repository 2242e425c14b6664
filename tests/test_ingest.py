"""``mou-graph ingest``: intake, the rule-based extractors, the draft, the labelled set's figures.

The figures the suite holds the rules to are the issue's: on the project's own article, recall 1.0 on
parties, people with their roles, dates and terms (a real run of the evaluation over the article's gold
record, which is the hand-made record of data/mou.ttl)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from mou_graph.ingest.dates import dateline_of, find_dates
from mou_graph.ingest.draft import build_draft, draft_yaml, load_draft
from mou_graph.ingest.entities import find_instruments, find_people
from mou_graph.ingest.intake import html_text, read_article
from mou_graph.ingest.terms import add_duration, find_terms

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "fixtures" / "ingest"
HELDOUT = ROOT / "tests" / "fixtures" / "ingest-heldout"
ARTICLE = ROOT / "data" / "source" / "thaigov-61364.th.txt"


@pytest.fixture(scope="module")
def lexicon(store):
    from mou_graph.ingest.lexicon import register_lexicon

    return register_lexicon(store)


@pytest.fixture(scope="module")
def article_draft(store):
    return build_draft(read_article(ARTICLE), store=store)


# -- intake -----------------------------------------------------------------------------------------
def test_html_keeps_the_article_not_the_menus():
    a = read_article(SET / "releases" / "r16-html.html")
    assert a.kind == "html"
    assert "9 ก.ค." in a.text and "มาตรฐานผลิตภัณฑ์อุตสาหกรรม" in a.text
    for menu in ("หน้าแรก", "ติดต่อเรา", "ข่าวล่าสุด", "สงวนลิขสิทธิ์", "กระทรวงการคลัง", "1 มกราคม 2560"):
        assert menu not in a.text


def test_html_without_article_or_main_takes_the_block_with_the_paragraphs():
    html = ("<body><div class='nav-bar'><p>เมนู</p></div><div><p>ลงนามบันทึกความเข้าใจ</p><p>มีอายุ 5 ปี</p></div>"
            "<div class='footer'><p>ติดต่อ</p></div></body>")
    assert html_text(html) == "ลงนามบันทึกความเข้าใจ\nมีอายุ 5 ปี"


def test_text_is_nfc_and_thai_digits_are_kept(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("วันที่ ๗ พ.ย. ๖๕ e\u0301", encoding="utf-8")
    a = read_article(f)
    assert "๗ พ.ย. ๖๕" in a.text and "\u00e9" in a.text


@pytest.mark.parametrize(("content", "words"), [
    (None, "no such file"), (b"\xff\xfe\x00", "not UTF-8"), (b"", "empty"), (b"  \n\t", "empty")])
def test_bad_input_is_exit_2_naming_the_file(cli, tmp_path, content, words):
    f = tmp_path / "release.txt"
    if content is not None:
        f.write_bytes(content)
    run = cli("ingest", str(f), "-o", str(tmp_path / "d.yaml"))
    assert run.code == 2
    assert str(f) in run.err and words in run.err
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in run.err)  # the Thai half of the message
    assert not (tmp_path / "d.yaml").exists()


# -- dates --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value", "form"), [
    ("วันจันทร์ที่ 7 พฤศจิกายน 2565", "2022-11-07", "weekday"),
    ("๗ พฤศจิกายน ๒๕๖๕", "2022-11-07", "thai-digits"),
    ("7 พ.ย. 65", "2022-11-07", "2-digit-year"),
    ("๑๕ มีนาคม พ.ศ. ๒๕๖๖", "2023-03-15", "be-year"),
    ("3 ธันวาคม ค.ศ. 2023", "2023-12-03", "ce-year"),
    ("10 ม.ค. 67", "2024-01-10", "th-abbr-month"),
    ("8 October 2024", "2024-10-08", "en-month"),
    ("November 7, 2022", "2022-11-07", "en-month"),
    ("Thursday, 30 November 2023", "2023-11-30", "weekday"),
    ("12 Sept. 2024", "2024-09-12", "en-month"),
])
def test_date_forms(text, value, form):
    (d,) = find_dates(text)
    assert (d.value.isoformat(), text[d.start:d.end]) == (value, text)
    assert form in d.form


def test_relative_date_takes_the_datelines_year():
    text = "วันอังคารที่ 14 มีนาคม 2566\nวันนี้ (14 มี.ค.) นายสมชาย ใจดีมาก ลงนาม"
    first = find_dates(text)
    dl = dateline_of(text, first)
    assert dl.value == dt.date(2023, 3, 14)
    dates = find_dates(text, default_year=dl.value.year)
    rel = [d for d in dates if d.relative]
    assert [(d.value, text[d.start:d.end]) for d in rel] == [(dt.date(2023, 3, 14), "วันนี้ (14 มี.ค.)")]


def test_draft_dates_and_their_events(store):
    a = read_article(SET / "releases" / "r14-ceremony-th.txt")
    d = build_draft(a, store=store)
    events = {(e["event"], e["date"]) for r in d["records"] for e in r.get("events", [])}
    assert events == {("signing", "2024-02-14")}  # "เมื่อวานนี้" of the dateline 15 February 2567
    assert len(d["records"]) == 3
    assert len({e["id"] for r in d["records"] for e in r["events"]}) == 1  # one ceremony


# -- terms --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("มีอายุ ๕ ปี โดยจะขยายเวลาอัตโนมัติออกไปอีกคราวละ ๓ ปี", [("P5Y", "initial", False), ("P3Y", "extension", True)]),
    ("ระยะเวลาความร่วมมือ 8 ปี แบ่งเป็น 5 ปี และขยายเวลาอัตโนมัติออกไปอีก 3 ปี",
     [("P8Y", "total", False), ("P5Y", "initial", False), ("P3Y", "extension", True)]),
    ("for five years with an automatic extension of three", [("P5Y", "initial", False), ("P3Y", "extension", True)]),
    ("มีอายุ ๓ ปี และต่ออายุได้อีกคราวละ ๓ ปี", [("P3Y", "initial", False), ("P3Y", "extension", False)]),
    ("เป็นระยะเวลาห้าปี", [("P5Y", "initial", False)]),
    ("ครบรอบ 70 ปี ความสัมพันธ์", []),
])
def test_terms(text, expected):
    assert [(t.duration, t.slot, t.automatic) for t in find_terms(text)] == expected


def test_end_dates_follow_from_the_terms(article_draft):
    term = article_draft["records"][0]["term"]
    assert (term["initial"]["start"], term["initial"]["end"]) == ("2022-11-07", "2027-11-07")
    assert (term["extension"]["start"], term["extension"]["end"]) == ("2027-11-07", "2030-11-07")
    assert term["total"]["end"] == "2030-11-07"
    assert add_duration(dt.date(2024, 2, 29), "P1Y") == dt.date(2025, 2, 28)


def test_add_duration_refuses_what_is_not_a_duration():
    """A duration not of the form PnY/PnM is a ValueError naming it (it was an AttributeError on None)."""
    with pytest.raises(ValueError, match="P5D"):
        add_duration(dt.date(2024, 1, 1), "P5D")


# -- people and instruments ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "honorific", "name"), [
    ("นายสมชาย ใจดีมาก รัฐมนตรี", "นาย", "สมชาย ใจดีมาก"),
    ("นางสาวศิริพร ทองมา ", "นางสาว", "ศิริพร ทองมา"),
    ("ศ.ดร. บ่อเวียงคำ วงดาลา", "ศ.ดร.", "บ่อเวียงคำ วงดาลา"),
    ("รศ.ดร. สุรเชษฐ์ วงศ์ทองดี", "รศ.ดร.", "สุรเชษฐ์ วงศ์ทองดี"),
    ("พล.อ. สมศักดิ์ ทองใหญ่", "พล.อ.", "สมศักดิ์ ทองใหญ่"),
    ("ดร.อรุณี ทองคำ", "ดร.", "อรุณี ทองคำ"),
    ("ท่าน คำไพ วงสะหวัน", "ท่าน", "คำไพ วงสะหวัน"),
    ("H.E. Mr. Wichai Thongdee, Minister", "H.E. Mr.", "Wichai Thongdee"),
    ("Dr. Kasem Phuangthong, Governor", "Dr.", "Kasem Phuangthong"),
    ("Ms. Keo Sisouphan signed", "Ms.", "Keo Sisouphan"),
    ("ທ່ານ ບັນດິດ ສົມພອນ ແກ້ວມະນີ", "ທ່ານ ບັນດິດ", "ສົມພອນ ແກ້ວມະນີ"),
    ("ສຈ. ບຸນມີ ສີສະຫວາດ", "ສຈ.", "ບຸນມີ ສີສະຫວາດ"),
])
def test_honorific_apart_from_the_name(text, honorific, name):
    (p,) = find_people(text, None)
    assert (p.honorific, p.name) == (honorific, name)


def test_prime_minister_is_not_mr_krathamontri():
    assert find_people("ท่าน บุนทอง ไชยะวง นายกรัฐมนตรีแห่ง สปป.ลาว", None)[0].post == "นายกรัฐมนตรีแห่ง สปป.ลาว"
    assert [p.name for p in find_people("นายกรัฐมนตรีกล่าว", None)] == []


def test_several_instruments_in_one_release():
    text = (SET / "releases" / "r06-transport-th.txt").read_text(encoding="utf-8")
    assert [(i.kind, i.title) for i in find_instruments(text)] == [
        ("agreement", "ความตกลงว่าด้วยการขนส่งทางถนนข้ามพรมแดน"),
        ("mou", "บันทึกความเข้าใจว่าด้วยความร่วมมือด้านการพัฒนาระบบราง")]


def test_register_people_and_parties_are_resolved(article_draft):
    rec = article_draft["records"][0]
    assert [p["org"] for p in rec["parties"]] == ["org/mdes", "org/mtc-lao"]
    parts = {(p["person"], p["role"], p.get("on_behalf_of")) for p in rec["events"][0]["participants"]}
    assert parts == {("person/chaiwut-thanakamanusorn", "signatory", "org/mdes"),
                     ("person/boviengkham-vongdara", "signatory", "org/mtc-lao")}


def test_new_thai_names_get_a_romanisation_marked_as_the_tools(store):
    d = build_draft(read_article(SET / "releases" / "r01-energy-th.txt"), store=store)
    person = next(p for p in d["entities"]["people"] if p["name"].get("th") == "สมชาย ใจดีมาก")
    assert person["name"]["rtgs"]["by"] == "tool" and person["name"]["rtgs"]["text"]
    assert person["id"].startswith("person/") and person["id"].isascii()
    assert d["entities"]["areas"] and all(a["review"] == "proposed" for a in d["entities"]["areas"])


# -- the draft ---------------------------------------------------------------------------------------
def _claims(node):
    if isinstance(node, dict):
        if "review" in node and "support" in node:
            yield node
        for k, v in node.items():
            if k != "support":
                yield from _claims(v)
    elif isinstance(node, list):
        for v in node:
            yield from _claims(v)


@pytest.mark.parametrize("release", sorted((SET / "releases").iterdir()), ids=lambda p: p.name)
def test_every_claim_has_its_words_offsets_confidence_rule_and_review(store, release):
    a = read_article(release)
    d = build_draft(a, store=store)
    claims = list(_claims(d))
    assert claims
    for c in claims:
        assert c["review"] == "proposed" and 0 < c["confidence"] <= 1 and c["rule"]
        for s in c["support"]:
            start, end = s["offsets"]
            assert a.text[start:end] == s["quote"]
    # the draft keeps the text its offsets refer to (or, for the shipped article, its sha256)
    assert d["sources"][d["draft"]["source"]]["text"] == a.text


def test_draft_yaml_round_trips_and_names_the_shipped_article(article_draft, tmp_path):
    from mou_graph.ingest.draft import draft_text, write_draft
    from mou_graph.source.sources import SOURCE_ID

    assert article_draft["draft"]["source"] == SOURCE_ID
    assert "text" not in article_draft["sources"][SOURCE_ID]  # the project ships it: sha256 + path
    target = tmp_path / "draft.yaml"
    write_draft(article_draft, target)
    back = load_draft(target)
    assert back == yaml.safe_load(draft_yaml(article_draft))
    assert draft_text(back) == ARTICLE.read_text(encoding="utf-8")


def test_cli_ingest_writes_the_draft(cli, tmp_path):
    out = tmp_path / "draft.yaml"
    run = cli("ingest", str(SET / "releases" / "r03-tourism-en.txt"), "-o", str(out))
    assert run.code == 0, run.err
    assert "proposals" in run.err and "ข้อเสนอ" in run.err
    doc = load_draft(out)
    assert doc["records"][0]["kind"] == "mou"
    assert {p["role"] for p in doc["records"][0]["events"][0]["participants"]} == {"signatory", "witness"}


# -- the figures -------------------------------------------------------------------------------------
def test_the_articles_recall_is_one_on_parties_people_dates_and_terms(store, tmp_path):
    """The issue's target on the project's own article, measured by a real run of the evaluation."""
    from mou_graph.ingest.evaluate import evaluate_folder

    folder = tmp_path / "set"
    (folder / "gold").mkdir(parents=True)
    (folder / "gold" / "thaigov-61364.yaml").write_bytes((SET / "gold" / "thaigov-61364.yaml").read_bytes())
    totals, per, offsets = evaluate_folder(folder, store=store)
    scores = per["thaigov-61364"]
    for kind in ("party", "person+role", "date:signing", "date:entry-into-force", "date:dateline", "duration"):
        assert scores[kind].gold > 0 and scores[kind].recall == 1.0, kind
    assert scores["honorific"].recall == 1.0 and scores["post"].recall == 1.0
    assert offsets["right"] == offsets["checked"] > 0


def test_evaluate_command_prints_and_rewrites_the_docs_table(cli, tmp_path):
    page = tmp_path / "ingest.md"
    start, end = "<!-- ingest-table:ingest-heldout:start -->", "<!-- ingest-table:ingest-heldout:end -->"
    page.write_text(f"# x\n{start}\nold\n{end}\ntail\n", encoding="utf-8")
    run = cli("ingest", "--evaluate", str(HELDOUT), "--docs", str(page))
    assert run.code == 0, run.err
    assert "| party |" in run.out and "| date:signing |" in run.out
    text = page.read_text(encoding="utf-8")
    assert "\nold\n" not in text and "| person+role |" in text and text.endswith("tail\n")


def test_evaluate_refuses_a_folder_without_gold(cli, tmp_path):
    run = cli("ingest", "--evaluate", str(tmp_path), "--no-docs")
    assert run.code == 2 and str(tmp_path) in run.err


def test_docs_table_is_the_commands_output(store):
    """docs/ingest.md holds what the evaluation prints now (regenerate: mou-graph ingest --evaluate DIR)."""
    from mou_graph.ingest.evaluate import evaluate_folder, markers, table_markdown

    page = (ROOT / "docs" / "ingest.md").read_text(encoding="utf-8")
    for folder in (SET, HELDOUT):
        start, end = markers(folder.name)
        committed = page.split(start, 1)[1].split(end, 1)[0].strip()
        assert committed == table_markdown(*evaluate_folder(folder, store=store)).strip(), folder.name


def test_text_pythainlp_would_normalise_is_kept_and_flagged(store, tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("วันพุธที่ 6 มีนาคม 2567\nกระทรวงพลังงานลงนามบันทึกความเข้าใจด้านพลังงานเเสงอาทิตย์\n", encoding="utf-8")
    a = read_article(f)
    assert "เเสง" in a.text  # two sara e, as written: the offsets refer to this text
    d = build_draft(a, store=store)
    assert "normalize" in d["draft"] and "normalize" not in build_draft(read_article(ARTICLE), store=store)["draft"]
