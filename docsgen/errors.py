"""One exception hierarchy for the whole service.

Every error carries the message a person will read, and says what went wrong,
not how it is answered: the HTTP layer maps errors to statuses in one table
(``docsgen.api.middleware.STATUSES``).  ``GenerationError`` subclasses end a
run with their message as the row's ``error_message`` (CONTRACT §6).
"""

from __future__ import annotations

from typing import Any


class DocsgenError(Exception):
    """Base of every error the service raises on purpose."""

    def __init__(
        self, message: str, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.message, **self.extra}


# --- what a request or a command asked for cannot be done -----------------------


class InvalidInput(DocsgenError):
    """What was given breaks a rule; the message states the rule."""


class NotFound(DocsgenError):
    """The thing asked for does not exist, or is not the caller's (the same answer)."""


class AlreadyExists(DocsgenError):
    """The thing to create exists already; ``extra`` may name it (``id``)."""


class GenerationInProgress(DocsgenError):
    """A live run holds the repository, so it can be neither claimed nor deleted."""


class TooManyRequests(DocsgenError):
    """A rate or a cap is reached; ``headers`` says when to retry."""


class ServiceUnavailable(DocsgenError):
    """A resource the service needs (the database, a secret key) is missing for now."""


# --- what only an HTTP request can get wrong -------------------------------------


class BadRequest(DocsgenError):
    """The request is malformed: its body, a parameter, a header."""


class Unauthorized(DocsgenError):
    """No credentials, or ones that name nobody."""


class Forbidden(DocsgenError):
    """The credentials are known but may not do this (another site, no CSRF token)."""


class PayloadTooLarge(DocsgenError):
    """The body is larger than the operation reads."""


class UnsupportedMediaType(DocsgenError):
    """The body is not of a type the operation reads."""


# --- reasons a generation run fails (CONTRACT §6) ------------------------------


class GenerationError(DocsgenError):
    """A run failed for a reason the user can act on; ``message`` is stored as is."""


class RepositoryNotFound(GenerationError):
    def __init__(self, name: str | None = None) -> None:
        super().__init__(f"Repository not found: {name}" if name else "Repository not found")


class RepositoryEmpty(GenerationError):
    def __init__(self) -> None:
        super().__init__("Repository appears to be empty")


class RepositoryTooLarge(GenerationError):
    """The repository exceeds a configured limit; the message states the limit."""


class SourceUnreadable(GenerationError):
    """A local repository cannot be read (not a git checkout, permissions...)."""


class GitHubTokenMissing(GenerationError):
    def __init__(self) -> None:
        super().__init__("GitHub token missing. Please reconnect your GitHub account")


class GitHubTokenRejected(GenerationError):
    def __init__(self) -> None:
        super().__init__("GitHub rejected the stored token. Please reconnect your GitHub account")


class GitHubRateLimited(GenerationError):
    """GitHub's rate limit is exhausted; the message carries the reset time."""


class GitHubApiFailed(GenerationError):
    """GitHub answered an unexpected status; the message has it and GitHub's text."""


# --- the embedded database ------------------------------------------------------


class EmbeddedDatabaseError(DocsgenError):
    """The embedded PostgreSQL cannot be set up or started; the message says what to do."""


# --- internal signals ----------------------------------------------------------


class FenceLost(DocsgenError):
    """A run's fencing token no longer matches the row: a newer run owns it.

    The run must stop at once and write nothing more.
    """


class UpToDate(DocsgenError):
    """The head is the commit the stored docs describe: the run ends without fetching more.

    Raised by a source adapter that was given that commit to skip; not a failure.
    """

    def __init__(self, commit_sha: str) -> None:
        super().__init__(f"commit {commit_sha} is already documented")
        self.commit_sha = commit_sha
