"""No query opens a network connection: the network sandbox where the connection would be
made, and the text check that refuses SERVICE early.

A real listening socket on 127.0.0.1 counts connections while a generated corpus of SERVICE
spellings runs through the engine's readers: ``/sparql`` on a real server, the query workers
without any text check, and ``mou-graph query`` in a real child process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT, free_port, running_server


class Listener:
    """A TCP listener on 127.0.0.1 that accepts, counts and closes every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def settle(self) -> int:
        """The count once connections already made have been accepted."""
        time.sleep(0.3)
        return self.count

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


PORT = "PORTNUMBER"  # replaced by a real port
_KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service silent"]
_TARGETS = [
    f"<http://127.0.0.1:{PORT}/sparql>",
    f"<\\u0068ttp://127.0.0.1:{PORT}/sparql>",  # an escape inside the IRI, decoded by the engine
    "rem:sparql",  # a prefixed name
    "?svc",  # a variable (the engine refuses an unbound one)
]
# what goes before the call, on the same line: each fooled the old text check or is a plain case
_TRAPS = [
    "",
    'BIND("\\u0022" AS ?q0) ',  # an escaped quote inside a string (the old check decoded it first)
    "OPTIONAL { ?s0 ex:p\\# ?o0 } ",  # \# inside a prefixed name is not a comment
    "OPTIONAL { ?s0 ex:p\\' ?o0 } ",  # \' inside a prefixed name does not open a string
    "OPTIONAL { <http://e.example/#\\u0041> ?p0 ?o0 } ",  # a # in an IRI that holds an escape
    "# a comment\n",
    "FILTER(?q1 < ?q2) ",
]
_WRAPPERS = [
    "{{ {x} }}",
    "{{ {{ SELECT * WHERE {{ {x} }} }} }}",  # inside a subquery
    "{{ OPTIONAL {{ {x} }} }}",
    "{{ {{ {x} }} UNION {{ ?a ?b ?c }} }}",
    "{{ GRAPH ?g {{ {x} }} }}",
]
_TAIL = " BIND('x' AS ?z) "  # closes what the \' trap opened for the old reader


def service_corpus() -> list[str]:
    """SERVICE spellings: every trap in every wrapper with every keyword; targets in turn."""
    out = []
    targets = itertools.cycle(_TARGETS)
    for trap, wrapper, keyword in itertools.product(_TRAPS, _WRAPPERS, _KEYWORDS):
        target = next(targets)
        call = f"{trap}{keyword} {target} {{ ?s ?p ?o }}{_TAIL}"
        values = f"BIND(<http://127.0.0.1:{PORT}/sparql> AS ?svc) " if target == "?svc" else ""
        out.append(f"PREFIX ex: <http://e.example/> PREFIX rem: <http://127.0.0.1:{PORT}/>\n"
                   f"SELECT * WHERE {wrapper.format(x=values + call)}")
    return out


def _fill(query: str, port: int) -> str:
    return query.replace(PORT, str(port))


def open_then_closed(listener: Listener, corpus: list[str], run, *, parallel: int = 1) -> None:
    """Run the corpus aimed at the listener (no connection may arrive), then close it and run
    the same texts at the now closed port: every answer must be the same, byte for byte.
    ``parallel`` runs that many at once (each ``run`` is then a child process of its own)."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [_fill(query, listener.port) for query in corpus]
    with ThreadPoolExecutor(parallel) as pool:
        each = (lambda: list(pool.map(run, texts))) if parallel > 1 else (lambda: [run(text) for text in texts])
        opened = each()
        assert listener.settle() == 0
        listener.close()
        closed = each()
    assert [(t, a, b) for t, a, b in zip(texts, opened, closed, strict=True) if a != b] == []


def test_corpus_is_read_by_the_engine_as_service_calls(listener):
    """The corpus is real: without the sandbox (this test process has none) the engine
    connects for most of it, and the text check flags every query the engine connects for."""
    import pyoxigraph

    from mou_graph.io.sparqltext import inspect

    connecting, missed = 0, []
    for query in service_corpus():
        text = _fill(query, listener.port)
        before = listener.count
        with contextlib.suppress(OSError, SyntaxError, ValueError, RuntimeError):
            list(pyoxigraph.Store().query(text))
        # the listener closes what it accepted, so a connection is counted before the query ends
        if listener.count > before:
            connecting += 1
            if not inspect(text).service:
                missed.append(text)
    assert connecting >= len(service_corpus()) // 2
    assert missed == []


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:  # 127.0.0.1 only
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture(scope="module")
def endpoint(store):
    from mou_graph.web.app import WebSettings, create_app

    web = WebSettings(query_timeout=10, max_concurrent_queries=2, max_results=50)
    with running_server(create_app(store, web=web)) as url:
        yield url


def test_service_corpus_through_sparql_makes_no_connection(endpoint, listener):
    def run(text: str) -> tuple[int, bytes]:
        status, body = _get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": text}))
        assert status in (200, 400, 403), body
        return status, body

    open_then_closed(listener, service_corpus(), run)


def test_workers_cannot_connect_even_without_the_text_check(store, listener):
    """The guarantee holds where the connection would be made: the pool's workers get the
    queries straight (no text check) and still open no connection; the error is one text."""
    from mou_graph.io.sparqltext import SERVICE_FAILED
    from mou_graph.web.pool import QueryPool

    loop = asyncio.new_event_loop()
    pool = QueryPool(store, size=1, timeout=20, require_sandbox=True)
    loop.run_until_complete(pool.start())
    seen = []

    def run(text: str) -> tuple[int, bytes]:
        ans = loop.run_until_complete(pool.run({"query": text, "fmt": "json", "max_results": 10}))
        seen.append(ans.body)
        return ans.status, ans.body

    try:
        open_then_closed(listener, service_corpus(), run)
    finally:
        loop.run_until_complete(pool.stop())
        loop.close()
    assert SERVICE_FAILED.encode() in seen  # the one message, not the OS's error


def test_service_corpus_through_query_cli_makes_no_connection(cli, listener):
    def run(text: str) -> tuple[int, str, str]:
        result = cli("query", "-e", text, "--format", "json")
        assert result.code in (0, 2) and "Traceback" not in result.err, result.err
        return result.code, result.out, result.err

    # one child per query, two at a time (each child its own sandbox; none may connect)
    open_then_closed(listener, service_corpus()[::3], run, parallel=2)


def test_query_cli_runs_sandboxed_without_the_text_check(cli, listener, tmp_path):
    """What `mou-graph query` calls first (`enter_sandbox`) holds by itself: a child that
    enters it and then runs `SERVICE SILENT` straight on pyoxigraph (no text check on the
    way) opens no connection, and the silent call simply gives no rows."""
    script = tmp_path / "q.py"
    script.write_text(textwrap.dedent(f"""
        import pyoxigraph
        from mou_graph.cli.common import enter_sandbox
        enter_sandbox("query")
        query = "SELECT * {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        list(pyoxigraph.Store().query(query))
        print("done")
    """), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stderr
    assert listener.settle() == 0


_CHILD = textwrap.dedent("""
    import json, os, socket, sys
    import pyoxigraph
    from mou_graph.io.sandbox import deny_network

    def attempt(family):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
            return "opened"
        except OSError as err:
            return err.strerror

    if __name__ == "__main__":
        port = int(sys.argv[1])
        status = deny_network(require=True)
        out = {"uid": os.getuid(), "enforced": status.enforced,
               "inet": attempt(socket.AF_INET), "inet6": attempt(socket.AF_INET6)}
        a, b = socket.socketpair()
        a.sendall(b"x"); out["unix"] = b.recv(1).decode()
        out["shell"] = os.system(f"bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port}' 2>/dev/null")
        try:
            list(pyoxigraph.Store().query(f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
            out["service"] = "answered"
        except OSError as err:
            out["service"] = type(err).__name__
        print(json.dumps(out))
""")


def _users() -> list[list[str]]:
    """Run as this user, and as `nobody` when this user is root (both must be enforced)."""
    runs = [[]]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        runs.append(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
    return runs


@pytest.mark.parametrize("prefix", _users(), ids=lambda p: "nobody" if p else "this-user")
def test_sandbox_refuses_ip_sockets_as_root_and_as_an_ordinary_user(prefix, listener):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="mou-graph-sandbox-"))  # pytest's tmp_path is root's only
    try:
        folder.chmod(0o755)
        script = folder / "child.py"
        script.write_text(_CHILD, encoding="utf-8")
        script.chmod(0o644)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(folder)}
        proc = subprocess.run([*prefix, sys.executable, str(script), str(listener.port)], capture_output=True,
                              text=True, timeout=120, cwd=folder, env=env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["enforced"] is True
    assert out["inet"] == out["inet6"] == "Permission denied"
    assert out["unix"] == "x"  # multiprocessing pipes still work
    assert out["shell"] != 0  # a child (a shell's /dev/tcp) cannot connect either
    assert out["service"] == "PermissionError"
    if prefix:
        assert out["uid"] != 0
    assert listener.settle() == 0


# SERVICE spelled with a codepoint escape: pyshacl's own text check misses it, rdflib decodes it
_PHONE_HOME = """
<urn:test:phone-home> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <http://www.w3.org/2004/02/skos/core#Concept> ;
    <http://www.w3.org/ns/shacl#sparql> [ <http://www.w3.org/ns/shacl#select> \"\"\"
        SELECT $this WHERE {{ SERV\\\\u0049CE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}
    \"\"\" ] .
"""


def test_validate_runs_sandboxed(cli, listener, tmp_path):
    """SPARQL-based SHACL constraints run under the sandbox: a shape whose SPARQL calls SERVICE
    (spelled so that pyshacl's text check lets it through) connects when validated in this
    process, and opens no connection during `mou-graph validate`, which says the shapes could
    not be evaluated, naming the file (exit 2; it was an AttributeError on pyshacl's failure,
    and on pyoxigraph a SyntaxError, both 'unexpected')."""
    from mou_graph import load_store
    from mou_graph.config import Settings
    from mou_graph.errors import InputError
    from mou_graph.validation.validate import validate_store

    from .conftest import make_home

    home = make_home(tmp_path / "home")
    shapes = home / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + _PHONE_HOME.format(port=listener.port), encoding="utf-8")

    with pytest.raises(InputError, match="could not be evaluated"):  # the control: unsandboxed, it connects
        validate_store(load_store(Settings(root=home)))
    reached = listener.settle()
    assert reached >= 1

    run = cli("--home", str(home), "validate")
    assert listener.settle() == reached, run.err
    assert run.code == 2, run.err
    assert "shapes.ttl: the shapes could not be evaluated" in run.err and "Permission denied" in run.err


def _deny_seccomp() -> None:  # runs in the child between fork and exec
    """Make seccomp unusable in this process, as a container runtime that forbids it does:
    a filter that answers ``prctl`` and ``seccomp`` with EPERM (installed with the same
    structures as the sandbox's)."""
    import ctypes

    from mou_graph.io import sandbox

    _, _, _, nr_seccomp = sandbox._ARCHES[__import__("platform").machine()]
    nr_prctl = {"x86_64": 157, "aarch64": 167}[__import__("platform").machine()]
    eperm = 0x00050000 | 1
    code = [(0x20, 0, 0, 0), (0x15, 2, 0, nr_prctl), (0x15, 1, 0, nr_seccomp), (0x06, 0, 0, 0x7FFF0000),
            (0x06, 0, 0, eperm)]
    cells = (sandbox._Filter * len(code))(*[sandbox._Filter(*c) for c in code])
    prog = sandbox._Prog(len(code), cells)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    assert libc.prctl(38, 1, None, 0, 0) == 0
    assert libc.prctl(22, 2, ctypes.addressof(prog), 0, 0) == 0


@pytest.mark.skipif(sys.platform != "linux", reason="the platform test needs Linux seccomp")
def test_a_platform_that_cannot_enforce_it_is_said_loudly_or_refused():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "mou_graph", "query", "-e", "ASK {}"]
    warned = subprocess.run(run, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
                            preexec_fn=_deny_seccomp)  # the point of the test
    assert warned.returncode == 0, warned.stderr
    assert "WARNING" in warned.stderr and "network sandbox is not enforced" in warned.stderr
    assert "คำเตือน" in warned.stderr
    refused = subprocess.run(run, capture_output=True, text=True, timeout=120, cwd=ROOT,
                             env={**env, "MOU_GRAPH_REQUIRE_SANDBOX": "1"}, preexec_fn=_deny_seccomp)
    assert refused.returncode == 2 and "MOU_GRAPH_REQUIRE_SANDBOX" in refused.stderr, refused.stderr
    assert refused.stdout == ""
    # the endpoint: its workers report it at start-up; --require-sandbox refuses to serve
    serve = [sys.executable, "-m", "mou_graph", "serve", "--no-validate", "--port", str(free_port()),
             "--workers", "1", "--require-sandbox"]
    proc = subprocess.run(serve, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
                          preexec_fn=_deny_seccomp)
    assert proc.returncode == 2 and "not serving" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    # and a normal process still gets the sandbox
    ok = subprocess.run(run, capture_output=True, text=True, timeout=120, cwd=ROOT,
                        env={**env, "MOU_GRAPH_REQUIRE_SANDBOX": "1"})
    assert ok.returncode == 0 and "WARNING" not in ok.stderr, ok.stderr
