"""References in doc comments, resolved to the declarations the documentation holds.

A doc comment names other declarations in its language's way
(``:class:`~rich.table.Table```, ``{@link Router}``, ``[`Value`]``,
``[Name]``); the parsers leave a placeholder (``docsgen.generator.docstrings.model.ref``),
and the API Reference, which knows every canonical name, makes it a link to
that declaration's anchor, or, when nothing documented matches, code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from docsgen.generator.docstrings.model import REF_OPEN, REF_SHOWN
from docsgen.generator.markdown import code

_PLACEHOLDER = re.compile(
    f"{REF_OPEN}([^{REF_OPEN}{REF_SHOWN}]*){REF_SHOWN}([^{REF_OPEN}]*){REF_OPEN}"
)


class Linker:
    """Resolves a written name to a documented one: exactly, in the current module, or
    by its last parts when only one documented declaration ends that way; a name written
    by another of the declaration's names (an alias) leads to where it is documented."""

    def __init__(
        self,
        names: Iterable[str],
        aliases: Mapping[str, str] | None = None,
        inherited: Callable[[str, str], str | None] | None = None,
    ) -> None:
        # ``inherited(owner, member)``: where a member a documented class inherits is
        # documented (``flask.Flask``, ``add_url_rule``: ``flask.sansio.app.App.add_url_rule``),
        # asked only when a doc names one, never worked out for every class beforehand.
        self.inherited = inherited
        documented = frozenset(names)
        # Other names of documented declarations, each to the documented one: another
        # public name (``itsdangerous.signer.Signer``, documented as ``itsdangerous.Signer``).
        self.aliases = {
            alias: to
            for alias, to in (aliases or {}).items()
            if to in documented and alias not in documented
        }
        self.documented = documented
        self.names = documented | self.aliases.keys()
        self._by_last: dict[str, list[str]] = defaultdict(list)
        for name in self.names:
            self._by_last[_last_part(name)].append(name)

    def resolve(self, written: str, module: str, scopes: tuple[str, ...] = ()) -> str | None:
        """The documented name ``written`` means, read in ``scopes`` (a class first), then
        in ``module``."""
        target = written.strip().lstrip("~.!").removeprefix("crate::").removeprefix("self::")
        if not target:
            return None
        if target in self.names:
            return self.aliases.get(target, target)
        aliased = self._aliased(target)
        if aliased is not None:
            return aliased
        inherited = self.inherited
        for scope in (*scopes, module):
            for sep in (".", "::", "/"):
                if f"{scope}{sep}{target}" in self.names:
                    found = f"{scope}{sep}{target}"
                    return self.aliases.get(found, found)
            # A class's doc naming a member it inherits, before any outer scope's name.
            member = inherited(self.aliases.get(scope, scope), target) if inherited else None
            if member is not None:
                return member
        wanted = _parts(target)
        ending = {
            self.aliases.get(n, n)
            for n in self._by_last.get(wanted[-1], ())
            if _parts(n)[-len(wanted) :] == wanted
        }
        if len(ending) == 1:
            return ending.pop()
        owner, dot, member = target.rpartition(".")
        if inherited is None or not dot:
            return None
        # ``Flask.add_url_rule``: the class as written, then the member it inherits.
        resolved = self.resolve(owner, module, scopes)
        return inherited(resolved, member) if resolved is not None else None

    def _aliased(self, target: str) -> str | None:
        """The documented name of a member of a declaration written by another name
        (``itsdangerous.signer.Signer.sign``)."""
        owner, member = target, ""
        while owner:
            canonical = self.aliases.get(owner)
            if canonical is not None:
                found = self.aliases.get(canonical + member, canonical + member)
                return found if found in self.documented else None
            owner, dot, last = owner.rpartition(".")
            member = dot + last + member
        return None

    def link(self, markdown: str, module: str, scopes: tuple[str, ...] = ()) -> str:
        """Every placeholder of ``markdown`` as a link or as code."""
        if REF_OPEN not in markdown:
            return markdown

        def replace(match: re.Match[str]) -> str:
            written, shown = match.group(1), match.group(2) or match.group(1)
            shown_code = _as_code(shown)
            target = self.resolve(written, module, scopes)
            return f"[{shown_code}](#{target})" if target else shown_code

        return _PLACEHOLDER.sub(replace, markdown)


def unlinked(markdown: str) -> str:
    """Every placeholder of ``markdown`` as code: for text shown where no link is made."""
    if REF_OPEN not in markdown:
        return markdown
    return _PLACEHOLDER.sub(lambda m: _as_code(m.group(2) or m.group(1)), markdown)


def _as_code(shown: str) -> str:
    return shown if shown.startswith("`") else code(shown)


def referenced(markdown: str) -> list[str]:
    """The names ``markdown``'s placeholders refer to, as written."""
    if REF_OPEN not in markdown:
        return []
    return [m.group(1) for m in _PLACEHOLDER.finditer(markdown)]


def _last_part(name: str) -> str:
    """``_parts(name)[-1]``, without splitting the whole name (tens of thousands of
    names on a large repository)."""
    last = name.replace("::", ".").replace("#", ".").rstrip(".").rpartition(".")[2]
    if not last:
        raise IndexError(f"{name!r} has no parts")
    return last


def _parts(name: str) -> list[str]:
    """The parts of a dotted, ``::`` or ``#`` separated name (str methods: a regular
    expression split took a fifth of planning Django's API Reference)."""
    return [p for p in name.replace("::", ".").replace("#", ".").split(".") if p]
