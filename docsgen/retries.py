"""How clients of other services wait before trying again: backoff and ``Retry-After``.

Pure: the GitHub rules and the language model's client both decide with these.
"""

from __future__ import annotations

import contextlib
import email.utils
from datetime import datetime

UNPARSABLE_RETRY_AFTER_SECONDS = 60.0  # a ``Retry-After`` that is neither seconds nor a date


def backoff_delay(failures: int, base_seconds: float, max_seconds: float) -> float:
    """Capped exponential backoff: the wait after ``failures`` failed attempts (1 or more)."""
    return float(min(max_seconds, base_seconds * 2 ** (failures - 1)))


def retry_after_seconds(raw: str, now: datetime) -> float:
    """``Retry-After`` as seconds from ``now``: a number of seconds, or an HTTP date."""
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(raw)
        return max(0.0, (when - now).total_seconds())
    return UNPARSABLE_RETRY_AFTER_SECONDS
