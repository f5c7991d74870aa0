"""Credentials out of text that came from another service (GitHub's error messages).

An upstream service may echo what it was sent, a token included.  Its messages
pass through ``redact`` before they are stored, answered or logged: GitHub's
token shapes (``ghp_``, ``gho_``, ``ghu_``, ``ghs_``, ``ghr_``, ``github_pat_``),
this service's API tokens, and the value after ``Bearer`` or after a
credential's name (``Authorization:``, ``access_token=``...) become ``[redacted]``.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

_TOKENS = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9_-]+|github_pat_[A-Za-z0-9_-]+|dg_[A-Za-z0-9_-]{16,})"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;&]+")
_NAMED = re.compile(
    r"(?i)\b(authorization|access_token|refresh_token|client_secret|token)"
    r"([\"']?\s*[:=]\s*[\"']?(?:(?:bearer|token|basic)\s+)?)[^\s\"',;&]+"
)


def redact(text: str) -> str:
    """``text`` with every credential-shaped part replaced by ``[redacted]``."""
    text = _TOKENS.sub(REDACTED, text)
    text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
    return _NAMED.sub(rf"\g<1>\g<2>{REDACTED}", text)
