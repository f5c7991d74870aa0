"""The key concepts of a project: the few public names a newcomer meets first, ranked from the code.

A name ranks high when the project puts it at the top of its public API
(``flask.Flask``, ``serde_json::from_str``), when many of its own modules
import it (rich's ``Console``), when its users' code does (tests, examples:
``from flask import Flask``, ``use serde_json::Value``, Go's ``ExampleDiff``),
and when the README's code shows it.  Everything is read from what the run
has already: the public surfaces, each file's imports and outline, the
README's text; one pass over the imports, no file read again.

Each concept keeps the evidence it was ranked on, and a few real uses
(``uses``) to quote as examples, each with its line.

The README's code names a concept when an identifier there is the concept's
name and refers to the project's item, in every language read:

- a name qualified by a path (``a::b::Name``, ``a.b.Name``) is the project's
  only when the path's head is one of the project's own (``_project_heads``:
  ``anyhow::Error``, ``flask.Flask``, ``crate::Value``), or a name the README
  imports from the project (``z.string()`` after ``import { z } from "zod"``,
  in any of its code blocks); ``thiserror::Error``, ``std::error::Error``,
  ``console.print`` (a value's member) are not;
- a name an import statement binds is qualified by the module it names:
  ``from m import Name``, ``import { Name } from "m"``, ``const { Name } =
  require("m")``, ``use m::{Name}``; a name bound from another package
  (``use thiserror::Error;``) is not the project's anywhere in that code block
  (``#[derive(Error)]`` below it);
- JavaScript's and TypeScript's literals and primitive types (``null``,
  ``string``) are the project's only qualified (zod's ``z.string()``);
- a macro is shown only by a call, ``name!``;
- a name followed by ``::`` is a path's segment: the item itself only when the
  item is a type or module whose members are reached (``Value::Null``,
  ``Error::msg``), not otherwise (``anyhow::Result`` names the crate, not the
  ``anyhow!`` macro); a turbofish (``from_str::<T>``) is no segment.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from docsgen.generator.analysis.file_analysis import FileAnalysis, Import
from docsgen.generator.api_entries import Block, FileReference
from docsgen.generator.docstrings.links import unlinked
from docsgen.generator.manifests.readme_code import CodeBlock
from docsgen.generator.markdown import Citation
from docsgen.generator.orientation.readme import code_blocks, is_example
from docsgen.generator.surface.model import SUBMODULE, PublicModule, PublicName, Surface
from docsgen.generator.surface.roles import EXAMPLE, PRODUCT, TEST, Roles

MAX_CONCEPTS = 8
MIN_CONCEPTS = 5  # fewer with evidence: the top-level names fill the table up to this
MAX_USES = 3
_MODULE_PARTS = re.compile(r"::|[./]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_NOT_CONCEPT = re.compile(r"^(_|T_|[A-Z0-9_]+$)")  # private names, type variables, CONSTANTS
_EXCEPTION = re.compile(r"(Error|Exception|Warning)$")
_VALUE_KINDS = frozenset({"constant", "attribute", "variable", "field", "type"})
_NOT_WORD = re.compile(r"[^a-z0-9]")
_README_NAME = re.compile(r"(^|/)readme(\.[a-z]+)?$", re.IGNORECASE)
_WORDS_KEPT = 16384  # names and test files whose words a process remembers
_OUTLINES_KEPT = 8192  # files whose outline a process remembers


@dataclass(frozen=True)
class Use:
    """A real use of a concept: ``text`` (code, or None for an import) at ``citation``."""

    citation: Citation
    how: str  # "README", "example", "test", "import"
    text: str | None = None


@dataclass
class Concept:
    public: PublicName  # its shallowest public name
    kind: str
    path: str  # where it is declared
    qualname: str
    top: bool  # at the top of the public API
    order: int  # its place in its module's names
    language: str | None = None
    importers: set[str] = field(default_factory=set)  # the product's files importing it
    users: set[str] = field(default_factory=set)  # tests', examples', docs' files
    shown: int = 0  # README code blocks and code spans naming it
    tested: set[str] = field(default_factory=set)  # tests named after it (test_client.py)
    documented: int = 0  # times the top-level module's documentation names it
    members: int = 0
    uses: list[Use] = field(default_factory=list)
    # The declarations of the repository it derives from, nearest first ((path, qualname)).
    bases: tuple[tuple[str, str], ...] = ()

    @property
    def anchor(self) -> str:
        """Its API Reference entry's anchor: the canonical qualified name."""
        return self.public.canonical or self.public.qualified

    @property
    def label(self) -> str:
        """As users write it: a JavaScript package's default export is the package called."""
        if self.public.name == "default":
            package = self.public.qualified.rsplit(".", 1)[0]
            return f"{package}()" if self.kind in ("function", "class") else package
        return self.public.name

    @property
    def score(self) -> float:
        s = 3.0 if self.top else 0.0
        if self.evidence:  # most candidates have none: their terms are all zero
            s += 2.0 * math.log2(1 + len(self.importers))
            s += 2.5 * math.log2(1 + len(self.users))
            s += 3.0 * math.log2(1 + self.shown)
            s += 2.0 * math.log2(1 + self.documented)
            s += 2.5 * math.log2(1 + len(self.tested))
        if self.members:
            s += 1.0 * math.log2(1 + self.members)
        if _EXCEPTION.search(self.public.name):
            s -= 2.0
        return s

    @property
    def evidence(self) -> bool:
        return bool(self.importers or self.users or self.shown or self.documented or self.tested)

    def why(self) -> str:
        """The evidence, in words."""
        parts = []
        if self.top:
            parts.append("top level")
        if self.importers:
            parts.append(f"imported by {len(self.importers)} of its modules")
        if self.users:
            parts.append(f"by {len(self.users)} tests or examples")
        if self.tested:
            parts.append(f"{len(self.tested)} test files named after it")
        if self.shown:
            parts.append("in the README's code")
        if self.documented:
            parts.append("named in the package's documentation")
        return ", ".join(parts)


def rank(
    surfaces: Sequence[Surface],
    analyses: Mapping[str, FileAnalysis],
    texts: Mapping[str, str],
    roles: Roles,
    references: Mapping[str, FileReference],
) -> list[Concept]:
    """The key concepts, most important first (at most ``MAX_CONCEPTS``); ``references``
    is read for the top-level modules' documentation only."""
    concepts = _candidates(surfaces, analyses)
    if not concepts:
        return []
    by_name: dict[str, list[Concept]] = defaultdict(list)
    for concept in concepts.values():
        label = concept.label
        by_name[label.removesuffix("()")].append(concept)
        # What a test file named after it is called: ``test_async_client.py``, ``Router.js``.
        words = _words(label)
        for word in {words, words + "s", words + "es"}:
            by_name[word].append(concept)
    roots = _root_modules(surfaces)
    heads = _project_heads(surfaces)
    _count_imports(analyses, roles, by_name, heads, _paths(roots))
    _count_readmes(texts, by_name, heads)
    _count_documentation(roots, references, by_name)
    ranked = sorted(concepts.values(), key=lambda c: (-c.score, not c.top, c.order))
    chosen: list[Concept] = []
    labels: set[str] = set()
    derived_from: set[tuple[str, str]] = set()
    for concept in ranked:  # one concept per name: the better-ranked of two ``Blueprint``
        key = (concept.path, concept.qualname)
        if key in derived_from and not concept.top:
            continue  # ``flask.sansio.app.App``, the base ``Flask`` is documented with
        if concept.label not in labels and (concept.evidence or len(chosen) < MIN_CONCEPTS):
            if not concept.evidence and not concept.top:
                continue
            chosen.append(concept)
            labels.add(concept.label)
            derived_from.update(concept.bases)
        if len(chosen) == MAX_CONCEPTS:
            break
    chosen = _with_async_twins(chosen, ranked)
    for concept in chosen:
        concept.uses.sort(key=lambda u: _USE_ORDER[u.how])
        del concept.uses[MAX_USES:]
    return chosen


def _with_async_twins(chosen: list[Concept], ranked: list[Concept]) -> list[Concept]:
    """Each chosen concept's asynchronous twin (httpx's ``AsyncClient`` for ``Client``)
    right after it: the same concept, for the other way of calling."""
    twins = {c.label: c for c in ranked if c.top and c.label.startswith("Async")}
    result: list[Concept] = []
    for concept in chosen:
        if concept not in result:
            result.append(concept)
        twin = twins.get("Async" + concept.label)
        if twin is not None and twin not in result:
            result.append(twin)
    return result[:MAX_CONCEPTS]


_USE_ORDER = {"README": 0, "example": 1, "test": 2, "import": 3}


def _candidates(
    surfaces: Sequence[Surface], analyses: Mapping[str, FileAnalysis]
) -> dict[tuple[str, str], Concept]:
    """Every top-level public declaration, under its shallowest public name."""
    found: dict[tuple[str, str], Concept] = {}
    outlines: dict[str, dict[str, tuple[str, int]]] = {}
    for surface in surfaces:
        if not surface.modules:
            continue
        depth = {m.name: len(_MODULE_PARTS.split(m.name)) for m in surface.modules}
        root = min(depth.values())
        for module in surface.modules:
            top = depth[module.name] == root
            for order, name in enumerate(module.names):
                target = name.target
                path, qualname = target.path, target.qualname
                if (name.how == SUBMODULE or target.external is not None or path is None
                        or qualname is None or "." in qualname
                        or _NOT_CONCEPT.match(name.name)):  # fmt: skip
                    continue  # not a top-level declaration of the repository, or private
                key = (path, qualname)
                known = found.get(key)
                if known is not None and (known.top or not top):
                    continue
                outline = outlines.get(path)
                if outline is None:
                    outline = outlines[path] = _outline(analyses.get(path))
                kind, members = outline.get(qualname, ("", 0))
                if not kind or (kind in _VALUE_KINDS and name.name.isupper()):
                    continue
                derived = surface.bases.get(key)
                bases = tuple((b.path, b.qualname) for b in derived
                              if b.path is not None and b.qualname is not None
                              ) if derived else ()  # fmt: skip
                found[key] = Concept(name, kind, path, qualname, top, order, module.language,
                                     members=members, bases=bases)  # fmt: skip
    return found


# Each outline read, by the identity of the analysis it was read from (kept with it, so
# that no other object takes that identity): a worker decodes an unchanged file's analysis
# once, so the next run's ranking reads the same object.
_OUTLINES: dict[int, tuple[FileAnalysis, dict[str, tuple[str, int]]]] = {}


def _outline(analysis: FileAnalysis | None) -> dict[str, tuple[str, int]]:
    """Each top-level declaration's kind and number of public members."""
    if analysis is None:
        return {}
    known = _OUTLINES.get(id(analysis))
    if known is not None and known[0] is analysis:
        return known[1]
    if len(_OUTLINES) >= _OUTLINES_KEPT:
        _OUTLINES.clear()
    outline = _OUTLINES[id(analysis)] = (analysis, _outline_of(analysis))
    return outline[1]


def _outline_of(analysis: FileAnalysis) -> dict[str, tuple[str, int]]:
    members: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for s in analysis.symbols:
        if s.parent is None:
            kinds.setdefault(s.qualname, s.kind)
        elif s.public:
            owner = s.parent.partition(".")[0]
            members[owner] = members.get(owner, 0) + 1
    return {q: (k, members.get(q, 0)) for q, k in kinds.items()}


def _root_modules(surfaces: Sequence[Surface]) -> list[PublicModule]:
    """Each surface's top-level modules (``flask``, ``serde_json``, the Go module's root)."""
    found = []
    for surface in surfaces:
        if surface.modules:
            depth = {m.name: len(_MODULE_PARTS.split(m.name)) for m in surface.modules}
            root = min(depth.values())
            found += [m for m in surface.modules if depth[m.name] == root]
    return found


def _paths(modules: Iterable[PublicModule]) -> set[str]:
    return {path for m in modules for path in m.paths}


def _count_documentation(
    roots: Sequence[PublicModule], references: Mapping[str, FileReference],
    by_name: Mapping[str, list[Concept]],
) -> None:  # fmt: skip
    """How often the top-level modules' own documentation names each concept."""
    for module in roots:
        for path in {module.doc_path or "", *module.paths}:
            ref = references.get(path)
            if ref is None:
                continue
            for text in (ref.doc or "", ref.doc_body or ""):
                for word in _IDENTIFIER.findall(text):
                    for concept in by_name.get(word, ()):
                        concept.documented += 1


@lru_cache(maxsize=_WORDS_KEPT)
def _words(name: str) -> str:
    """A name as words, for matching file names: ``AsyncClient``, ``async_client`` ->
    ``~asyncclient`` (the ``~`` keeps it apart from the names themselves)."""
    return "~" + _NOT_WORD.sub("", name.lower())


_TEST_AFFIX = re.compile(r"^(test_?)|([_.-]?(test|tests|spec))$", re.IGNORECASE)


@lru_cache(maxsize=_WORDS_KEPT)
def _tested_words(path: str) -> frozenset[str]:
    """What a test file's name says it tests: ``tests/client/test_async_client.py`` ->
    ``~asyncclient`` and ``~client``; ``test/app.router.js`` -> ``~router`` too."""
    *folders, name = path.split("/")
    stem = _TEST_AFFIX.sub("", name.split(".", 1)[0] if "." not in name[:-1] else
                           name.rsplit(".", 1)[0])  # fmt: skip
    parts = {stem, *stem.split(".")}
    if folders:
        parts.add(folders[-1])
    return frozenset(_words(part) for part in parts if part)


def _project_heads(surfaces: Sequence[Surface]) -> set[str]:
    """The first words of the project's own imports: its packages, and Rust's ``crate``;
    and the names Go code calls its packages by (``cmp`` of ``github.com/google/go-cmp/cmp``,
    as in ``cmp.Diff``)."""
    heads = {"crate", "self", "super"}
    for surface in surfaces:
        for module in surface.modules:
            heads.add(_MODULE_PARTS.split(module.name)[0])
            if module.language == "Go":
                heads.add(_GO_PACKAGE.sub("", module.name).rsplit("/", 1)[-1])
    return heads


def _is_own(module: str, heads: set[str]) -> bool:
    """Whether a module, as an import writes it, is the project's: relative, or under one
    of its heads."""
    return module.startswith(".") or _MODULE_PARTS.split(module, 1)[0] in heads


def _imported_names(i: Import) -> Iterable[str]:
    if i.names:
        return i.names
    if i.kind == "use":  # ``use crate::value::Value;``
        return (i.module.rsplit("::", 1)[-1],)
    return ()


def _count_imports(
    analyses: Mapping[str, FileAnalysis], roles: Roles,
    by_name: Mapping[str, list[Concept]], heads: set[str], publishing: set[str],
) -> None:  # fmt: skip
    """Who imports each concept: the product's modules (not those that only publish it at
    the top: ``publishing``), the tests and examples."""
    for path, analysis in analyses.items():
        if path in publishing:
            continue
        role = roles.of.get(path, PRODUCT)
        if role == TEST:
            for word in _tested_words(path):
                for concept in by_name.get(word, ()):
                    concept.tested.add(path)
        how = "example" if role == EXAMPLE else "test" if role == TEST else "import"
        if analysis.language == "Go" and role != PRODUCT:
            # Go's runnable examples are named after what they show: ``ExampleDiff``.
            for s in analysis.symbols:
                if s.parent is None and s.name.startswith("Example") and s.kind == "function":
                    shown = s.name[len("Example") :].split("_", 1)[0]
                    for concept in by_name.get(shown, ()):
                        concept.users.add(path)
                        concept.uses.append(Use(Citation(path, s.line, s.name), "example"))
        for i in analysis.imports:
            # Most imports name no concept: that is asked first, the module's head after.
            named = [name for name in _imported_names(i) if name in by_name]
            if not named or not (i.level or _is_own(i.module, heads)):
                continue
            for name in named:
                for concept in by_name[name]:
                    if role == PRODUCT:
                        concept.importers.add(path)
                    elif path not in concept.users:
                        concept.users.add(path)
                        # The names of an import may stand on the lines after it: the
                        # citation names the module, written on the import's own line.
                        written = _MODULE_PARTS.split(i.module)[-1] or None
                        concept.uses.append(Use(Citation(path, i.line, written), how))


def _count_readmes(
    texts: Mapping[str, str], by_name: Mapping[str, list[Concept]], heads: set[str]
) -> None:
    """Which concepts the READMEs' code shows, and the first line showing each."""
    for path in sorted(texts, key=lambda p: (p.count("/"), p)):
        if not _README_NAME.search(path):
            continue
        text = texts[path]
        blocks = [(block, *_code_of(block)) for block in code_blocks(text, path)]
        # What the README imports from the project names it in all its code, which
        # often imports once (``import { z } from "zod"``, then ``z.string()``).
        own = heads.union(*(_bindings(code, heads)[0] for _, _, code in blocks))
        for block, original, code in blocks:
            seen: set[int] = set()
            for mention in _mentions(code, own, _STRINGS.get(block.info, _STRING)):
                for concept in by_name.get(mention.word, ()):
                    if id(concept) in seen or not mention.names(concept.kind):
                        continue
                    seen.add(id(concept))
                    concept.shown += 1
                    if (
                        is_example(block)
                        and not _COMMENT.match(original[mention.line])
                        and not any(u.how == "README" for u in concept.uses)
                    ):
                        cited = Citation(path, block.line + mention.line, mention.word)
                        concept.uses.append(Use(cited, "README", original[mention.line].strip()))
        for span in _INLINE_CODE.finditer(text):
            named: set[int] = set()
            for mention in _mentions(span.group(1), own):
                for concept in by_name.get(mention.word, ()):
                    if id(concept) not in named and mention.names(concept.kind):
                        named.add(id(concept))
                        concept.shown += 1


def _code_of(block: CodeBlock) -> tuple[list[str], str]:
    """A block's lines, and its code: a console session's code is on its prompt lines,
    the rest is what it printed."""
    lines = block.text.splitlines()
    if not any(line.startswith(">>>") for line in lines):
        return lines, block.text
    return lines, "\n".join(line[3:] if line.startswith((">>>", "...")) else "" for line in lines)


# A comment line of the README's code: its words are prose, no use of a name
# (chalk's "// Use RGB colors in terminal emulators" is no use of ``colors``).
_COMMENT = re.compile(r"^\s*(?://|#\s|/\*|\*\s|--\s)")
# A string literal on one line: its words are text, no use of a name.  In Rust a single
# quote opens a lifetime (``&'a str``) as often as a character: only double quotes count.
_STRING = re.compile(r"([\"'])(?:\\.|(?!\1)[^\\\n])*\1")
_STRINGS = dict.fromkeys(("rust", "rs"), re.compile(r'"(?:\\.|[^"\\\n])*"'))
# What a name of the README's code may be, by the text around it (see the module's
# documentation).
_WORD = re.compile(r"(?<![\w$])[A-Za-z_]\w*")
# A chain may break its line before a dot (``z\n  .object({``), not after one.
_QUALIFIER = re.compile(r"(?<![\w$.:])(?:[A-Za-z_]\w*\s*(?:::|\.))+\Z")
_QUALIFIER_SPAN = 256  # characters looked back at for a name's qualifying path
# Import statements that name the module apart from the names they bind: the names' span
# (``names``) and the module (``module``) of each.
_IMPORT_GROUPS = (
    re.compile(r"^[ \t]*from[ \t]+(?P<module>\.*[\w.]*)[ \t]+import[ \t]+"
               r"(?P<names>\([^)]*\)|[^\n#]*)", re.M),  # Python
    re.compile(r"\b(?:import|export)[ \t]+(?:type[ \t]+)?(?P<names>[\w$\s{},*]+?)\s*"
               r"\bfrom\s*(?P<quote>['\"])(?P<module>[^'\"\n]+)(?P=quote)"),  # JavaScript
    re.compile(r"\b(?:const|let|var)\s+(?P<names>\{[^}]*\}|[\w$]+)\s*=\s*require\s*\(\s*"
               r"['\"](?P<module>[^'\"\n]+)['\"]"),  # CommonJS
    re.compile(r"\buse\s+(?P<module>(?:\w+::)+)\{(?P<names>[^;]*)\}"),  # Rust
)  # fmt: skip
# Import statements of one path, binding its last name (or the alias): Rust, Java.
_IMPORT_PATH = re.compile(
    r"^[ \t]*(?:(?:pub[ \t]+)?use[ \t]+(?P<path>[\w:]+)(?:[ \t]+as[ \t]+(?P<alias>\w+))?"
    r"|import[ \t]+(?:static[ \t]+)?(?P<java>[\w.]+))[ \t]*;",
    re.M,
)
# The literals and primitive types of JavaScript and TypeScript: written alone, they are the
# language's, whatever the project names after them.
_LANGUAGE_WORDS = frozenset(
    "null undefined true false string number boolean object symbol bigint any unknown never void"
    .split()
)  # fmt: skip
_IMPORT_WORDS = frozenset({"as", "type", "self", "crate", "super"})
_Group = tuple[tuple[int, int], bool]
_PATH_KINDS = frozenset({"struct", "enum", "trait", "type", "class", "interface", "module"})
_OBJECTS = ("self.", "super.", "crate.")
_GO_PACKAGE = re.compile(r"/v[0-9]+$")  # a Go module's major version: no package's name


@dataclass(frozen=True)
class _Mention:
    """A name of the README's code that is not another package's: ``then`` is ``"!"``
    when a macro call follows it, ``"::"`` when it is a path's segment."""

    line: int  # in the code, from 0
    word: str
    then: str

    def names(self, kind: str) -> bool:
        """Whether it names an item of this kind."""
        if kind == "macro":
            return self.then == "!"
        return self.then != "::" or kind in _PATH_KINDS


def _bindings(code: str, heads: set[str]) -> tuple[set[str], set[str], list[_Group]]:
    """The names ``code``'s imports bind from the project, those bound from other
    packages, and the import groups (their names' span, and whether from the project)."""
    own: set[str] = set()
    foreign: set[str] = set()
    groups: list[_Group] = []
    for pattern in _IMPORT_GROUPS:
        for m in pattern.finditer(code):
            from_own = _is_own(m.group("module"), heads)
            groups.append((m.span("names"), from_own))
            names = set(_WORD.findall(m.group("names"))) - _IMPORT_WORDS
            (own if from_own else foreign).update(names)
    for m in _IMPORT_PATH.finditer(code):
        path = m.group("path") or m.group("java")
        name = m.group("alias") or _MODULE_PARTS.split(path)[-1]
        (own if _is_own(path, heads) else foreign).add(name)
    return own, foreign, groups


def _mentions(code: str, heads: set[str], strings: re.Pattern[str] = _STRING) -> list[_Mention]:
    """The names of ``code`` that may be the project's: not qualified by another package's
    path, nor bound in ``code`` by an import from another package, nor written in a string
    (``strings`` finds them: tenacity's ``'Retrying %s: attempt %s'`` is a message)."""
    _, foreign, groups = _bindings(code, heads)
    newlines = [i for i, c in enumerate(code) if c == "\n"]
    quoted = [i for m in strings.finditer(code) for i in m.span()] if "'" in code or '"' in code \
        else []  # fmt: skip
    found = []
    for m in _WORD.finditer(code):
        start, end, word = m.start(), m.end(), m.group()
        if quoted and bisect.bisect(quoted, start) % 2:
            continue  # inside a string
        own = next((o for (a, b), o in groups if a <= start < b), None)
        if own is None:
            qualifier = _QUALIFIER.search(code, max(0, start - _QUALIFIER_SPAN), start)
            if qualifier is not None:  # Rust's ``self::``, not a Python object's ``self.``
                path = "".join(qualifier.group().split())
                own = _is_own(path, heads) and not path.startswith(_OBJECTS)
            elif code.endswith((".", "::"), 0, start):
                own = False  # a value's member: ``Console().print``
            else:  # ``string`` in ``{ name: string }`` is TypeScript's, ``z.string()`` zod's
                own = word not in foreign and word not in _LANGUAGE_WORDS
        if not own:
            continue
        after = code[end : end + 3]
        then = "!" if after.startswith("!") and not after.startswith("!=") else \
            "::" if after.startswith("::") and not after.startswith("::<") else ""  # fmt: skip
        found.append(_Mention(bisect.bisect(newlines, start), word, then))
    return found


@dataclass(frozen=True)
class Summary:
    text: str  # the first sentence of its documentation, Markdown ("" when none)
    citation: Citation  # its declaration
    base: Citation | None = None  # the base class whose documentation ``text`` is


def summary(concept: Concept, references: Mapping[str, FileReference]) -> Summary:
    """The first sentence of its documentation, and where it is declared.

    A class without documentation of its own is described by the nearest class of the
    repository it derives from that has some (flask's ``Blueprint`` by its sans-I/O base),
    and says so.
    """
    ref = references.get(concept.path)
    block = ref.block(concept.qualname) if ref is not None else None
    if ref is None or block is None:
        return Summary("", Citation(concept.path, 1))
    citation = ref.citations[block.citation]
    first = _first_sentence(block)
    if first:
        return Summary(first, citation)
    for path, qualname in concept.bases:
        base_ref = references.get(path)
        base = base_ref.block(qualname) if base_ref is not None else None
        if base_ref is not None and base is not None and _first_sentence(base):
            return Summary(_first_sentence(base), citation, base_ref.citations[base.citation])
    return Summary("", citation)


def _first_sentence(block: Block) -> str:
    doc = block.text.split(f"\x00{block.citation}\x00", 1)[-1].strip()
    first = doc.split("\n\n", 1)[0].strip()
    if not first or first.startswith(("```", "|", "#", "*", "-", ">")):
        return ""
    first = " ".join(unlinked(first).split())
    sentence = re.match(r"(.+?[.!?])(\s|$)", first)
    return sentence.group(1) if sentence else first
