"""The language model's chat completions API (``POST {base}/chat/completions``).

Spoken with aiohttp in the OpenAI shapes, which a hosted service, Ollama,
vLLM and llama.cpp's server all accept (docs/decisions.md says why not the
``openai`` library).  Nothing here raises for a failure of the model's side:
an unreachable server, an error answer, a timeout, a rate limit, a spent
budget or an answer that is not text all come back as a ``Failure`` whose
reason a reader of the documentation can act on.  The API key is sent in the
``Authorization`` header and appears in nothing else: no log, no reason.
"""

from __future__ import annotations

import asyncio
import http
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from docsgen.retries import backoff_delay, retry_after_seconds
from docsgen.settings import LanguageModelSettings

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 4  # a token count estimated from text, when the server reports none
MAX_REASON_CHARS = 200  # the server's own message is cut here
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})

Message = Mapping[str, str]  # {"role": ..., "content": ...}


@dataclass(frozen=True)
class Answer:
    """The model's text, and the tokens the request cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class Failure:
    """Why there is no answer, as the end of "No summary: ..." (no final full stop)."""

    reason: str


@dataclass
class Usage:
    """What one run spent: requests sent (every attempt) and tokens."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class ChatClient:
    """One run's client: its budget, its usage and its concurrency are the run's own."""

    def __init__(self, settings: LanguageModelSettings, http_session: aiohttp.ClientSession):
        self.settings = settings
        self.usage = Usage()
        self._http = http_session
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._reserved = 0  # tokens set aside for requests in flight
        self._url = settings.base_url.rstrip("/") + "/chat/completions"

    @property
    def model(self) -> str:
        return self.settings.model

    async def complete(self, messages: Sequence[Message]) -> Answer | Failure:
        """The model's answer to ``messages``; retried on 429, 5xx, timeouts and lost
        connections (after ``Retry-After`` when the server sends one)."""
        settings = self.settings
        body = {
            "model": settings.model,
            "messages": [dict(m) for m in messages],
            "temperature": 0,
            "max_tokens": settings.answer_tokens,
            "stream": False,
        }
        estimate = sum(len(m["content"]) for m in messages) // CHARS_PER_TOKEN
        estimate += settings.answer_tokens
        attempt = 0
        while True:
            attempt += 1
            async with self._slots:
                refused = self._take(estimate)
                if refused is not None:
                    return Failure(refused)
                try:
                    outcome = await self._send(body)
                finally:
                    self._reserved -= estimate
            if isinstance(outcome, Answer | Failure):
                return outcome
            wait, reason = outcome
            if wait is not None and wait > settings.retry_after_max_seconds:
                return Failure(
                    f"{reason}; it asks to wait {wait:g} s, longer than the "
                    f"{settings.retry_after_max_seconds:g} s allowed"
                )
            if attempt > settings.retries:
                tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                return Failure(f"{reason} (after {tries})")
            delay = wait if wait is not None else backoff_delay(
                attempt, settings.backoff_seconds, settings.backoff_max_seconds
            )  # fmt: skip
            log.info(
                "language model request failed (%s); retry %d of %d in %.2f s",
                reason, attempt, settings.retries, delay,
            )  # fmt: skip
            await asyncio.sleep(delay)

    def _take(self, estimate: int) -> str | None:
        """Count a request against the run's budget; the reason when it is spent."""
        settings = self.settings
        if self.usage.requests >= settings.max_requests:
            return (
                f"the run's budget of {settings.max_requests} requests to the language "
                "model is spent"
            )
        if self.usage.tokens + self._reserved + estimate > settings.max_tokens:
            return f"the run's budget of {settings.max_tokens} language model tokens is spent"
        self.usage.requests += 1
        self._reserved += estimate
        return None

    async def _send(self, body: dict[str, Any]) -> Answer | Failure | tuple[float | None, str]:
        """One attempt: an answer, a failure, or (the wait asked for, why) to retry."""
        headers = {"Accept": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout_seconds)
        try:
            async with self._http.post(
                self._url, json=body, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                raw = await response.read()
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except TimeoutError:
            return None, (
                f"the language model did not answer within {self.settings.timeout_seconds:g} s"
            )
        except aiohttp.ClientConnectorError as exc:
            return None, f"the language model's server could not be reached ({exc.host}:{exc.port})"
        except aiohttp.ClientError as exc:
            return (
                None,
                f"the connection to the language model's server failed ({type(exc).__name__})",
            )
        if status == 200:
            return self._answer(raw, body)
        reason = self._status_reason(status, raw)
        if status in RETRIED_STATUSES:
            wait = retry_after_seconds(retry_after, datetime.now(UTC)) if retry_after else None
            return wait, reason
        return Failure(reason)

    def _answer(self, raw: bytes, body: Mapping[str, Any]) -> Answer | Failure:
        not_text = Failure("the language model's answer was not text")
        try:
            data = json.loads(raw)
            text = data["choices"][0]["message"]["content"]
        except (ValueError, LookupError, TypeError):
            return not_text
        if not isinstance(text, str) or not text.strip():
            return not_text
        usage = data.get("usage") if isinstance(data, dict) else None
        prompt = _count(usage, "prompt_tokens")
        completion = _count(usage, "completion_tokens")
        if prompt is None:
            prompt = sum(len(m["content"]) for m in body["messages"]) // CHARS_PER_TOKEN
        if completion is None:
            completion = len(text) // CHARS_PER_TOKEN
        self.usage.prompt_tokens += prompt
        self.usage.completion_tokens += completion
        return Answer(text, prompt, completion)

    def _status_reason(self, status: int, raw: bytes) -> str:
        """``the language model's server answered 500 Internal Server Error: <its message>``."""
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        text = f"the language model's server answered {status} {phrase}".rstrip()
        message = self._server_message(raw)
        if message and message != phrase:
            text += f": {message}"
        return text

    def _server_message(self, raw: bytes) -> str:
        """The server's own message (OpenAI's ``error.message``, Ollama's ``error``), short,
        with the key taken out should the server repeat it."""
        try:
            data = json.loads(raw)
        except ValueError:
            return ""
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict):
            error = error.get("message")
        if not isinstance(error, str):
            return ""
        message = " ".join(error.split())
        key = self.settings.api_key
        if key:
            message = message.replace(key, "<key>")
        if len(message) > MAX_REASON_CHARS:
            message = message[: MAX_REASON_CHARS - 1] + "…"
        return message


def _count(usage: object, name: str) -> int | None:
    if not isinstance(usage, dict):
        return None
    value = usage.get(name)
    return value if isinstance(value, int) and value >= 0 else None
