"""``mou-graph review``: the review page over a real uvicorn server on 127.0.0.1, driven by HTTP and in
Debian's Chromium (Playwright), saving back to the draft file."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from mou_graph.ingest.draft import build_draft, load_draft, write_draft
from mou_graph.ingest.intake import read_article
from mou_graph.ingest.review import apply_decisions, proposals

from .conftest import running_server

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "tests" / "fixtures" / "ingest" / "releases" / "r03-tourism-en.txt"
THAI = ROOT / "tests" / "fixtures" / "ingest" / "releases" / "r01-energy-th.txt"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture
def draft(store, tmp_path):
    path = tmp_path / "draft.yaml"
    write_draft(build_draft(read_article(THAI), store=store), path)
    return path


@pytest.fixture
def server(draft):
    from mou_graph.web.review import create_review_app

    with running_server(create_review_app(draft), lifespan="off") as url:
        yield url


def test_decisions_are_all_or_nothing(draft):
    from mou_graph.errors import UsageError

    doc = load_draft(draft)
    first = proposals(doc)[0].path
    with pytest.raises(UsageError):
        apply_decisions(doc, [{"path": first, "review": "accepted"},
                              {"path": "records.0.nowhere", "review": "accepted"}])
    assert proposals(doc)[0].review == "proposed"  # the good decision was not applied either
    with pytest.raises(UsageError):
        apply_decisions(doc, [{"path": first, "review": "maybe"}])
    with pytest.raises(UsageError):
        apply_decisions(doc, [{"path": first, "fields": {"rule": "mine"}}])  # not an editable field


def test_save_over_http_writes_the_file_and_refuses_other_origins(server, draft):
    doc = load_draft(draft)
    party = next(p for p in proposals(doc) if p.kind == "party")
    answer = httpx.post(server + "/save", json={"decisions": [
        {"path": party.path, "review": "rejected", "fields": {}}]})
    assert answer.status_code == 200, answer.text
    assert next(p for p in proposals(load_draft(draft)) if p.path == party.path).review == "rejected"
    before = draft.read_bytes()
    assert httpx.post(server + "/save", json={"decisions": []},
                      headers={"origin": "http://attacker.example"}).status_code == 403
    assert httpx.post(server + "/save", content=b'{"decisions": []}',
                      headers={"content-type": "text/plain"}).status_code == 403
    bad = httpx.post(server + "/save", json={"decisions": [{"path": "records.0.nowhere", "review": "accepted"}]})
    assert bad.status_code == 400 and "no such proposal" in bad.json()["error"]
    assert draft.read_bytes() == before  # nothing written on a refusal
    page = httpx.get(server + "/")
    assert page.status_code == 200 and "content-security-policy" in page.headers
    assert httpx.get(server + "/", headers={"host": "evil.example"}).status_code == 403


def test_cli_review_refuses_a_missing_draft(cli, tmp_path):
    run = cli("review", str(tmp_path / "none.yaml"))
    assert run.code == 2 and "none.yaml" in run.err


@pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                    reason="Debian's chromium is not installed (scripts/setup --test installs it)")
def test_review_in_chromium(store, tmp_path):
    from playwright.sync_api import sync_playwright

    from mou_graph.web.review import create_review_app

    path = tmp_path / "draft.yaml"
    write_draft(build_draft(read_article(RELEASE), store=store), path)
    with running_server(create_review_app(path, lang="en"), lifespan="off") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        problems: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("#text mark").count() >= 10  # the proposals' words in the article
        assert page.locator("#text").get_attribute("lang") == "en"  # the release's language, not the page's

        witness = page.locator(".proposal", has=page.locator("input[value=witness]"))
        assert witness.count() == 1
        witness.locator("button.accept").click()
        assert witness.get_attribute("data-review") == "accepted"
        assert witness.locator(".state").inner_text() == "accepted"
        highlighted = page.locator("#text mark.active")
        assert "Mr. Somchai Rakdee" in "".join(highlighted.all_inner_texts())

        party = page.locator(".proposal", has=page.locator("input[name=org]")).first
        party.locator("button.reject").click()
        area = page.locator(".proposal", has=page.locator("input[name=area]")).first
        area.locator("input[name=area]").fill("area/tourism")
        area.locator("button.accept").click()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "ingest-review-en.png"))
        page.locator("#save").click()
        page.locator("#status", has_text="Saved").wait_for()

        # clicking a highlight in the article shows its proposal
        page.locator("#text mark", has_text="Keo Sisouphan").first.click()
        assert "person" in page.locator(".proposal.active .kind").inner_text()

        page.goto(url + "/?lang=th")
        assert page.locator("html").get_attribute("lang") == "th"
        assert page.locator("#save").inner_text() == "บันทึกลงไฟล์"
        assert any("บุคคล: บทบาท" in k for k in page.locator(".proposal .kind").all_inner_texts())
        browser.close()
    assert not problems, problems
    assert all(u.startswith(url) or u.startswith(("data:", "about:")) for u in requests), requests

    doc = load_draft(path)  # saved back to the record file
    states = {p.path: p for p in proposals(doc)}
    assert any(p.review == "accepted" and p.fields.get("role") == "witness" for p in states.values())
    assert any(p.review == "rejected" and "org" in p.fields for p in states.values())
    edited = [p for p in states.values() if p.fields.get("area") == "area/tourism"]
    assert edited and edited[0].review == "accepted"
    assert doc["draft"]["review"] == "partial"
