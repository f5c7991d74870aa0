"""A Python surface worked out again after files changed, reusing the last resolution,
is the surface worked out afresh: the same modules, names, canonical names and bases,
in the same order."""

from __future__ import annotations

import hashlib

import pytest

from docsgen.generator.analysis.declarations.python import analyse
from docsgen.generator.modules import python_module, python_packages
from docsgen.generator.surface import python
from docsgen.generator.surface.model import Surface

BASE = {
    "pkg/__init__.py": '"""The package."""\nfrom .core import *\nfrom .util import helper\n'
    "from . import sub\n__all__ = ['Engine', 'helper', 'sub', 'Base']\n"
    "from .base import Base\n",
    "pkg/core.py": "from .base import Base\n__all__ = ['Engine', 'make']\n"
    "class Engine(Base):\n    def run(self): pass\ndef make(): pass\n",
    "pkg/base.py": "class Base:\n    def start(self): pass\n",
    "pkg/util.py": "def helper(): pass\ndef other(): pass\n",
    "pkg/sub/__init__.py": "from .deep import *\n",
    "pkg/sub/deep.py": "from pkg.base import Base\nclass Deep(Base): pass\n"
    "def deep_helper(): pass\n",
    "pkg/_private.py": "from pkg.util import helper as helper\n",
    "pkg/plain.py": "def alone(): pass\n",
}

CHANGES = {
    "a name added to a star-imported module": {
        "pkg/sub/deep.py": BASE["pkg/sub/deep.py"] + "def added(): pass\n"
    },
    "a name added where nothing reads it": {"pkg/plain.py": "def alone(): pass\ndef two(): pass\n"},
    "a declaration's canonical name moves": {
        "pkg/__init__.py": BASE["pkg/__init__.py"] + "from .util import other\n"
        "__all__ += ['other']\n",
        "pkg/plain.py": "from pkg.util import other as other\n",
    },
    "a base class changes": {"pkg/base.py": "class Base:\n    def stop(self): pass\n"},
    "__all__ narrows": {"pkg/core.py": BASE["pkg/core.py"].replace("'Engine', ", "")},
    "a star import goes round": {"pkg/util.py": "from pkg.sub.deep import *\ndef helper(): pass\n"},
}


def _resolve(files: dict[str, str], keyed: bool = True) -> Surface:
    packages = python_packages(list(files))
    analyses = [analyse(path, text, "Python") for path, text in files.items()]
    module_of = {path: python_module(path, packages) or "" for path in files}
    keys = {p: hashlib.sha256(f"{p}\0{t}".encode()).hexdigest() for p, t in files.items()}
    return python.resolve(analyses, module_of, keys if keyed else None)


def _spelled(surface: Surface) -> tuple[object, ...]:
    return (surface, list(surface.canonical.items()), list(surface.bases.items()))


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_resolution_after_a_change_is_the_fresh_one(change: str) -> None:
    python._LAST.clear()
    _resolve(BASE)
    changed = {**BASE, **CHANGES[change]}
    again = _resolve(changed)
    python._LAST.clear()
    fresh = _resolve(changed)
    assert _spelled(again) == _spelled(fresh)
    python._LAST.clear()
    assert _spelled(_resolve(changed, keyed=False)) == _spelled(fresh)


def test_unchanged_modules_are_the_same_objects() -> None:
    python._LAST.clear()
    before = _resolve(BASE)
    after = _resolve({**BASE, **CHANGES["a name added where nothing reads it"]})
    reused = [m.name for m, n in zip(before.modules, after.modules, strict=True) if m is n]
    assert "pkg.plain" not in reused
    assert "pkg.sub" in reused and "pkg.util" in reused
