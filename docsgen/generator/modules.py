"""Module names as a reader imports them, from the repository's layout.

A file's own analysis only knows its path; which folders are Python packages
(they hold an ``__init__.py``) is a fact about the whole repository, so the
importable name is worked out here, from the model's file list.
"""

from __future__ import annotations

from collections.abc import Iterable

from docsgen.generator.analysis.file_analysis import FileAnalysis


def python_packages(paths: Iterable[str]) -> set[str]:
    """Folders that are regular Python packages (the root folder is ``""``)."""
    packages = set()
    for path in paths:
        folder, _, name = path.rpartition("/")
        if name in ("__init__.py", "__init__.pyi"):
            packages.add(folder)
    return packages


def python_module(path: str, packages: set[str]) -> str | None:
    """``a/b/c.py`` -> ``a.b.c`` when ``a`` and ``a/b`` are packages; None outside packages."""
    parts = path.split("/")
    folders = parts[:-1]
    top = len(folders)
    while top > 0 and "/".join(folders[:top]) in packages:
        top -= 1
    if top == len(folders) and folders:
        return None  # the file's own folder is not a package
    stem = parts[-1].rpartition(".")[0] or parts[-1]
    names = folders[top:] + ([] if stem == "__init__" else [stem])
    return ".".join(names) or stem


def module_names(analyses: Iterable[FileAnalysis], all_paths: Iterable[str]) -> dict[str, str]:
    """Each analysed file's module name: Python's importable name, else the analyser's."""
    packages = python_packages(all_paths)
    names: dict[str, str] = {}
    for a in analyses:
        name = python_module(a.path, packages) if a.language == "Python" else None
        names[a.path] = name or a.module or a.path
    return names
