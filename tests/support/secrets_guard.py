"""Finds secrets where none may appear: logs, HTTP answers, error messages."""

from __future__ import annotations

import re
from collections.abc import Iterable

# API tokens, GitHub tokens (classic, OAuth, app, fine-grained).
SECRET_PATTERNS = (
    re.compile(r"\bdg_[A-Za-z0-9_-]{40,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
)


def find_secrets(text: str, literals: Iterable[str] = ()) -> list[str]:
    """Every secret-looking string in ``text``, plus any of ``literals`` it contains."""
    found = [m.group(0) for pattern in SECRET_PATTERNS for m in pattern.finditer(text)]
    found += [lit for lit in literals if lit and lit in text]
    return found
