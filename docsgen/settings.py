"""Settings, read once from the environment into a typed object.

Nothing else in the package reads ``os.environ`` for configuration: the
settings object is built at start and passed in.  A malformed value stops the
service with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import platformdirs


class SettingsError(ValueError):
    """A setting is malformed; the message names it."""


@dataclass(frozen=True)
class LanguageModelSettings:
    """The optional language model that writes summaries (docs/llm.md).

    ``api_key`` is sent as a Bearer token and nowhere else: it is left out of
    ``repr`` so that no log of these settings can show it.
    """

    base_url: str  # the OpenAI-compatible API, e.g. ``http://127.0.0.1:11434/v1``
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_seconds: float = 120.0  # one request, from sending to the whole answer
    # 429, 5xx, timeouts and dropped connections are retried this many times, with
    # capped exponential backoff, or after the server's ``Retry-After`` when it sends one.
    retries: int = 2
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    # A ``Retry-After`` longer than this ends the request at once (with a ⚠️).
    retry_after_max_seconds: float = 60.0
    # The budget of one run: requests sent (each attempt counts) and tokens (prompt and
    # answer, as the server reports them).
    max_requests: int = 200
    max_tokens: int = 500_000
    answer_tokens: int = 700  # the longest answer asked for (``max_tokens`` of a request)
    concurrency: int = 4  # requests in flight at once, per run


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir("docsgen")))
    secret_key: str | None = None
    github_api_url: str = "https://api.github.com"
    github_web_url: str = "https://github.com"
    github_oauth_client_id: str | None = None
    github_oauth_client_secret: str | None = None
    github_webhook_secret: str | None = None
    github_token: str | None = None
    local_roots: tuple[Path, ...] = ()
    lease_seconds: float = 60.0
    heartbeat_seconds: float = 10.0
    reaper_interval_seconds: float = 10.0
    shutdown_grace_seconds: float = 10.0
    poll_interval_seconds: float = 5.0
    sse_keepalive_seconds: float = 15.0
    listener_check_seconds: float = 10.0
    page_sse: bool = True  # the page also follows SSE (beside its poll) when offered
    session_seconds: float = 14 * 24 * 3600.0
    signin_link_seconds: float = 15 * 60.0
    max_repository_bytes: int = 512 * 1024 * 1024
    max_file_bytes: int = 1024 * 1024
    max_files: int = 50_000
    # GitHub: the downloaded tarball (compressed) and what it unpacks to (a gzip bomb stops here).
    max_tarball_bytes: int = 256 * 1024 * 1024
    max_tarball_uncompressed_bytes: int = 1024 * 1024 * 1024
    # GitHub requests: per-request timeout, retries of 5xx and timeouts with capped
    # exponential backoff, and the longest rate-limit wait before a run gives up.
    github_timeout_seconds: float = 30.0
    github_retries: int = 3
    github_backoff_seconds: float = 1.0
    github_backoff_max_seconds: float = 30.0
    github_rate_limit_max_wait_seconds: float = 60.0
    # A secondary rate limit without ``retry-after``: GitHub asks for at least a minute.
    github_secondary_wait_seconds: float = 60.0
    github_oauth_state_seconds: float = 600.0
    # Keys that encrypted stored tokens before ``secret_key``; tokens are re-encrypted on use.
    previous_secret_keys: tuple[str, ...] = ()
    analysis_workers: int = 0  # 0: one per core
    pool_min_size: int = 2
    pool_max_size: int = 10
    statement_cache_size: int = 100  # 0 behind pgbouncer in transaction mode
    log_json: bool = False
    # Spam prevention beyond the one-run-per-repository rule.
    max_runs_per_user: int = 5
    max_runs_per_process: int = 20
    state_changes_per_minute: int = 120
    # Open progress streams (SSE) per user, across all processes.
    max_streams_per_user: int = 20
    # Seconds to wait for a pooled connection / a statement before answering 503.
    database_timeout_seconds: float = 5.0
    # The longest a request body may take to arrive (then 408), and to be drained
    # when it is not read (then the connection closes); a slow sender holds nothing longer.
    body_timeout_seconds: float = 30.0
    # Webhook bodies are read before their signature can be checked: at most this
    # large (GitHub's own cap is 25 MB; a push is far smaller), a few at a time.
    max_webhook_bytes: int = 5 * 1024 * 1024
    # At most one background check of a repository's head per this many seconds
    # (started by reading the repository or its docs; docs/freshness.md).
    freshness_check_seconds: float = 300.0
    # How messages and the page write the command, so what they tell a person to run works
    # where it is read (``scripts/dev`` sets ``./scripts/dev`` for a checkout).
    command: str = "docsgen"
    # Summaries written by a language model; None: off (CONTRACT §12).
    llm: LanguageModelSettings | None = None

    @property
    def workers(self) -> int:
        return self.analysis_workers or (os.cpu_count() or 1)


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be greater than 0, got {raw!r}")
    return value


def _url(env: Mapping[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = env.get(name) or default
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise SettingsError(f"{name} must be a {' or '.join(schemes)} URL, got {raw!r}")
    return raw.rstrip("/")


def _bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _language_model(env: Mapping[str, str]) -> LanguageModelSettings | None:
    """The language model's settings, or None when ``DOCSGEN_LLM_BASE_URL`` is unset."""
    if not env.get("DOCSGEN_LLM_BASE_URL"):
        return None
    base_url = _url(env, "DOCSGEN_LLM_BASE_URL", "", ("http", "https"))
    model = (env.get("DOCSGEN_LLM_MODEL") or "").strip()
    if not model:
        raise SettingsError(
            "DOCSGEN_LLM_MODEL must name the model to use when DOCSGEN_LLM_BASE_URL is set"
        )
    default = LanguageModelSettings(base_url, model)
    return LanguageModelSettings(
        base_url=base_url,
        model=model,
        api_key=env.get("DOCSGEN_LLM_API_KEY") or None,
        timeout_seconds=_float(env, "DOCSGEN_LLM_TIMEOUT_SECONDS", default.timeout_seconds),
        retries=_int(env, "DOCSGEN_LLM_RETRIES", default.retries),
        backoff_seconds=_float(env, "DOCSGEN_LLM_BACKOFF_SECONDS", default.backoff_seconds),
        backoff_max_seconds=_float(
            env, "DOCSGEN_LLM_BACKOFF_MAX_SECONDS", default.backoff_max_seconds
        ),
        retry_after_max_seconds=_float(
            env, "DOCSGEN_LLM_RETRY_AFTER_MAX_SECONDS", default.retry_after_max_seconds
        ),
        max_requests=_int(env, "DOCSGEN_LLM_MAX_REQUESTS", default.max_requests),
        max_tokens=_int(env, "DOCSGEN_LLM_MAX_TOKENS", default.max_tokens),
        answer_tokens=_int(env, "DOCSGEN_LLM_ANSWER_TOKENS", default.answer_tokens, 1),
        concurrency=_int(env, "DOCSGEN_LLM_CONCURRENCY", default.concurrency, 1),
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    database_url = env.get("DATABASE_URL") or None
    if database_url is not None:
        _url(env, "DATABASE_URL", database_url, ("postgres", "postgresql"))
    data_dir_raw = env.get("DOCSGEN_DATA_DIR")
    data_dir = Path(data_dir_raw).expanduser() if data_dir_raw else Settings().data_dir
    roots_raw = env.get("DOCSGEN_LOCAL_ROOTS", "")
    local_roots = tuple(Path(p).expanduser().resolve() for p in roots_raw.split(":") if p)
    for root in local_roots:
        if not root.is_absolute():
            raise SettingsError(f"DOCSGEN_LOCAL_ROOTS entries must be absolute paths: {root}")
    if database_url is None and not roots_raw:
        # Embedded mode is a personal install: the user's own files are allowed.
        local_roots = (Path.home().resolve(),)
    lease = _float(env, "DOCSGEN_LEASE_SECONDS", 60.0)
    return Settings(
        database_url=database_url,
        host=env.get("DOCSGEN_HOST") or "127.0.0.1",
        port=_int(env, "DOCSGEN_PORT", 8080),
        data_dir=data_dir,
        secret_key=env.get("DOCSGEN_SECRET_KEY") or None,
        github_api_url=_url(env, "GITHUB_API_URL", "https://api.github.com", ("http", "https")),
        github_web_url=_url(env, "GITHUB_WEB_URL", "https://github.com", ("http", "https")),
        github_oauth_client_id=env.get("GITHUB_OAUTH_CLIENT_ID") or None,
        github_oauth_client_secret=env.get("GITHUB_OAUTH_CLIENT_SECRET") or None,
        github_webhook_secret=env.get("GITHUB_WEBHOOK_SECRET") or None,
        github_token=env.get("GITHUB_TOKEN") or None,
        local_roots=local_roots,
        lease_seconds=lease,
        heartbeat_seconds=_float(env, "DOCSGEN_HEARTBEAT_SECONDS", min(10.0, lease / 3)),
        reaper_interval_seconds=_float(env, "DOCSGEN_REAPER_SECONDS", min(10.0, lease / 2)),
        shutdown_grace_seconds=_float(env, "DOCSGEN_SHUTDOWN_GRACE_SECONDS", 10.0),
        poll_interval_seconds=_float(env, "DOCSGEN_POLL_SECONDS", 5.0),
        sse_keepalive_seconds=_float(env, "DOCSGEN_SSE_KEEPALIVE_SECONDS", 15.0),
        listener_check_seconds=_float(env, "DOCSGEN_LISTENER_CHECK_SECONDS", 10.0),
        page_sse=_bool(env, "DOCSGEN_PAGE_SSE", default=True),
        session_seconds=_float(env, "DOCSGEN_SESSION_SECONDS", 14 * 24 * 3600.0),
        signin_link_seconds=_float(env, "DOCSGEN_SIGNIN_LINK_SECONDS", 15 * 60.0),
        max_repository_bytes=_int(env, "DOCSGEN_MAX_REPOSITORY_BYTES", 512 * 1024 * 1024, 1),
        max_file_bytes=_int(env, "DOCSGEN_MAX_FILE_BYTES", 1024 * 1024, 1),
        max_files=_int(env, "DOCSGEN_MAX_FILES", 50_000, 1),
        max_tarball_bytes=_int(env, "DOCSGEN_MAX_TARBALL_BYTES", Settings.max_tarball_bytes, 1),
        max_tarball_uncompressed_bytes=_int(
            env,
            "DOCSGEN_MAX_TARBALL_UNCOMPRESSED_BYTES",
            Settings.max_tarball_uncompressed_bytes,
            1,
        ),
        github_timeout_seconds=_float(
            env, "DOCSGEN_GITHUB_TIMEOUT_SECONDS", Settings.github_timeout_seconds
        ),
        github_retries=_int(env, "DOCSGEN_GITHUB_RETRIES", Settings.github_retries),
        github_backoff_seconds=_float(
            env, "DOCSGEN_GITHUB_BACKOFF_SECONDS", Settings.github_backoff_seconds
        ),
        github_backoff_max_seconds=_float(
            env, "DOCSGEN_GITHUB_BACKOFF_MAX_SECONDS", Settings.github_backoff_max_seconds
        ),
        github_rate_limit_max_wait_seconds=_float(
            env,
            "DOCSGEN_GITHUB_RATE_LIMIT_MAX_WAIT_SECONDS",
            Settings.github_rate_limit_max_wait_seconds,
        ),
        github_secondary_wait_seconds=_float(
            env, "DOCSGEN_GITHUB_SECONDARY_WAIT_SECONDS", Settings.github_secondary_wait_seconds
        ),
        github_oauth_state_seconds=_float(
            env, "DOCSGEN_GITHUB_OAUTH_STATE_SECONDS", Settings.github_oauth_state_seconds
        ),
        previous_secret_keys=tuple(
            k for k in (env.get("DOCSGEN_PREVIOUS_SECRET_KEYS") or "").split() if k
        ),
        analysis_workers=_int(env, "DOCSGEN_ANALYSIS_WORKERS", 0),
        pool_min_size=_int(env, "DOCSGEN_POOL_MIN_SIZE", 2, 1),
        pool_max_size=_int(env, "DOCSGEN_POOL_MAX_SIZE", 10, 1),
        statement_cache_size=_int(env, "DOCSGEN_STATEMENT_CACHE_SIZE", 100),
        log_json=_bool(env, "DOCSGEN_LOG_JSON"),
        max_runs_per_user=_int(env, "DOCSGEN_MAX_RUNS_PER_USER", 5, 1),
        max_runs_per_process=_int(env, "DOCSGEN_MAX_RUNS_PER_PROCESS", 20, 1),
        state_changes_per_minute=_int(env, "DOCSGEN_STATE_CHANGES_PER_MINUTE", 120, 1),
        max_streams_per_user=_int(
            env, "DOCSGEN_MAX_STREAMS_PER_USER", Settings.max_streams_per_user, 1
        ),
        database_timeout_seconds=_float(env, "DOCSGEN_DATABASE_TIMEOUT_SECONDS", 5.0),
        body_timeout_seconds=_float(
            env, "DOCSGEN_BODY_TIMEOUT_SECONDS", Settings.body_timeout_seconds
        ),
        max_webhook_bytes=_int(env, "DOCSGEN_MAX_WEBHOOK_BYTES", Settings.max_webhook_bytes, 1),
        freshness_check_seconds=_float(
            env, "DOCSGEN_FRESHNESS_CHECK_SECONDS", Settings.freshness_check_seconds
        ),
        command=(env.get("DOCSGEN_COMMAND") or "").strip() or Settings.command,
        llm=_language_model(env),
    )
