"""Issue 10, items 13-16: modes follow the umask, non-regular -o targets are refused and ``-`` is
standard output, a kill at any step of a folder swap leaves a complete folder, and system errors
become clean exit-2 messages. Every case runs the real CLI in a child process."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_home


def run(*args: str, umask: int | None = None, env: dict | None = None, user: str | None = None,
        stdout=subprocess.PIPE, timeout: float = 300) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mou_graph", *args]
    if user:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={pwd.getpwnam(user).pw_gid}", "--clear-groups", *cmd]

    def pre() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(cmd, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, preexec_fn=pre)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> list[str]:
    """``--home`` of the small export fixture graph (tests/fixtures/export) for the commands that write
    folders: the same writers, the same swap and the same file names in a release (a site has fewer
    pages) in a tenth of the shipped graph's time. These tests check how the files are written, not
    what they say."""
    return ["--home", str(make_home(tmp_path_factory.mktemp("small")))]


def modes(folder: Path) -> set[tuple[str, int]]:
    found = {("dir", stat.S_IMODE(folder.stat().st_mode))}
    for p in folder.rglob("*"):
        found.add(("dir" if p.is_dir() else "file", stat.S_IMODE(p.lstat().st_mode)))
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- 13: modes follow the umask ----------------------------------------------------------------
@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)])
def test_outputs_honour_the_umask(tmp_path, small, mask, file_mode, dir_mode):
    export = tmp_path / "g.ttl"
    assert run("export", "--format", "turtle", "-o", str(export), "--no-validate", umask=mask).returncode == 0
    assert run(*small, "export", "--format", "csv", "-o", str(tmp_path / "csv"), "--no-validate",
               umask=mask).returncode == 0
    assert run("ontodoc", "-o", str(tmp_path / "o.html"), umask=mask).returncode == 0
    assert run(*small, "release", "-o", str(tmp_path / "rel"), umask=mask).returncode == 0
    assert run(*small, "site", "-o", str(tmp_path / "site"), "--no-validate", "--languages", "en",
               umask=mask).returncode == 0
    home = tmp_path / "home"
    for part in ("ontology", "data"):
        shutil.copytree(ROOT / part, home / part)
    (home / "data" / "sentences.ttl").unlink()
    assert run("--home", str(home), "sentences", umask=mask).returncode == 0
    for f in (export, tmp_path / "o.html", home / "data" / "sentences.ttl"):
        assert stat.S_IMODE(f.stat().st_mode) == file_mode, f
    for folder in (tmp_path / "csv", tmp_path / "rel", tmp_path / "site"):
        assert modes(folder) == {("dir", dir_mode), ("file", file_mode)}, folder


# -- 14: non-regular targets refused, - is standard output -------------------------------------
def test_fifo_symlink_folder_and_device_targets_are_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    real = tmp_path / "real.ttl"
    real.write_bytes(b"# mine\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.ttl"
    dangling.symlink_to(tmp_path / "nowhere.ttl")
    targets = [fifo, link, dangling, tmp_path]
    if os.geteuid() == 0:
        targets.append(Path("/dev/null"))
    for target in targets:
        before = os.lstat(target)
        proc = run("export", "--format", "nt", "-o", str(target), "--no-validate", "--lang", "en", timeout=60)
        err = proc.stderr.decode()
        assert proc.returncode == 2, err
        assert str(target) in err and "not a regular file" in err and "Traceback" not in err
        after = os.lstat(target)
        assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)
    assert real.read_bytes() == b"# mine\n" and not (tmp_path / "nowhere.ttl").exists()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.ttl", "fifo", "link.ttl", "real.ttl"]


def test_dash_is_standard_output(tmp_path):
    proc = run("export", "--format", "nt", "-o", "-", "--no-validate", "--lang", "en")
    assert proc.returncode == 0 and proc.stdout.count(b"\n") > 1000
    doc = run("ontodoc", "-o", "-", "--lang", "en")
    assert doc.returncode == 0 and doc.stdout.lower().startswith(b"<!doctype html")
    assert not (ROOT / "-").exists()
    for folder_cmd in (["release"], ["site", "--no-validate"], ["export", "--format", "csv", "--no-validate"],
                       ["build"]):
        proc = run(*folder_cmd, "-o", "-", "--lang", "en")
        assert proc.returncode == 2 and b"standard output" in proc.stderr
    assert not (ROOT / "-").exists()


# -- 15: a kill at any step of the folder swap ------------------------------------------------
def kill_at(step: str, tmp_path: Path, *args: str, env: dict | None = None) -> bool:
    """Run the CLI with the swap's test hook; SIGKILL it when it pauses at ``step``."""
    marker = tmp_path / f"paused-{step}"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "mou_graph", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {}), "MOU_GRAPH_PAUSE_IN_SWAP": f"{step}:{marker}"})
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    paused = marker.exists()
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stderr.close()
    return paused


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "link-swap"])
@pytest.mark.parametrize("command", [["release"], ["site", "--no-validate", "--languages", "en"],
                                     ["export", "--format", "csv", "--no-validate"]], ids=["release", "site", "csv"])
def test_kill_9_between_the_swap_steps_leaves_a_complete_folder(tmp_path, small, command, fallback):
    env = {"MOU_GRAPH_NO_EXCHANGE": "1"} if fallback else {}
    command = [*small, *command]
    out = tmp_path / "out"
    first = run(*command, "-o", str(out), "--lang", "en", env=env)
    assert first.returncode == 0, first.stderr
    old = snapshot(out)
    # other options: different bytes in the new folder
    new_lang = ["--include-personal"] if "site" in command else ["--lang", "th"]
    assert run(*command, "-o", str(tmp_path / "reference"), *new_lang).returncode == 0
    new = snapshot(tmp_path / "reference")
    assert new != old
    for step in ("swap", "cleanup"):
        assert kill_at(step, tmp_path, *command, "-o", str(out), *new_lang, env=env), step
        now = snapshot(out)
        assert now, f"no folder at the target after a kill at {step}"
        assert now == (old if step == "swap" else new), step
    # the next run removes what the killed runs left (and only that)
    mine = tmp_path / ".out.mine.part"
    mine.write_text("a user's file with a similar name")
    assert run(*command, "-o", str(out), *new_lang, env=env).returncode == 0
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out."))
    expected = [".out.mine.part"] + ([os.readlink(out)] if out.is_symlink() else [])
    assert left == sorted(expected)
    assert out.is_symlink() == fallback


def test_fallback_refuses_a_real_folder_it_cannot_swap(tmp_path, small):
    out = tmp_path / "rel"
    assert run(*small, "release", "-o", str(out)).returncode == 0
    before = snapshot(out)
    proc = run(*small, "release", "-o", str(out), "--lang", "en", env={"MOU_GRAPH_NO_EXCHANGE": "1"})
    assert proc.returncode == 2 and b"RENAME_EXCHANGE" in proc.stderr
    assert snapshot(out) == before


# -- 16: system errors are messages with exit 2 ------------------------------------------------
def clean_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and err.startswith("mou-graph: error:"), err
    for w in words:
        assert w in err, err


def test_enospc_on_dev_full():
    with open("/dev/full", "wb") as full:
        proc = run("export", "--format", "nt", "-o", "-", "--no-validate", stdout=full)
    clean_error(proc, "no space left", "พื้นที่")


def test_eisdir_and_enoent(tmp_path):
    clean_error(run("ontodoc", "-o", str(tmp_path)), str(tmp_path), "folder")
    clean_error(run("validate", "--changed", str(tmp_path / "missing.ttl")), "missing.ttl")


def _mount_ro_tmpfs(where: Path) -> bool:
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_erofs_on_a_read_only_mount(tmp_path, small):
    ro = tmp_path / "ro"
    if os.geteuid() != 0 or not _mount_ro_tmpfs(ro):
        pytest.skip("mounting a read-only tmpfs needs root with CAP_SYS_ADMIN")
    try:
        clean_error(run("export", "--format", "nt", "-o", str(ro / "g.nt"), "--no-validate"), "read-only",
                    str(ro))
        clean_error(run(*small, "release", "-o", str(ro / "rel")), "read-only")
    finally:
        subprocess.run(["umount", str(ro)], check=True)


def test_eacces_in_a_folder_without_permission(tmp_path_factory):
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="mou-graph-eacces-"))  # pytest's own folder is 0700
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    user = None
    if os.geteuid() == 0:  # root bypasses permissions: run the child as nobody
        if not shutil.which("setpriv"):
            pytest.skip("setpriv is needed to run the child as nobody")
        user = "nobody"
        os.chmod(tmp_path, 0o755)
        for parent in tmp_path.parents:
            if not os.access(parent, os.X_OK, effective_ids=False) or stat.S_IMODE(parent.stat().st_mode) & 0o001 == 0:
                pytest.skip(f"{parent} is not searchable by nobody")
    try:
        proc = run("export", "--format", "nt", "-o", str(locked / "g.nt"), "--no-validate", user=user)
        clean_error(proc, "permission denied", "ไม่มีสิทธิ์")
    finally:
        locked.chmod(0o755)
        shutil.rmtree(tmp_path)


def test_memory_error_from_a_huge_literal(tmp_path):
    big = tmp_path / "big.ttl"
    # an escape sends it through the streaming parser, whose 16 MiB buffer ends in a MemoryError (the
    # bulk loader of the fast path reads a 17 MiB literal, allowed here by the raised literal limit)
    big.write_text('<http://x.test/a> <http://x.test/p> "\\u0041' + "a" * (17 * 1024 * 1024) + '" .\n')
    proc = run("validate", "--data", str(big), env={"MOU_GRAPH_MAX_LITERAL_CHARS": str(10**9)})
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err, err


def test_a_failed_service_is_a_message_not_a_traceback():
    from tests.conftest import free_port

    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    proc = run("query", "-e", query, "--lang", "en", timeout=120)
    clean_error(proc)
    assert "standard output" not in proc.stderr.decode()
