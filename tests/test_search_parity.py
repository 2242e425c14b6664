"""Search scores alike on the server (Python) and in the static site (its JavaScript, run under node).

Both read one definition (``mou_graph/present/search-rules.json``). The queries are generated
from the shipped graph's own texts, deterministically: whole labels, their starts and inner
pieces, words and pairs of words (spaced and, in Thai, run together), case and space changes,
a decomposed sara am (Thai and Lao), romanised pieces, punctuation, and random strings.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import unicodedata

import pytest

from mou_graph.present.search import RULES, SearchIndex

from .conftest import ROOT

JS = ROOT / "mou_graph/present/static/browse-0.1.0.js"
RUNNER = """
const m = require(process.argv[1]);
const data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const index = {entries: data.entries, rules: data.rules};
const out = data.queries.map(q => m.search(index, q).map(h => [h.iri, h.score, h.field, h.lang, h.text]));
process.stdout.write(JSON.stringify(out));
"""
DECOMPOSE = {"\u0e33": "\u0e4d\u0e32", "\u0eb3": "\u0ecd\u0eb2"}
POOL = "กขคงจฉชซญดตถทนบปผพฟมยรลวศษสหอฮะัาำิีึืุูเแโใไ่้๊๋็์ๆฯ" "ກຂຄງຈຊຍດຕຖທນບປຜພຟມຢຣລວສຫອຮະັາຳິີຶືຸູເແໂໃໄ່້໊໋ໍ" \
       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-–“”\u00a0\u200b\t"


@pytest.fixture(scope="module")
def index(store) -> SearchIndex:
    return SearchIndex.build(store)


def _decompose(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        if ch in DECOMPOSE and out and unicodedata.category(out[-1]) == "Mn" and rng.random() < 0.5:
            tone = out.pop()  # the mark typed before the tone mark: น + ํ + ้ + า
            out += [DECOMPOSE[ch][0], tone, DECOMPOSE[ch][1]]
        else:
            out.append(DECOMPOSE.get(ch, ch))
    return "".join(out)


def generated_queries(index: SearchIndex) -> list[str]:
    rng = random.Random(20261202)
    labels = sorted({i.entry.text for i in index.items if i.entry.field in ("prefLabel", "label", "altLabel")})
    texts = sorted({i.entry.text for i in index.items})
    tokens = sorted({t for i in index.items for t in i.tokens})
    romans = sorted({i.roman for i in index.items if i.roman})
    queries: list[str] = ["", "   ", "\u00a0", "x" * 250, "ก" * 250]
    for text in labels:
        queries += [text, text.upper(), f"  {text.replace(' ', chr(0xA0))} "]
        if any(ch in text for ch in DECOMPOSE):
            queries.append(_decompose(text, rng))
    for _ in range(300):
        cps = list(rng.choice(texts))
        a = rng.randrange(len(cps))
        piece = "".join(cps[a:a + rng.randint(1, 14)])
        queries += [piece, "".join(cps[:rng.randint(1, 20)]), _decompose(piece, rng)]
    for _ in range(250):
        x, y = rng.choice(tokens), rng.choice(tokens)
        queries += [x, f"{x} {y}", x + y, f"({x})", f"“{y}”"]
    for _ in range(150):
        r = rng.choice(romans)
        a = rng.randrange(len(r))
        piece = r[a:a + rng.randint(2, 10)]
        queries += [piece, piece.upper(), " ".join(piece[i:i + 3] for i in range(0, len(piece), 3))]
    for _ in range(200):
        queries.append("".join(rng.choice(POOL) for _ in range(rng.randint(1, 24))))
    return queries


def _python(index: SearchIndex, queries: list[str]) -> list[list[list]]:
    return [[[h.iri, h.score, h.field, h.lang, h.text] for h in index.search(q)] for q in queries]


def _node(index: SearchIndex, queries: list[str], tmp_path) -> list[list[list]]:
    node = shutil.which("node")
    assert node, "node is missing: scripts/setup --test installs Debian's nodejs"
    data = tmp_path / "parity.json"
    data.write_text(json.dumps({"entries": index.to_json(), "rules": RULES, "queries": queries}), encoding="utf-8")
    done = subprocess.run([node, "-e", RUNNER, str(JS), str(data)], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_static_sites_search_scores_every_generated_query_as_the_server_does(index, tmp_path):
    queries = generated_queries(index)
    assert len(queries) > 2000
    py, js = _python(index, queries), _node(index, queries, tmp_path)
    differ = [(q, p[:3], j[:3]) for q, p, j in zip(queries, py, js, strict=True) if p != j]
    assert differ == [], f"{len(differ)} of {len(queries)} queries differ, e.g. {differ[:3]}"
    found = sum(1 for p in py if p)
    assert found > len(queries) // 2  # not a comparison of empty answers


@pytest.mark.parametrize("query", [
    "น\u0e49\u0e4d\u0e32",  # a decomposed sara am, tone mark first (no entity has น้ำ: must find nothing alike)
    "บ่อเวียงค\u0e4d\u0e32",  # Thai: บ่อเวียงคำ typed with ํ + า
    "\u0e9a\u0ecd\u0ec8\u0ea7\u0ebd\u0e87\u0e84\u0ecd\u0eb2",  # Lao: ບໍ່ວຽງຄຳ typed with ໍ + າ
    "การพาณิชย์อิเล็กทรอนิกส์",
])
def test_a_decomposed_sara_am_finds_what_the_composed_one_does(index, tmp_path, query):
    composed = unicodedata.normalize("NFC", query).replace("\u0e4d\u0e32", "\u0e33").replace("\u0ecd\u0eb2", "\u0eb3")
    composed = composed.replace("\u0e4d\u0e49\u0e32", "\u0e49\u0e33")
    py = _python(index, [query, composed])
    assert py[0] == py[1]
    assert _node(index, [query, composed], tmp_path) == py
    if "\u0e84" in query or "\u0e04" in query:
        assert py[0], "the minister is found by his name however ำ is typed"
