"""The Go API as users import it, against ``go doc -all`` on real modules.

Every function, type, method, constant and variable ``go doc`` lists for a
package is a public name of the module named by the package's import path
(methods as members of their receiver type, wherever the package declares
them), and nothing else is; no ``internal`` package is public.
"""

from __future__ import annotations

from functools import cache

import pytest

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.surface.model import PublicModule, Surface
from docsgen.generator.surface.roles import OTHER, PRODUCT, classify
from tests.support import projects
from tests.support.oracles import go_doc
from tests.support.surfaces import surface_of_files, surface_of_repository

# (project, package as go doc takes it, its import path)
PACKAGES = [
    ("go-cmp", "./cmp", "github.com/google/go-cmp/cmp"),
    ("go-cmp", "./cmp/cmpopts", "github.com/google/go-cmp/cmp/cmpopts"),
    ("uuid", ".", "github.com/google/uuid"),
]


@cache
def surface_of(project: str) -> tuple[Surface, dict[str, FileAnalysis]]:
    return surface_of_repository(projects.checkout(project), "Go")


def methods_of(module: PublicModule, analyses: dict[str, FileAnalysis]) -> set[str]:
    """``Type.Method`` of every method documented under a type of the module: those its
    file declares beside it, and its members from other files (not an interface's
    method elements, which ``go doc`` shows inside the interface)."""
    found = set()
    for name in module.names:
        target = name.target
        own = [
            s.qualname
            for s in analyses[target.path or ""].symbols
            if s.kind == "method" and s.parent == target.qualname
        ]
        if any(s.qualname == target.qualname and s.kind == "interface"
               for s in analyses[target.path or ""].symbols):  # fmt: skip
            own = []
        found |= set(own) | {m.qualname or "" for m in name.members}
    return found


@pytest.mark.parametrize(("project", "package", "import_path"), PACKAGES)
def test_every_name_go_doc_lists_is_public_under_the_import_path_and_nothing_else(
    project: str, package: str, import_path: str
) -> None:
    surface, analyses = surface_of(project)
    theirs = go_doc(project, package)
    module = surface.module(import_path)
    assert module is not None, [m.name for m in surface.modules]
    names = {n.name for n in module.names}
    assert names == set(theirs["funcs"]) | set(theirs["types"]) | set(theirs["values"])
    assert methods_of(module, analyses) == set(theirs["methods"])
    for name in module.names:
        assert name.is_canonical and name.qualified == f"{import_path}.{name.name}"


def test_internal_packages_and_tests_are_not_public() -> None:
    surface, analyses = surface_of("go-cmp")
    assert [m.name for m in surface.modules] == [
        "github.com/google/go-cmp/cmp",
        "github.com/google/go-cmp/cmp/cmpopts",
    ]
    paths = {p for m in surface.modules for p in m.paths}
    assert not any(p.endswith("_test.go") or "/internal/" in p for p in paths)
    assert any("/internal/" in p for p in analyses)  # analysed, and left out of the API


def test_the_package_comment_is_the_modules_documentation() -> None:
    surface, analyses = surface_of("uuid")
    module = surface.module("github.com/google/uuid")
    assert module is not None and module.doc_path == "doc.go"
    assert (analyses["doc.go"].doc or "").startswith("Package uuid generates and inspects UUIDs.")


def test_methods_declared_in_other_files_are_members_of_their_type() -> None:
    surface, _ = surface_of("uuid")
    module = surface.module("github.com/google/uuid")
    assert module is not None
    uuid = next(n for n in module.names if n.name == "UUID")
    assert uuid.target.path == "uuid.go"
    members = {(m.path, m.qualname) for m in uuid.members}
    assert ("marshal.go", "UUID.MarshalText") in members
    assert ("sql.go", "UUID.Scan") in members
    assert all(m.path != "uuid.go" for m in uuid.members)  # its own file's are under it already


GO_MOD = "module example.com/kv\n\ngo 1.21\n"


def test_a_package_is_named_by_its_import_path_with_its_methods_from_every_file() -> None:
    surface, _ = surface_of_files(
        {
            "go.mod": GO_MOD,
            "store/doc.go": "// Package store keeps values.\npackage store\n",
            "store/store.go": "package store\n\n// Store holds values.\ntype Store struct{}\n"
            "\n// Get reads.\nfunc (s *Store) Get(k string) string { return k }\n",
            "store/put.go": "package store\n\n// Put writes.\nfunc (s *Store) Put(k string) {}\n"
            "func (s *Store) reset() {}\n\ntype cache struct{}\n\n"
            "// Hit is a method of an unexported type.\nfunc (c cache) Hit() bool { return true }\n"
            "\nconst (\n\tMax = 10\n\tmin = 1\n)\n\nvar Default, Other = New(), New()\n\n"
            "func New() *Store { return nil }\n",
            "store/store_test.go": "package store\n\nfunc TestGet(t *testing.T) {}\n",
            "store/testdata/fake.go": "package fake\n\nfunc Fake() {}\n",
        },
        "Go",
    )
    (module,) = surface.modules
    assert module.name == "example.com/kv/store"
    assert module.doc_path == "store/doc.go"
    assert module.paths == ("store/doc.go", "store/put.go", "store/store.go")
    assert [n.name for n in module.names] == ["Max", "Default", "Other", "New", "Store"]
    store = module.names[-1]
    assert [(m.path, m.qualname) for m in store.members] == [("store/put.go", "Store.Put")]
    assert surface.canonical[("store/store.go", "Store")] == "example.com/kv/store.Store"


def test_commands_internal_and_ignored_folders_are_not_public() -> None:
    surface, _ = surface_of_files(
        {
            "go.mod": GO_MOD,
            "kv.go": "package kv\n\nfunc Open() {}\n",
            "gen.go": "//go:build ignore\n\npackage main\n\nfunc Generate() {}\n",
            "cmd/kv/main.go": "// Command kv serves.\npackage main\n\nfunc Serve() {}\n",
            "internal/wire/wire.go": "package wire\n\nfunc Encode() {}\n",
            "store/internal/lock.go": "package internal\n\nfunc Lock() {}\n",
            "vendor/golang.org/x/sync/sync.go": "package sync\n\nfunc Do() {}\n",
            "_tools/tool.go": "package tools\n\nfunc Tool() {}\n",
            "api/go.mod": "module example.com/kvapi\n",
            "api/v1/types.go": "package v1\n\ntype Key string\n",
        },
        "Go",
    )
    assert [(m.name, [n.name for n in m.names]) for m in surface.modules] == [
        ("example.com/kv", ["Open"]),
        ("example.com/kvapi/v1", ["Key"]),
    ]


def test_vendored_dependencies_are_not_the_product() -> None:
    paths = ["go.mod", "kv.go", "vendor/golang.org/x/sync/errgroup/errgroup.go"]
    roles = classify(paths, {"go.mod": GO_MOD})
    assert roles.of["vendor/golang.org/x/sync/errgroup/errgroup.go"] == OTHER
    assert roles.of["kv.go"] == PRODUCT


def test_without_go_mod_a_package_is_named_by_its_folder() -> None:
    surface, _ = surface_of_files(
        {"geometry/shapes.go": "package geometry\n\nfunc Area() {}\n"}, "Go"
    )
    assert [m.name for m in surface.modules] == ["geometry"]
