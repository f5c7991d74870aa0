"""What the verifier checks a model's sentences against: plain data about one commit.

Everything is named as a reader would write it in backticks: symbols and
modules by their qualified names (``package.module.Class.method``), files by
their paths.  The edges are those the static analysis can show: a module
importing another module of the repository, a function calling another
(``docsgen.generator.analysis.calls_python``).  The verifier never reads the
repository itself, only these facts, so it can be tested with facts written by
hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SymbolFact:
    """A declaration at this commit."""

    name: str  # qualified: ``package.module.Class.method``; a module's is its own name
    kind: str  # "module", "class", "function", "method", "property", "attribute", ...
    path: str
    line: int  # where it is declared (the line that names it)
    doc: str | None = None  # the first paragraph of its documentation
    signature: str | None = None  # as the API Reference shows it
    returns: str | None = None  # the return annotation, as written
    bases: tuple[str, ...] = ()  # a class's bases, qualified where they resolve


@dataclass(frozen=True)
class Edge:
    """``source`` imports (or calls) ``target``, at ``path:line``."""

    source: str
    target: str
    path: str
    line: int


@dataclass(frozen=True)
class Facts:
    """One commit of a repository, as far as sentences about it can be checked."""

    symbols: tuple[SymbolFact, ...] = ()
    paths: frozenset[str] = frozenset()  # every file of the commit
    # Each file's text, by path, read when a citation of it is checked.
    texts: Mapping[str, str] = field(default_factory=dict)
    imports: tuple[Edge, ...] = ()  # module -> module, both of the repository
    calls: tuple[Edge, ...] = ()  # function -> what it calls, qualified
    # Names that stand for another: a re-export (``package.Name``) -> where it is defined.
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Whether the calls and bases of a language's code are known: a claim that
    # ``X calls Y`` about code of another language cannot be decided.
    graph_languages: frozenset[str] = frozenset({"Python"})
    languages: Mapping[str, str] = field(default_factory=dict)  # path -> language

    def modules(self) -> dict[str, str]:
        """Each module's name and its file."""
        return {s.name: s.path for s in self.symbols if s.kind == "module"}
