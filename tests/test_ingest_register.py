"""Drafts compile and validate like records (``mou-graph compile DRAFT``, ``validate --data DRAFT``), with
their unreviewed claims marked and their rejected ones left out."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from mou_graph.ingest.draft import build_draft, load_draft, write_draft
from mou_graph.ingest.intake import read_article
from mou_graph.ingest.review import apply_decisions, proposals

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "source" / "thaigov-61364.th.txt"
RELEASE = ROOT / "tests" / "fixtures" / "ingest" / "releases" / "r01-energy-th.txt"
BASE = "https://w3id.org/mou-graph/id/"
MOU = "https://w3id.org/mou-graph/ontology#"
NOTE = "http://www.w3.org/2004/02/skos/core#editorialNote"
MARK = pyoxigraph.Literal("Proposed by mou-graph ingest; not yet reviewed.", language="en")


@pytest.fixture(scope="module")
def article_draft(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("draft") / "article.draft.yaml"
    write_draft(build_draft(read_article(ARTICLE), store=store), path)
    return path


def _compile(cli, draft: Path, out: Path) -> pyoxigraph.Store:
    run = cli("compile", str(draft), "-o", str(out))
    assert run.code == 0, run.err
    store = pyoxigraph.Store()
    store.load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE, base_iri=BASE)
    return store


def _objects(store, s: str, p: str) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), None)}


def test_the_articles_draft_compiles_to_every_date_party_signatory_and_term(cli, article_draft, tmp_path):
    g = _compile(cli, article_draft, tmp_path / "out.ttl")
    slug = load_draft(article_draft)["records"][0]["agreement"]
    mou = f"{BASE}mou/{slug}"
    assert _objects(g, mou, MOU + "party") == {BASE + "org/mdes", BASE + "org/mtc-lao"}
    assert _objects(g, mou, MOU + "signatory") == {BASE + "person/chaiwut-thanakamanusorn",
                                                  BASE + "person/boviengkham-vongdara"}
    assert _objects(g, mou, MOU + "signingDate") == {"2022-11-07"}
    assert _objects(g, mou, MOU + "entryIntoForceDate") == {"2022-11-07"}
    durations = {slot: _objects(g, f"{mou}/term/{slot}", "http://www.w3.org/2006/time#hasXSDDuration")
                 for slot in ("initial", "extension", "total")}
    assert durations == {"initial": {"P5Y"}, "extension": {"P3Y"}, "total": {"P8Y"}}
    assert _objects(g, f"{mou}/term/extension", MOU + "automatic") == {"true"}
    # unreviewed: every claim node resting on the draft's words carries the bilingual mark
    marked = list(g.quads_for_pattern(None, pyoxigraph.NamedNode(NOTE), MARK))
    assert len(marked) > 20


def test_accepted_claims_lose_the_mark_and_rejected_ones_are_left_out(cli, article_draft, tmp_path):
    doc = load_draft(article_draft)
    decisions = [{"path": p.path, "review": "accepted"} for p in proposals(doc)]
    lao = next(p for p in proposals(doc) if p.fields.get("org") == "org/mtc-lao" and p.kind == "party")
    decisions = [d for d in decisions if d["path"] != lao.path] + [{"path": lao.path, "review": "rejected"}]
    apply_decisions(doc, decisions)
    reviewed = tmp_path / "reviewed.yaml"
    write_draft(doc, reviewed)
    g = _compile(cli, reviewed, tmp_path / "out.ttl")
    mou = f"{BASE}mou/{doc['records'][0]['agreement']}"
    assert _objects(g, mou, MOU + "party") == {BASE + "org/mdes"}  # the rejected party is not compiled
    assert not list(g.quads_for_pattern(None, pyoxigraph.NamedNode(NOTE), MARK))


def test_validate_a_draft_says_what_a_reviewer_must_add(cli, article_draft, tmp_path):
    run = cli("validate", "--data", str(article_draft), "--lang", "en")
    assert run.code == 1  # the title's English is the tool's draft until a reviewer accepts it
    assert "English (@en) label" in run.out
    doc = load_draft(article_draft)
    apply_decisions(doc, [{"path": "records.0.title", "review": "accepted"}])
    accepted = tmp_path / "accepted.yaml"
    write_draft(doc, accepted)
    run = cli("validate", "--data", str(accepted), "--lang", "en")
    assert run.code == 0, run.out + run.err
    assert "conforms" in run.out


def test_a_release_not_shipped_needs_its_address_and_is_cited(cli, store, tmp_path):
    bare = tmp_path / "bare.yaml"
    write_draft(build_draft(read_article(RELEASE), store=store), bare)
    run = cli("compile", str(bare), "-o", str(tmp_path / "x.ttl"))
    assert run.code == 2 and "bare.yaml" in run.err and "url" in run.err and "--url" in run.err
    assert not (tmp_path / "x.ttl").exists()
    cited = tmp_path / "cited.yaml"
    run = cli("ingest", str(RELEASE), "--url", "https://example.org/news/energy", "--publisher", "Example",
              "-o", str(cited))
    assert run.code == 0, run.err
    g = _compile(cli, cited, tmp_path / "y.ttl")
    sid = load_draft(cited)["draft"]["source"]
    assert _objects(g, f"{BASE}source/{sid}", "https://schema.org/url") == {"https://example.org/news/energy"}
    assert any(q.object.value.startswith(f"{BASE}source/{sid}/cite/")
               for q in g.quads_for_pattern(None, pyoxigraph.NamedNode(MOU + "support"), None))
    assert list(g.quads_for_pattern(None, pyoxigraph.NamedNode(NOTE), MARK))  # cited claims are marked too
