"""A normal (not editable) install runs every command: the wheel carries ``ontology/``, ``data/`` and
``queries/`` as package data (issue 10, item 12).

The wheel is built from a copy of the sources with the project venv's own setuptools (no build
isolation, no package index), installed with ``--no-deps`` into a fresh venv that sees the project
venv's site-packages for the dependencies, and run from an empty folder with no checkout in reach.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mou_graph.config import SOURCE_FILE
from mou_graph.source.sources import SOURCE_SHA256

from .conftest import ROOT, free_port

pytestmark = pytest.mark.slow

# the repository's top-level folders the wheel must carry (the project's layout is fixed)
SHIPPED = ("ontology", "data", "queries")
# what the build reads: pyproject.toml names the package folders and the readme
BUILD_INPUTS = ("pyproject.toml", "README.md", "mou_graph", *SHIPPED)


@dataclass
class Installed:
    python: Path
    command: Path
    site: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.command), *args], cwd=self.cwd, env=self.env, capture_output=True,
                              text=True, timeout=timeout)


def _tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder`` (caches left out)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    src = work / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    wheels = work / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(wheels), str(src)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = wheels.glob("mou_graph-*.whl")

    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # the dependencies: the project venv's site-packages, after the new venv's own (a plain path
    # line, so the project venv's .pth files, and its editable mou_graph, are not run)
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "project-venv.pth").write_text("".join(f"{p}\n" for p in sorted(deps)))

    empty = work / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MOU_GRAPH_HOME", "MOU_GRAPH_BASE"}}
    env["PYTHONNOUSERSITE"] = "1"
    return Installed(python, venv / "bin" / "mou-graph", site, empty, env)


def test_the_wheel_is_installed_and_runs_without_the_checkout(installed):
    probe = subprocess.run(
        [str(installed.python), "-c", "import mou_graph.config as c; print(c.__file__); print(c.default_root())"],
        cwd=installed.cwd, env=installed.env, capture_output=True, text=True, check=True,
    )
    module, root = probe.stdout.splitlines()
    assert Path(module).is_relative_to(installed.site), module
    assert Path(root) == installed.site / "mou_graph" / "_shipped", root


def test_the_wheel_ships_the_graph_folders_byte_identical(installed):
    shipped = installed.site / "mou_graph" / "_shipped"
    for name in SHIPPED:
        want = _tree(ROOT / name)
        assert want, name
        assert _tree(shipped / name) == want, f"{name}/ in the wheel differs from the repository's"
    # the verbatim government release, checked by sha256 when it is read
    assert hashlib.sha256((shipped / SOURCE_FILE).read_bytes()).hexdigest() == SOURCE_SHA256


def test_installed_validate_query_and_export_from_an_empty_folder(installed, cli, tmp_path):
    done = installed.run("validate")
    assert done.returncode == 0, done.stderr
    assert "ผ่าน" in done.stdout or "conforms" in done.stdout, done.stdout

    # a catalogue question: the same answer as in the checkout
    done = installed.run("query", "parties", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "https://w3id.org/mou-graph/id/country/lao-pdr" in done.stdout
    assert done.stdout == cli("query", "parties", "--format", "csv").out

    # an export: the same bytes as the checkout's
    done = installed.run("export", "--format", "nt", "-o", "graph.nt")
    assert done.returncode == 0, done.stderr
    ours = cli("export", "--format", "nt", "-o", str(tmp_path / "graph.nt"))
    assert ours.code == 0, ours.err
    assert (installed.cwd / "graph.nt").read_bytes() == (tmp_path / "graph.nt").read_bytes()
    assert list(installed.cwd.iterdir()) == [installed.cwd / "graph.nt"]


def test_installed_serve_answers_pages_and_sparql(installed):
    port = free_port()
    proc = subprocess.Popen(
        [str(installed.command), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        cwd=installed.cwd, env=installed.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
            try:
                home = httpx.get(base + "/", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.25)
        assert home.status_code == 200
        assert "text/html" in home.headers["content-type"]
        answer = httpx.get(base + "/sparql", params={"query": "ASK { ?s a ?class }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert answer.status_code == 200, answer.text
        assert answer.json()["boolean"] is True
        rows = httpx.get(base + "/api/queries/parties", headers={"Accept": "application/sparql-results+json"},
                         timeout=60)
        assert rows.status_code == 200, rows.text
        assert "lao-pdr" in rows.text
    finally:
        # stop the server and its query workers: the process group this test started
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
        proc.stdout.close()
