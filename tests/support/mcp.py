"""Driving docsgen's MCP server with the SDK's own client, over HTTP or stdio."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult, TextContent


@contextlib.asynccontextmanager
async def over_http(url: str, token: str | None) -> AsyncIterator[Client]:
    """A client of the tools at ``url`` (``.../mcp``), sending ``token`` as a Bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=120) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


@contextlib.asynccontextmanager
async def over_stdio(
    command: str, args: list[str], env: Mapping[str, str]
) -> AsyncIterator[Client]:
    """A client of a ``docsgen mcp`` subprocess."""
    params = StdioServerParameters(command=command, args=args, env=dict(env))
    async with Client(params, read_timeout_seconds=120) as client:
        yield client


def text_of(result: CallToolResult) -> str:
    """The answer's Markdown (every docsgen tool answers with one text block)."""
    assert len(result.content) == 1, result.content
    block = result.content[0]
    assert isinstance(block, TextContent), block
    return block.text


async def answer(client: Client, tool: str, **arguments: Any) -> str:
    """A tool's answer, which must not be an error."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, text_of(result)
    return text_of(result)


async def refusal(client: Client, tool: str, **arguments: Any) -> str:
    """A tool's error message, which must be an error."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, text_of(result)
    return text_of(result)
