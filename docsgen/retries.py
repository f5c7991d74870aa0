"""How clients of other services wait before trying again: backoff and ``Retry-After``."""

from __future__ import annotations

import contextlib
import email.utils
from datetime import UTC, datetime

UNREADABLE_RETRY_AFTER_SECONDS = 60.0  # a ``Retry-After`` that is neither seconds nor a date


def backoff_delay(attempt: int, base_seconds: float, max_seconds: float) -> float:
    """Capped exponential backoff: the wait after failed attempt ``attempt`` (1-based)."""
    return float(min(max_seconds, base_seconds * 2 ** (attempt - 1)))


def parse_retry_after(raw: str) -> float:
    """Seconds to wait, from a ``Retry-After`` value: seconds, or an HTTP date."""
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(raw)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return UNREADABLE_RETRY_AFTER_SECONDS
