"""``timed``: the one place that times a request and takes its status, for logs and metrics."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from docsgen.ops.requests import timed


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, float]] = []

    def __call__(self, status: int, seconds: float) -> None:
        self.calls.append((status, seconds))


async def test_an_answer_is_recorded_with_its_status_and_returned() -> None:
    answer = web.Response(status=201)

    async def handler(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.01)
        return answer

    record = Recorder()
    assert await timed(make_mocked_request("GET", "/"), handler, record) is answer
    assert len(record.calls) == 1
    status, seconds = record.calls[0]
    assert status == 201
    assert 0.01 <= seconds < 5


async def test_an_http_exception_is_recorded_with_its_status_and_still_raised() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        raise web.HTTPConflict()

    record = Recorder()
    with pytest.raises(web.HTTPConflict):
        await timed(make_mocked_request("GET", "/"), handler, record)
    assert [status for status, _ in record.calls] == [409]


async def test_any_other_exception_is_recorded_as_500_and_still_raised() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        raise RuntimeError("boom")

    record = Recorder()
    with pytest.raises(RuntimeError, match="boom"):
        await timed(make_mocked_request("GET", "/"), handler, record)
    assert [status for status, _ in record.calls] == [500]
