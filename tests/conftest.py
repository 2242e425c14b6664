"""Shared fixtures: the shipped graph loaded once per session, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/mou-graph/id/"


@pytest.fixture(scope="session")
def store():
    from mou_graph import load_store

    return load_store()


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli():
    """Run ``python -m mou_graph`` in a real child process."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "mou_graph", *args],
            capture_output=True, text=True, cwd=cwd or ROOT, timeout=timeout,
            env={**os.environ, **(env or {})},
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run
