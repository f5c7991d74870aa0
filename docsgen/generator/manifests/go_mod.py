"""go.mod: the module path that names the import paths of a Go module's packages."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

_MODULE = re.compile(r"(?m)^\s*module\s+\"?([^\s\"]+)\"?")


def go_modules(texts: Mapping[str, str]) -> list[tuple[str, str]]:
    """(module path, folder) of every ``go.mod`` among ``texts`` (by path), the longest
    module path first; the repository's root folder is ``"."``."""
    found = []
    for path, text in sorted(texts.items()):
        if posixpath.basename(path) != "go.mod":
            continue
        m = _MODULE.search(text)
        if m:
            found.append((m.group(1), posixpath.dirname(path) or "."))
    return sorted(found, key=lambda x: (-len(x[0]), x[0]))
