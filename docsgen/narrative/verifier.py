"""Which sentences of a model's answer the code confirms; the others are dropped.

Pure and deterministic: the same answer and facts give the same verdicts.  A
sentence is kept only when

- every name in backticks (and every ``snake_case`` word or dotted call
  outside them, which read as code too) is a symbol, module or path of the
  repository at this commit;
- every ``path:line`` (in backticks or not) is a line of a file of the
  commit, and that line holds what the sentence names there: the nearest
  name before the citation (else the first after it); a line that declares
  something must declare that very name;
- every relation it states that the static graph can decide holds: "X calls
  Y", "X imports Y", "X subclasses Y" (inherits from, extends, derives
  from, is a subclass of), "X returns Y" (Y named in X's return
  annotation), passive forms too.  A negated relation, or one whose subject
  is not named, cannot be decided and drops the sentence;
- it names something of the code (a sentence that names nothing cannot be
  checked), and holds no link, address or raw HTML (nothing the facts can
  confirm).

Code blocks and tables are dropped whole.  Repository text reaches the model
as data; whatever the model makes of it, only what passes here is kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from docsgen.generator.markdown import Citation
from docsgen.narrative.facts import Facts, SymbolFact
from docsgen.narrative.sentences import CODE_SPAN, Block, blocks, protect, restore

_CITATION = re.compile(r"(?P<path>[^\s`:]+):(?P<line>\d+)(?:-(?P<end>\d+))?")
_PLAIN_CITATION = (
    r"(?<![\w/.:-])(?:[\w.-]+/)*[\w-][\w.-]*\.[A-Za-z0-9]+:\d+(?:-\d+)?(?![\w])"
    r"|(?<![\w/.:-])(?:[\w.-]+/)+[\w.-]+:\d+(?:-\d+)?(?![\w])"
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
# Words outside backticks that read as code: snake_case, _private, dotted calls.
_CODE_WORD = re.compile(r"_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*|_+[A-Za-z]\w*")
_TOKENS = re.compile(
    rf"\x00(?P<held>\d+)\x00|(?P<cite>{_PLAIN_CITATION})"
    r"|(?P<call>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\(\)?|(?P<word>[A-Za-z_][\w'’]*)"
    r"|(?P<punct>[,;:.!?()])"
)
_URL = re.compile(
    r"https?://|www\.|mailto:|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|co|app|xyz|info|biz"
    r"|me|ru|cn|de|uk|fr)\b",
    re.IGNORECASE,
)
_HTML = re.compile(r"<[A-Za-z!/]")
MAX_RANGE = 200
# A line declaring one of these declares nothing else: a citation of it names it.
DECLARING_KINDS = frozenset(
    {"class", "function", "method", "property", "interface", "struct", "trait", "enum", "type"}
)  # a cited range of lines is checked up to this long

# Relation phrases (lower-case words), the relation, and whether the subject follows.
_RELATIONS: tuple[tuple[tuple[str, ...], str, bool], ...] = tuple(
    sorted(
        [
            (("calls",), "calls", False),
            (("call",), "calls", False),
            (("invokes",), "calls", False),
            (("invoke",), "calls", False),
            (("is", "called", "by"), "calls", True),
            (("are", "called", "by"), "calls", True),
            (("is", "invoked", "by"), "calls", True),
            (("imports",), "imports", False),
            (("import",), "imports", False),
            (("is", "imported", "by"), "imports", True),
            (("are", "imported", "by"), "imports", True),
            (("subclasses",), "subclasses", False),
            (("subclass",), "subclasses", False),
            (("inherits", "from"), "subclasses", False),
            (("inherit", "from"), "subclasses", False),
            (("extends",), "subclasses", False),
            (("extend",), "subclasses", False),
            (("derives", "from"), "subclasses", False),
            (("derive", "from"), "subclasses", False),
            (("is", "a", "subclass", "of"), "subclasses", False),
            (("are", "subclasses", "of"), "subclasses", False),
            (("a", "subclass", "of"), "subclasses", False),
            (("is", "subclassed", "by"), "subclasses", True),
            (("returns",), "returns", False),
            (("return",), "returns", False),
        ],
        key=lambda r: -len(r[0]),
    )
)
_NEGATIONS = frozenset(
    {"not", "never", "no", "doesn't", "don't", "isn't", "aren't", "cannot", "can't", "won't",
     "nor", "neither", "without", "doesn’t", "don’t", "isn’t", "aren’t", "can’t", "won’t"}
)  # fmt: skip
# Before a relation word, these make it a noun ("each call to"), not a claim.
_DETERMINERS = frozenset(
    {"a", "an", "the", "each", "every", "this", "that", "its", "their", "one", "any", "whose",
     "these", "those", "his", "her", "our", "your", "such"}
)  # fmt: skip
_NOUN_FOLLOWERS = frozenset(
    {"to", "value", "values", "type", "types", "annotation", "annotations", "statement",
     "statements", "site", "sites", "graph", "graphs", "chain", "chains", "path", "paths",
     "order", "time"}
)  # fmt: skip
_KINDS = frozenset(
    {"class", "classes", "method", "methods", "function", "functions", "module", "modules",
     "package", "packages", "property", "properties", "attribute", "attributes", "helper",
     "helpers", "constructor", "decorator", "coroutine", "object", "objects", "type", "types",
     "exception", "exceptions", "error", "errors", "instance", "instances", "classmethod",
     "staticmethod", "subclass", "subclasses"}
)  # fmt: skip
_MEMBER_KINDS = frozenset({"method", "function", "property", "attribute", "classmethod",
                           "staticmethod", "helper", "constructor", "coroutine"})  # fmt: skip
_SUBJECT_FILLER = _KINDS | frozenset(
    {"also", "then", "first", "directly", "internally", "always", "simply", "only",
     "eventually", "finally", "itself", "in", "turn", "mostly", "usually", "typically",
     "often", "which", "that", "who", "just", "automatically", "explicitly", "implicitly",
     "immediately", "later", "subsequently", "now", "still", "further", "additionally",
     "the", "both", "all", "each", "every", "it", "therefore", "thus", "merely"}
)  # fmt: skip
_OBJECT_FILLER = _KINDS | frozenset(
    {"a", "an", "the", "new", "both", "either", "also", "directly", "its", "their", "one",
     "another", "each", "every", "fresh", "single", "corresponding", "configured", "given"}
)  # fmt: skip
_CONJUNCTIONS = frozenset({"and", "or", "but", "then"})


@dataclass(frozen=True)
class Resolved:
    """What a written name stands for: qualified names, or paths (files and folders)."""

    written: str
    names: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()

    @property
    def last(self) -> str:
        """The last component, as it would appear on a line of code."""
        text = self.written.rstrip("/")
        text = re.sub(r"\(.*\)$", "", text).replace("::", ".").replace("#", ".")
        return re.split(r"[./]", text)[-1].lstrip("@")


@dataclass(frozen=True)
class Verdict:
    """A sentence and why it was dropped (no problems: kept)."""

    sentence: str
    problems: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    @property
    def kept(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Checked:
    """An answer after verification: every verdict, and the kept sentences in their blocks."""

    verdicts: tuple[Verdict, ...]
    kept_blocks: tuple[tuple[Block, tuple[Verdict, ...]], ...] = ()

    @property
    def dropped(self) -> int:
        return sum(1 for v in self.verdicts if not v.kept)

    @property
    def kept(self) -> int:
        return sum(1 for v in self.verdicts if v.kept)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(c for v in self.verdicts if v.kept for c in v.citations)

    @property
    def markdown(self) -> str:
        """The kept sentences as written."""
        return self.rendered(None)

    def rendered(self, cite: Callable[[Citation], str] | None) -> str:
        """The kept sentences, each ``path:line`` written by ``cite`` (a link, say): a cited
        range becomes the line of it that holds what the sentence names."""
        out: list[str] = []
        previous_item = False
        for block, verdicts in self.kept_blocks:
            text = " ".join(
                v.sentence if cite is None else _with_citations(v.sentence, v.citations, cite)
                for v in verdicts
            )
            is_item = block.kind == "item"
            marker = block.marker if block.marker[:1].isdigit() else "-"
            if out:
                out.append("\n" if is_item and previous_item else "\n\n")
            out.append(f"{marker} {text}" if is_item else text)
            previous_item = is_item
        return "".join(out)


@dataclass
class _Token:
    kind: str  # "name", "cite", "word", "punct", "link"
    text: str  # a word lower-cased; a name or citation as written


@dataclass
class _Claim:
    relation: str
    subjects: list[str]
    objects: list[str]
    start: int
    end: int
    negated: bool


class Verifier:
    """Checks sentences against one commit's facts."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._symbols: dict[str, list[SymbolFact]] = defaultdict(list)
        self._by_suffix: dict[str, set[str]] = defaultdict(set)
        self._defined_at: dict[tuple[str, int], set[str]] = defaultdict(set)
        for symbol in facts.symbols:
            self._symbols[symbol.name].append(symbol)
            parts = symbol.name.split(".")
            for i in range(len(parts)):
                self._by_suffix[".".join(parts[i:])].add(symbol.name)
            if symbol.kind in DECLARING_KINDS:
                self._defined_at[(symbol.path, symbol.line)].add(symbol.name)
        self._aliases = dict(facts.aliases)
        # A re-export is a name too (``package.Name``), when it ends at a symbol.
        for alias in self._aliases:
            if self._canonical(alias) in self._symbols:
                parts = alias.split(".")
                for i in range(len(parts)):
                    self._by_suffix[".".join(parts[i:])].add(alias)
        self._module_of_path: dict[str, str] = {}
        for symbol in facts.symbols:
            if symbol.kind == "module":
                self._module_of_path.setdefault(symbol.path, symbol.name)
        self._folders = {
            path.rsplit("/", i)[0] for path in facts.paths for i in range(1, path.count("/") + 1)
        }
        self._calls: dict[str, set[str]] = defaultdict(set)
        for edge in facts.calls:
            self._calls[edge.source].add(self._canonical(edge.target))
        self._imports = {(e.source, e.target) for e in facts.imports}
        self._lines: dict[str, list[str]] = {}

    # --- answers and sentences ---------------------------------------------------------

    def answer(self, markdown: str) -> Checked:
        """Every sentence of ``markdown`` judged; the kept ones in their blocks."""
        verdicts: list[Verdict] = []
        kept_blocks: list[tuple[Block, tuple[Verdict, ...]]] = []
        for block in blocks(markdown):
            if block.kind in ("code", "table"):
                what = "a code block" if block.kind == "code" else "a table"
                problem = f"{what} cannot be checked sentence by sentence"
                verdicts.append(Verdict(block.text, (problem,)))
                continue
            judged = [self.sentence(sentence) for sentence in block.sentences()]
            verdicts += judged
            kept = tuple(v for v in judged if v.kept)
            if kept:
                kept_blocks.append((block, kept))
        return Checked(tuple(verdicts), tuple(kept_blocks))

    def sentence(self, sentence: str) -> Verdict:
        protected, held = protect(sentence)
        tokens = _tokens(protected, held)
        problems: list[str] = []
        if any(t.kind == "link" for t in tokens) or _URL.search(protected):
            problems.append("a link or address cannot be checked against the code")
        if _HTML.search(protected):
            problems.append("raw HTML is not kept")
        resolved: dict[int, Resolved] = {}
        for index, token in enumerate(tokens):
            if token.kind == "name":
                found = self.resolve(token.text)
                if found is None:
                    problems.append(f"`{token.text}` is not a name in the repository")
                else:
                    resolved[index] = found
        citations: list[Citation] = []
        for index, token in enumerate(tokens):
            if token.kind == "cite":
                about = _nearest(resolved, index)
                problem, citation = self._citation(token.text, about)
                if problem is not None:
                    problems.append(problem)
                elif citation is not None:
                    citations.append(citation)
        if not any(t.kind in ("name", "cite") for t in tokens):
            problems.append("it names nothing of the code, so nothing in it can be checked")
        if not problems:  # relations are checked between names that exist
            problems += self._relations(tokens, resolved)
        return Verdict(sentence, tuple(problems), tuple(citations) if not problems else ())

    # --- names -------------------------------------------------------------------------

    def resolve(self, written: str) -> Resolved | None:
        """What ``written`` names: a path or folder, or symbols and modules."""
        text = written.strip()
        text = re.sub(r"\((\.\.\.|…)?\)$", "", text).lstrip("@")
        path = text.removeprefix("./").rstrip("/")
        if path in self.facts.paths or path in self._folders:
            return Resolved(written, paths=frozenset({path}))
        dotted = text.replace("::", ".").replace("#", ".")
        if not _IDENTIFIER.fullmatch(dotted):
            return None
        names = self._by_suffix.get(dotted)
        if not names:
            return None
        with_targets = set(names)
        with_targets.update(self._aliases[n] for n in names if n in self._aliases)
        return Resolved(written, names=frozenset(with_targets))

    def _canonical(self, name: str) -> str:
        seen = 0
        while name in self._aliases and seen < 10:
            name = self._aliases[name]
            seen += 1
        return name

    # --- citations ---------------------------------------------------------------------

    def _citation(self, written: str, about: Resolved | None) -> tuple[str | None, Citation | None]:
        """The problem with ``path:line`` (None: it holds), and the citation it makes."""
        match = _CITATION.fullmatch(written)
        if match is None:
            return f"`{written}` is not a citation", None
        path, line = match["path"].removeprefix("./"), int(match["line"])
        end = int(match["end"]) if match["end"] else line
        if path not in self.facts.paths:
            return f"`{written}` cites a file that is not in the repository", None
        lines = self._file_lines(path)
        if lines is None:
            return f"`{written}` cites a file whose text was not read", None
        if not 1 <= line <= end <= len(lines) or end - line > MAX_RANGE:
            return f"`{written}` cites a line `{path}` does not have ({len(lines)} lines)", None
        citation = Citation(path, line, None)
        if about is None:
            return None, citation
        if about.paths:
            if any(path == p or path.startswith(p + "/") for p in about.paths):
                return None, citation
            if any(about.last in lines[n - 1] for n in range(line, end + 1)):
                return None, citation
            return f"`{written}` is not in `{about.written}`", None
        word = re.compile(rf"(?<![\w$]){re.escape(about.last)}(?![\w$])")
        for number in range(line, end + 1):
            declared = self._defined_at.get((path, number))
            if declared:  # a line that declares something must declare what is named
                if declared & about.names:
                    return None, Citation(path, number, about.last)
            elif word.search(lines[number - 1]):
                return None, Citation(path, number, about.last)
        if self._module_of_path.get(path) in about.names:
            return None, citation  # a module, cited in its own file
        declared = self._defined_at.get((path, line))
        if declared:
            other = sorted(declared)[0]
            return f"line {line} of `{path}` declares `{other}`, not `{about.written}`", None
        return f"line {line} of `{path}` does not mention `{about.written}`", None

    def _file_lines(self, path: str) -> list[str] | None:
        lines = self._lines.get(path)
        if lines is None:
            text = self.facts.texts.get(path)
            if text is None:
                return None
            lines = self._lines[path] = text.splitlines()
        return lines

    # --- relations ---------------------------------------------------------------------

    def _relations(self, tokens: list[_Token], resolved: dict[int, Resolved]) -> list[str]:
        problems: list[str] = []
        previous: _Claim | None = None
        index = 0
        while index < len(tokens):
            claim = self._claim_at(tokens, index, resolved, previous)
            if claim is None:
                index += 1
                continue
            index = claim.end
            previous = claim
            if not claim.objects:
                continue  # nothing named on the other side: no claim the graph decides
            if claim.negated:
                problems.append(f"a negated '{claim.relation}' cannot be checked in the code")
                continue
            if not claim.subjects:
                named = ", ".join(f"`{o}`" for o in claim.objects)
                problems.append(f"says what {claim.relation} {named} without naming it")
                continue
            for subject in claim.subjects:
                for target in claim.objects:
                    problem = self._decide(claim.relation, subject, target)
                    if problem is not None:
                        problems.append(problem)
        return problems

    def _claim_at(
        self,
        tokens: list[_Token],
        index: int,
        resolved: dict[int, Resolved],
        previous: _Claim | None,
    ) -> _Claim | None:
        words = [t.text if t.kind == "word" else "" for t in tokens]
        for phrase, relation, passive in _RELATIONS:
            end = index + len(phrase)
            if tuple(words[index:end]) != phrase:
                continue
            before = words[index - 1] if index else ""
            after = words[end] if end < len(words) else ""
            if phrase[0] not in ("a", "is", "are") and (
                before in _DETERMINERS or after in _NOUN_FOLLOWERS
            ):
                return None  # a noun: "each call to", "the return value"
            negated = any(w in _NEGATIONS for w in words[max(0, index - 3) : index])
            left = _names_before(tokens, index)
            right, stop = _names_after(tokens, end)
            if not left and previous is not None and _conjoined(tokens, index, previous.end):
                left = previous.subjects
            subjects, objects = (right, left) if passive else (left, right)
            return _Claim(relation, subjects, objects, index, max(stop, end), negated)
        return None

    def _decide(self, relation: str, subject: str, target: str) -> str | None:
        """The problem with ``subject <relation> target`` (None: the code shows it)."""
        who = self.resolve(subject)
        what = self.resolve(target)
        if who is None or what is None:
            return f"`{subject}` or `{target}` is not a name in the repository"
        if relation == "calls":
            return self._decide_calls(who, what)
        if relation == "imports":
            modules = self._modules(who)
            targets = self._modules(what)
            if any((m, t) in self._imports for m in modules for t in targets):
                return None
            return f"`{subject}` does not import `{target}`"
        if relation == "subclasses":
            return self._decide_subclasses(who, what)
        return self._decide_returns(who, what)

    def _decide_calls(self, who: Resolved, what: Resolved) -> str | None:
        unknown = self._outside_graph(who.names)
        if unknown:
            return f"calls made by {unknown} code are not known; `{who.written}` calls unchecked"
        callees = {self._canonical(n) for n in what.names}
        for caller in self._callers(who.names):
            if self._calls.get(caller, set()) & callees:
                return None
        return f"the code shows no call from `{who.written}` to `{what.written}`"

    def _callers(self, names: Iterable[str]) -> set[str]:
        """The functions a name stands for: itself, or a class's or module's own."""
        found: set[str] = set()
        for name in names:
            found.add(name)
            kinds = {s.kind for s in self._symbols.get(name, ())}
            if kinds & {"class", "module", "struct", "interface", "trait"}:
                found.update(self._members.get(name, ()))
        return found

    @cached_property
    def _members(self) -> dict[str, set[str]]:
        """Each class's and module's functions that call something (nested ones excluded)."""
        members: dict[str, set[str]] = defaultdict(set)
        for caller in self._calls:
            if "<locals>" in caller:
                continue
            parts = caller.split(".")
            for i in range(1, len(parts)):
                members[".".join(parts[:i])].add(caller)
        return members

    def _outside_graph(self, names: Iterable[str]) -> str | None:
        """The language of the first named symbol whose calls and bases are not known."""
        for name in names:
            for symbol in self._symbols.get(name, ()):
                language = self.facts.languages.get(symbol.path)
                if language not in self.facts.graph_languages:
                    return language or "unknown"
        return None

    def _modules(self, resolved: Resolved) -> set[str]:
        """The modules a name or path belongs to."""
        found = {self._module_of_path[p] for p in resolved.paths if p in self._module_of_path}
        for name in resolved.names:
            for symbol in self._symbols.get(name, ()):
                module = self._module_of_path.get(symbol.path)
                if module is not None:
                    found.add(module)
        return found

    def _decide_subclasses(self, who: Resolved, what: Resolved) -> str | None:
        unknown = self._outside_graph(who.names)
        if unknown:
            return f"bases of {unknown} classes are not known; `{who.written}` unchecked"
        wanted = {self._canonical(n) for n in what.names}
        seen: set[str] = set()
        todo = [self._canonical(n) for n in who.names]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for symbol in self._symbols.get(name, ()):
                for base in symbol.bases:
                    base = self._canonical(base)
                    if base in wanted:
                        return None
                    todo.append(base)
        return f"`{who.written}` does not derive from `{what.written}`"

    def _decide_returns(self, who: Resolved, what: Resolved) -> str | None:
        annotations = [s.returns for n in who.names for s in self._symbols.get(n, ()) if s.returns]
        if not annotations:
            return f"no return annotation of `{who.written}` shows what it returns"
        word = re.compile(rf"(?<![\w$]){re.escape(what.last)}(?![\w$])")
        if any(word.search(a) for a in annotations):
            return None
        return f"`{who.written}` is not annotated to return `{what.written}`"


# --- tokens ----------------------------------------------------------------------------


def _tokens(protected: str, held: Sequence[str]) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKENS.finditer(protected):
        if match["held"] is not None:
            text = held[int(match["held"])]
            span = CODE_SPAN.fullmatch(text)
            if span is None:
                tokens.append(_Token("link", text))
                continue
            inner = span.group(2).strip()
            kind = "cite" if _CITATION.fullmatch(inner) else "name"
            tokens.append(_Token(kind, inner))
        elif match["cite"] is not None:
            tokens.append(_Token("cite", match["cite"]))
        elif match["call"] is not None:
            tokens.append(_Token("name", match["call"]))
        elif match["word"] is not None:
            word = match["word"]
            if _CODE_WORD.fullmatch(word):
                tokens.append(_Token("name", word))
            else:
                tokens.append(_Token("word", word.lower().replace("’", "'")))
        else:
            tokens.append(_Token("punct", match["punct"]))
    return tokens


def _nearest(resolved: dict[int, Resolved], index: int) -> Resolved | None:
    """The name a citation at ``index`` is about: the nearest before it, else after it."""
    before = [i for i in resolved if i < index]
    if before:
        return resolved[max(before)]
    after = [i for i in resolved if i > index]
    return resolved[min(after)] if after else None


def _member(tokens: list[_Token], index: int) -> str | None:
    """``m`` in "the `m` method of `C`" ending at ``index`` (C's token), as ``C.m``."""
    if (
        index >= 3
        and tokens[index - 1].text == "of"
        and tokens[index - 2].text in _MEMBER_KINDS
        and tokens[index - 3].kind == "name"
    ):
        return f"{tokens[index].text}.{tokens[index - 3].text}"
    return None


def _names_before(tokens: list[_Token], index: int) -> list[str]:
    """The subject(s) of a relation word at ``index``: the nearest names before it, past
    filler words ("the `X` class also calls"), with those listed before them."""
    i = index - 1
    while i >= 0 and (_aside(tokens[i]) or _subject_filler(tokens[i])):
        i -= 1
    if i < 0 or tokens[i].kind != "name":
        return []
    names: list[str] = []
    while i >= 0 and tokens[i].kind == "name":
        member = _member(tokens, i)
        names.append(member or tokens[i].text)
        i -= 4 if member else 1
        # "`A`, `B` and `C` call": more subjects before a list separator.
        j = i
        while j >= 0 and tokens[j].text in (",", "and", "or", "both"):
            j -= 1
        if j < i and j >= 0 and tokens[j].kind == "name":
            i = j
        else:
            break
    return names


def _aside(token: _Token) -> bool:
    """A citation in brackets, which comes between a name and what is said of it."""
    return token.kind == "cite" or (token.kind == "punct" and token.text in "()")


def _subject_filler(token: _Token) -> bool:
    return token.kind in ("word", "punct") and (token.text in _SUBJECT_FILLER or token.text == ",")


def _names_after(tokens: list[_Token], index: int) -> tuple[list[str], int]:
    """The object(s) of a relation word ending at ``index``, and where they end."""
    names: list[str] = []
    i = index
    end = index
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "name":
            names.append(token.text)
            i += 1
            end = i
            # "`m` method of `C`"
            if (
                i + 2 < len(tokens)
                and tokens[i].text in _MEMBER_KINDS
                and tokens[i + 1].text == "of"
                and tokens[i + 2].kind == "name"
            ):
                names[-1] = f"{tokens[i + 2].text}.{names[-1]}"
                i += 3
                end = i
            continue
        if _aside(token) and names:  # "`a` (`path:line`) and `b`"
            i += 1
            continue
        if token.kind == "word" and (
            token.text in _OBJECT_FILLER
            or (token.text == "of" and i > 0 and tokens[i - 1].text in ("instance", "instances"))
        ):
            i += 1
            continue
        if token.text in (",", "and", "or") and names:
            # a list goes on only if a name (past filler) follows
            j = i + 1
            while j < len(tokens) and (
                tokens[j].text in _OBJECT_FILLER or tokens[j].text in (",", "and", "or")
            ):
                j += 1
            if j < len(tokens) and tokens[j].kind == "name":
                i = j
                continue
        break
    return names, end


def _conjoined(tokens: list[_Token], index: int, previous_end: int) -> bool:
    """Whether the relation word at ``index`` follows the previous claim through a
    conjunction alone ("calls `a` and returns `b`": the same subject)."""
    between = [t.text for t in tokens[previous_end:index]]
    return (
        bool(between)
        and all(w in _CONJUNCTIONS or w == "," or w in _SUBJECT_FILLER for w in between)
        and any(w in _CONJUNCTIONS for w in between)
    )


def _with_citations(
    sentence: str, citations: Sequence[Citation], cite: Callable[[Citation], str]
) -> str:
    """``sentence`` with its n-th ``path:line`` written as ``cite(citations[n])``."""
    protected, held = protect(sentence)
    pieces: list[str] = []
    position = 0
    count = 0
    for match in _TOKENS.finditer(protected):
        if count == len(citations):
            break
        if match["held"] is not None:
            index = int(match["held"])
            span = CODE_SPAN.fullmatch(held[index])
            if span is not None and _CITATION.fullmatch(span.group(2).strip()):
                held[index] = cite(citations[count])
                count += 1
        elif match["cite"] is not None:
            held.append(cite(citations[count]))
            pieces += [protected[position : match.start()], f"\x00{len(held) - 1}\x00"]
            position = match.end()
            count += 1
    pieces.append(protected[position:])
    return restore("".join(pieces), held)
