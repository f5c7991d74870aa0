"""A page being made: its lines, then its text with what linking it needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docsgen.generator.markdown import WARNING_SIGN
from docsgen.generator.pages.lines import LINK_TARGET, code_flags


@dataclass
class Draft:
    """A page before its links are rewritten: its lines, and the symbols on them; once
    ``finished``, its text instead of its lines, with what the last steps read of them."""

    title: str
    parent: str | None
    lines: list[str]
    section: int  # the index of the section it is cut from
    self_anchors: tuple[str, ...] = ()  # anchors that mean the page itself
    # (qualname, kind, citation, summary, 0-based line) of each symbol heading
    symbols: list[tuple[str, str | None, str | None, str, int]] = field(default_factory=list)
    slug: str = ""
    text: str = ""  # the page's Markdown, its links as in the whole document
    links: tuple[tuple[int, int], ...] = ()  # where in ``text`` the lines with links are
    named: tuple[str, ...] = ()  # the anchors those links name
    signs: int = 0  # warning signs outside code blocks
    memo_key: str = ""  # a module page's key in the memo: its module's digest, its number

    def for_run(self, section: int) -> Draft:
        """A copy of a remembered draft for one run (which sets its slug), from section
        ``section``: a shallow copy, its text and symbols shared."""
        copy = Draft.__new__(Draft)
        copy.__dict__.update(self.__dict__)
        copy.section = section
        return copy

    def finish(self, flags: Sequence[bool] | None = None) -> None:
        """Join the lines into ``text`` (they are let go), noting the lines whose links
        may be rewritten and the warning signs shown (``flags``: whether each line is
        in a code block, when known)."""
        links: list[tuple[int, int]] = []
        named: dict[str, None] = {}
        signs = at = 0
        lines = self.lines
        for line, fenced in zip(lines, code_flags(lines) if flags is None else flags, strict=True):
            if not fenced:
                if WARNING_SIGN in line:
                    signs += line.count(WARNING_SIGN)
                if "](#" in line:
                    links.append((at, at + len(line)))
                    named.update(dict.fromkeys(LINK_TARGET.findall(line)))
            at += len(line) + 1
        self.text = "\n".join(self.lines).rstrip("\n") + "\n"
        self.links, self.named, self.signs = tuple(links), tuple(named), signs
        self.lines = []
