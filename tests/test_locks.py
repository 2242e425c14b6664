"""The locks agree with pyproject.toml, and the venv runs what they pin (issue 10, item 22).

``requirements/runtime.lock`` is what ``scripts/setup`` installs, ``requirements/test.lock`` (the same
pins and the test tools) what ``scripts/setup --test`` installs; ``make lock`` writes both, ``make audit``
checks both (it needs the advisory databases, so it is not part of pytest: docs/security.md).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, distributions
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .conftest import ROOT

RUNTIME = ROOT / "requirements" / "runtime.lock"
TEST = ROOT / "requirements" / "test.lock"
# known advisories: the lowest version each may have (pyproject.toml and both locks)
FLOORS = {
    "starlette": "0.49.1",  # CVE-2025-62727, Range header DoS on static files
    "h11": "0.16.0",  # CVE-2025-43859, through uvicorn
    "jinja2": "3.1.6",  # CVE-2025-27516 (and CVE-2024-56201, CVE-2024-56326 before it)
}
# installed in every venv by venv itself and scripts/setup, not by the locks
NOT_LOCKED = {"pip", "mou-graph"}


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]
    via: str

    def applies(self) -> bool:
        return self.marker is None or self.marker.evaluate(default_environment())


def read_lock(path: Path) -> list[Pin]:
    """The pins of a lock written by ``make lock`` (uv's pip-compatible format, with hashes)."""
    pins: list[Pin] = []
    entry: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line and line[0] not in " #":
            if entry:
                pins.append(_pin(entry))
            entry = [line]
        elif entry and line.startswith(" "):
            entry.append(line.strip())
    if entry:
        pins.append(_pin(entry))
    return pins


def _pin(lines: list[str]) -> Pin:
    first = lines[0].rstrip(" \\")
    m = re.fullmatch(r"([A-Za-z0-9._-]+)==([^ ;]+)\s*(?:;\s*(.+))?", first)
    assert m, f"not an exact pin: {first!r}"
    hashes = tuple(x.split("=", 1)[1].rstrip(" \\") for x in lines[1:] if x.startswith("--hash="))
    via = " ".join(x[len("# via"):].strip() for x in lines[1:] if x.startswith("# via"))
    return Pin(canonicalize_name(m[1]), Version(m[2]), Marker(m[3]) if m[3] else None, hashes, via)


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return ([Requirement(r) for r in project["dependencies"]],
            [Requirement(r) for r in project["optional-dependencies"]["test"]])


def closure(roots: list[Requirement]) -> set[str]:
    """Every distribution that ``roots`` need here, from the installed packages' own metadata."""
    env = default_environment()
    seen: set[str] = set()
    todo = [(r, "") for r in roots]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({**env, "extra": extra}):
            continue
        name = canonicalize_name(req.name)
        extras = sorted(req.extras)
        key = name + "[" + ",".join(extras) + "]"
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            pytest.fail(f"{name} is needed but not installed: run scripts/setup --test")
        for text in requires:
            sub = Requirement(text)
            for e in extras or [""]:
                todo.append((sub, e))
    return {k.split("[", 1)[0] for k in seen}


@pytest.fixture(scope="module")
def locks() -> dict[str, list[Pin]]:
    missing = [p.name for p in (RUNTIME, TEST) if not p.is_file()]
    assert not missing, f"requirements/{' and '.join(missing)} missing: run make lock"
    return {"runtime": read_lock(RUNTIME), "test": read_lock(TEST)}


def test_every_declared_dependency_is_pinned_in_the_right_lock(locks):
    runtime, test = declared()
    by_lock = {k: {p.name: [q for q in v if q.name == p.name] for p in v} for k, v in locks.items()}
    for lock, reqs in (("runtime", runtime), ("test", runtime + test)):
        for req in reqs:
            pins = by_lock[lock].get(canonicalize_name(req.name))
            assert pins, f"{req} (pyproject.toml) is not pinned in requirements/{lock}.lock: run make lock"
            for pin in pins:
                assert req.specifier.contains(pin.version, prereleases=True), (
                    f"requirements/{lock}.lock pins {pin.name}=={pin.version}, outside {req}: run make lock")
    test_only = {canonicalize_name(r.name) for r in test} - {canonicalize_name(r.name) for r in runtime}
    leaked = test_only & set(by_lock["runtime"])
    assert not leaked, f"test tools pinned in the runtime lock: {sorted(leaked)}"


def test_nothing_is_pinned_that_nothing_needs(locks):
    runtime, test = declared()
    for lock, roots in (("runtime", runtime), ("test", runtime + test)):
        here = {p.name for p in locks[lock] if p.applies()}
        needed = closure(roots) - NOT_LOCKED
        assert here - needed == set(), f"requirements/{lock}.lock pins what nothing needs: {sorted(here - needed)}"
        assert needed - here == set(), f"requirements/{lock}.lock lacks what is needed: {sorted(needed - here)}"
        # pins for other platforms or Pythons: the resolver says which locked package wants them
        names = {p.name for p in locks[lock]} | {"mou-graph"}
        for pin in locks[lock]:
            if not pin.applies():
                wanted_by = {canonicalize_name(w.split()[0]) for w in re.split(r",\s*", pin.via)
                             if w.strip() and not w.startswith("-c")}
                assert wanted_by & names, f"{pin.name} ({pin.marker}) in {lock}.lock: needed by nothing locked"


def test_every_pin_is_exact_and_hashed_and_the_test_lock_keeps_the_runtime_pins(locks):
    for lock, pins in locks.items():
        for pin in pins:
            assert pin.hashes and all(h.startswith("sha256:") for h in pin.hashes), f"{pin.name} in {lock}.lock"
    test = {(p.name, p.version): p for p in locks["test"]}
    for pin in locks["runtime"]:
        kept = test.get((pin.name, pin.version))
        assert kept, f"{pin.name}=={pin.version} of runtime.lock is not pinned the same in test.lock"
        # the same marker, or none where a test tool needs the package everywhere (mypy: typing-extensions)
        assert kept.marker is None or str(kept.marker) == str(pin.marker), f"{pin.name}: narrower in test.lock"
        assert kept.hashes == pin.hashes, f"{pin.name}: other hashes in test.lock"


def test_floors_past_known_advisories(locks):
    runtime, _ = declared()
    specs = {canonicalize_name(r.name): r.specifier for r in runtime}
    for name, floor in FLOORS.items():
        assert name in specs, f"pyproject.toml does not declare {name} (its floor is {floor})"
        lowest = [Version(s.version) for s in specs[name] if s.operator in (">=", "==", "~=")]
        assert lowest and min(lowest) >= Version(floor), f"pyproject.toml allows {name} {specs[name]} below {floor}"
        for lock, pins in locks.items():
            for pin in pins:
                if pin.name == name:
                    assert pin.version >= Version(floor), f"{lock}.lock pins {name}=={pin.version} < {floor}"


def test_the_venv_runs_exactly_what_the_test_lock_pins(locks):
    """What is audited is what runs: scripts/setup --test installed the test lock and nothing else."""
    pinned = {p.name: p.version for p in locks["test"] if p.applies()}
    installed = {canonicalize_name(d.metadata["Name"]): Version(d.version) for d in distributions()}
    wrong = {n: f"{installed.get(n)} instead of {v}" for n, v in pinned.items() if installed.get(n) != v}
    assert not wrong, f"the venv differs from requirements/test.lock: {wrong}; run scripts/setup --test"
    extra = set(installed) - set(pinned) - NOT_LOCKED
    assert not extra, f"installed but in no lock: {sorted(extra)} (declare them in pyproject.toml, run make lock)"


def test_scripts_setup_installs_from_the_locks_and_the_package_without_dependencies():
    text = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    code = "\n".join(lines)
    assert "lock=requirements/runtime.lock" in code and "lock=requirements/test.lock" in code
    installs = [line for line in lines if re.search(r"\bpip_install\b|pip install", line)]
    assert any('--require-hashes' in line and '-r "$lock"' in line for line in installs), installs
    assert any("--no-deps -e ." in line for line in installs), installs
    # no install from the ranges of pyproject.toml (`-e .`, `-e '.[test]'` with dependencies)
    assert not [line for line in installs if re.search(r"-e\s+['\"]?\.", line) and "--no-deps" not in line], installs
