"""The folder a site or a Markdown export is written to, without losing what was there.

docsgen lists the files it wrote in ``MANIFEST``.  A file it did not write is never
overwritten nor removed: an export that would replace one is refused before anything
is written.  Each file is written beside itself and renamed into place, so a reader
of the folder never sees half a file; files of the previous export that the new one
no longer has are removed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from docsgen.errors import InvalidInput

MANIFEST = ".docsgen-files"


def _previous(folder: Path) -> set[str] | None:
    """The files docsgen wrote into ``folder`` last time; None if it never did."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return {line for line in text.splitlines() if line and _inside(line)}


def _inside(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name != MANIFEST


def check_folder(folder: Path, always: Iterable[str] = (), option: str = "--out") -> None:
    """InvalidInput unless ``folder`` may receive an export that writes the files
    ``always`` (at least): checked before any work is done."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{option} {folder} is a file; this format writes a folder")
    _refuse_clashes(folder, always)
    parent = folder
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise InvalidInput(f"{option} {folder}: cannot write there")


def _refuse_clashes(folder: Path, names: Iterable[str]) -> None:
    previous = _previous(folder) or set()
    clashes = sorted(name for name in names if name not in previous and (folder / name).exists())
    if clashes:
        raise InvalidInput(
            f"{folder} holds files docsgen did not write that this export would replace: "
            + ", ".join(clashes[:10])
            + "; name another folder, or move them away"
        )


def write_folder(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write ``files`` (relative POSIX name → content) into ``folder``."""
    unsafe = sorted(name for name in files if not _inside(name))
    if unsafe:
        raise ValueError(f"file names outside the folder: {unsafe}")
    check_folder(folder, files)
    previous = _previous(folder) or set()
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.partial")
        if isinstance(content, str):
            draft.write_text(content, encoding="utf-8")
        else:
            draft.write_bytes(content)
        draft.replace(path)
    manifest = folder / MANIFEST
    draft = manifest.with_name(f"{MANIFEST}.partial")
    draft.write_text("".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")
    draft.replace(manifest)
    for stale in sorted(previous - set(files)):
        (folder / stale).unlink(missing_ok=True)
