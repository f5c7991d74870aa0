"""GitHub's rules without I/O: plain status, headers and body in, a decision or an error out."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from docsgen.errors import (
    GitHubApiFailed,
    GitHubRateLimited,
    GitHubTokenRejected,
    RepositoryEmpty,
    RepositoryNotFound,
)
from docsgen.github.rules import Attempts, Policy, Retry, Wait

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
POLICY = Policy(
    retries=3,
    backoff_seconds=1.0,
    backoff_max_seconds=3.0,
    max_wait_seconds=60.0,
    secondary_wait_seconds=45.0,
    timeout_seconds=10.0,
)
JSON = {"Content-Type": "application/json; charset=utf-8"}


def answer(status: int, message: str | None = None, **headers: str) -> tuple[Any, ...]:
    """An answer as GitHub sends it: a JSON body with its ``message``, and these headers."""
    if message is None:
        return status, {k.replace("_", "-"): v for k, v in headers.items()}, b""
    sent = {**JSON, **{k.replace("_", "-"): v for k, v in headers.items()}}
    return status, sent, json.dumps({"message": message}).encode()


def judge(attempts: Attempts, status: int, message: str | None = None, **headers: str) -> Any:
    return attempts.answered(*answer(status, message, **headers), now=NOW)


def test_401_is_a_rejected_token_with_the_reconnect_message() -> None:
    with pytest.raises(GitHubTokenRejected, match="Please reconnect your GitHub account"):
        judge(Attempts(POLICY), 401, "Bad credentials")


@pytest.mark.parametrize("status", [403, 429])
def test_no_quota_left_is_the_primary_limit_with_its_reset_time(status: int) -> None:
    reset = int((NOW + timedelta(minutes=17)).timestamp())
    with pytest.raises(GitHubRateLimited) as raised:
        judge(
            Attempts(POLICY),
            status,
            "API rate limit exceeded",
            x_ratelimit_limit="5000",
            x_ratelimit_remaining="0",
            x_ratelimit_reset=str(reset),
        )
    assert raised.value.message == "GitHub API rate limit exceeded; it resets at 12:17:00 UTC"


def test_retry_after_in_seconds_is_waited_and_the_wait_is_not_a_failed_attempt() -> None:
    attempts = Attempts(POLICY)
    step = judge(attempts, 403, "You have exceeded a secondary rate limit", retry_after="30")
    assert step == Wait(30.0, NOW + timedelta(seconds=30))
    assert (attempts.waits, attempts.failures) == (1, 0)


def test_retry_after_as_an_http_date_is_the_time_until_then() -> None:
    step = judge(Attempts(POLICY), 429, None, retry_after="Wed, 01 May 2024 12:00:20 GMT")
    assert step == Wait(20.0, NOW + timedelta(seconds=20))


def test_a_secondary_limit_that_names_no_time_waits_the_configured_time() -> None:
    step = judge(Attempts(POLICY), 403, "You have exceeded a secondary rate limit.")
    assert step == Wait(45.0, NOW + timedelta(seconds=45))


def test_a_wait_longer_than_allowed_fails_at_once_with_the_time_to_retry() -> None:
    with pytest.raises(GitHubRateLimited) as raised:
        judge(Attempts(POLICY), 403, "secondary rate limit", retry_after="600")
    assert raised.value.message == (
        "GitHub secondary rate limit exceeded; try again after 12:10:00 UTC"
    )


def test_after_as_many_waits_as_retries_the_next_limit_fails() -> None:
    attempts = Attempts(POLICY)
    for _ in range(POLICY.retries):
        assert isinstance(judge(attempts, 429, None, retry_after="5"), Wait)
    with pytest.raises(GitHubRateLimited, match="try again after 12:00:05 UTC"):
        judge(attempts, 429, None, retry_after="5")


def test_a_403_that_is_no_rate_limit_fails_with_githubs_own_message() -> None:
    with pytest.raises(GitHubApiFailed) as raised:
        judge(Attempts(POLICY), 403, "Resource not accessible by integration")
    assert raised.value.message == (
        "GitHub API request failed: 403 Forbidden: Resource not accessible by integration"
    )


def test_404_names_the_repository_when_one_was_asked_for() -> None:
    with pytest.raises(RepositoryNotFound) as raised:
        judge(Attempts(POLICY, repository="octo/missing"), 404, "Not Found")
    assert raised.value.message == "Repository not found: octo/missing"
    with pytest.raises(GitHubApiFailed, match=r"^GitHub API request failed: 404 Not Found$"):
        judge(Attempts(POLICY), 404, "Not Found")


def test_409_for_an_empty_repository_is_repository_empty() -> None:
    with pytest.raises(RepositoryEmpty):
        judge(Attempts(POLICY, repository="octo/empty"), 409, "Git Repository is empty.")
    with pytest.raises(GitHubApiFailed, match="409 Conflict: Merge conflict"):
        judge(Attempts(POLICY, repository="octo/busy"), 409, "Merge conflict")


def test_server_errors_are_retried_with_capped_backoff_then_fail_with_the_status() -> None:
    attempts = Attempts(POLICY)
    delays = [judge(attempts, 502, "Server Error").delay for _ in range(POLICY.retries)]
    assert delays == [1.0, 2.0, 3.0]
    with pytest.raises(GitHubApiFailed) as raised:
        judge(attempts, 502, "Server Error")
    assert raised.value.message == (
        "GitHub API request failed: 502 Bad Gateway: Server Error (after 4 attempts)"
    )


def test_waits_and_failures_are_counted_apart() -> None:
    attempts = Attempts(POLICY)
    assert judge(attempts, 503) == Retry(1.0, "GitHub API request failed: 503 Service Unavailable")
    assert isinstance(judge(attempts, 429, None, retry_after="1"), Wait)
    assert judge(attempts, 503).delay == 2.0


def test_no_answer_is_retried_then_fails_saying_how_long_was_waited() -> None:
    attempts = Attempts(POLICY)
    for _ in range(POLICY.retries):
        assert isinstance(attempts.unanswered("timed out", timed_out=True), Retry)
    with pytest.raises(GitHubApiFailed) as raised:
        attempts.unanswered("timed out", timed_out=True)
    assert raised.value.message == (
        "GitHub API request failed: no answer within 10 s (after 4 attempts)"
    )


def test_a_dropped_connection_fails_with_its_reason_after_the_retries() -> None:
    attempts = Attempts(replace(POLICY, retries=0))
    with pytest.raises(GitHubApiFailed) as raised:
        attempts.unanswered("cannot connect to api.github.com:443", timed_out=False)
    assert raised.value.message == (
        "GitHub API request failed: cannot connect to api.github.com:443 (after 1 attempts)"
    )


def test_odd_answers_are_judged_not_crashed_on() -> None:
    # A status http.HTTPStatus does not know, and a body that is not the JSON it claims.
    assert judge(Attempts(POLICY), 599).reason == "GitHub API request failed: 599"
    broken = Attempts(POLICY).answered(502, JSON, b"<html>oops", now=NOW)
    assert broken == Retry(1.0, "GitHub API request failed: 502 Bad Gateway")


def test_githubs_message_is_cut_to_500_characters() -> None:
    with pytest.raises(GitHubApiFailed) as raised:
        judge(Attempts(POLICY), 400, "x" * 2000)
    assert raised.value.message == "GitHub API request failed: 400 Bad Request: " + "x" * 500


def test_header_names_are_read_in_any_case() -> None:
    step = Attempts(POLICY).answered(429, {"RETRY-AFTER": "7"}, b"", now=NOW)
    assert step == Wait(7.0, NOW + timedelta(seconds=7))
