"""The MCP tools on a real project: how long each answer takes and how large it is.

Run:  python -m bench.mcp [--project flask] [--calls 20]   (DATABASE_URL or the local PostgreSQL)

Starts ``docsgen serve`` as a subprocess on a fresh database, registers the project
(tests/support/projects.py) and generates its documentation, then calls every
reading tool over Streamable HTTP at ``/mcp`` with the SDK's client: p50/p99
latency and the answer's size (characters, and parts for the longest page).
Last, how long ``docsgen mcp`` over stdio takes from start to its first answer.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.service import percentile, running_service
from tests.support import projects
from tests.support.mcp import answer, over_http, over_stdio
from tests.support.processes import docsgen_env


async def generate(url: str, token: str, path: Path) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{url}/api/repositories", headers=headers,
                          json={"provider": "local", "path": str(path)}) as r:  # fmt: skip
            repo: dict[str, Any] = await r.json()
        async with s.post(f"{url}/api/generate-docs", headers=headers,
                          json={"repository_id": repo["id"]}) as r:  # fmt: skip
            assert r.status == 202, await r.text()
        while True:
            async with s.get(f"{url}/api/repositories/{repo['id']}/docs", headers=headers) as r:
                body = await r.json()
            if body["status"] != "generating":
                assert body["status"] == "completed", body
                return {**repo, "pages": body["pages"]}
            await asyncio.sleep(0.5)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="flask")
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()

    checkout = projects.checkout(args.project)
    name = checkout.name
    async with running_service(checkout.parent) as running:
        service, token, env = running.service, running.token, running.env
        start = time.monotonic()
        repo = await generate(service.url, token, checkout)
        print(f"{name}: generated in {time.monotonic() - start:.1f} s, "
              f"{len(repo['pages'])} pages")  # fmt: skip
        async with over_http(f"{service.url}/mcp", token) as mcp:
            found = await answer(mcp, "search_docs", repository=name, query="get")
            symbol = re.search(r"\*\*symbol\*\* `([^`]+)`", found)
            assert symbol is not None, found
            calls: list[tuple[str, dict[str, Any]]] = [
                ("list_repositories", {}),
                ("get_status", {"repository": name}),
                ("read_page", {"repository": name}),
                ("read_page", {"repository": name, "slug": repo["pages"][0]["slug"]}),
                ("search_docs", {"repository": name, "query": "get"}),
                ("search_docs", {"repository": name, "query": "request context"}),
                ("get_symbol", {"repository": name, "qualified_name": symbol.group(1)}),
            ]
            print(f"{'tool':<18} {'arguments':<44} {'p50 ms':>7} {'p99 ms':>7} {'chars':>7}")
            for tool, arguments in calls:
                times, size = [], 0
                for _ in range(args.calls):
                    began = time.perf_counter()
                    size = len(await answer(mcp, tool, **arguments))
                    times.append((time.perf_counter() - began) * 1000)
                shown = ", ".join(f"{k}={v}" for k, v in arguments.items() if k != "repository")
                print(f"{tool:<18} {shown[:44]:<44} {percentile(times, 50):7.1f} "
                      f"{percentile(times, 99):7.1f} {size:7d}")  # fmt: skip
            parts, longest, biggest = 0, "", 0
            for page in repo["pages"]:
                text = await answer(mcp, "read_page", repository=name, slug=page["slug"])
                count = int(m.group(1)) if (m := re.search(r"of (\d+)\. The next", text)) else 1
                if count > parts:
                    parts, longest, biggest = count, page["slug"], len(text)
            print(f"longest page: {longest} in {parts} parts (part 1: {biggest} chars)")
        began = time.monotonic()
        stdio_env = docsgen_env({**env, "DOCSGEN_API_TOKEN": token})
        async with over_stdio(sys.executable, ["-m", "docsgen", "mcp"], stdio_env) as mcp:
            await answer(mcp, "list_repositories")
            print(f"docsgen mcp (stdio): first answer {time.monotonic() - began:.2f} s after start")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
