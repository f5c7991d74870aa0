"""GitHub's rules without I/O: what an answer means, when to retry, when to wait.

gidgethub's sans-I/O idea: a status, headers and body go in, a decision comes
out, and nothing here opens a socket, reads a clock or sleeps; the loop in
``docsgen.github.client`` makes the requests and carries the decisions out.
Every failure becomes one of the errors of CONTRACT §6: 401 → token rejected;
primary rate limit → the reset time; secondary rate limit → a short wait, or
the time to retry when the wait would be too long; 5xx, timeouts and dropped
connections → retried with capped exponential backoff, then the status and
GitHub's own message.  No message quotes a URL or a header, so none carries a token.
"""

from __future__ import annotations

import http
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import gidgethub
import gidgethub.sansio
from multidict import CIMultiDict

from docsgen.errors import (
    GitHubApiFailed,
    GitHubRateLimited,
    GitHubTokenRejected,
    RepositoryEmpty,
    RepositoryNotFound,
)
from docsgen.redaction import redact
from docsgen.retries import backoff_delay, retry_after_seconds
from docsgen.settings import Settings

# The statuses gidgethub decodes as an answer; any other is judged here.
SUCCESS = frozenset({200, 201, 202, 204})
_SECONDARY_HINT = re.compile(r"secondary rate limit|abuse", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """How hard to try: the GitHub settings the rules read."""

    retries: int
    backoff_seconds: float
    backoff_max_seconds: float
    max_wait_seconds: float  # a longer secondary rate limit fails at once
    secondary_wait_seconds: float  # a secondary limit that names no time
    timeout_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            retries=settings.github_retries,
            backoff_seconds=settings.github_backoff_seconds,
            backoff_max_seconds=settings.github_backoff_max_seconds,
            max_wait_seconds=settings.github_rate_limit_max_wait_seconds,
            secondary_wait_seconds=settings.github_secondary_wait_seconds,
            timeout_seconds=settings.github_timeout_seconds,
        )


@dataclass(frozen=True)
class Retry:
    """A transient failure: try again after ``delay`` seconds."""

    delay: float
    reason: str  # for the log line


@dataclass(frozen=True)
class Wait:
    """A secondary rate limit: wait ``seconds`` (until ``until``), then try again."""

    seconds: float
    until: datetime


class Attempts:
    """One request's attempts: each failure goes in, the next step (or its error) comes out.

    At most ``policy.retries`` retries after transient failures, and as many
    rate-limit waits; a wait is not a failed attempt.
    """

    def __init__(self, policy: Policy, *, repository: str | None = None) -> None:
        self.policy = policy
        # ``owner/name`` when a 404 means that repository is missing (or not the caller's).
        self.repository = repository
        self.failures = 0
        self.waits = 0

    def answered(
        self, status: int, headers: Mapping[str, str], body: bytes, *, now: datetime
    ) -> Retry | Wait:
        """The step after GitHub answered ``status`` (not a success); raises what it means."""
        headers = CIMultiDict(headers)
        message = github_message(status, headers, body)
        described = describe_status(status, message)
        if status >= 500:
            return self._transient(described, described)
        rate = gidgethub.sansio.RateLimit.from_http(headers)
        if status == 403 and rate is not None and rate.remaining == 0:
            raise primary_rate_limited(rate.reset_datetime)
        if status == 401:
            raise GitHubTokenRejected()
        if status in (403, 429):
            wait = self._rate_limit_wait(headers, message, now)
            if wait is not None:
                return wait
        if status == 404 and self.repository is not None:
            raise RepositoryNotFound(self.repository)
        if status == 409 and "empty" in message.lower():
            raise RepositoryEmpty()
        raise GitHubApiFailed(described)

    def unanswered(self, reason: str, *, timed_out: bool) -> Retry:
        """The step after no answer came: ``reason`` says why, without a URL."""
        if timed_out:
            give_up = f"no answer within {self.policy.timeout_seconds:g} s"
        else:
            give_up = reason
        return self._transient(reason, f"GitHub API request failed: {give_up}")

    def _transient(self, reason: str, give_up: str) -> Retry:
        self.failures += 1
        if self.failures > self.policy.retries:
            raise GitHubApiFailed(f"{give_up} (after {self.failures} attempts)")
        delay = backoff_delay(
            self.failures, self.policy.backoff_seconds, self.policy.backoff_max_seconds
        )
        return Retry(delay, reason)

    def _rate_limit_wait(
        self, headers: Mapping[str, str], message: str, now: datetime
    ) -> Wait | None:
        """The wait a secondary rate limit asks for; None when the answer is no rate limit.

        A primary limit (no quota left and no ``retry-after``) raises at once: it
        resets only at the hour's end.
        """
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            seconds = retry_after_seconds(retry_after, now)
        else:
            rate = gidgethub.sansio.RateLimit.from_http(headers)
            if rate is not None and rate.remaining == 0:
                raise primary_rate_limited(rate.reset_datetime)
            if not _SECONDARY_HINT.search(message):
                return None
            seconds = self.policy.secondary_wait_seconds
        until = now + timedelta(seconds=seconds)
        if seconds > self.policy.max_wait_seconds or self.waits >= self.policy.retries:
            raise GitHubRateLimited(
                f"GitHub secondary rate limit exceeded; try again after {utc_clock(until)}"
            )
        self.waits += 1
        return Wait(seconds, until)


def github_message(status: int, headers: Mapping[str, str], body: bytes) -> str:
    """GitHub's own words for a failed answer, as gidgethub's sans-I/O core reads them."""
    try:
        gidgethub.sansio.decipher_response(status, CIMultiDict(headers), body)
    except gidgethub.HTTPException as exc:
        return redact(str(exc).strip())  # GitHub may echo a token: it goes no further
    except ValueError:  # a body that does not decode as it says, or a status unknown to HTTP
        pass
    return ""


def describe_status(status: int, message: str) -> str:
    """``GitHub API request failed: 502 Bad Gateway: <GitHub's own message>``."""
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    text = f"GitHub API request failed: {status} {phrase}".rstrip()
    if message and message != phrase:
        text += f": {message[:500]}"
    return text


def primary_rate_limited(reset: datetime) -> GitHubRateLimited:
    return GitHubRateLimited(f"GitHub API rate limit exceeded; it resets at {utc_clock(reset)}")


def utc_clock(moment: datetime) -> str:
    """``HH:MM:SS UTC``, as the rate-limit messages show it."""
    return moment.astimezone(UTC).strftime("%H:%M:%S UTC")
