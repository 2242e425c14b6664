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
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["RUN_BYTES", "STORE_RUN_BYTES", "sorted_unique"]

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


def sorted_unique(lines: Iterable[bytes], *, run_bytes: int = RUN_BYTES, folder: Path | None = None) -> Iterator[bytes]:
    """The distinct ``lines`` in byte order; runs past the first go to files under ``folder``
    (a new temporary folder inside it, removed when the iteration ends or is abandoned)."""
    with contextlib.ExitStack() as stack:
        runs: list[Path] = []
        tmp: Path | None = None
        batch: list[bytes] = []
        size = 0
        for line in lines:
            batch.append(line)
            size += len(line)
            if size >= run_bytes:
                if tmp is None:
                    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mou-sort-", dir=folder)))
                run = tmp / f"run-{len(runs)}"
                with run.open("wb") as f:
                    f.writelines(sorted(set(batch)))  # (the repeats dropped by a set: no Python pass per line)
                runs.append(run)
                batch, size = [], 0
        last = sorted(set(batch))
        del batch
        if not runs:
            yield from last
            return
        files = [stack.enter_context(run.open("rb", buffering=1 << 20)) for run in runs]
        yield from _unique(heapq.merge(*files, last))
