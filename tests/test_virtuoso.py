"""A real Virtuoso 7 (Debian's `virtuoso-opensource`, installed by `scripts/setup --test`) on
127.0.0.1: push the graph through its authenticated endpoints, then every catalogue question
gives the same rows there as on the embedded store, modulo Virtuoso's documented rewrites.

One server per session, in a temporary database folder with a generated virtuoso.ini (both
listeners on 127.0.0.1, random free ports), and a random DBA password set at start.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pyoxigraph
import pytest

from mou_graph.errors import UsageError
from mou_graph.lang import LANGUAGES
from mou_graph.publish.push import push_store
from mou_graph.query.catalogue import load_catalogue
from mou_graph.query.run import run_local, run_remote

from .conftest import REGISTER_CASES, free_port

XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPHS = ("ontology", "areas", "data", "personal", "evidence")

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not binary or not isql:
        pytest.fail("Virtuoso is missing: run scripts/setup --test as root (apt: virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen([binary, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = folder / "virtuoso.log"
                    pytest.fail("Virtuoso did not start: " + (log.read_text()[-2000:] if log.exists() else ""))
                time.sleep(0.2)
        password = secrets.token_hex(12)
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec=user_set_password('dba', '{password}');"],
                       check=True, capture_output=True, timeout=60)
        yield {"url": url, "user": "dba", "password": password}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _auth(v):
    return {"user": v["user"], "password": v["password"]}


def _graphs(store):
    return [store.settings.graph_iri(g) for g in GRAPHS]


def _dump(v, store) -> dict[str, bytes]:
    """Each graph of the push as the server sends it (SPARQL CONSTRUCT: its N-Triples lines, sorted,
    without Virtuoso's comment lines such as "# Empty NT")."""
    out = {}
    for iri in [*_graphs(store), "https://example.org/test/one-graph"]:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        request = urllib.request.Request(f"{v['url']}/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                                         headers={"Accept": "text/plain"})  # N-Triples
        with urllib.request.urlopen(request, timeout=60) as response:
            lines = [line for line in response.read().splitlines() if line.strip() and not line.startswith(b"#")]
            out[iri] = b"\n".join(sorted(lines))
    return out


def _staging_graphs(v) -> list[str]:
    rows = run_remote(f"{v['url']}/sparql", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                      "FILTER(STRSTARTS(STR(?g), 'urn:mou-graph:staging:')) }")
    return [r["g"].value for r in rows.rows]


# Virtuoso's documented rewrites (docs/triplestores.md), each as narrow as it can be:
#  1. the booleans true and false come back as 1 and 0 (typed xsd:integer, or xsd:boolean with the
#     lexical form 1 or 0): every boolean is compared as the integer 1 or 0;
#  2. a duration of whole years, "P5Y", comes back as its number of months, "60" (still typed
#     xsd:duration): "PnY" is compared as "12n";
#  3. it answers ASK as a one-row SELECT of the integer 1 or 0 in a variable `__ASK_RETVAL`;
#  4. its DESCRIBE adds the triples that point at the resource (the form of a description is the
#     server's choice, SPARQL 1.1 section 16.4): compared are the triples about the described resources.
def _normalise(term):
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value if term.datatype else ""
        if datatype == XSD + "boolean" and term.value in ("true", "false", "1", "0"):
            one = term.value in ("true", "1")
            return pyoxigraph.Literal("1" if one else "0", datatype=pyoxigraph.NamedNode(XSD + "integer"))
        years = re.fullmatch(r"P([0-9]+)Y", term.value)
        if datatype == XSD + "duration" and years:
            return pyoxigraph.Literal(str(12 * int(years[1])), datatype=term.datatype)
    return term


def _rows(results):
    if results.form == "SELECT" and results.variables == ["__ASK_RETVAL"] and len(results.rows) == 1:
        value = results.rows[0]["__ASK_RETVAL"]
        if value.datatype.value == XSD + "integer" and value.value in ("0", "1"):
            return [(str(value.value == "1"),)]
    if results.form == "ASK":
        return [(str(results.boolean),)]
    if results.triples:
        return sorted((str(t.subject), str(t.predicate), str(_normalise(t.object))) for t in results.triples)
    rows = [tuple(str(_normalise(r[name])) if r.get(name) is not None else None for name in results.variables)
            for r in results.rows]
    return sorted(rows, key=lambda row: tuple((x is not None, x or "") for x in row))  # an unbound value sorts first


_ORDER_KEY = re.compile(r"(?i)(ASC|DESC|STR)\s*\(\s*\?(\w+)\s*\)|\?(\w+)")


def _order_keys(text: str, variables: list[str]) -> list[str] | None:
    """The projected variables of the query's own ORDER BY (after its last closing brace; a key
    may be ``ASC(?x)``, ``DESC(?x)`` or ``STR(?x)``), or None when it has none or orders by
    anything else.

    >>> _order_keys("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) STR(?a) LIMIT 3", ["a", "b"])
    ['b', 'a']
    >>> _order_keys("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a } }", ["a"]) is None
    True
    """
    tail = text[text.rfind("}") + 1:]
    order = re.search(r"(?is)\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", tail)
    if not order:
        return None
    keys = [m[2] or m[3] for m in _ORDER_KEY.finditer(order[1])]
    rest = _ORDER_KEY.sub(" ", order[1]).split()
    return keys if keys and not rest and set(keys) <= set(variables) else None


def _ordered(results, keys: list[str]) -> list[tuple[str | None, ...]]:
    """The sequence of the ORDER BY values, row by row (rows that tie may come in any order)."""
    return [tuple(str(_normalise(r[k])) if r.get(k) is not None else None for k in keys) for r in results.rows]


def _same(text: str, here, there) -> tuple[bool, object]:
    """The same rows (order-insensitive), and where the query orders by its projected variables,
    in the same order of those values."""
    mine, theirs = _rows(here), _rows(there)
    if mine != theirs:
        return False, (len(mine), len(theirs), set(mine) ^ set(theirs))
    keys = _order_keys(text, here.variables) if here.form == "SELECT" else None
    if keys and _ordered(here, keys) != _ordered(there, keys):
        return False, ("order", keys, _ordered(here, keys), _ordered(there, keys))
    return True, None


def test_push_then_every_question_matches_the_embedded_store(store, virtuoso):
    v = virtuoso
    pushed = push_store(store, gsp=f"{v['url']}/sparql-graph-crud-auth", update=f"{v['url']}/sparql-auth",
                        include_personal=True, **_auth(v))
    assert {r.method for r in pushed} == {"gsp+update"}
    assert sum(r.triples for r in pushed) == len(list(store.quads()))
    assert _staging_graphs(v) == []
    catalogue = load_catalogue()
    compared = 0
    register_questions = {name for name, _ in REGISTER_CASES}  # compared below, with a longer time limit
    for entry in catalogue:
        if entry.name in register_questions:
            continue
        params = {p.name: p.example for p in entry.params}
        for lang in LANGUAGES:
            bound = entry.bind(params, lang, base=store.settings.base)
            here = run_local(store, entry.text, bound)
            # Virtuoso reads the `timeout` parameter in milliseconds and may then answer in part
            # ("anytime" queries): 10000 is 10 s there, ample for this graph on a loaded machine
            there = run_remote(f"{v['url']}/sparql", entry.text, bound, timeout=10000, graphs=_graphs(store))
            if here.form == "DESCRIBE":
                about = {str(t.subject) for t in here.triples}
                there.triples = [t for t in there.triples if str(t.subject) in about]
            same, why = _same(entry.text, here, there)
            assert same, (entry.name, lang, why)
            compared += 1
    assert compared == len(LANGUAGES) * (len(catalogue) - len(register_questions))


def test_the_register_questions_give_the_embedded_rows_on_virtuoso(register_store, virtuoso):
    """The questions across agreements, on the shipped graph plus the made-up register: the cases
    that give rows on the fixture, and each question's own example (by-partner's Lao parties hold
    labels that are both skos:prefLabel and rdfs:label)."""
    v = virtuoso
    push_store(register_store, gsp=f"{v['url']}/sparql-graph-crud-auth", update=f"{v['url']}/sparql-auth",
               include_personal=True, **_auth(v))
    catalogue = load_catalogue()
    examples = [(name, {p.name: p.example for p in catalogue.get(name).params}) for name in dict(REGISTER_CASES)]
    for name, params in REGISTER_CASES + [case for case in examples if case not in REGISTER_CASES]:
        entry = catalogue.get(name)
        for lang in LANGUAGES:
            bound = entry.bind(params, lang, base=register_store.settings.base)
            here = run_local(register_store, entry.text, bound)
            # 10 s (Virtuoso reads milliseconds): a shorter limit can give a partial ("anytime") answer under load
            there = run_remote(f"{v['url']}/sparql", entry.text, bound, timeout=10000, graphs=_graphs(register_store))
            assert here.rows or (name, params) not in REGISTER_CASES, (name, params, lang, "no rows on the fixture")
            same, why = _same(entry.text, here, there)
            assert same, (name, params, lang, why)


def test_a_batch_virtuoso_refuses_part_way_leaves_its_graphs_as_they_were(store, virtuoso):
    """Virtuoso's SPARQL Update refuses an xsd:duration literal (SR553), which sits in the third
    graph: staging stops part-way, and the graphs of the previous push stay as they were."""
    v = virtuoso
    push_store(store, gsp=f"{v['url']}/sparql-graph-crud-auth", update=f"{v['url']}/sparql-auth", **_auth(v))
    before = _dump(v, store)
    with pytest.raises(UsageError) as failed:
        push_store(store, gsp=None, update=f"{v['url']}/sparql-auth", include_personal=True, **_auth(v))
    assert "SR553" in str(failed.value) and "not changed" in str(failed.value)
    assert failed.value.changed == []
    assert _dump(v, store) == before
    assert _staging_graphs(v) == []


def test_the_personal_graph_of_a_previous_push_goes_with_the_next_push_without_it(store, virtuoso, cli):
    v = virtuoso
    personal = store.settings.graph_iri("personal")
    args = ("push", "--endpoint", f"{v['url']}/sparql-graph-crud-auth", "--update", f"{v['url']}/sparql-auth",
            "--user", v["user"], "--lang", "en")
    env = {"MOU_GRAPH_PASSWORD": v["password"]}
    run = cli(*args, "--include-personal", env=env)
    assert run.code == 0, run.err
    assert _dump(v, store)[personal]
    run = cli(*args, env=env)
    assert run.code == 0, run.err
    assert f"<{personal}>: dropped" in run.err
    assert _dump(v, store)[personal] == b""
    assert _staging_graphs(v) == []


def test_a_wrong_password_is_a_clear_error_that_changes_nothing(store, virtuoso, cli):
    v = virtuoso
    before = _dump(v, store)
    run = cli("push", "--endpoint", f"{v['url']}/sparql-graph-crud-auth", "--update", f"{v['url']}/sparql-auth",
              "--user", v["user"], "--lang", "en", env={"MOU_GRAPH_PASSWORD": "not-" + v["password"]})
    assert run.code == 2 and "401" in run.err and "Traceback" not in run.err
    assert _dump(v, store) == before
