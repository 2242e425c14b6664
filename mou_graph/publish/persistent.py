"""The persistent store: the validated graph written once into an on-disk pyoxigraph store.

``mou-graph build --store DIR`` loads the files through the input gate, validates them, and
writes a store folder; ``serve``, ``query``, ``export``, ``stats``... given ``--store DIR``
open it read-only (``pyoxigraph.Store.read_only``) instead of loading and validating again,
so that starting costs what opening costs and the endpoint's workers share one store on disk
instead of each holding a copy in memory. The folder holds:

``all/``
    every named graph (RocksDB): what the commands and the browsing pages open;
``public/``
    the same without personal data (:func:`mou_graph.publish.personal.is_public`): what the
    endpoint's query workers open, so that no query can reach a contact person unless
    ``serve --include-personal`` asks for ``all/``;
``manifest.json``
    what it was built from: the sha256 of every input file, of the shapes, of the code that
    decides the store's contents, and the versions of the package and of pyoxigraph.

The files stay the source of truth: :func:`open_store` recomputes the manifest and refuses a
store built from other files or another version (:class:`StaleStore`, exit 2, in Thai and
English); :func:`build_store` rebuilds it, and reuses it when nothing changed. The folder is
built beside its target and swapped in whole (:func:`mou_graph.io.atomic.swap_folder`): a
reader sees the old store or the new one, never half of one. A store is never written while
open: a rebuilt one is a new folder (restart ``serve`` to use it).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from mou_graph.config import Settings
from mou_graph.errors import InputError
from mou_graph.io.atomic import check_output_folder, swap_folder, temp_folder, write_bytes
from mou_graph.publish.personal import is_public
from mou_graph.store import GraphStore

__all__ = ["MANIFEST", "STORE_FORMAT", "StaleStore", "build_store", "manifest", "open_store", "stale_reasons"]

STORE_FORMAT = 1  # the layout of a store folder; a change makes every older folder stale
MANIFEST = "manifest.json"
ALL, PUBLIC = "all", "public"
# the modules that decide what a store holds (loading, the gate, the personal filter, validation)
_CODE = ("config.py", "vocab.py", "store.py", "io/rdfio.py", "publish/personal.py", "publish/persistent.py",
         "validation/validate.py", "validation/fastshacl.py")


class StaleStore(InputError):
    """A store folder that was built from other files or by another version."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inputs(settings: Settings) -> list[Path]:
    files = [p for paths in settings.files().values() for p in paths]
    return sorted({*files, settings.shapes, settings.source})


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _code_digest() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for rel in _CODE:
        digest.update(rel.encode() + b"\0" + (package / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def manifest(settings: Settings) -> dict[str, Any]:
    """What a store built now from ``settings``' files would record."""
    from mou_graph import __version__

    files = {_name(p, settings.root): _sha256(p) for p in _inputs(settings) if p.is_file()}
    return {"format": STORE_FORMAT, "mou_graph": __version__, "code": _code_digest(),
            "pyoxigraph": metadata.version("pyoxigraph"), "base": settings.base,
            "shapes": files.get(_name(settings.shapes, settings.root)), "files": files}


def stale_reasons(recorded: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between a store's manifest and the files and code of now, in words.

    >>> old = {"format": 1, "mou_graph": "0.1.0", "code": "a", "pyoxigraph": "0.5.13", "base": "b",
    ...        "shapes": "s", "files": {"data/mou.ttl": "1", "data/old.ttl": "2"}}
    >>> stale_reasons(old, {**old, "mou_graph": "0.2.0", "files": {"data/mou.ttl": "9", "data/new.ttl": "3"}})
    ['mou-graph 0.1.0 -> 0.2.0', 'data/mou.ttl changed', 'data/new.ttl is new', 'data/old.ttl is gone']
    """
    reasons = []
    for key, what in (("format", "store format"), ("mou_graph", "mou-graph"), ("pyoxigraph", "pyoxigraph"),
                      ("base", "base IRI")):
        if recorded.get(key) != now.get(key):
            reasons.append(f"{what} {recorded.get(key)} -> {now.get(key)}")
    if recorded.get("code") != now.get("code") and not reasons:
        reasons.append("the code that builds the store changed")
    if recorded.get("shapes") != now.get("shapes"):
        reasons.append("the shapes changed")
    old, new = recorded.get("files") or {}, now.get("files") or {}
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            reasons.append(f"{name} is gone")
        elif name not in old:
            reasons.append(f"{name} is new")
        elif old[name] != new[name]:
            reasons.append(f"{name} changed")
    return reasons


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _complete(folder: Path) -> bool:
    return all((folder / part).is_dir() for part in (ALL, PUBLIC))


def open_store(folder: Path, settings: Settings) -> GraphStore:
    """Open the store folder ``folder`` read-only, after checking that it was built from
    ``settings``' files by this code; raises :class:`StaleStore` (or InputError) otherwise."""
    import pyoxigraph

    folder = Path(folder)
    recorded = _read_manifest(folder)
    if recorded is None or not _complete(folder):
        raise InputError(f"ไม่ใช่คลังข้อมูลที่ mou-graph build --store สร้าง (ไม่มี {MANIFEST}, {ALL}/, {PUBLIC}/): "
                         f"สร้างด้วย mou-graph build --store {folder} / not a store written by "
                         f"`mou-graph build --store` (no {MANIFEST}, {ALL}/ and {PUBLIC}/): build it with "
                         f"`mou-graph build --store {folder}`", path=str(folder))
    reasons = stale_reasons(recorded, manifest(settings))
    if reasons:
        said = "; ".join(reasons)
        raise StaleStore(f"คลังข้อมูลนี้สร้างจากไฟล์หรือรุ่นอื่น ({said}): สร้างใหม่ด้วย mou-graph build --store "
                         f"{folder} / the store was built from other files or by another version ({said}): "
                         f"rebuild it with `mou-graph build --store {folder}`", path=str(folder))
    try:
        store = pyoxigraph.Store.read_only(str(folder / ALL))
    except OSError as err:
        raise InputError(f"เปิดคลังข้อมูลไม่ได้ / cannot open the store: {err}", path=str(folder)) from None
    return GraphStore(settings, store=store, path=(folder / ALL).resolve(), public_path=(folder / PUBLIC).resolve())


def build_store(folder: Path, settings: Settings,
                validate: Callable[[GraphStore], bool]) -> tuple[GraphStore | None, bool]:
    """Build the store folder ``folder`` from ``settings``' files, unless the one there is up to
    date: ``(the store opened read-only, whether the old one was reused)``, or ``(None, False)``
    when ``validate`` (called with the loaded graph; it reports) says the graph does not validate,
    and then nothing is written."""
    import pyoxigraph

    folder = Path(folder)
    check_output_folder(folder)
    now = manifest(settings)
    recorded = _read_manifest(folder)
    if recorded is not None and _complete(folder) and not stale_reasons(recorded, now):
        return open_store(folder, settings), True
    tmp = temp_folder(folder)
    try:
        graph = GraphStore(settings, store=pyoxigraph.Store(str(tmp / ALL)))
        graph.load_shipped()
        if not validate(graph):
            return None, False
        public = pyoxigraph.Store(str(tmp / PUBLIC))
        keep = is_public(graph)
        public.bulk_extend(q for q in graph.quads() if keep(q))
        for store in (graph.store, public):
            store.optimize()
            store.flush()
        del graph, public, store  # closes both databases before the folder moves
        write_bytes(tmp / MANIFEST, (json.dumps(now, indent=1, sort_keys=True) + "\n").encode())
        swap_folder(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return open_store(folder, settings), False
