"""Outputs survive crashes: a real ``mou-graph export`` / ``release`` process is killed with
SIGKILL in the middle of writing, and a graph that does not validate writes nothing; the
previous outputs stay byte-identical and the sources untouched (docs/security.md)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Runs the real CLI in a child process, with one hook: at the chosen moment of writing
# (fsync of the first output file, or the rename that installs a release) it drops a marker
# file and sleeps, so the test can kill it right there.
HANG = r"""
import os, sys, time
marker, mode, *argv = sys.argv[1:]
real_fsync, real_rename = os.fsync, os.rename

def hang():
    open(marker, "w").close()
    time.sleep(120)

def fsync(fd):
    if mode == "fsync" and os.path.isfile(f"/proc/self/fd/{fd}") and ".part" in os.readlink(f"/proc/self/fd/{fd}"):
        hang()
    return real_fsync(fd)

def rename(src, dst, *a, **k):
    if mode == "install" and os.path.abspath(str(src)) == os.path.abspath(argv[argv.index("-o") + 1]):
        hang()
    return real_rename(src, dst, *a, **k)

os.fsync, os.rename = fsync, rename
from mou_graph.cli.main import main
sys.exit(main(argv))
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("data", "ontology") for p in sorted((ROOT / folder).rglob("*")) if p.is_file()}


def kill_mid_write(tmp_path: Path, mode: str, *argv: str) -> bool:
    """Run the CLI with the hook; SIGKILL it once it reaches the hook. True if it was killed
    there, False if it finished first (it never reached that point)."""
    marker = tmp_path / f"marker-{mode}"
    proc = subprocess.Popen([sys.executable, "-c", HANG, str(marker), mode, *argv], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    killed = marker.exists()
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert killed or proc.returncode == 0, proc.stderr.read().decode()
    if killed:
        assert proc.returncode == -signal.SIGKILL
    proc.stderr.close()
    return killed


def test_kill_9_in_the_middle_of_export_leaves_previous_output(tmp_path):
    before = sources()
    target = tmp_path / "out" / "graph.ttl"
    target.parent.mkdir()
    target.write_bytes(b"# the previous export\n")
    assert kill_mid_write(tmp_path, "fsync", "export", "--format", "turtle", "-o", str(target))
    assert target.read_bytes() == b"# the previous export\n"
    assert sources() == before


def test_kill_9_in_the_middle_of_release_leaves_previous_release(tmp_path, cli):
    before = sources()
    out = tmp_path / "release"
    assert cli("release", "-o", str(out), "--lang", "en").code == 0
    previous = snapshot(out)
    # killed while writing the first file of the new release (in the temporary folder)
    assert kill_mid_write(tmp_path, "fsync", "release", "-o", str(out), "--lang", "th")
    assert snapshot(out) == previous
    # and at the moment of installing it: the old release moved aside is a window where no
    # release exists; the folders are swapped in one step instead, so the hook is never reached
    assert not kill_mid_write(tmp_path, "install", "release", "-o", str(out), "--lang", "th")
    new = snapshot(out)
    assert new != previous and "SHA256SUMS" in new
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".release.old-")]  # (.new- litter of the kill)
    assert sources() == before


@pytest.fixture
def broken_home(tmp_path):
    """A copy of the project whose data does not validate (a label with a doubled space)."""
    home = tmp_path / "home"
    shutil.copytree(ROOT / "ontology", home / "ontology")
    shutil.copytree(ROOT / "data", home / "data")
    mou = home / "data" / "mou.ttl"
    mou.write_text(mou.read_text(encoding="utf-8") + '\n<activity/joint-projects> <http://www.w3.org/2000/01/'
                   'rdf-schema#label> "Joint  projects"@en .\n', encoding="utf-8")
    return home


def test_validation_failure_writes_nothing(tmp_path, cli, broken_home):
    home_before = snapshot(broken_home)
    target = tmp_path / "export.ttl"
    target.write_bytes(b"# the previous export\n")
    out = tmp_path / "release"
    out.mkdir()
    (out / "SHA256SUMS").write_bytes(b"previous\n")
    export = cli("--home", str(broken_home), "export", "--format", "turtle", "-o", str(target), "--lang", "en")
    release = cli("--home", str(broken_home), "release", "-o", str(out), "--lang", "en")
    assert (export.code, release.code) == (1, 1), export.err + release.err
    assert "nothing written" in export.err and "nothing written" in release.err
    assert target.read_bytes() == b"# the previous export\n"
    assert snapshot(out) == {"SHA256SUMS": b"previous\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.ttl", "home", "release"]
    assert snapshot(broken_home) == home_before
