"""API Reference: the product's public API as users import it, a part per public module.

What the product is comes from the manifests, then conventions
(``docsgen.generator.surface.roles``): tests, examples, docs, benchmarks and
fuzz targets are not API.  Each language's resolver says which modules are
public and which names each has, resolved to the declarations they refer to
(``docsgen.generator.surface``).  A declaration is documented in full once,
under its canonical name, with its members; its other public names point
there.  The blocks were rendered when each file was analysed
(``docsgen.generator.api_entries``); this section puts them on their
module's part, names them, fills in the citations and says how much is
documented.  Everything shown is read from the code.
"""

from __future__ import annotations

import marshal
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter
from docsgen.generator.api_entries import (
    PUBLIC_NAME,
    Block,
    FileReference,
    ReferenceSummary,
    public_name,
)
from docsgen.generator.digest import hexdigest
from docsgen.generator.docstrings.links import Linker
from docsgen.generator.docstrings.model import Field
from docsgen.generator.docstrings.render import parameters_table
from docsgen.generator.inputs import PATHS, REFERENCES, TEXTS, analyses
from docsgen.generator.languages import NOT_API
from docsgen.generator.markdown import (
    Piece,
    SectionWriter,
    citation_renderer,
    code,
    escape,
)
from docsgen.generator.model import RepositoryModel
from docsgen.generator.product import product_surfaces, roles_of
from docsgen.generator.sections.base import PlannedPiece, Section, SectionResult, assemble
from docsgen.generator.surface.model import (
    DEFINED,
    STAR,
    SUBMODULE,
    PublicModule,
    PublicName,
    Surface,
    Target,
)
from docsgen.generator.surface.roles import PRODUCT, Roles

TITLE = "API Reference"
SURFACE = analyses("surface")
MAX_LISTED = 10  # files named per warning; the rest are counted
MAX_UNDOCUMENTED = 20  # undocumented names listed per module; the rest are counted
MAX_IMPLEMENTS = 24  # traits or interfaces listed per type; the rest are counted
# The ``marshal`` format a module's names are digested in for its piece key: version 2
# writes no references between equal objects, so equal names give equal bytes.
_MARSHAL_VERSION = 2
_ROLE_WORDS = {
    "test": "tests", "example": "examples", "docs": "documentation sources",
    "bench": "benchmarks", "fuzz": "fuzz targets", "tooling": "build and development scripts",
    "other": "other files",
}  # fmt: skip


def module_groups(model: RepositoryModel) -> list[tuple[str, list[str]]]:
    """Each public module the section gives a part, with its files (a model whose
    analyses are whole, or seen through the ``surface`` facet)."""
    modules = sorted((m for s in product_surfaces(model) for m in s.modules),
                     key=lambda m: (m.name, m.language))  # fmt: skip
    return [(m.name, list(m.paths)) for m in modules]


def plan_pieces(model: RepositoryModel) -> list[PlannedPiece]:
    """The section in pieces: its opening, then one piece per public module.

    A module's piece names everything it is written from: how citations link,
    the module's public names and what each resolves to, and the content keys
    of the files its blocks come from, so that a caller holding that piece need
    not have it written again.
    """
    roles = roles_of(model)
    surfaces = product_surfaces(model)
    modules = sorted(
        ((m, s) for s in surfaces for m in s.modules), key=lambda ms: (ms[0].name, ms[0].language)
    )
    head = SectionWriter(model.snapshot)
    _opening(head, model, roles, [m for m, _ in modules], surfaces)
    in_modules = {path for m, _ in modules for path in m.paths}
    _problems_elsewhere(head, model, roles, in_modules)
    opening = head.piece(None)
    # References in doc comments link to any documented name, members included.
    documented = [*_documented_names(model, surfaces), *(m.name for m, _ in modules)]
    aliases = {n.qualified: n.canonical for m, _ in modules for n in m.names
               if n.canonical and n.qualified != n.canonical}  # fmt: skip
    inheritance = Inheritance(surfaces)
    linker = Linker(documented, aliases, _InheritedMembers(model, surfaces, inheritance))
    # What each file's doc comments refer to, read once (a file is used by several modules).
    refs = {path: summary.refs for path, summary in model.summaries.items()}
    return [
        PlannedPiece(None, lambda: opening),
        *(
            PlannedPiece(
                _written_from(model, m, linker, inheritance, refs),
                _module_writer(model, m, s.separator, linker, inheritance),
            )
            for m, s in modules
        ),
    ]


class _InheritedMembers:
    """Where a member a Python class inherits is documented, by the class's documented name
    (``flask.Flask``, ``add_url_rule``: ``flask.sansio.app.App.add_url_rule``): a doc names
    it so, and Python finds the nearest base's.  Read from the files' outlines, as the
    documented names are (no file's entries are decoded to plan the section), and only
    for the members docs name: a large repository's classes inherit tens of thousands."""

    def __init__(
        self, model: RepositoryModel, surfaces: Sequence[Surface], inheritance: Inheritance
    ) -> None:
        self.model = model
        self.inheritance = inheritance
        self.classes = {
            canonical: key
            for surface in surfaces
            if surface.modules and surface.modules[0].language == "Python"
            for key, canonical in surface.canonical.items()
            if key in inheritance.bases
        }
        self._members: dict[str, dict[str, set[str]]] = {}

    def __call__(self, owner: str, member: str) -> str | None:
        key = self.classes.get(owner)
        if key is None or member in self._public(*key):
            return None  # not a class deriving from the repository's, or its own member
        for base in self.inheritance.ancestors(*key):
            where, sep = self.inheritance.documented_at(base)
            if where and member in self._public(base.path, base.qualname):
                return f"{where}{sep}{member}"
        return None

    def _public(self, path: str | None, qualname: str | None) -> set[str]:
        """The public members ``qualname`` declares in ``path``."""
        by_parent = self._members.get(path or "")
        if by_parent is None:
            by_parent = self._members[path or ""] = defaultdict(set)
            analysis = self.model.analyses.get(path or "")
            for symbol in analysis.symbols if analysis is not None else ():
                if symbol.parent is not None and symbol.public:
                    by_parent[symbol.parent].add(symbol.name)
        return by_parent.get(qualname or "", set())


def _documented_names(model: RepositoryModel, surfaces: Sequence[Surface]) -> list[str]:
    """Every name documented in full: each canonical declaration and its members (read
    from the outline of the declaring file)."""
    names: list[str] = []
    for surface in surfaces:
        # Each file's documented declarations, by qualified name: a member belongs to
        # those its qualified name starts with (``Outer.Inner.method``: both).
        by_path: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (path, qualname), canonical in surface.canonical.items():
            names.append(canonical)
            by_path[path][qualname].append(canonical)
        for path, owners in by_path.items():
            analysis = model.analyses.get(path)
            if analysis is not None:
                names += _members(analysis, owners, surface.separator)
    return names


_MEMBERS_KEPT = 16384  # files whose documented members a process remembers
# Each file's documented members as last worked out, by path: with the analysis (the same
# object in a worker's next run, when the file did not change), the declarations
# documented from it and the separator they were worked out from.
_MEMBERS: dict[str, tuple[FileAnalysis, dict[str, list[str]], str, list[str]]] = {}


def _members(analysis: FileAnalysis, owners: dict[str, list[str]], sep: str) -> list[str]:
    """The documented names of the public members of a file's declarations documented in
    full (``owners``: their canonical names, by qualified name)."""
    known = _MEMBERS.get(analysis.path)
    if known is not None and known[0] is analysis and known[2] == sep and known[1] == owners:
        return known[3]
    names: list[str] = []
    for symbol in analysis.symbols:
        if symbol.parent is None or not symbol.public:
            continue
        parts = symbol.qualname.split(".")
        for cut in range(1, len(parts)):
            for canonical in owners.get(".".join(parts[:cut]), ()):
                rest = sep.join(parts[cut:])
                names.append(f"{canonical}{sep}{rest}")
    if len(_MEMBERS) >= _MEMBERS_KEPT:
        _MEMBERS.clear()
    _MEMBERS[analysis.path] = (analysis, owners, sep, names)
    return names


def _opening(
    w: SectionWriter,
    model: RepositoryModel,
    roles: Roles,
    modules: Sequence[PublicModule],
    surfaces: Sequence[Surface],
) -> None:
    summaries = {p: model.summaries[p] for p in model.summaries if roles.is_product(p)}
    if modules:
        languages = ", ".join(sorted({m.language for m in modules}))
        documented = sum(len(s.canonical) for s in surfaces)
        w.add(
            f"The public API of {len(modules)} module(s) in {languages}, as users import it: "
            f"{documented} declaration(s), each documented once, under the name users import "
            "it by, with its members; its other public names point there."
        )
    else:
        w.add("No public declarations were found in the product's code.")
    w.add(_classification(model, roles))
    _not_analysed(w, list(summaries.values()))


def _classification(model: RepositoryModel, roles: Roles) -> str:
    """What was taken as the product, and what was left out, with why."""
    counts = Counter(roles.of.values())
    lines = ["What is documented here, and why:", ""]
    for reason in roles.reasons:
        source = f" ({w})" if (w := _reason_source(model, reason.path, reason.line)) else ""
        what = "the product" if reason.role == PRODUCT else _ROLE_WORDS.get(reason.role, "")
        where = code(reason.where) if reason.where else "Everything else"
        lines.append(f"- {where}: {what}; {escape(reason.why)}{source}")
    left = [
        f"{counts[role]} {word}" for role, word in _ROLE_WORDS.items() if counts.get(role)
    ]  # fmt: skip
    if left:
        lines += ["", "Not documented as API: " + ", ".join(left) + "."]
    return "\n".join(lines)


def _reason_source(model: RepositoryModel, path: str | None, line: int | None) -> str:
    if path is None:
        return ""
    return citation_renderer(model.snapshot, path)(line) if line else code(path)


def _not_analysed(w: SectionWriter, refs: list[ReferenceSummary]) -> None:
    for ref in refs:
        if not ref.analysed and ref.skipped:
            w.add_warning(f"{code(ref.path)} was not analysed: {ref.skipped}.")
    by_language: dict[str, list[str]] = defaultdict(list)
    for ref in refs:
        if not ref.analysed and not ref.skipped and (ref.language or "") not in NOT_API:
            by_language[ref.language or "unknown"].append(ref.path)
    if by_language:
        parts = []
        for language, paths in sorted(by_language.items()):
            shown = ", ".join(code(p) for p in paths[:MAX_LISTED])
            more = f" and {len(paths) - MAX_LISTED} more" if len(paths) > MAX_LISTED else ""
            parts.append(f"{escape(language)} ({len(paths)}: {shown}{more})")
        total = sum(len(p) for p in by_language.values())
        w.add_warning(
            f"{total} file(s) of the product in languages without an analyser are not "
            "documented: " + "; ".join(parts) + "."
        )


def _problems_elsewhere(
    w: SectionWriter, model: RepositoryModel, roles: Roles, in_modules: set[str]
) -> None:
    """Parse errors and the like of product files that no public module shows: they
    may hide names a public module exports."""
    for path, ref in model.summaries.items():
        if path in in_modules or not roles.is_product(path) or not ref.analysed:
            continue
        if ref.language != "Python":
            continue  # elsewhere a file outside every module is outside the build (Rust)
        if ref.has_content:
            problems = model.references[path].problems
            for problem in problems:
                w.add_warning(problem if problem.startswith(code(path)) else
                              f"{code(path)}: {problem}")  # fmt: skip


def _module_writer(
    model: RepositoryModel, module: PublicModule, sep: str, linker: Linker,
    inheritance: Inheritance,
) -> Callable[[], Piece]:  # fmt: skip
    def write() -> Piece:
        w = SectionWriter(model.snapshot)
        _ModulePart(w, model.references, module, sep, linker, inheritance).write()
        return w.piece(None)

    return write


def _written_from(
    model: RepositoryModel, module: PublicModule, linker: Linker, inheritance: Inheritance,
    refs: Mapping[str, Sequence[str]],
) -> str | None:  # fmt: skip
    """What a module's piece is written from, spelled out; None when a file has no
    content key.  Where the references of its files' doc comments lead is part of it
    (``refs``: each file's, read from the files' summaries, so no entry is decoded for it),
    and so is where each class it documents inherits from is documented.

    Spelled out as plain values, the module's names (most of it) as the digest of their
    ``marshal`` bytes: the repr of the module's dataclasses took longer than the rest of
    the key together, and the repr of the plain values still did."""
    used, bases = _files_used(module, inheritance)
    paths = sorted(used)
    keys = [(path, model.content_keys.get(path, "")) for path in paths]
    if not all(key for _, key in keys):
        return None
    written = sorted({r for path in paths if path in refs for r in refs[path]})
    links = [(r, linker.resolve(r, module.name)) for r in written]
    where = [(b.path, b.qualname, *inheritance.documented_at(b)) for b in bases]
    spelled = (module.name, module.language, module.paths, module.notes, module.doc_path)
    names = hexdigest(marshal.dumps(list(map(_name_fields, module.names)), _MARSHAL_VERSION))
    return repr((model.snapshot.source_url_template, spelled, names, keys, links, where))


_TargetFields = tuple[str | None, str | None, str | None, str | None]


def _target_fields(target: Target) -> _TargetFields:
    return (target.path, target.qualname, target.module, target.external)


def _name_fields(
    name: PublicName,
) -> tuple[str, str, int, str, _TargetFields, str, tuple[_TargetFields, ...], tuple[str, ...]]:
    """Every field of a public name, as plain values."""
    members = tuple(map(_target_fields, name.members)) if name.members else ()
    target = _target_fields(name.target)
    return (name.name, name.qualified, name.line, name.how, target, name.canonical, members,
            name.implements)  # fmt: skip


def _files_used(module: PublicModule, inheritance: Inheritance) -> tuple[set[str], list[Target]]:
    """The files a module's piece reads, and the classes its classes inherit from (each
    once, in the order met)."""
    used = set(module.paths)
    bases: dict[tuple[str | None, str | None], Target] = {}
    for name in module.names:
        target = name.target
        if target.path is not None:
            used.add(target.path)
        for member in name.members:
            if member.path is not None:
                used.add(member.path)
        declared = (target.path or "", target.qualname or "")
        if declared in inheritance.bases and name.is_canonical and target.is_declaration:
            for base in inheritance.ancestors(*declared):
                if base.path:
                    used.add(base.path)
                bases.setdefault((base.path, base.qualname), base)
    return used, list(bases.values())


class Inheritance:
    """What classes derive from, across the repository, and where each is documented."""

    def __init__(self, surfaces: Sequence[Surface]) -> None:
        self.bases: dict[tuple[str, str], tuple[Target, ...]] = {}
        self.canonical: dict[tuple[str, str], str] = {}
        self.separator: dict[tuple[str, str], str] = {}
        self._ancestors: dict[tuple[str, str], tuple[Target, ...]] = {}
        self._listed: dict[tuple[str | None, str | None], Listed | None] = {}
        for surface in surfaces:
            self.bases.update(surface.bases)
            self.canonical.update(surface.canonical)
            for key in surface.canonical:
                self.separator[key] = surface.separator

    def documented_at(self, base: Target) -> tuple[str, str]:
        """Where a class is documented in full, and the separator of its language ("" and ""
        when nowhere)."""
        key = (base.path or "", base.qualname or "")
        return self.canonical.get(key, ""), self.separator.get(key, "")

    def ancestors(self, path: str, qualname: str) -> tuple[Target, ...]:
        """The classes ``(path, qualname)`` derives from, nearest first, each once (worked
        out once per class: every module naming it asks)."""
        known = self._ancestors.get((path, qualname))
        if known is None:
            known = self._ancestors[(path, qualname)] = tuple(self._walk(path, qualname))
        return known

    def listed(self, base: Target, references: Mapping[str, FileReference]) -> Listed | None:
        """How a class's inherited members from ``base`` are shown (None when its file has
        no entries): worked out once per base, which many classes derive from."""
        key = (base.path, base.qualname)
        if key in self._listed:
            return self._listed[key]
        base_ref = references.get(base.path or "")
        found = None
        if base_ref is not None:
            where, sep = self.documented_at(base)
            origin = f"[{code(where)}](#{where})" if where else code(base.qualname or "")
            members = tuple(
                (b.name, f"[{code(b.name)}](#{where}{sep}{b.name})" if where else code(b.name))
                for b in base_ref.members_of(base.qualname or "")
                if b.parent == base.qualname
            )
            found = Listed(origin, members)
        self._listed[key] = found
        return found

    def _walk(self, path: str, qualname: str) -> list[Target]:
        found: list[Target] = []
        seen = {(path, qualname)}
        queue = list(self.bases.get((path, qualname), ()))
        while queue:
            base = queue.pop(0)
            key = (base.path or "", base.qualname or "")
            if key in seen:
                continue
            seen.add(key)
            found.append(base)
            queue += self.bases.get(key, ())
        return found


class Listed(NamedTuple):
    """A base class as the classes deriving from it show it: its name (linked where it is
    documented), and its own public members, each as (name, shown)."""

    origin: str
    members: tuple[tuple[str, str], ...]


class _BaseInit(NamedTuple):
    """The ``__init__`` a class inherits: where it is declared (the block of the method, or
    of the class whose fields make it), its parameters and those its doc describes, and
    its name as the class's entry shows it."""

    ref: FileReference
    block: Block
    parameters: tuple[Parameter, ...]
    described: tuple[Field, ...]
    shown: str


class _ModulePart:
    """One public module's part of the section."""

    def __init__(
        self, w: SectionWriter, references: Mapping[str, FileReference], module: PublicModule,
        sep: str, linker: Linker, inheritance: Inheritance,
    ) -> None:  # fmt: skip
        self.w = w
        self.references = references
        self.module = module
        self.sep = sep
        self.linker = linker
        self.inheritance = inheritance
        self.documented = 0
        self.counted = 0
        self.undocumented: list[str] = []
        # How each file's citations read, made once per file (a part cites a few files,
        # each many times).
        self._renderers: dict[str, Callable[[int], str]] = {}

    def write(self) -> None:
        module = self.module
        parts = [f"### {code(module.name)}\n"]
        intro = f"*{module.language}* · " + ", ".join(code(p) for p in module.paths[:MAX_LISTED])
        if len(module.paths) > MAX_LISTED:
            intro += f" and {len(module.paths) - MAX_LISTED} more"
        doc_ref = self.references.get(module.doc_path) if module.doc_path else None
        if doc_ref is None:
            doc_ref = next(
                (r for p in module.paths if (r := self.references.get(p)) and r.doc), None
            )
        if doc_ref is not None and doc_ref.doc and doc_ref.doc_line is not None:
            summary = self.linker.link(doc_ref.doc, module.name)
            intro += f" — {self.w.cite(doc_ref.path, doc_ref.doc_line)}\n\n{summary}"
        parts.append(intro)
        if doc_ref is not None and doc_ref.doc_body:
            parts.append("\n" + self.linker.link(doc_ref.doc_body, module.name))
        problems = [self.w.warn(note) for note in module.notes]
        for path in module.paths:
            ref = self.references.get(path)
            for problem in ref.problems if ref else ():
                prefix = f"{code(path)}: " if len(module.paths) > 1 else ""
                problems.append(self.w.warn(problem if problem.startswith(code(path)) else
                                            prefix + problem))  # fmt: skip
        if problems:
            parts.append("\n" + "\n\n".join(problems))
        submodules = [
            n
            for n in module.names
            if n.how == SUBMODULE or (n.target.qualname is None and n.target.external is None)
        ]
        entries = [self._entry(n) for n in module.names if n not in submodules]
        coverage = self._coverage()
        if coverage:
            parts.append("\n" + coverage)
        if submodules:
            shown = ", ".join(code(n.qualified) for n in submodules)
            parts.append(f"\n**Submodules:** {shown}")
        if entries:
            parts.append("\n" + "\n".join(entries))
        self.w.add("\n".join(parts))

    def _coverage(self) -> str:
        if not self.counted:
            return ""
        line = (
            f"**Documentation:** {self.documented} of {self.counted} public "
            "types, functions and methods here have documentation"
        )
        if not self.undocumented:
            return line + "."
        shown = ", ".join(code(n) for n in self.undocumented[:MAX_UNDOCUMENTED])
        more = len(self.undocumented) - MAX_UNDOCUMENTED
        return line + f"; without: {shown}" + (f" and {more} more." if more > 0 else ".")

    def _entry(self, name: PublicName) -> str:
        target = name.target
        if name.is_canonical and target.is_declaration and target.path in self.references:
            return self._declaration(name)
        here = self.module.doc_path or self.module.paths[0]
        # A star import's line does not name what it brings in.
        named = None if name.how == STAR else name.name
        cite = self.w.cite(here, name.line, named) if name.how != DEFINED else None
        if target.external is not None and target.external.startswith(("./", "../")):
            # A JavaScript specifier relative to the file: a vendored or generated one.
            note = f"Re-export of {code(target.external)}, from a file not analysed here"
        elif target.external is not None:
            note = f"Re-export of {code(target.external)}, from outside this repository"
        elif name.canonical:
            note = f"Documented as [{code(name.canonical)}](#{name.canonical})"
            if target.path is not None and target.path in self.references:
                ref = self.references[target.path]
                block = ref.block(target.qualname or "")
                if block is not None and cite is None:
                    cite = self._citation(ref, block)
        else:
            note = "Re-export of a name no public module documents"
        return f"#### {code(name.name)}\n\n{note}" + (f" · {cite}" if cite else "") + "\n"

    def _declaration(self, name: PublicName) -> str:
        target = name.target
        ref = self.references[target.path or ""]
        top = ref.block(target.qualname or "")
        if top is None:  # the declaration is not in the stored entries: say so, do not guess
            missing = f"Its declaration could not be found in {code(target.path or '')}."
            return f"#### {code(name.name)}\n\n{self.w.warn(missing)}\n"
        texts = [self._block(ref, self._with_inherited_init(ref, top), name.name)]
        own = ref.members_of(top.qualname)
        for member in own:
            # An override linking to its base's documentation counts as documented.
            overrides = self._overrides(ref, top, member)
            texts.append(self._block(ref, member, name.name, bool(overrides)) + overrides)
        for extra in name.members:
            other = self.references.get(extra.path or "")
            block = other.block(extra.qualname or "") if other else None
            if other is None or block is None:
                continue
            if block.kind != "impl":  # an impl block elsewhere brings its members alone
                texts.append(self._block(other, block, name.name))
            for member in other.members_of(block.qualname):
                texts.append(self._block(other, member, name.name))
        if name.implements:
            shown = ", ".join(code(i) for i in name.implements[:MAX_IMPLEMENTS])
            more = len(name.implements) - MAX_IMPLEMENTS
            texts.append(
                f"*Implements:* {shown}" + (f" and {more} more" if more > 0 else "") + "\n"
            )
        if top.kind == "class":
            texts += self._inherited(ref, top, own)
        return "\n".join(texts)

    def _overrides(self, ref: FileReference, top: Block, member: Block) -> str:
        """For a Python method without documentation that overrides a documented one (jinja2's
        ``ChoiceLoader.get_source``), a link to that documentation, which pdoc would show
        in its place; "" otherwise."""
        if ref.language != "Python" or member.documented or member.parent != top.qualname:
            return ""
        for base in self.inheritance.ancestors(ref.path, top.qualname):
            base_ref = self.references.get(base.path or "")
            found = base_ref.block(f"{base.qualname}.{member.name}") if base_ref else None
            where, sep = self.inheritance.documented_at(base)
            if found is None or not found.documented or not where:
                continue  # the nearest documented one, as Python's method resolution finds
            target = f"{where}{sep}{member.name}"
            shown = code(f"{where.rpartition(sep)[2]}.{member.name}")
            return f"\n*Overrides [{shown}](#{target}), documented there.*\n"
        return ""

    def _with_inherited_init(self, ref: FileReference, top: Block) -> Block:
        """A class that defines no ``__init__`` and describes parameters, its parameters
        table made from the ``__init__`` it inherits, as griffe's ``merge_init_into_class``
        shows it: the class is called with that signature (werkzeug's ``TooManyRequests``,
        with its private base's), and its table says where it comes from.  The block as
        it is when no class of the repository it derives from says."""
        made = top.constructor
        if made is None or made.parameters is not None:
            return top
        init = self._base_init(ref, top)
        if init is None:
            return top
        before = parameters_table(made.described, ()).markdown
        table = parameters_table(made.described, init.parameters, init.described)
        head, _, rows = table.markdown.partition("\n\n")
        said = f"*Parameters of {init.shown}* · {self._citation(init.ref, init.block)}"
        text = top.text.replace(before, f"{head}\n\n{said}\n\n{rows}", 1)
        warnings = tuple(f"{code(top.qualname)}: {w}" for w in table.warnings)
        return replace(top, text=text, warnings=warnings)

    def _base_init(self, ref: FileReference, top: Block) -> _BaseInit | None:
        """The ``__init__`` a class inherits from the nearest class of the repository that
        defines one; None when that class is not known well enough to say."""
        for base in self.inheritance.ancestors(ref.path, top.qualname):
            base_ref = self.references.get(base.path or "")
            block = base_ref.block(base.qualname or "") if base_ref is not None else None
            if base_ref is None or block is None:
                return None  # a class not rendered here: whether it has one is not known
            where, sep = self.inheritance.documented_at(base)
            name = where.rpartition(sep)[2] if where else block.qualname
            init = base_ref.block(f"{block.qualname}.__init__")
            if init is not None:
                made = init.constructor
                if made is None or made.parameters is None:
                    return None  # ``__init__ = ...``: no signature to show
                shown = code(f"{name}.__init__")
                shown = f"[{shown}](#{where}{sep}__init__)" if where else shown
                return _BaseInit(base_ref, init, made.parameters, made.described, shown)
            made = block.constructor
            if made is not None and made.parameters is not None:  # made from its fields
                shown = f"[{code(name)}](#{where})" if where else code(name)
                return _BaseInit(base_ref, block, made.parameters, made.described,
                                 f"the generated `__init__` of {shown}")  # fmt: skip
        return None

    def _inherited(self, ref: FileReference, top: Block, own: Sequence[Block]) -> list[str]:
        """The public members a class inherits from classes of the repository, by origin
        (``own``: the class's members)."""
        seen = {b.name for b in own if b.parent == top.qualname}
        lines = []
        for base in self.inheritance.ancestors(ref.path, top.qualname):
            listed = self.inheritance.listed(base, self.references)
            if listed is None:
                continue
            members = [(name, shown) for name, shown in listed.members if name not in seen]
            if not members:
                continue
            seen.update(name for name, _ in members)
            names = ", ".join(shown for _, shown in members)
            lines.append(f"*Inherited from {listed.origin}:* {names}\n")
        return lines

    def _block(
        self, ref: FileReference, block: Block, public: str, documented_by_base: bool = False
    ) -> str:
        if block.counted:
            self.counted += 1
            if block.documented or documented_by_base:
                self.documented += 1
            else:
                relative = public + block.qualname[len(block.qualname.split(".")[0]) :]
                self.undocumented.append(relative.replace(".", self.sep))
        self.w.warnings.extend(block.warnings)
        text = block.text.replace(PUBLIC_NAME, public_name(public))
        # A member's doc names its siblings by their own names (``add_url_rule``).
        owner = f"{self.module.name}{self.sep}{public}"
        text = self.linker.link(text, self.module.name, (owner,))
        return text.replace(f"\x00{block.citation}\x00", self._citation(ref, block))

    def _citation(self, ref: FileReference, block: Block) -> str:
        citation = ref.citations[block.citation]
        self.w.citations.append(citation)
        render = self._renderers.get(ref.path)
        if render is None:
            render = self._renderers[ref.path] = citation_renderer(self.w.snapshot, ref.path)
        return render(citation.line)


def build(model: RepositoryModel) -> SectionResult:
    return assemble(TITLE, [planned.write() for planned in plan_pieces(model)])


def applies(model: RepositoryModel) -> bool:
    return bool(model.references)  # the same files as the analyses


SECTION = Section(
    "api_reference",
    TITLE,
    build,
    applies,
    frozenset({PATHS, TEXTS, REFERENCES, SURFACE}),
    plan_pieces,
)
