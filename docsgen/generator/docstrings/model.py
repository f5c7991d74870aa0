"""A doc comment as its parts: what every language's conventions come down to.

Summary and description are Markdown the author wrote (kept as written, not
escaped); the parameters, returns, raises and the rest come from the
language's own conventions (Google, NumPy and Sphinx docstrings; JSDoc,
TSDoc and Javadoc tags; rustdoc's ``# Errors`` sections; Go's
``Deprecated:`` paragraphs).  A reference to another declaration in the text
is written as ``\\x02target\\x03shown\\x02`` and turned into a link by the
section that knows what is documented where (``docsgen.generator.docstrings.links``).
"""

from __future__ import annotations

from dataclasses import dataclass

REF_OPEN = "\x02"  # \x02target\x03shown\x02: a reference to another declaration
REF_SHOWN = "\x03"


def ref(target: str, shown: str | None = None) -> str:
    """A reference placeholder; ``shown`` defaults to the target as written."""
    target = target.strip().strip("`")
    return f"{REF_OPEN}{target}{REF_SHOWN}{shown or target}{REF_OPEN}"


@dataclass(frozen=True)
class Field:
    """A documented parameter, return value, exception, attribute..."""

    name: str  # a parameter's name; "" for a return value; an exception's type
    type: str | None  # as the doc writes it
    description: str  # Markdown


@dataclass(frozen=True)
class DocComment:
    summary: str = ""  # the first paragraph, Markdown
    description: str = ""  # the rest of the prose, Markdown
    parameters: tuple[Field, ...] = ()
    returns: tuple[Field, ...] = ()
    yields: tuple[Field, ...] = ()
    raises: tuple[Field, ...] = ()
    attributes: tuple[Field, ...] = ()
    examples: tuple[str, ...] = ()  # Markdown each (code blocks, with their prose)
    notes: tuple[tuple[str, str], ...] = ()  # (title, Markdown): Note, Warning, See also...
    deprecated: str | None = None  # Markdown; "" when deprecated without a word

    @property
    def empty(self) -> bool:
        return not (self.summary or self.description or self.parameters or self.returns
                    or self.raises or self.examples or self.notes or self.deprecated is not None
                    or self.yields or self.attributes)  # fmt: skip
