"""Make the current process unable to open a network connection (Linux seccomp-BPF).

The processes that evaluate SPARQL (the endpoint's workers, ``mou-graph query`` on the
embedded store, validation with SPARQL-based SHACL constraints) call :func:`deny_network`
before they read anything. From then on the kernel refuses, for this process, all its
threads (``SECCOMP_FILTER_FLAG_TSYNC``) and every child it starts:

* ``socket()`` and ``socketpair()`` of any family but ``AF_UNIX`` (so no IPv4, IPv6,
  packet, netlink... socket; the pipes of :mod:`multiprocessing` stay usable), with ``EACCES``;
* ``io_uring_setup``/``io_uring_enter``/``io_uring_register`` (io_uring can create
  sockets without the ``socket`` system call), with ``EACCES``;
* any system call made through another ABI (32-bit ``int 0x80``, x32), with ``EACCES``.

This holds where the connection would be made, whatever reads the query text: pyoxigraph
runs ``SERVICE`` with its own Rust HTTP client, which no Python audit hook sees, and its
request fails before a packet is sent, the same way for an open port and a closed one.

It needs no privilege (``PR_SET_NO_NEW_PRIVS`` first), works the same as root and as an
ordinary user, and cannot be undone by the process. No library was taken for it: the
Debian/PyPI bindings of libseccomp (``python3-seccomp``) are not on PyPI for a venv, and
this filter is eleven instructions.

>>> sandbox_supported() in (True, False)
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import sys
from dataclasses import dataclass

__all__ = ["SandboxStatus", "SandboxUnavailable", "deny_network", "network_denied", "probe", "sandbox_supported",
           "warn_if_unenforced"]

# architectures we know: AUDIT_ARCH value, socket, socketpair, seccomp syscall numbers
_ARCHES = {
    "x86_64": (0xC000003E, 41, 53, 317),
    "aarch64": (0xC00000B7, 198, 199, 277),
}
_IO_URING = (425, 426, 427)  # io_uring_setup, io_uring_enter, io_uring_register (all 64-bit ABIs)
_X32_BIT = 0x40000000
_AF_UNIX = 1

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000 | errno.EACCES

_state: dict[str, SandboxStatus] = {}


class SandboxUnavailable(RuntimeError):
    """The platform cannot enforce the network sandbox."""


@dataclass(frozen=True)
class SandboxStatus:
    enforced: bool
    reason: str = ""  # why not, when not enforced


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _assemble() -> list[tuple[int, int, int, int]]:
    arch, nr_socket, nr_socketpair, _ = _ARCHES[platform.machine()]
    # struct seccomp_data: nr at offset 0, arch at 4, args[0] (low word, little-endian) at 16
    ld, jeq, jge, ret = _LD_W_ABS, _JEQ_K, _JGE_K, _RET_K
    return [
        (ld, 0, 0, 4),  # 0: A = arch
        (jeq, 1, 0, arch),  # 1: native ABI -> 3
        (ret, 0, 0, _RET_ERRNO),  # 2: another ABI
        (ld, 0, 0, 0),  # 3: A = nr
        (jge, 0, 1, _X32_BIT),  # 4: x32 -> 5, else 6
        (ret, 0, 0, _RET_ERRNO),  # 5
        (jeq, 5, 0, nr_socket),  # 6: socket -> 12
        (jeq, 4, 0, nr_socketpair),  # 7: socketpair -> 12
        (jge, 0, 2, _IO_URING[0]),  # 8: below io_uring -> 11 (allow)
        (jge, 1, 0, _IO_URING[-1] + 1),  # 9: above io_uring -> 11 (allow)
        (ret, 0, 0, _RET_ERRNO),  # 10: io_uring_*
        (ret, 0, 0, _RET_ALLOW),  # 11
        (ld, 0, 0, 16),  # 12: A = domain (args[0], low word)
        (jeq, 1, 0, _AF_UNIX),  # 13: AF_UNIX -> 15
        (ret, 0, 0, _RET_ERRNO),  # 14
        (ret, 0, 0, _RET_ALLOW),  # 15
    ]


def sandbox_supported() -> bool:
    """Whether this platform is one the filter is written for (Linux, x86-64 or AArch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES and sys.byteorder == "little"


def network_denied() -> SandboxStatus | None:
    """What :func:`deny_network` did in this process (None if it was not called)."""
    return _state.get("status")


def deny_network(*, require: bool = False) -> SandboxStatus:
    """Install the filter in this process (idempotent). Returns whether it is enforced; with
    ``require``, raises :class:`SandboxUnavailable` instead of returning a status that is not."""
    status = _state.get("status")
    if status is None:
        status = _state["status"] = _install()
    if require and not status.enforced:
        raise SandboxUnavailable(status.reason)
    return status


def probe() -> SandboxStatus:
    """Whether a new process started from this one could be cut off the network (tried for
    real in a child process; this process is left as it is)."""
    import subprocess

    code = ("import json; from mou_graph.io.sandbox import deny_network; s = deny_network(); "
            "print(json.dumps([s.enforced, s.reason]))")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
        import json

        enforced, reason = json.loads(out.stdout.strip().splitlines()[-1])
    except (OSError, ValueError, IndexError, subprocess.SubprocessError) as err:
        return SandboxStatus(False, f"the probe failed: {err}")
    return SandboxStatus(bool(enforced), str(reason))


def _install() -> SandboxStatus:
    if not sandbox_supported():
        return SandboxStatus(False, f"seccomp filters are written for Linux on x86-64 and AArch64, "
                                    f"not {sys.platform} on {platform.machine()}")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    code = _assemble()
    cells = (_Filter * len(code))(*[_Filter(*c) for c in code])
    prog = _Prog(len(code), cells)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return SandboxStatus(False, f"prctl(PR_SET_NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")
    nr_seccomp = _ARCHES[platform.machine()][3]
    libc.syscall.restype = ctypes.c_long
    rc = libc.syscall(ctypes.c_long(nr_seccomp), ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
                      ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(prog))
    if rc != 0:
        err = ctypes.get_errno()
        if err not in (errno.ENOSYS, errno.EINVAL):
            return SandboxStatus(False, f"seccomp(SECCOMP_SET_MODE_FILTER) failed: {os.strerror(err)}")
        # an old kernel without the seccomp() call: prctl covers the calling thread only
        libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
        if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
            return SandboxStatus(False, f"prctl(PR_SET_SECCOMP) failed: {os.strerror(ctypes.get_errno())}")
    return SandboxStatus(True) if _check() else SandboxStatus(False, "the filter is installed but a socket opened")


def _check() -> bool:
    """A real attempt: an IPv4 socket must be refused now."""
    import socket

    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError:
        return True
    return False


def warn_if_unenforced(status: SandboxStatus, where: str) -> None:
    """Say loudly on standard error that ``where`` runs without the network sandbox."""
    if not status.enforced:
        print(f"mou-graph: WARNING: {where} can open network connections: the network sandbox is not "
              f"enforced here ({status.reason}); SERVICE in a query could reach the network\n"
              f"mou-graph: คำเตือน: {where} เชื่อมต่อเครือข่ายได้ เพราะระบบนี้บังคับใช้แซนด์บ็อกซ์เครือข่ายไม่ได้ "
              f"({status.reason}) SERVICE ในคำค้นอาจเชื่อมต่อออกไปภายนอก", file=sys.stderr, flush=True)

