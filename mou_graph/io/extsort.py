"""An external sort of lines: bounded memory whatever the input's size.

Lines (bytes, each ending with ``\\n``) are gathered into runs of at most :data:`RUN_BYTES`; each
run is sorted, its repeats dropped, and written to a file in a private temporary folder; the runs
are then merged (:func:`heapq.merge`) and repeats across runs dropped too. The order is that of
the bytes, which is what ``LC_ALL=C sort -u`` gives (and, for UTF-8, the order of the code points:
Python's order of the decoded strings). Input that fits in one run never touches the disk.

>>> list(sorted_unique([b"b\\n", b"a\\n", b"b\\n", b"ab\\n"], run_bytes=4))
[b'a\\n', b'ab\\n', b'b\\n']
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["RUN_BYTES", "STORE_RUN_BYTES", "batches", "sorted_blocks", "sorted_unique"]

RUN_BYTES = 64 << 20  # about 150 MiB of Python objects per run at N-Triples' line lengths
# a run for a process that holds no graph in memory (an export from the persistent store): about 600 MiB
# of objects; the 4 graphs of 10,000 agreements then sort without a merge (fewer passes per line in Python)
STORE_RUN_BYTES = 256 << 20


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


BLOCK = 5_000  # lines a block of :func:`sorted_blocks`: some 1 MB of N-Triples


def sorted_unique(lines: Iterable[bytes], *, run_bytes: int = RUN_BYTES, folder: Path | None = None) -> Iterator[bytes]:
    """The distinct ``lines`` in byte order; runs past the first go to files under ``folder``
    (a new temporary folder inside it, removed when the iteration ends or is abandoned)."""
    for block in sorted_blocks(lines, run_bytes=run_bytes, folder=folder):
        yield from block


def batches(lines: Iterable[bytes], size_bytes: int) -> Iterator[list[bytes]]:
    """``lines`` in lists of about ``size_bytes``: read by the file itself when ``lines`` is a binary file
    (``readlines`` with a size hint: no Python step a line), else gathered one at a time.

    >>> list(batches(iter([b"ab\\n", b"c\\n", b"d\\n"]), 4))
    [[b'ab\\n', b'c\\n'], [b'd\\n']]
    """
    readlines = getattr(lines, "readlines", None)
    if readlines is not None:
        while read := readlines(size_bytes):
            yield read
        return
    batch: list[bytes] = []
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line)
        if size >= size_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def sorted_blocks(lines: Iterable[bytes], *, run_bytes: int = RUN_BYTES, folder: Path | None = None,
                  block: int = BLOCK) -> Iterator[list[bytes]]:
    """:func:`sorted_unique` in lists of at most ``block`` lines, for a caller that writes or joins them
    a block at a time.

    >>> list(sorted_blocks([b"c\\n", b"a\\n", b"b\\n", b"a\\n"], run_bytes=4, block=2))
    [[b'a\\n', b'b\\n'], [b'c\\n']]
    """
    with contextlib.ExitStack() as stack:
        runs: list[Path] = []
        tmp: Path | None = None
        last: list[bytes] = []
        for batch in batches(lines, run_bytes):
            if last:  # the batch before this one was full: it goes to a run on disk
                if tmp is None:
                    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mou-sort-", dir=folder)))
                run = tmp / f"run-{len(runs)}"
                with run.open("wb") as f:
                    f.writelines(last)
                runs.append(run)
            last = sorted(set(batch))  # (the repeats dropped by a set: no Python pass per line)
            del batch
        if not runs:
            for at in range(0, len(last), block):
                yield last[at:at + block]
            return
        files = [stack.enter_context(run.open("rb", buffering=1 << 20)) for run in runs]
        merged = _unique(heapq.merge(*files, last))
        while chunk := list(itertools.islice(merged, block)):
            yield chunk
