"""The one home of writing outputs: files and folders that a reader sees old or new, never half.

* A file is written to a hidden temporary file beside the target, flushed, fsynced and renamed
  into place (:func:`atomic_output`, :func:`write_bytes`).
* A folder (a site, a release, a CSV pair) is built in a hidden temporary folder beside the target
  and installed by :func:`swap_folder`, which always leaves the old or the new folder complete at
  the target path: one ``renameat2(RENAME_EXCHANGE)`` where the system has it; elsewhere the target
  is a symbolic link to a hidden versioned folder (``.NAME.v-…``) and the link is replaced in one
  rename. A real folder that cannot be exchanged is refused (nothing is touched).
* Modes follow the umask (``tempfile`` makes 0600 files and 0700 folders whatever it is).
* Targets that are not regular files (FIFO, device, socket, folder, symbolic link) are refused,
  checked before the work and again where the rename happens.
* Hidden temporaries are named ``.NAME.<host>-<pid>.<random>.part``; the next run writing the
  same target removes those of dead processes of this host (and nothing else).

Test-only hooks (environment): ``MOU_GRAPH_NO_EXCHANGE=1`` forces the symbolic-link scheme;
``MOU_GRAPH_PAUSE_IN_SWAP=STEP:FILE`` makes :func:`swap_folder` create ``FILE`` and sleep at
``STEP`` (``swap``: the last moment before the atomic step; ``cleanup``: just after it), so a
test can kill the process exactly there.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from mou_graph.errors import MouGraphError

__all__ = ["OutputError", "atomic_output", "check_output_file", "check_output_folder", "clean_litter", "exchange",
           "swap_folder", "temp_folder", "umask", "write_bytes", "write_folder"]


class OutputError(MouGraphError):
    """An output target that cannot be written safely (exit 2)."""


def umask() -> int:
    """The process's umask (read without changing it where ``/proc`` allows)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)", "เป็น FIFO"), (stat.S_ISCHR, "a character device", "เป็นอุปกรณ์"),
          (stat.S_ISBLK, "a block device", "เป็นอุปกรณ์"), (stat.S_ISSOCK, "a socket", "เป็นซ็อกเก็ต"),
          (stat.S_ISDIR, "a folder", "เป็นโฟลเดอร์"), (stat.S_ISLNK, "a symbolic link", "เป็นลิงก์สัญลักษณ์"))


def _refusal(target: Path, mode: int) -> OutputError | None:
    for test, en, th in _KINDS:
        if test(mode):
            hint = ""
            if stat.S_ISLNK(mode):
                hint = f" (to {os.readlink(target)}; give the real path: a link is neither replaced nor followed)"
            return OutputError(f"{target}: {th} ไม่ใช่ไฟล์ธรรมดา: ไม่ได้เขียน / is {en}, not a regular file{hint}: "
                               "nothing written (use -o - for standard output)")
    return None


def check_output_file(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (checked again at the rename)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    err = _refusal(Path(target), mode)
    if err:
        raise err


_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
_TAG = re.compile(r"^\.(?P<name>.+)\.(?P<host>[0-9a-f]{6})-(?P<pid>[0-9]+)(\.[A-Za-z0-9_]+)+\.(part|v)$")


def _prefix(target: Path) -> str:
    return f".{target.name}.{_HOST}-{os.getpid()}."


def clean_litter(target: Path) -> list[Path]:
    """Remove the hidden temporaries that killed runs of this host left beside ``target``."""
    removed = []
    with contextlib.suppress(OSError):
        current = os.readlink(target) if os.path.islink(target) else None
        for entry in os.scandir(target.parent):
            m = _TAG.match(entry.name)
            if not m or m["name"] != target.name or m["host"] != _HOST or entry.name == current:
                continue
            try:
                os.kill(int(m["pid"]), 0)
                continue  # alive (or not ours to signal): leave it
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            removed.append(path)
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # make a rename durable where the OS allows
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _renameat2(a: Path, b: Path, flags: int) -> bool:
    import ctypes

    if os.environ.get("MOU_GRAPH_NO_EXCHANGE") and flags == 2:
        return False
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if func(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``);
    False where the system or file system cannot."""
    return _renameat2(a, b, 2)


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on a clean exit it replaces ``target`` in one rename."""
    target = Path(target)
    check_output_file(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_litter(target)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(target), suffix=".part", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _install_file(Path(tmp), target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _install_file(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` over ``target`` unless what is there is not a regular file: the old file is
    exchanged out and looked at, and put back if it is a FIFO, a device, a link..."""
    if not os.path.lexists(target):
        if _renameat2(tmp, target, 1):  # RENAME_NOREPLACE: nothing appeared meanwhile
            return
        check_output_file(target)
        os.replace(tmp, target)
        return
    if exchange(tmp, target):
        err = _refusal(target, os.lstat(tmp).st_mode)
        if err:
            exchange(tmp, target)  # put it back as it was
            raise err
        os.unlink(tmp)
        return
    check_output_file(target)
    os.replace(tmp, target)


def write_bytes(target: Path | BinaryIO, data: bytes) -> None:
    """Atomically replace ``target`` with ``data``; a binary stream (standard output) is written
    and flushed instead."""
    if not isinstance(target, str | os.PathLike):
        target.write(data)
        target.flush()
        return
    with atomic_output(Path(target)) as handle:
        handle.write(data)


def temp_folder(target: Path) -> Path:
    """A new hidden folder beside ``target`` (mode from the umask) to build it in."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_litter(target)
    tmp = Path(tempfile.mkdtemp(prefix=_prefix(target), suffix=".part", dir=target.parent))
    os.chmod(tmp, 0o777 & ~umask())
    return tmp


def check_output_folder(target: Path) -> None:
    """Refuse a folder target that exists and is not a real folder (or one of our links)."""
    target = Path(target)
    if _our_link(target) and target.is_dir():
        return
    if os.path.lexists(target) and (target.is_symlink() or not target.is_dir()):
        check_output_file(target)
        raise OutputError(f"{target}: ไม่ใช่โฟลเดอร์: ไม่ได้เขียน / is not a folder: nothing written")


def _pause(step: str) -> None:
    hook = os.environ.get("MOU_GRAPH_PAUSE_IN_SWAP", "")
    if hook.partition(":")[0] == step:
        Path(hook.partition(":")[2]).write_text(step)
        time.sleep(300)


def _our_link(target: Path) -> bool:
    if not target.is_symlink():
        return False
    value = os.readlink(target)
    return "/" not in value and value.startswith(f".{target.name}.") and value.endswith(".v")


def swap_folder(new: Path, target: Path) -> None:
    """Install the complete folder ``new`` (from :func:`temp_folder`) at ``target``; the old
    folder there is removed. At every instant ``target`` holds the old folder or the new one."""
    new, target = Path(new), Path(target)
    if _our_link(target):
        _link_swap(new, target)
    elif not os.path.lexists(target):
        if exchange_works(target.parent):
            _pause("swap")
            os.rename(new, target)
            _pause("cleanup")
        else:
            _link_swap(new, target)
    elif target.is_dir() and not target.is_symlink():
        _pause("swap")
        if not exchange(new, target):
            raise OutputError(f"{target}: ระบบไฟล์นี้สลับโฟลเดอร์ในขั้นเดียวไม่ได้ / this file system cannot swap "
                              "folders in one step (no RENAME_EXCHANGE): nothing written. Remove the folder or "
                              "choose a new one; mou-graph then installs it as a link it can replace atomically")
        _pause("cleanup")
        shutil.rmtree(new, ignore_errors=True)  # the old folder, now at the temporary name
    else:
        check_output_folder(target)
    _fsync_dir(target.parent)


def write_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) as one folder at ``target``: built beside it in
    :func:`temp_folder`, installed by :func:`swap_folder`, the temporary folder removed on failure."""
    tmp = temp_folder(target)
    try:
        for name, data in files.items():
            write_bytes(tmp / name, data)
        swap_folder(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def exchange_works(folder: Path) -> bool:
    """Whether ``folder``'s file system exchanges two names in one step."""
    a = Path(tempfile.mkdtemp(prefix=f".{_HOST}-{os.getpid()}.probe-", dir=folder))
    b = Path(tempfile.mkdtemp(prefix=f".{_HOST}-{os.getpid()}.probe-", dir=folder))
    try:
        return exchange(a, b)
    finally:
        os.rmdir(a)
        os.rmdir(b)


def _link_swap(new: Path, target: Path) -> None:
    old = os.readlink(target) if target.is_symlink() else None
    version = new.with_name(new.name[: -len(".part")] + ".v")
    os.rename(new, version)
    link = new.with_name(new.name[: -len(".part")] + ".link.part")
    os.symlink(version.name, link)
    _pause("swap")
    os.replace(link, target)  # one rename of a link over a link (or over nothing)
    _pause("cleanup")
    if old:
        shutil.rmtree(target.parent / old, ignore_errors=True)
