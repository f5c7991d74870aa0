"""THE fake language model: a real aiohttp server on 127.0.0.1 speaking OpenAI's chat API.

It serves ``POST /v1/chat/completions`` as an OpenAI-compatible server does
(a hosted API, Ollama, vLLM, llama.cpp's server), records every request
(headers, JSON body, arrival time), and answers with what the test scripted:
``script`` takes a function from the request's body to the answer's text (by
default every answer is ``DEFAULT_ANSWER``).  It reports token usage as such
servers do.  When it holds an API key, a request without that key as a Bearer
token gets 401 with a message that repeats the key it was given, as hosted
APIs do (the service must not pass that on).

Tests steer it with faults, each for the next ``times`` requests: ``fail``
(any status and message, optionally with headers), ``rate_limit`` (429 with
``Retry-After``), ``slow`` (hold the answer; with a short client timeout this
is a timeout), ``non_text`` (a 200 whose content is not text), and ``hold``
(a gate that keeps the next answer until the test releases it).

Use the ``fake_llm`` fixture (registered as a pytest plugin in conftest):
``fake_llm.settings_for(settings)`` points the service's settings at it.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from docsgen.settings import LanguageModelSettings, Settings
from tests.support.fake_github import Gate, _listening_socket, _reason
from tests.support.secrets_guard import SecretsGuard

MODEL = "fake-model-7b"
API_KEY = "sk-fake-" + "k3y" * 12
DEFAULT_ANSWER = "This page is about the code."
CHARS_PER_TOKEN = 4

Script = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class RecordedCompletion:
    headers: dict[str, str]
    body: dict[str, Any]
    at: float  # ``time.monotonic()`` at arrival

    @property
    def prompt(self) -> str:
        """Every message's content, joined: what the model was shown."""
        return "\n".join(m["content"] for m in self.body["messages"])

    def message(self, role: str) -> str:
        return "\n".join(m["content"] for m in self.body["messages"] if m["role"] == role)


@dataclass
class Fault:
    """What the next ``times`` requests get instead of the scripted answer."""

    status: int | None = 500  # None: the scripted answer, after ``delay``
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = 1  # None: every request from now on
    raw: bytes | None = None  # a 200 answered with these bytes instead of the answer


class FakeLanguageModel:
    def __init__(self, *, api_key: str | None = API_KEY, model: str = MODEL) -> None:
        self.api_key = api_key
        self.model = model
        self.requests: list[RecordedCompletion] = []
        self.rejected_keys: set[str] = set()  # keys presented that were not the right one
        self.in_flight = 0
        self.most_in_flight = 0
        self._script: Script = lambda body: DEFAULT_ANSWER
        self._faults: collections.deque[Fault] = collections.deque()
        self._gates: collections.deque[Gate] = collections.deque()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.add_routes([web.post("/v1/chat/completions", self._completions)])
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        sock = _listening_socket()
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"

    async def close(self) -> None:
        self._closing.set()
        for gate in self._gates:
            gate.release()
        if self._runner is not None:
            await self._runner.cleanup()

    def settings(self, **overrides: Any) -> LanguageModelSettings:
        """Settings of a client of this fake, with short waits for tests."""
        values: dict[str, Any] = {
            "base_url": self.base_url,
            "model": self.model,
            "api_key": self.api_key,
            "timeout_seconds": 5.0,
            "backoff_seconds": 0.01,
            "backoff_max_seconds": 0.05,
        }
        values.update(overrides)
        return LanguageModelSettings(**values)

    def settings_for(self, settings: Settings, **overrides: Any) -> Settings:
        """The service's ``settings`` with summaries written by this fake."""
        return dataclasses.replace(settings, llm=self.settings(**overrides))

    def secrets(self) -> set[str]:
        """The key this fake holds and any it was offered: none may leak from the service."""
        return ({self.api_key} if self.api_key else set()) | self.rejected_keys

    # --- arranging -------------------------------------------------------------------

    def script(self, answer: Script) -> None:
        """Answer each request with ``answer(body)`` (the request's JSON body)."""
        self._script = answer

    def fail(
        self,
        status: int = 500,
        message: str | None = None,
        *,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        body = {"error": {"message": message or _reason(status), "type": "server_error"}}
        self._faults.append(Fault(status, body, headers or {}, times=times))

    def rate_limit(self, retry_after: str | None = "1", *, times: int | None = 1) -> None:
        """429 Too Many Requests, with ``Retry-After`` when given."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = {"error": {"message": "Rate limit reached for requests", "type": "requests"}}
        self._faults.append(Fault(429, body, headers, times=times))

    def slow(self, seconds: float, *, times: int | None = None) -> None:
        """Answer as scripted, but only after ``seconds`` (or when the fake closes)."""
        self._faults.append(Fault(None, delay=seconds, times=times))

    def non_text(self, raw: bytes | None = None, *, times: int | None = None) -> None:
        """200 with an answer that holds no text (by default ``content`` is null)."""
        body = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "model": self.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": None},
                         "finish_reason": "stop"}],
        }  # fmt: skip
        self._faults.append(Fault(200, body, raw=raw, times=times))

    def hold(self) -> Gate:
        """A gate for the next request."""
        gate = Gate()
        self._gates.append(gate)
        return gate

    def clear_faults(self) -> None:
        self._faults.clear()

    # --- answering -------------------------------------------------------------------

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(RecordedCompletion(dict(request.headers), body, time.monotonic()))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await self._answer(request, body)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if self.api_key is not None:
            scheme, _, given = request.headers.get("Authorization", "").partition(" ")
            if scheme != "Bearer" or given != self.api_key:
                if given:
                    self.rejected_keys.add(given)
                message = f"Incorrect API key provided: {given}."
                error = {"error": {"message": message, "type": "invalid_request_error"}}
                return web.json_response(error, status=401)
        if self._gates:
            await self._gates.popleft().pass_through()
        fault = self._next_fault()
        if fault is not None:
            if fault.delay:
                await self._pause(fault.delay)
            if fault.raw is not None:
                return web.Response(body=fault.raw, content_type="application/json")
            if fault.status is not None:
                return web.json_response(fault.body, status=fault.status, headers=fault.headers)
        text = self._script(body)
        prompt = sum(len(m["content"]) for m in body["messages"]) // CHARS_PER_TOKEN
        completion = len(text) // CHARS_PER_TOKEN
        return web.json_response(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                          "total_tokens": prompt + completion},
            }
        )  # fmt: skip

    def _next_fault(self) -> Fault | None:
        if not self._faults:
            return None
        fault = self._faults[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self._faults.popleft()
        return fault

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            pass


def asked_about(body: dict[str, Any]) -> dict[str, Any]:
    """The facts a request showed the model (the JSON document of its user message)."""
    user = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
    start = user.index("{")
    facts: dict[str, Any] = json.loads(user[start:])
    return facts


@pytest.fixture
async def fake_llm(secrets_guard: SecretsGuard) -> AsyncIterator[FakeLanguageModel]:
    """A started fake language model, closed after the test; its key may leak nowhere."""
    fake = FakeLanguageModel()
    secrets_guard.watch_for(fake.secrets)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
