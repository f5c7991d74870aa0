"""The public API of a repository as its users import it: modules, names, what they are.

Every language's resolver (``docsgen.generator.surface``) answers in these
terms, so the API Reference is written the same way for all of them: one
page per public module (a Python module, a JavaScript entry point, a Rust
module path, a Go or Java package), its names in order, each pointing at the
declaration it refers to.  A declaration is documented in full once, under
its *canonical* name; its other public names point there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# How a module has a name.
DEFINED = "defined"
REEXPORT = "re-export"  # imported or re-exported under this name
STAR = "star import"  # brought in by ``from x import *`` / ``export * from`` / ``pub use x::*``
SUBMODULE = "submodule"
MEMBER = "member"  # attached to its object where it is declared (``app.use = function``)


@dataclass(frozen=True)
class Target:
    """What a public name refers to: a declaration in a file of the repository
    (``path`` and ``qualname``), a whole module of it (``qualname`` None), or a name
    outside the repository (``external``)."""

    path: str | None = None
    qualname: str | None = None
    module: str | None = None  # the public or private module that declares it
    external: str | None = None

    @property
    def key(self) -> tuple[str | None, str | None, str | None]:
        return (self.path, self.qualname, self.external)

    @property
    def is_declaration(self) -> bool:
        return self.external is None and self.path is not None and self.qualname is not None


@dataclass(frozen=True)
class PublicName:
    """One name of a public module's API."""

    name: str
    qualified: str  # the module's name and this name, as the language writes it
    line: int  # where the module defines, imports or re-exports it
    how: str  # DEFINED, REEXPORT, STAR, SUBMODULE, MEMBER
    target: Target
    # Where the target is documented in full ("" when nowhere: an external name, or one
    # no public module reaches).
    canonical: str = ""
    # Declarations of other places that belong to this one's documentation: methods of
    # a Rust ``impl`` or a Go receiver declared in another file, members attached by
    # assignment.  Listed under it, in order.
    members: tuple[Target, ...] = ()
    # Interfaces or traits it implements, as written (``Display``, ``Serialize``).
    implements: tuple[str, ...] = ()

    @property
    def is_canonical(self) -> bool:
        """Whether this is where the target is documented in full."""
        return self.qualified == self.canonical


@dataclass(frozen=True)
class PublicModule:
    name: str  # as users import it: ``flask.json``, ``serde_json::de``, ``github.com/x/y``
    language: str
    paths: tuple[str, ...]  # the files it is made of (Go and Java packages have several)
    names: tuple[PublicName, ...]
    # What a reader must know: dynamic names, exports that could not be resolved.
    notes: tuple[str, ...] = ()
    doc_path: str | None = None  # the file holding the module's documentation, if any


@dataclass(frozen=True)
class Surface:
    modules: tuple[PublicModule, ...]  # the public modules, in the order pages are read
    # (path, qualname) of every declaration documented in full -> its canonical name.
    canonical: Mapping[tuple[str, str], str] = field(default_factory=dict)
    separator: str = "."  # between a module and its names: "." or "::"
    # (path, qualname) of a class -> the declarations it derives from, in order, as far as
    # they are in the repository (what it inherits is listed with it).
    bases: Mapping[tuple[str, str], tuple[Target, ...]] = field(default_factory=dict)

    def module(self, name: str) -> PublicModule | None:
        for m in self.modules:
            if m.name == name:
                return m
        return None
