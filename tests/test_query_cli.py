"""`mou-graph queries` and `mou-graph query` in a real child process."""

from __future__ import annotations

import csv
import io
import json


def test_queries_lists_the_catalogue_in_both_languages(cli):
    en = cli("queries", "--lang", "en")
    th = cli("queries", "--lang", "th")
    assert en.code == th.code == 0
    assert "Each agreement's status on a given date" in en.out and "--param date=" in en.out
    assert "สถานะของความตกลงแต่ละฉบับ ณ วันที่กำหนด" in th.out
    listed = json.loads(cli("queries", "--format", "json").out)
    assert len(listed) >= 20 and all(e["titles"]["th"] and e["titles"]["en"] for e in listed)


def test_query_formats_agree(cli):
    out = {fmt: cli("query", "term-dates", "--lang", "en", "--format", fmt) for fmt in ("table", "csv", "tsv",
                                                                                        "json", "md")}
    assert all(r.code == 0 for r in out.values())
    (row,) = list(csv.DictReader(io.StringIO(out["csv"].out)))
    assert (row["signingDate"], row["initialLastDay"], row["extensionLastDay"]) == \
        ("2022-11-07", "2027-11-06", "2030-11-06")
    assert (row["initialEndExclusive"], row["extensionEndExclusive"]) == ("2027-11-07", "2030-11-07")
    binding = json.loads(out["json"].out)["results"]["bindings"][0]
    assert binding["initialLastDay"]["datatype"].endswith("#date")
    assert binding["initialLastDay"]["value"] == "2027-11-06"
    assert '"2030-11-07"^^<http://www.w3.org/2001/XMLSchema#date>' in out["tsv"].out
    assert out["md"].out.startswith("| mou |") and "id:mou/th-la-digital-2022" in out["table"].out


def test_parameters_files_and_expressions(cli, tmp_path):
    lo = cli("query", "status-on", "--param", "date=2031-01-01", "--label-lang", "lo", "--format", "csv")
    assert lo.code == 0 and "ended" in lo.out and "สิ้นสุดแล้ว" in lo.out  # no Lao label: Thai, by the rule
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?d WHERE { <https://w3id.org/mou-graph/id/mou/th-la-digital-2022> "
                  "<https://w3id.org/mou-graph/ontology#signingDate> ?d FILTER (?d = ?when) }\n", encoding="utf-8")
    hit = cli("query", "-f", str(rq), "--param", "when=2022-11-07", "--format", "csv")
    assert hit.code == 0 and hit.out.split() == ["d", "2022-11-07"]
    miss = cli("query", "-f", str(rq), "--param", "when=2022-11-08", "--format", "csv")
    assert miss.out.split() == ["d"]
    ask = cli("query", "-e", "ASK { ?s ?p ?o }")
    assert ask.code == 0 and ask.out.strip() == "true"


def test_errors_are_clear_with_exit_code_2(cli, tmp_path):
    bad = cli("query", "-e", "SELECT *\nWHERE {\n  ?s ?p .\n}")
    assert bad.code == 2 and "-e:4:1:" in bad.err and "syntax error" in bad.err
    assert "missing parameter date" in cli("query", "status-on").err
    wrong = cli("query", "status-on", "--param", "date=tomorrow")
    assert wrong.code == 2 and "not a date" in wrong.err
    assert cli("query", "no-such-question").code == 2
    runaway = cli("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                  "--timeout", "1", timeout=60)
    assert runaway.code == 2 and "time limit" in runaway.err
