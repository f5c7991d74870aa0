"""The language model's client against the fake server: answers, retries, budget, failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from docsgen.narrative.client import Answer, ChatClient, Failure
from tests.support.fake_llm import API_KEY, MODEL, FakeLanguageModel

ASK = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}]


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_an_answer_is_the_models_text_with_the_tokens_it_cost(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.script(lambda body: "Hello there.")
    client = ChatClient(fake_llm.settings(), http)
    answer = await client.complete(ASK)
    assert isinstance(answer, Answer)
    assert answer.text == "Hello there."
    [request] = fake_llm.requests
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == MODEL
    assert request.body["messages"] == ASK
    assert request.body["temperature"] == 0
    assert request.body["max_tokens"] == client.settings.answer_tokens
    assert client.usage.requests == 1
    assert client.usage.prompt_tokens == answer.prompt_tokens > 0
    assert client.usage.completion_tokens == answer.completion_tokens == len("Hello there.") // 4


async def test_without_a_key_no_authorization_is_sent(http: aiohttp.ClientSession) -> None:
    fake = FakeLanguageModel(api_key=None)
    await fake.start()
    try:
        answer = await ChatClient(fake.settings(), http).complete(ASK)
        assert isinstance(answer, Answer)
        assert "Authorization" not in fake.requests[0].headers
    finally:
        await fake.close()


async def test_a_server_error_is_retried_then_answered(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.fail(500, times=2)
    client = ChatClient(fake_llm.settings(retries=2), http)
    assert isinstance(await client.complete(ASK), Answer)
    assert len(fake_llm.requests) == 3
    assert client.usage.requests == 3  # every attempt counts against the budget


async def test_a_lasting_server_error_is_a_failure_that_says_so(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.fail(502, "upstream model crashed", times=None)
    result = await ChatClient(fake_llm.settings(retries=2), http).complete(ASK)
    assert result == Failure(
        "the language model's server answered 502 Bad Gateway: upstream model crashed "
        "(after 3 attempts)"
    )


async def test_a_client_error_is_not_retried(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.fail(404, "model 'fake-model-7b' not found, try pulling it first")
    result = await ChatClient(fake_llm.settings(), http).complete(ASK)
    assert result == Failure(
        "the language model's server answered 404 Not Found: model 'fake-model-7b' not found, "
        "try pulling it first"
    )
    assert len(fake_llm.requests) == 1


async def test_a_wrong_key_is_refused_and_not_repeated(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    wrong = "sk-wrong-" + "x" * 30
    result = await ChatClient(fake_llm.settings(api_key=wrong), http).complete(ASK)
    assert isinstance(result, Failure)
    assert result.reason == (
        "the language model's server answered 401 Unauthorized: Incorrect API key provided: <key>."
    )
    assert wrong in fake_llm.rejected_keys  # so the secrets guard looks for it too


async def test_rate_limit_waits_as_long_as_retry_after_asks(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.rate_limit("1")
    client = ChatClient(fake_llm.settings(), http)
    assert isinstance(await client.complete(ASK), Answer)
    first, second = fake_llm.requests
    assert second.at - first.at >= 1.0


async def test_a_rate_limit_longer_than_allowed_is_a_failure_at_once(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.rate_limit("3600")
    result = await ChatClient(fake_llm.settings(retry_after_max_seconds=30), http).complete(ASK)
    assert result == Failure(
        "the language model's server answered 429 Too Many Requests: Rate limit reached for "
        "requests; it asks to wait 3600 s, longer than the 30 s allowed"
    )
    assert len(fake_llm.requests) == 1


async def test_a_lasting_rate_limit_without_retry_after_backs_off_then_fails(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.rate_limit(None, times=None)
    result = await ChatClient(fake_llm.settings(retries=1), http).complete(ASK)
    assert isinstance(result, Failure)
    assert result.reason.endswith("429 Too Many Requests: Rate limit reached for requests "
                                  "(after 2 attempts)")  # fmt: skip


async def test_no_answer_within_the_timeout_is_a_failure(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    fake_llm.slow(30)
    result = await ChatClient(fake_llm.settings(timeout_seconds=0.2, retries=1), http).complete(ASK)
    assert result == Failure("the language model did not answer within 0.2 s (after 2 attempts)")
    assert len(fake_llm.requests) == 2


async def test_an_unreachable_server_is_a_failure(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    await fake_llm.close()
    result = await ChatClient(fake_llm.settings(retries=0), http).complete(ASK)
    assert isinstance(result, Failure)
    assert result.reason.startswith("the language model's server could not be reached (127.0.0.1:")


@pytest.mark.parametrize("raw", [None, b"not json", b'{"choices": []}',
                                 b'{"choices": [{"message": {"content": [1, 2]}}]}'])  # fmt: skip
async def test_an_answer_without_text_is_a_failure(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession, raw: bytes | None
) -> None:
    fake_llm.non_text(raw)
    result = await ChatClient(fake_llm.settings(), http).complete(ASK)
    assert result == Failure("the language model's answer was not text")


async def test_the_request_budget_ends_asking(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    client = ChatClient(fake_llm.settings(max_requests=2), http)
    results = [await client.complete(ASK) for _ in range(3)]
    assert [type(r) for r in results] == [Answer, Answer, Failure]
    assert results[2] == Failure("the run's budget of 2 requests to the language model is spent")
    assert len(fake_llm.requests) == 2


async def test_the_token_budget_ends_asking_before_it_is_exceeded(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    # A request sets aside its prompt's tokens (4 here) and the longest answer (400): the
    # third would need 404 more than the 2 x 11 the first two cost, over 420.
    client = ChatClient(fake_llm.settings(max_tokens=420, answer_tokens=400), http)
    results = [await client.complete(ASK) for _ in range(3)]
    assert [type(r) for r in results] == [Answer, Answer, Failure]
    assert results[2] == Failure("the run's budget of 420 language model tokens is spent")
    assert client.usage.tokens == 22


async def test_requests_in_flight_stay_within_the_concurrency(
    fake_llm: FakeLanguageModel, http: aiohttp.ClientSession
) -> None:
    gates = [fake_llm.hold() for _ in range(5)]
    client = ChatClient(fake_llm.settings(concurrency=2), http)
    asking = asyncio.gather(*(client.complete(ASK) for _ in range(5)))
    await gates[0].reached.wait()
    await gates[1].reached.wait()
    for gate in gates:
        gate.release()
        await asyncio.sleep(0)
    results = await asking
    assert all(isinstance(r, Answer) for r in results)
    assert fake_llm.most_in_flight == 2
